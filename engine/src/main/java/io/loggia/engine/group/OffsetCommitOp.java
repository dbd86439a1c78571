package io.loggia.engine.group;

import java.util.ArrayList;
import java.util.List;

/**
 * OffsetCommit: a member (or a standalone consumer, generation -1) stores offsets. Answered once the records
 * are in {@code __consumer_offsets}.
 */
public final class OffsetCommitOp extends GroupOp
{
    /** One partition's offset and its result. */
    public static final class Partition
    {
        public String topic;
        public int partition;
        public long offset;
        public int leaderEpoch = -1;
        /** Null is stored as "", as Kafka does. */
        public String metadata;
        /**
         * Result. A caller may set an error before offering (UNKNOWN_TOPIC_OR_PARTITION for a topic the broker
         * does not have): the coordinator leaves such a partition alone.
         */
        public short errorCode = GroupErrors.NONE;

        public Partition()
        {
        }

        public Partition(final String topic, final int partition, final long offset, final String metadata)
        {
            this.topic = topic;
            this.partition = partition;
            this.offset = offset;
            this.metadata = metadata;
        }
    }

    public String groupId;
    /** -1 for a consumer outside group management. */
    public int generationId = -1;
    public String memberId = "";
    public String groupInstanceId;
    /** v2-v4: how long the offsets should be kept, -1 for the broker's offsets.retention.ms. */
    public long retentionTimeMs = -1;
    public final List<Partition> partitions = new ArrayList<>();

    public OffsetCommitOp()
    {
        super(OFFSET_COMMIT);
    }

    public void fail(final short error)
    {
        errorCode = error;
        for (final Partition partition : partitions)
        {
            if (partition.errorCode == GroupErrors.NONE)
            {
                partition.errorCode = error;
            }
        }
    }

    public String toString()
    {
        return "OffsetCommit{group=" + groupId + ", member=" + memberId + ", generation=" + generationId +
            ", partitions=" + partitions.size() + '}';
    }
}
