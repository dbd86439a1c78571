package io.loggia.engine.group;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One classic group: its state, generation, chosen protocol, leader, members (with the pending ones that were
 * told MEMBER_ID_REQUIRED and the static ones by instance id) and committed offsets. The bookkeeping lives
 * here; the protocol that drives it is {@link GroupMembership} and {@link OffsetManager}. Called only from the
 * coordinator thread.
 */
final class ClassicGroup
{
    final String groupId;
    final int partition;

    GroupState state = GroupState.EMPTY;
    long currentStateTimestamp = -1;
    int generationId;
    /** Null for a group that only stores offsets. */
    String protocolType;
    /** Null unless the group completed a rebalance with members. */
    String protocolName;
    String leaderId;

    /** Members in join order (the first one leads when the leader goes). */
    final LinkedHashMap<String, GroupMember> members = new LinkedHashMap<>();
    /** Members told MEMBER_ID_REQUIRED, not yet back, each with its session deadline. */
    final HashMap<String, GroupTimers.Timer> pendingMembers = new HashMap<>();
    /** Static members: group.instance.id to member id. */
    final HashMap<String, String> staticMembers = new HashMap<>();
    /** Members that have not sent SyncGroup since the last join completed. */
    final HashSet<String> pendingSyncMembers = new HashSet<>();
    private final HashMap<String, Integer> supportedProtocols = new HashMap<>();
    int numMembersAwaitingJoin;
    /** A new member arrived during the first rebalance's initial delay: the delay is extended. */
    boolean newMemberAdded;
    /** Topics the members subscribe to ("consumer" protocol only), null when not known. */
    Set<String> subscribedTopics;

    final GroupOffsets offsets = new GroupOffsets();

    /** The rebalance's join deadline and the post-join sync deadline; made on first use. */
    GroupTimers.Timer joinTimer;
    GroupTimers.Timer syncTimer;
    /** The join deadline is the initial delay of a group that was empty (no early completion). */
    boolean initialJoin;
    long joinDelayMs;
    long joinRemainingMs;

    ClassicGroup(final String groupId, final int partition, final long nowMs)
    {
        this.groupId = groupId;
        this.partition = partition;
        this.currentStateTimestamp = nowMs;
    }

    boolean is(final GroupState state)
    {
        return this.state == state;
    }

    void transitionTo(final GroupState newState, final long nowMs)
    {
        if (!newState.canFollow(state))
        {
            throw new IllegalStateException(
                "group " + groupId + " cannot move from " + state.kafkaName() + " to " + newState.kafkaName());
        }
        state = newState;
        currentStateTimestamp = nowMs;
    }

    /** A rebalance may start from here (not while one is preparing, nor once dead). */
    boolean canRebalance()
    {
        return state == GroupState.STABLE || state == GroupState.COMPLETING_REBALANCE || state == GroupState.EMPTY;
    }

    boolean isLeader(final String memberId)
    {
        return null != leaderId && leaderId.equals(memberId);
    }

    GroupMember get(final String memberId)
    {
        return members.get(memberId);
    }

    boolean has(final String memberId)
    {
        return members.containsKey(memberId);
    }

    int size()
    {
        return members.size();
    }

    boolean isPendingMember(final String memberId)
    {
        return pendingMembers.containsKey(memberId);
    }

    String staticMemberId(final String groupInstanceId)
    {
        return null == groupInstanceId ? null : staticMembers.get(groupInstanceId);
    }

    /** The instance id belongs to another member id: the caller is an older incarnation. */
    boolean isStaticMemberFenced(final String groupInstanceId, final String memberId)
    {
        final String current = staticMemberId(groupInstanceId);
        return null != current && !current.equals(memberId);
    }

    boolean isConsumerGroup()
    {
        return ConsumerSubscription.PROTOCOL_TYPE.equals(protocolType);
    }

    boolean isSubscribedToTopic(final String topic)
    {
        return null != subscribedTopics && subscribedTopics.contains(topic);
    }

    void add(final GroupMember member, final JoinGroupOp join)
    {
        if (members.isEmpty())
        {
            protocolType = member.protocolType;
        }
        members.put(member.memberId, member);
        addProtocols(member.protocolNames);
        if (null == leaderId)
        {
            leaderId = member.memberId;
        }
        if (null != join)
        {
            member.awaitingJoin = join;
            numMembersAwaitingJoin++;
        }
        if (member.isStatic())
        {
            staticMembers.put(member.groupInstanceId, member.memberId);
        }
    }

