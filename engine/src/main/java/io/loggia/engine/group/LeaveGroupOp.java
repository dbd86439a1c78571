package io.loggia.engine.group;

import java.util.ArrayList;
import java.util.List;

/** LeaveGroup: members leave (v3+ several at once, or by instance id only, for admin removal). */
public final class LeaveGroupOp extends GroupOp
{
    /** One leaving member and its result. */
    public static final class Member
    {
        /** Empty when the member is named by its instance id only. */
        public String memberId = "";
        public String groupInstanceId;
        public String reason;
        /** Result. */
        public short errorCode = GroupErrors.NONE;

        public Member()
        {
        }

        public Member(final String memberId, final String groupInstanceId)
        {
            this.memberId = memberId;
            this.groupInstanceId = groupInstanceId;
        }
    }

    public String groupId;
    public final List<Member> members = new ArrayList<>();

    public LeaveGroupOp()
    {
        super(LEAVE_GROUP);
    }

    public void fail(final short error)
    {
        errorCode = error;
    }

    public String toString()
    {
        return "LeaveGroup{group=" + groupId + ", members=" + members.size() + ", error=" +
            GroupErrors.name(errorCode) + '}';
    }
}
