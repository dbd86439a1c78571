package io.loggia.engine.partition;

import io.loggia.engine.log.TopicPartition;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;

/**
 * Every hosted partition by its global id: a copy-on-write view holding the live partitions in id order, so any
 * thread finds one with an acquire load and a binary search, and walks them all without meeting the dead; and a
 * version that moves on every change so writers and the housekeeper notice new and removed partitions without a
 * queue.
 * <pre>
 *   view:    ids        [ 0 | 1 | 3 | 7 ]        replaced, never modified; sized to the live partitions,
 *            partitions [ p0| p1| p3| p7]        not to every id ever handed out
 *            version    0 ──add──► 1 ──add──► 2 ──remove──► 3 ...
 * </pre>
 * The view was once an array indexed by id. Ids are never reused, so under a workload that creates and deletes
 * topics (the live fuzz soak) it grew with every partition ever created, to 262,144 slots for a few thousand live
 * ones, and every add and remove copied it and every housekeeper pass and writer adoption walked it.
 * <p>
 * <b>Assumptions and Guarantees</b>
 * <ul>
 *     <li>{@link #add} and {@link #remove} are control-plane calls from any thread; they serialise on this
 *     object and cost O(live partitions). {@link #get}, {@link #version} and {@link #partitions} take no lock and
 *     allocate nothing.</li>
 *     <li>A partition is fully built before {@link #add}: the new view is published with a release store, so a
 *     thread that loads it (acquire) sees every partition added up to its version, with all its fields.</li>
 *     <li>Ids are never reused while the process lives, so an append still in a ring for a deleted partition can
 *     never land in a new one.</li>
 * </ul>
 */
public final class PartitionTable
{
    private static final VarHandle VIEW_VH;

    static
    {
        try
        {
            VIEW_VH = MethodHandles.lookup().findVarHandle(PartitionTable.class, "view", View.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /** One immutable generation of the table. */
    private static final class View
    {
        final int[] ids;
        final Partition[] partitions;
        final int version;

        View(final int[] ids, final Partition[] partitions, final int version)
        {
            this.ids = ids;
            this.partitions = partitions;
            this.version = version;
        }
    }

    @SuppressWarnings("unused") // accessed through VIEW_VH
    private View view = new View(new int[0], new Partition[0], 0);

    // guarded by this
    private final HashMap<TopicPartition, Partition> byName = new HashMap<>();
    private int nextId;

    /** Control plane: reserve the id of a partition about to be built. */
    public synchronized int allocateId()
    {
        return nextId++;
    }

    /**
     * Control plane: publish a fully built partition.
     *
     * @return false if a partition with the same topic and index is already present (nothing changes).
     */
    public synchronized boolean add(final Partition partition)
    {
        if (byName.containsKey(partition.topicPartition()))
        {
            return false;
        }
        final View current = current();
        final int id = partition.id();
        final int at = -(Arrays.binarySearch(current.ids, id) + 1);
        final int count = current.ids.length;
        final int[] ids = new int[count + 1];
        final Partition[] partitions = new Partition[count + 1];
        System.arraycopy(current.ids, 0, ids, 0, at);
        System.arraycopy(current.partitions, 0, partitions, 0, at);
        ids[at] = id;
        partitions[at] = partition;
        System.arraycopy(current.ids, at, ids, at + 1, count - at);
        System.arraycopy(current.partitions, at, partitions, at + 1, count - at);
        nextId = Math.max(nextId, id + 1);
        byName.put(partition.topicPartition(), partition);
        VIEW_VH.setRelease(this, new View(ids, partitions, current.version + 1));
        return true;
    }

    /**
     * Control plane: unpublish a partition. Threads that loaded the view before may still find it, so users
     * check {@link Partition#state()} as well.
     *
     * @return false if it was not present.
     */
    public synchronized boolean remove(final Partition partition)
    {
        if (byName.get(partition.topicPartition()) != partition)
        {
            return false;
        }
        byName.remove(partition.topicPartition());
        final View current = current();
        final int at = Arrays.binarySearch(current.ids, partition.id());
        final int count = current.ids.length;
        final int[] ids = new int[count - 1];
        final Partition[] partitions = new Partition[count - 1];
        System.arraycopy(current.ids, 0, ids, 0, at);
        System.arraycopy(current.partitions, 0, partitions, 0, at);
        System.arraycopy(current.ids, at + 1, ids, at, count - at - 1);
        System.arraycopy(current.partitions, at + 1, partitions, at, count - at - 1);
        VIEW_VH.setRelease(this, new View(ids, partitions, current.version + 1));
        return true;
    }

    /** Any thread: the partition with this id, null if none. */
    public Partition get(final int id)
    {
        final View view = current();
        final int at = Arrays.binarySearch(view.ids, id);
        return at >= 0 ? view.partitions[at] : null;
    }

    /** Any thread: moves on every add and remove; load it before {@link #partitions()}. */
    public int version()
    {
        return current().version;
    }

    /** Any thread: the live partitions in id order, no nulls. Never modify the array. */
    public Partition[] partitions()
    {
        return current().partitions;
    }

    /** Control plane: the partition of a topic and index, null if none. */
    public synchronized Partition find(final TopicPartition topicPartition)
    {
        return byName.get(topicPartition);
    }

    /** Control plane: every partition, in id order. */
    public synchronized List<Partition> list()
    {
        return List.of(current().partitions);
    }

    /** Control plane. */
    public synchronized int size()
    {
        return byName.size();
    }

    private View current()
    {
        return (View)VIEW_VH.getAcquire(this);
    }

    public String toString()
    {
        return "PartitionTable{size=" + size() + ", version=" + version() + '}';
    }
}
