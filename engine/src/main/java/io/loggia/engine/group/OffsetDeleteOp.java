package io.loggia.engine.group;

import java.util.ArrayList;
import java.util.List;

/** OffsetDelete (KIP-496): committed offsets of partitions the group no longer consumes go. */
public final class OffsetDeleteOp extends GroupOp
{
    /** One partition and its result. */
    public static final class Partition
    {
        public String topic;
        public int partition;
        /** Result. A caller may set an error before offering; the coordinator leaves such a partition alone. */
        public short errorCode = GroupErrors.NONE;

        public Partition()
        {
        }

        public Partition(final String topic, final int partition)
        {
            this.topic = topic;
            this.partition = partition;
        }
    }

    public String groupId;
    public final List<Partition> partitions = new ArrayList<>();

    public OffsetDeleteOp()
    {
        super(OFFSET_DELETE);
    }

    /** A group-level error: the response carries no partitions then, as Kafka's. */
    public void fail(final short error)
    {
        errorCode = error;
    }

    public String toString()
    {
        return "OffsetDelete{group=" + groupId + ", partitions=" + partitions.size() + ", error=" +
            GroupErrors.name(errorCode) + '}';
    }
}
