package io.loggia.perf.lean;

/**
 * The fetch state of the partitions one drain connection reads: for each, the offset to fetch next and the
 * offset it stops at (the latest offset taken before the drain). A partition is done once its next offset
 * reaches its end; done partitions leave the Fetch requests.
 * <p>
 * Not thread safe: owned by one {@link DrainWorker}'s thread during a drain; reset by the main thread between
 * drains (Thread.start and join order the two).
 */
public final class DrainPartitions
{
    private final int[] partitions;
    private final long[] starts;
    private final long[] ends;
    private final long[] next;
    private int pending;

    /**
     * @param topic  the topic with its offsets.
     * @param slots  the topic slots this connection reads.
     */
    public DrainPartitions(final DrainTopic topic, final int[] slots)
    {
        this(topic, slots, false);
    }

    /**
     * @param topic  the topic with its offsets.
     * @param slots  the topic slots this connection reads.
     * @param follow true: read on from the earliest offsets without end (a tail-following consumer).
     */
    public DrainPartitions(final DrainTopic topic, final int[] slots, final boolean follow)
    {
        partitions = new int[slots.length];
        starts = new long[slots.length];
        ends = new long[slots.length];
        next = new long[slots.length];
        for (int i = 0; i < slots.length; i++)
        {
            partitions[i] = topic.partition(slots[i]);
            starts[i] = topic.earliest(slots[i]);
            ends[i] = follow ? Long.MAX_VALUE : topic.latest(slots[i]);
        }
        reset();
    }

    /** Start over from the earliest offsets. */
    public void reset()
    {
        pending = 0;
        for (int i = 0; i < partitions.length; i++)
        {
            next[i] = starts[i];
            if (next[i] < ends[i])
            {
                pending++;
            }
        }
    }

    public int count()
    {
        return partitions.length;
    }

    /** @return partitions not yet read to their end. */
    public int pending()
    {
        return pending;
    }

    public int partition(final int slot)
    {
        return partitions[slot];
    }

    public long nextOffset(final int slot)
    {
        return next[slot];
    }

    public boolean isDone(final int slot)
    {
        return next[slot] >= ends[slot];
    }

    /**
     * @param index a partition index.
     * @return its slot, or -1 when this connection does not read it.
     */
    public int slotOf(final int index)
    {
        for (int i = 0; i < partitions.length; i++)
        {
            if (partitions[i] == index)
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * Move a partition's next offset forward; offsets never move back.
     *
     * @param slot       the partition's slot.
     * @param nextOffset one past the last offset of the last whole batch received.
     * @return true when the partition moved.
     */
    public boolean advance(final int slot, final long nextOffset)
    {
        if (nextOffset <= next[slot])
        {
            return false;
        }
        final boolean wasDone = isDone(slot);
        next[slot] = nextOffset;
        if (!wasDone && isDone(slot))
        {
            pending--;
        }
        return true;
    }
}
