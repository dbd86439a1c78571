package io.loggia.engine.topic;

import io.loggia.engine.partition.Partition;
import org.agrona.DirectBuffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * Every topic this broker hosts, for lookups from any thread: by name (a {@link String}, or the name's bytes
 * where they lie in a request buffer), by topic id, and as a sorted list. Copy-on-write: the controller builds a
 * new immutable {@link TopicSnapshot} for every change and publishes it with a release store; a lookup is one
 * acquire load of the snapshot and a probe of its table, with no lock and no allocation.
 * <pre>
 *   controller:  put(topic) / remove(name) ──► new TopicSnapshot(sorted topics) ──► setRelease(snapshot)
 *   any thread:  getAcquire(snapshot) ──► probe byName / byId ──► Topic (immutable) ──► Partition
 * </pre>
 * <b>Assumptions and Guarantees</b>
 * <ul>
 *     <li>{@link #put} and {@link #remove} are called by one thread at a time: the broker's start-up thread,
 *     then only the controller's.</li>
 *     <li>Every other method may be called from any thread. The release store of a snapshot publishes the
 *     snapshot, its tables, its topics and their partitions (each fully built before it is added).</li>
 *     <li>A topic created or deleted while a lookup runs may or may not be seen by it; a {@link Partition}
 *     returned may be closing (deleted a moment ago), so callers check {@link Partition#isOpen()}.</li>
 * </ul>
 */
public final class TopicRegistry
{
    /** Returned by the partition-count lookups for a topic that does not exist. */
    public static final int UNKNOWN_TOPIC = -1;

    private static final VarHandle SNAPSHOT_VH;
    private static final Comparator<Topic> BY_NAME = Comparator.comparing(Topic::name);

    static
    {
        try
        {
            SNAPSHOT_VH = MethodHandles.lookup().findVarHandle(TopicRegistry.class, "snapshot", TopicSnapshot.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    @SuppressWarnings("unused") // accessed through SNAPSHOT_VH
    private TopicSnapshot snapshot = TopicSnapshot.EMPTY;

    private TopicSnapshot current()
    {
        return (TopicSnapshot)SNAPSHOT_VH.getAcquire(this);
    }

    // ------------------------------------------------------------------------------------------------------
    // Lookups, any thread
    // ------------------------------------------------------------------------------------------------------

    /** @return the topic whose UTF-8 name is {@code buffer[offset, offset + length)}, or null. */
    public Topic topic(final DirectBuffer buffer, final int offset, final int length)
    {
        return current().byName(buffer, offset, length);
    }

    /** @return the topic of this name, or null. Allocates nothing. */
    public Topic topic(final CharSequence name)
    {
        return current().byName(name);
    }

    /** @return the topic with this id, or null. */
    public Topic topic(final long idMsb, final long idLsb)
    {
        return current().byId(idMsb, idLsb);
    }

    /** @return the topic with this id, or null. */
    public Topic topic(final UUID id)
    {
        return current().byId(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }

    /** @return the partition, or null if the topic or the partition does not exist. */
    public Partition partition(final DirectBuffer buffer, final int offset, final int length, final int index)
    {
        final Topic topic = current().byName(buffer, offset, length);
        return null == topic ? null : topic.partition(index);
    }

    /** @return the partition, or null if the topic or the partition does not exist. */
    public Partition partition(final long idMsb, final long idLsb, final int index)
    {
        final Topic topic = current().byId(idMsb, idLsb);
        return null == topic ? null : topic.partition(index);
    }

    /** @return the partition, or null if the topic or the partition does not exist. */
    public Partition partition(final CharSequence name, final int index)
    {
        final Topic topic = current().byName(name);
        return null == topic ? null : topic.partition(index);
    }

    /** @return the topic's partition count, or {@link #UNKNOWN_TOPIC}. */
    public int partitionCount(final DirectBuffer buffer, final int offset, final int length)
    {
        final Topic topic = current().byName(buffer, offset, length);
        return null == topic ? UNKNOWN_TOPIC : topic.partitionCount();
    }

    /** @return the topic's partition count, or {@link #UNKNOWN_TOPIC}. */
    public int partitionCount(final long idMsb, final long idLsb)
    {
        final Topic topic = current().byId(idMsb, idLsb);
        return null == topic ? UNKNOWN_TOPIC : topic.partitionCount();
    }

    /** @return the topic's partition count, or {@link #UNKNOWN_TOPIC}. */
    public int partitionCount(final CharSequence name)
    {
        final Topic topic = current().byName(name);
        return null == topic ? UNKNOWN_TOPIC : topic.partitionCount();
    }

    /** Every topic, sorted by name: one consistent state. */
    public List<Topic> topics()
    {
        return List.of(current().sorted());
    }

    public int size()
    {
        return current().size();
    }

    /** Moves on every change. */
    public int version()
    {
        return current().version();
    }

    // ------------------------------------------------------------------------------------------------------
    // Changes, controller thread
    // ------------------------------------------------------------------------------------------------------

    /**
     * Add a topic, or replace the topic of the same name (which must have the same id).
     *
     * @throws IllegalArgumentException if another topic already has this id, or the topic of this name has a
     *                                  different one.
     */
    public void put(final Topic topic)
    {
        final TopicSnapshot current = current();
        final Topic byId = current.byId(topic.idMsb(), topic.idLsb());
        final Topic byName = current.byName(topic.name());
        if ((null != byId && !byId.name().equals(topic.name())) || (null != byName && !byName.id().equals(topic.id())))
        {
            throw new IllegalArgumentException(topic + " clashes with " + (null != byId ? byId : byName));
        }
        final List<Topic> topics = new ArrayList<>(current.size() + 1);
        for (final Topic existing : current.sorted())
        {
            if (!existing.name().equals(topic.name()))
            {
                topics.add(existing);
            }
        }
        topics.add(topic);
        publish(topics, current.version() + 1);
    }

    /** @return the topic removed, or null if there was none of this name. */
    public Topic remove(final String name)
    {
        final TopicSnapshot current = current();
        final Topic removed = current.byName(name);
        if (null == removed)
        {
            return null;
        }
        final List<Topic> topics = new ArrayList<>(current.size());
        for (final Topic existing : current.sorted())
        {
            if (existing != removed)
            {
                topics.add(existing);
            }
        }
        publish(topics, current.version() + 1);
        return removed;
    }

    private void publish(final List<Topic> topics, final int version)
    {
        final Topic[] sorted = topics.toArray(new Topic[0]);
        Arrays.sort(sorted, BY_NAME);
        // the snapshot and everything it references are complete before this store makes them reachable
        SNAPSHOT_VH.setRelease(this, new TopicSnapshot(sorted, version));
    }

    public String toString()
    {
        return "TopicRegistry{topics=" + size() + ", version=" + version() + '}';
    }
}
