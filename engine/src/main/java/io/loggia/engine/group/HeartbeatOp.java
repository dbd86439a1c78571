package io.loggia.engine.group;

/** Heartbeat: a member proves it is alive and learns whether a rebalance started. */
public final class HeartbeatOp extends GroupOp
{
    public String groupId;
    public int generationId;
    public String memberId = "";
    public String groupInstanceId;

    public HeartbeatOp()
    {
        super(HEARTBEAT);
    }

    public void fail(final short error)
    {
        errorCode = error;
    }

    public String toString()
    {
        return "Heartbeat{group=" + groupId + ", member=" + memberId + ", generation=" + generationId +
            ", error=" + GroupErrors.name(errorCode) + '}';
    }
}
