package io.loggia.engine.group;

/** SyncGroup: the leader hands in the assignment; every member receives its own. */
public final class SyncGroupOp extends GroupOp
{
    private static final byte[] EMPTY = new byte[0];

    public String groupId;
    public int generationId;
    public String memberId = "";
    public String groupInstanceId;
    /** v5+, checked against the group's when present; null otherwise. */
    public String protocolType;
    /** v5+, checked against the group's when present; null otherwise. */
    public String protocolName;
    /** The leader's assignment: member ids and their opaque assignments, same order; empty from followers. */
    public String[] assignmentMemberIds = new String[0];
    public byte[][] assignments = new byte[0][];

    /** Result: null when the request failed. */
    public String responseProtocolType;
    /** Result: null when the request failed. */
    public String responseProtocolName;
    /** Result: this member's assignment, empty when the request failed. */
    public byte[] assignment = EMPTY;

    public SyncGroupOp()
    {
        super(SYNC_GROUP);
    }

    public void fail(final short error)
    {
        errorCode = error;
        responseProtocolType = null;
        responseProtocolName = null;
        assignment = EMPTY;
    }

    public String toString()
    {
        return "SyncGroup{group=" + groupId + ", member=" + memberId + ", generation=" + generationId +
            ", error=" + GroupErrors.name(errorCode) + '}';
    }
}
