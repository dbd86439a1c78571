package io.loggia.engine.group;

import java.util.ArrayList;
import java.util.List;

/** OffsetFetch: committed offsets of one group, or of several (v8+, KIP-709). */
public final class OffsetFetchOp extends GroupOp
{
    /** One partition asked for, and its committed offset. */
    public static final class Partition
    {
        public String topic;
        public int partition;
        /** Result: -1 when nothing is committed. */
        public long offset = -1;
        public int leaderEpoch = -1;
        public String metadata = "";
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

    /** One group and its result. */
    public static final class Group
    {
        public String groupId;
        /**
         * In: the partitions wanted, or null for every committed offset of the group. Out: the same list
         * filled in, or for null a new list of every committed offset, sorted by topic and partition.
         */
        public List<Partition> partitions;
        /** Result: the group's error; its partitions carry none then. */
        public short errorCode = GroupErrors.NONE;

        public Group()
        {
        }

        public Group(final String groupId, final List<Partition> partitions)
        {
            this.groupId = groupId;
            this.partitions = partitions;
        }
    }

    /** v7+: answer UNSTABLE_OFFSET_COMMIT for a partition whose commit is still being written. */
    public boolean requireStable;
    public final List<Group> groups = new ArrayList<>();

    public OffsetFetchOp()
    {
        super(OFFSET_FETCH);
    }

    public void fail(final short error)
    {
        errorCode = error;
        for (final Group group : groups)
        {
            group.errorCode = error;
        }
    }

    public String toString()
    {
        return "OffsetFetch{groups=" + groups.size() + ", requireStable=" + requireStable + '}';
    }
}
