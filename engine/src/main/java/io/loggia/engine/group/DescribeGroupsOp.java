package io.loggia.engine.group;

import java.util.ArrayList;
import java.util.List;

/** DescribeGroups: state, protocol and members of each group asked for. */
public final class DescribeGroupsOp extends GroupOp
{
    private static final byte[] EMPTY = new byte[0];

    /** One member; metadata and assignment only while the group is Stable, empty otherwise (as Kafka). */
    public record Member(
        String memberId, String groupInstanceId, String clientId, String clientHost, byte[] metadata, byte[] assignment)
    {
    }

    /** One group asked for, and its description. */
    public static final class Group
    {
        public String groupId;
        /** Result. */
        public short errorCode = GroupErrors.NONE;
        /** Result (v6+), null if none. */
        public String errorMessage;
        public String state = GroupState.DEAD.kafkaName();
        public String protocolType = "";
        /** Result: the chosen protocol while Stable, "" otherwise. */
        public String protocolData = "";
        public List<Member> members = List.of();

        public Group()
        {
        }

        public Group(final String groupId)
        {
            this.groupId = groupId;
        }
    }

    public final List<Group> groups = new ArrayList<>();

    public DescribeGroupsOp()
    {
        super(DESCRIBE_GROUPS);
    }

    static byte[] empty()
    {
        return EMPTY;
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
        return "DescribeGroups{groups=" + groups.size() + '}';
    }
}
