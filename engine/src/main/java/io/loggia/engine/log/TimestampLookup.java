package io.loggia.engine.log;

/**
 * A batch found by timestamp, for ListOffsets: filled by {@link PartitionLog#offsetForTimestamp} and
 * {@link PartitionLog#offsetOfMaxTimestamp}. Owned by the calling thread, reused.
 */
public final class TimestampLookup
{
    /** Base offset of the batch, raised to the log start offset if the batch starts below it; -1 if none. */
    public long offset = -1;
    /** Last offset of the batch. */
    public long lastOffset = -1;
    /** The batch's max timestamp. */
    public long timestamp = -1;
    /** The batch's partition leader epoch. */
    public int leaderEpoch = -1;

    void reset()
    {
        offset = -1;
        lastOffset = -1;
        timestamp = -1;
        leaderEpoch = -1;
    }

    public String toString()
    {
        return "TimestampLookup{offset=" + offset + ", lastOffset=" + lastOffset + ", timestamp=" + timestamp +
            ", leaderEpoch=" + leaderEpoch + '}';
    }
}
