package io.loggia.engine.group;

import java.util.Arrays;
import java.util.Set;

/**
 * One member of a classic group: who it is, the protocols it supports with their metadata, its assignment,
 * and the JoinGroup or SyncGroup it is waiting on. Called only from the coordinator thread.
 */
final class GroupMember
{
    static final byte[] NO_BYTES = new byte[0];

    String memberId;
    final String groupInstanceId;
    final String clientId;
    final String clientHost;
    final String protocolType;
    int rebalanceTimeoutMs;
    int sessionTimeoutMs;
    String[] protocolNames;
    byte[][] protocolMetadata;
    byte[] assignment = NO_BYTES;
    /** The member's JoinGroup waiting for the rebalance to complete, or null. */
    JoinGroupOp awaitingJoin;
    /** The member's SyncGroup waiting for the leader's assignment, or null. */
    SyncGroupOp awaitingSync;
    /** Joined in the current rebalance and never completed a join: cannot heartbeat yet. */
    boolean isNew;
    /** Its session deadline; set by the membership logic when the member is added. */
    GroupTimers.Timer sessionTimer;

    GroupMember(
        final String memberId,
        final String groupInstanceId,
        final String clientId,
        final String clientHost,
        final int rebalanceTimeoutMs,
        final int sessionTimeoutMs,
        final String protocolType,
        final String[] protocolNames,
        final byte[][] protocolMetadata)
    {
        this.memberId = memberId;
        this.groupInstanceId = groupInstanceId;
        this.clientId = clientId;
        this.clientHost = clientHost;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.protocolType = protocolType;
        this.protocolNames = protocolNames;
        this.protocolMetadata = protocolMetadata;
    }

    boolean isStatic()
    {
        return null != groupInstanceId;
    }

    boolean isAwaitingJoin()
    {
        return null != awaitingJoin;
    }

    boolean isAwaitingSync()
    {
        return null != awaitingSync;
    }

    /** The member's metadata for {@code protocol}, or null if it does not support it. */
    byte[] metadata(final String protocol)
    {
        for (int i = 0; i < protocolNames.length; i++)
        {
            if (protocolNames[i].equals(protocol))
            {
                return protocolMetadata[i];
            }
        }
        return null;
    }

    /** Whether a rejoin carries exactly the protocols and metadata the member already has. */
    boolean matches(final String[] names, final byte[][] metadata)
    {
        if (names.length != protocolNames.length)
        {
            return false;
        }
        for (int i = 0; i < names.length; i++)
        {
            if (!names[i].equals(protocolNames[i]) || !Arrays.equals(metadata[i], protocolMetadata[i]))
            {
                return false;
            }
        }
        return true;
    }

    /** The member's most preferred protocol among {@code candidates}, or null. */
    String vote(final Set<String> candidates)
    {
        for (final String name : protocolNames)
        {
            if (candidates.contains(name))
            {
                return name;
            }
        }
        return null;
    }

    public String toString()
    {
        return "GroupMember{id=" + memberId + ", instance=" + groupInstanceId + ", client=" + clientId +
            ", awaitingJoin=" + isAwaitingJoin() + ", awaitingSync=" + isAwaitingSync() + ", new=" + isNew + '}';
    }
}
