package io.loggia.engine.group;

import org.agrona.collections.Int2IntHashMap;
import org.agrona.collections.Int2ObjectHashMap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The committed offsets of one group, by topic and partition, and the commits still being written (a commit
 * is applied only once its record is in the log). Called only from the coordinator thread.
 */
final class GroupOffsets
{
    /** One committed offset with its partition, for listings. */
    record Entry(String topic, int partition, CommittedOffset value)
    {
    }

    private final Map<String, Int2ObjectHashMap<CommittedOffset>> committed = new HashMap<>();
    private final Map<String, Int2IntHashMap> pending = new HashMap<>();
    private int size;

    CommittedOffset get(final String topic, final int partition)
    {
        final Int2ObjectHashMap<CommittedOffset> partitions = committed.get(topic);
        return null == partitions ? null : partitions.get(partition);
    }

    void put(final String topic, final int partition, final CommittedOffset value)
    {
        if (null == committed.computeIfAbsent(topic, t -> new Int2ObjectHashMap<>()).put(partition, value))
        {
            size++;
        }
    }

    /** @return the removed offset, or null if there was none. */
    CommittedOffset remove(final String topic, final int partition)
    {
        final Int2ObjectHashMap<CommittedOffset> partitions = committed.get(topic);
        if (null == partitions)
        {
            return null;
        }
        final CommittedOffset removed = partitions.remove(partition);
        if (null != removed)
        {
            size--;
            if (partitions.isEmpty())
            {
                committed.remove(topic);
            }
        }
        return removed;
    }

    int size()
    {
        return size;
    }

    boolean isEmpty()
    {
        return 0 == size;
    }

    /** Every committed offset, sorted by topic, then partition. */
    List<Entry> entries()
    {
        final List<Entry> entries = new ArrayList<>(size);
        for (final Map.Entry<String, Int2ObjectHashMap<CommittedOffset>> topic : committed.entrySet())
        {
            final Int2ObjectHashMap<CommittedOffset>.EntryIterator it = topic.getValue().entrySet().iterator();
            while (it.hasNext())
            {
                it.next();
                entries.add(new Entry(topic.getKey(), it.getIntKey(), it.getValue()));
            }
        }
        entries.sort((a, b) ->
        {
            final int byTopic = a.topic().compareTo(b.topic());
            return 0 != byTopic ? byTopic : Integer.compare(a.partition(), b.partition());
        });
        return entries;
    }

    /** A commit of this partition was offered to the log. */
    void addPending(final String topic, final int partition)
    {
        final Int2IntHashMap partitions = pending.computeIfAbsent(topic, t -> new Int2IntHashMap(0));
        partitions.put(partition, partitions.get(partition) + 1);
    }

    /** A commit of this partition completed, either way. */
    void removePending(final String topic, final int partition)
    {
        final Int2IntHashMap partitions = pending.get(topic);
        if (null == partitions)
        {
            return;
        }
        final int remaining = partitions.get(partition) - 1;
        if (remaining > 0)
        {
            partitions.put(partition, remaining);
        }
        else
        {
            partitions.remove(partition);
            if (partitions.isEmpty())
            {
                pending.remove(topic);
            }
        }
    }

    boolean hasPending(final String topic, final int partition)
    {
        final Int2IntHashMap partitions = pending.get(topic);
        return null != partitions && partitions.get(partition) > 0;
    }

    boolean hasAnyPending()
    {
        return !pending.isEmpty();
    }
}