    /** Removes a member; its waiting ops stay on it for the caller to answer. */
    GroupMember remove(final String memberId)
    {
        final GroupMember member = members.remove(memberId);
        if (null == member)
        {
            return null;
        }
        removeProtocols(member.protocolNames);
        if (member.isAwaitingJoin())
        {
            numMembersAwaitingJoin--;
        }
        pendingSyncMembers.remove(memberId);
        if (member.isStatic() && memberId.equals(staticMembers.get(member.groupInstanceId)))
        {
            staticMembers.remove(member.groupInstanceId);
        }
        if (isLeader(memberId))
        {
            leaderId = members.isEmpty() ? null : members.keySet().iterator().next();
        }
        return member;
    }

    /** New protocols, timeouts and (if not null) the JoinGroup the member now waits on. */
    void updateMember(
        final GroupMember member,
        final String[] names,
        final byte[][] metadata,
        final int rebalanceTimeoutMs,
        final int sessionTimeoutMs,
        final JoinGroupOp join)
    {
        removeProtocols(member.protocolNames);
        member.protocolNames = names;
        member.protocolMetadata = metadata;
        addProtocols(names);
        member.rebalanceTimeoutMs = rebalanceTimeoutMs;
        member.sessionTimeoutMs = sessionTimeoutMs;
        if (null != join && !member.isAwaitingJoin())
        {
            numMembersAwaitingJoin++;
        }
        else if (null == join && member.isAwaitingJoin())
        {
            numMembersAwaitingJoin--;
        }
        member.awaitingJoin = join;
    }

    /** Clears and returns the JoinGroup the member waits on, or null. */
    JoinGroupOp takeAwaitingJoin(final GroupMember member)
    {
        final JoinGroupOp join = member.awaitingJoin;
        if (null != join)
        {
            member.awaitingJoin = null;
            numMembersAwaitingJoin--;
        }
        return join;
    }

    /** Clears and returns the SyncGroup the member waits on, or null. */
    static SyncGroupOp takeAwaitingSync(final GroupMember member)
    {
        final SyncGroupOp sync = member.awaitingSync;
        member.awaitingSync = null;
        return sync;
    }

    /**
     * A static member came back with a new member id: the member keeps its place, assignment and leadership
     * under the new id. The caller answers the old incarnation's waiting ops first.
     */
    GroupMember replaceStaticMember(final String groupInstanceId, final String oldMemberId, final String newMemberId)
    {
        final GroupMember member = members.remove(oldMemberId);
        if (null == member)
        {
            throw new IllegalStateException("static member " + groupInstanceId + " has no member " + oldMemberId);
        }
        member.memberId = newMemberId;
        members.put(newMemberId, member);
        if (isLeader(oldMemberId))
        {
            leaderId = newMemberId;
        }
        if (pendingSyncMembers.remove(oldMemberId))
        {
            pendingSyncMembers.add(newMemberId);
        }
        staticMembers.put(groupInstanceId, newMemberId);
        return member;
    }

    /**
     * Whether a member with these protocols may join: an empty group takes any non-empty protocol list,
     * otherwise the type must match and one protocol must be supported by every current member.
     */
    boolean supportsProtocols(final String memberProtocolType, final String[] names)
    {
        if (is(GroupState.EMPTY))
        {
            return null != memberProtocolType && !memberProtocolType.isEmpty() && names.length > 0;
        }
        if (null == protocolType || !protocolType.equals(memberProtocolType))
        {
            return false;
        }
        for (final String name : names)
        {
            final Integer count = supportedProtocols.get(name);
            if (null != count && count == members.size())
            {
                return true;
            }
        }
        return false;
    }

