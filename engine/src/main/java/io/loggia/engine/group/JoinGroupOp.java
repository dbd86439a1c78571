package io.loggia.engine.group;

import java.util.List;

/** JoinGroup: a member joins or rejoins a group and waits for the rebalance to complete. */
public final class JoinGroupOp extends GroupOp
{
    /** One member as the leader sees it in its JoinGroup response. */
    public record Member(String memberId, String groupInstanceId, byte[] metadata)
    {
    }

    public String groupId;
    /** Empty for a member that has no id yet. */
    public String memberId = "";
    /** Static membership (KIP-345), null for a dynamic member. */
    public String groupInstanceId;
    public String clientId = "";
    /** The client's address as Kafka prints it ({@code /10.0.0.3}). */
    public String clientHost = "";
    public int sessionTimeoutMs;
    /** v0 has none: the caller passes the session timeout, as Kafka does. */
    public int rebalanceTimeoutMs;
    public String protocolType = "";
    /** The protocols the member supports, in its order of preference. */
    public String[] protocolNames = new String[0];
    /** Each protocol's opaque metadata (for "consumer": the subscription), same order as the names. */
    public byte[][] protocolMetadata = new byte[0][];
    /** KIP-800, for the log; may be null. */
    public String reason;
    /** v4+: a member without an id first gets MEMBER_ID_REQUIRED and an id (KIP-394). */
    public boolean requireKnownMemberId;
    /** v9+: a static leader rejoining a stable group may be told to skip the assignment. */
    public boolean supportsSkipAssignment;

    /** Result: the member's id, assigned for a new member. */
    public String responseMemberId = "";
    public int generationId = -1;
    /** Result: null when the request failed. */
    public String responseProtocolType;
    /** Result: the protocol the group chose, null when the request failed. */
    public String protocolName;
    public String leaderId = "";
    public boolean skipAssignment;
    /** Result: every member with its metadata for the chosen protocol, for the leader only. */
    public List<Member> members = List.of();

    public JoinGroupOp()
    {
        super(JOIN_GROUP);
    }

    public void fail(final short error)
    {
        errorCode = error;
        responseMemberId = memberId;
        generationId = -1;
        responseProtocolType = null;
        protocolName = null;
        leaderId = "";
        skipAssignment = false;
        members = List.of();
    }

    public String toString()
    {
        return "JoinGroup{group=" + groupId + ", member=" + memberId + ", instance=" + groupInstanceId +
            ", error=" + GroupErrors.name(errorCode) + ", generation=" + generationId + '}';
    }
}
