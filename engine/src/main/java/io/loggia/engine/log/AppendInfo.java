package io.loggia.engine.log;

/**
 * What {@link PartitionLog#append} did, for the produce response and the writer's bookkeeping. Owned by the
 * writer thread, reused for every append.
 */
public final class AppendInfo
{
    /** Offset given to the first record. */
    public long firstOffset = -1;
    /** Offset given to the last record. */
    public long lastOffset = -1;
    /** The append time stamped into the batches, or -1 for CreateTime topics (Kafka's response field). */
    public long logAppendTimeMs = -1;
    /** Log start offset after the append (Kafka's response field). */
    public long logStartOffset = -1;
    /** Largest max timestamp among the appended batches. */
    public long maxTimestamp = -1;
    /** Base offset of the segment written to, and the byte position there. */
    public long segmentBaseOffset = -1;
    public int position = -1;
    public int sizeInBytes;
    public int batchCount;
    /** A new segment was started for this append. */
    public boolean rolled;

    void reset()
    {
        firstOffset = -1;
        lastOffset = -1;
        logAppendTimeMs = -1;
        logStartOffset = -1;
        maxTimestamp = -1;
        segmentBaseOffset = -1;
        position = -1;
        sizeInBytes = 0;
        batchCount = 0;
        rolled = false;
    }

    public String toString()
    {
        return "AppendInfo{firstOffset=" + firstOffset + ", lastOffset=" + lastOffset + ", logAppendTimeMs=" +
            logAppendTimeMs + ", logStartOffset=" + logStartOffset + ", maxTimestamp=" + maxTimestamp +
            ", segmentBaseOffset=" + segmentBaseOffset + ", position=" + position + ", sizeInBytes=" + sizeInBytes +
            ", batchCount=" + batchCount + ", rolled=" + rolled + '}';
    }
}