    /**
     * The protocol for the next generation, as Kafka chooses it: among the protocols every member supports,
     * each member votes for the first in its own order of preference; most votes wins, ties going to the
     * protocol that got its first vote earliest in member order.
     */
    String selectProtocol()
    {
        final Set<String> candidates = new HashSet<>();
        for (final Map.Entry<String, Integer> entry : supportedProtocols.entrySet())
        {
            if (entry.getValue() == members.size())
            {
                candidates.add(entry.getKey());
            }
        }
        final LinkedHashMap<String, Integer> votes = new LinkedHashMap<>();
        for (final GroupMember member : members.values())
        {
            final String vote = member.vote(candidates);
            if (null != vote)
            {
                votes.merge(vote, 1, Integer::sum);
            }
        }
        String best = null;
        int bestVotes = 0;
        for (final Map.Entry<String, Integer> entry : votes.entrySet())
        {
            if (entry.getValue() > bestVotes)
            {
                best = entry.getKey();
                bestVotes = entry.getValue();
            }
        }
        return best;
    }

    /** Every member has rejoined and no member told MEMBER_ID_REQUIRED is still expected. */
    boolean hasAllMembersJoined()
    {
        return members.size() == numMembersAwaitingJoin && pendingMembers.isEmpty();
    }

    /** The longest rebalance timeout of the members: how long a rebalance waits for them. */
    int rebalanceTimeoutMs()
    {
        int timeout = 0;
        for (final GroupMember member : members.values())
        {
            timeout = Math.max(timeout, member.rebalanceTimeoutMs);
        }
        return timeout;
    }

    /**
     * Keeps the leader if it rejoined, else makes the first rejoined member leader.
     *
     * @return false if there is no leader or no member rejoined.
     */
    boolean maybeElectNewJoinedLeader()
    {
        if (null == leaderId)
        {
            return false;
        }
        final GroupMember leader = members.get(leaderId);
        if (null != leader && leader.isAwaitingJoin())
        {
            return true;
        }
        for (final GroupMember member : members.values())
        {
            if (member.isAwaitingJoin())
            {
                leaderId = member.memberId;
                return true;
            }
        }
        return false;
    }

    /** Next generation: CompletingRebalance with the chosen protocol, or Empty without members. */
    void initNextGeneration(final long nowMs)
    {
        generationId++;
        if (!members.isEmpty())
        {
            protocolName = selectProtocol();
            subscribedTopics = computeSubscribedTopics();
            transitionTo(GroupState.COMPLETING_REBALANCE, nowMs);
        }
        else
        {
            protocolName = null;
            subscribedTopics = computeSubscribedTopics();
            transitionTo(GroupState.EMPTY, nowMs);
        }
        pendingSyncMembers.clear();
        pendingSyncMembers.addAll(members.keySet());
    }

    /** Every member with its metadata for the chosen protocol: what the leader assigns from. */
    List<JoinGroupOp.Member> currentMemberMetadata()
    {
        final List<JoinGroupOp.Member> result = new ArrayList<>(members.size());
        for (final GroupMember member : members.values())
        {
            final byte[] metadata = member.metadata(protocolName);
            result.add(new JoinGroupOp.Member(
                member.memberId, member.groupInstanceId, null == metadata ? GroupMember.NO_BYTES : metadata));
        }
        return result;
    }

    /** The union of the members' subscriptions for a "consumer" group, null when unknown. */
    Set<String> computeSubscribedTopics()
    {
        if (!isConsumerGroup())
        {
            return null;
        }
        if (members.isEmpty())
        {
            return Set.of();
        }
        if (null == protocolName)
        {
            return null;
        }
        final Set<String> topics = new HashSet<>();
        for (final GroupMember member : members.values())
        {
            if (!ConsumerSubscription.addTopics(member.metadata(protocolName), topics))
            {
                return null;
            }
        }
        return topics;
    }

    private void addProtocols(final String[] names)
    {
        for (final String name : names)
        {
            supportedProtocols.merge(name, 1, Integer::sum);
        }
    }

    private void removeProtocols(final String[] names)
    {
        for (final String name : names)
        {
            final Integer count = supportedProtocols.get(name);
            if (null != count)
            {
                if (count <= 1)
                {
                    supportedProtocols.remove(name);
                }
                else
                {
                    supportedProtocols.put(name, count - 1);
                }
            }
        }
    }

    public String toString()
    {
        return "ClassicGroup{id=" + groupId + ", state=" + state.kafkaName() + ", generation=" + generationId +
            ", protocolType=" + protocolType + ", protocol=" + protocolName + ", leader=" + leaderId +
            ", members=" + members.keySet() + ", pending=" + pendingMembers.keySet() + '}';
    }
}
