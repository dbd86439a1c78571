package io.loggia.engine.producer;

/**
 * Where a retried batch was appended the first time, filled by {@link ProducerStateManager#check} when it
 * answers {@link ProducerStateManager#DUPLICATE}. Owned by the writer thread and reused; public fields, no
 * allocation.
 */
public final class DuplicateInfo
{
    /** Offset of the first record of the original batch. */
    public long firstOffset = -1;
    /** Offset of the last record of the original batch. */
    public long lastOffset = -1;
    /**
     * The original batch's max timestamp as stored in the log: the broker's append time on LogAppendTime
     * topics, the producer's largest create time otherwise. Kafka answers a duplicate with it as
     * {@code log_append_time} whatever the topic's timestamp type; answer -1 on CreateTime topics to give the
     * same response the first append got.
     */
    public long timestamp = -1;

    void reset()
    {
        firstOffset = -1;
        lastOffset = -1;
        timestamp = -1;
    }

    void set(final long firstOffset, final long lastOffset, final long timestamp)
    {
        this.firstOffset = firstOffset;
        this.lastOffset = lastOffset;
        this.timestamp = timestamp;
    }

    public String toString()
    {
        return "DuplicateInfo{firstOffset=" + firstOffset + ", lastOffset=" + lastOffset + ", timestamp=" +
            timestamp + '}';
    }
}
