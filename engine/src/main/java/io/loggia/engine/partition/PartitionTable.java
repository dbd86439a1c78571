package io.loggia.engine.partition;

import io.loggia.engine.log.TopicPartition;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;

/**
 * Every hosted partition by its global id: a copy-on-write array indexed by id, so any thread finds a partition
 * with one acquire load and an array read, and a version that moves on every change so writers and the
 * housekeeper notice new and removed partitions without a queue.
 * <pre>
 *   byId:    [ p0 | p1 | null (deleted) | p3 | null (never used yet) ... ]     replaced, never modified
 *   version: 0 ──add──► 1 ──add──► 2 ──remove──► 3 ...
 * </pre>
 * <b>Assumptions and Guarantees</b>
 * <ul>
 *     <li>{@link #add} and {@link #remove} are control-plane calls from any thread; they serialise on this
 *     object. {@link #get}, {@link #version} and {@link #partitions} take no lock and allocate nothing.</li>
 *     <li>A partition is fully built before {@link #add}: the new array is published with a release store and
 *     the version after it, so a thread that loads the version (acquire) and then the array sees every
 *     partition added up to that version, with all its fields.</li>
 *     <li>Ids are never reused while the process lives, so an append still in a ring for a deleted partition can
 *     never land in a new one.</li>
 * </ul>
 */
public final class PartitionTable
{
    private static final VarHandle BY_ID_VH;
    private static final VarHandle VERSION_VH;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            BY_ID_VH = lookup.findVarHandle(PartitionTable.class, "byId", Partition[].class);
            VERSION_VH = lookup.findVarHandle(PartitionTable.class, "version", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    @SuppressWarnings("unused") // accessed through BY_ID_VH
    private Partition[] byId = new Partition[16];
    @SuppressWarnings("unused") // accessed through VERSION_VH
    private int version;

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
        final Partition[] current = (Partition[])BY_ID_VH.getAcquire(this);
        final int id = partition.id();
        final Partition[] next = Arrays.copyOf(current, Math.max(current.length, Integer.highestOneBit(id) << 1));
        next[id] = partition;
        nextId = Math.max(nextId, id + 1);
        byName.put(partition.topicPartition(), partition);
        BY_ID_VH.setRelease(this, next);
        VERSION_VH.setRelease(this, (int)VERSION_VH.getAcquire(this) + 1);
        return true;
    }

    /**
     * Control plane: unpublish a partition. Threads that loaded the array before may still find it, so users
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
        final Partition[] next = ((Partition[])BY_ID_VH.getAcquire(this)).clone();
        next[partition.id()] = null;
        BY_ID_VH.setRelease(this, next);
        VERSION_VH.setRelease(this, (int)VERSION_VH.getAcquire(this) + 1);
        return true;
    }

    /** Any thread: the partition with this id, null if none. */
    public Partition get(final int id)
    {
        final Partition[] byId = (Partition[])BY_ID_VH.getAcquire(this);
        return id >= 0 && id < byId.length ? byId[id] : null;
    }

    /** Any thread: moves on every add and remove; load it before {@link #partitions()}. */
    public int version()
    {
        return (int)VERSION_VH.getAcquire(this);
    }

    /** Any thread: the current array, indexed by id, with nulls for unused ids. Never modify it. */
    public Partition[] partitions()
    {
        return (Partition[])BY_ID_VH.getAcquire(this);
    }

    /** Control plane: the partition of a topic and index, null if none. */
    public synchronized Partition find(final TopicPartition topicPartition)
    {
        return byName.get(topicPartition);
    }

    /** Control plane: every partition, in id order. */
    public synchronized List<Partition> list()
    {
        final ArrayList<Partition> list = new ArrayList<>(byName.size());
        for (final Partition partition : (Partition[])BY_ID_VH.getAcquire(this))
        {
            if (null != partition)
            {
                list.add(partition);
            }
        }
        return list;
    }

    /** Control plane. */
    public synchronized int size()
    {
        return byName.size();
    }

    public String toString()
    {
        return "PartitionTable{size=" + size() + ", version=" + version() + '}';
    }
}
