package io.loggia.engine.writer;

/**
 * The delayed acknowledgements of one partition: appends that complete only when the high watermark passes
 * their last offset (acks=all, and acks=1 in durable mode), in offset order. A FIFO of parallel primitive
 * arrays; it grows by doubling and never shrinks, so it allocates only until it reaches its high-water mark.
 * <pre>
 *   head                                tail
 *    │ lastOffset  correlation  callerId  baseOffset  logAppendTime
 *    ▼   41          7001         3          40          -1
 *        57          7002         5          42          -1         released when highWatermark > lastOffset
 * </pre>
 * Replication moves the high watermark from follower positions later; this queue does not change.
 * <p>
 * Owned by the partition's writer thread.
 */
public final class PendingAcks
{
    private long[] lastOffsets;
    private long[] correlations;
    private long[] baseOffsets;
    private long[] logAppendTimes;
    private short[] callerIds;
    private int mask;
    private long head;
    private long tail;

    public PendingAcks(final int initialCapacity)
    {
        final int capacity = Math.max(4, Integer.highestOneBit(Math.max(1, initialCapacity - 1)) << 1);
        lastOffsets = new long[capacity];
        correlations = new long[capacity];
        baseOffsets = new long[capacity];
        logAppendTimes = new long[capacity];
        callerIds = new short[capacity];
        mask = capacity - 1;
    }

    public boolean isEmpty()
    {
        return head == tail;
    }

    public int size()
    {
        return (int)(tail - head);
    }

    public void add(
        final long lastOffset, final long correlation, final int callerId, final long baseOffset, final long logAppendTime)
    {
        if (tail - head == lastOffsets.length)
        {
            grow();
        }
        final int index = (int)tail & mask;
        lastOffsets[index] = lastOffset;
        correlations[index] = correlation;
        callerIds[index] = (short)callerId;
        baseOffsets[index] = baseOffset;
        logAppendTimes[index] = logAppendTime;
        tail++;
    }

    /** Last offset of the oldest entry; only when not empty. */
    public long headLastOffset()
    {
        return lastOffsets[(int)head & mask];
    }

    public long headCorrelation()
    {
        return correlations[(int)head & mask];
    }

    public int headCallerId()
    {
        return callerIds[(int)head & mask];
    }

    public long headBaseOffset()
    {
        return baseOffsets[(int)head & mask];
    }

    public long headLogAppendTime()
    {
        return logAppendTimes[(int)head & mask];
    }

    public void removeHead()
    {
        head++;
    }

    /** Last offset of the newest entry; only when not empty. */
    public long tailLastOffset()
    {
        return lastOffsets[(int)(tail - 1) & mask];
    }

    public long tailCorrelation()
    {
        return correlations[(int)(tail - 1) & mask];
    }

    public int tailCallerId()
    {
        return callerIds[(int)(tail - 1) & mask];
    }

    public long tailBaseOffset()
    {
        return baseOffsets[(int)(tail - 1) & mask];
    }

    /** Drop the newest entry (truncation removes appends from the end). */
    public void removeTail()
    {
        tail--;
    }

    private void grow()
    {
        final int oldCapacity = lastOffsets.length;
        final int newCapacity = oldCapacity << 1;
        final long[] newLastOffsets = new long[newCapacity];
        final long[] newCorrelations = new long[newCapacity];
        final long[] newBaseOffsets = new long[newCapacity];
        final long[] newLogAppendTimes = new long[newCapacity];
        final short[] newCallerIds = new short[newCapacity];
        final int size = (int)(tail - head);
        for (int i = 0; i < size; i++)
        {
            final int from = (int)(head + i) & mask;
            newLastOffsets[i] = lastOffsets[from];
            newCorrelations[i] = correlations[from];
            newBaseOffsets[i] = baseOffsets[from];
            newLogAppendTimes[i] = logAppendTimes[from];
            newCallerIds[i] = callerIds[from];
        }
        lastOffsets = newLastOffsets;
        correlations = newCorrelations;
        baseOffsets = newBaseOffsets;
        logAppendTimes = newLogAppendTimes;
        callerIds = newCallerIds;
        mask = newCapacity - 1;
        head = 0;
        tail = size;
    }

    public String toString()
    {
        return "PendingAcks{size=" + size() + ", lastOffsets=" +
            (isEmpty() ? "[]" : "[" + headLastOffset() + ".." + tailLastOffset() + "]") +
            ", capacity=" + lastOffsets.length + '}';
    }
}
