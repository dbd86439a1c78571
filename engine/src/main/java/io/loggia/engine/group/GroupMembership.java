package io.loggia.engine.group;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.loggia.engine.group.GroupErrors.COORDINATOR_NOT_AVAILABLE;
import static io.loggia.engine.group.GroupErrors.FENCED_INSTANCE_ID;
import static io.loggia.engine.group.GroupErrors.GROUP_MAX_SIZE_REACHED;
import static io.loggia.engine.group.GroupErrors.ILLEGAL_GENERATION;
import static io.loggia.engine.group.GroupErrors.INCONSISTENT_GROUP_PROTOCOL;
import static io.loggia.engine.group.GroupErrors.INVALID_GROUP_ID;
import static io.loggia.engine.group.GroupErrors.INVALID_SESSION_TIMEOUT;
import static io.loggia.engine.group.GroupErrors.MEMBER_ID_REQUIRED;
import static io.loggia.engine.group.GroupErrors.NONE;
import static io.loggia.engine.group.GroupErrors.REBALANCE_IN_PROGRESS;
import static io.loggia.engine.group.GroupErrors.UNKNOWN_MEMBER_ID;
import static io.loggia.engine.group.GroupState.COMPLETING_REBALANCE;
import static io.loggia.engine.group.GroupState.DEAD;
import static io.loggia.engine.group.GroupState.EMPTY;
import static io.loggia.engine.group.GroupState.PREPARING_REBALANCE;
import static io.loggia.engine.group.GroupState.STABLE;

/**
 * The classic rebalance protocol: JoinGroup, SyncGroup, Heartbeat, LeaveGroup and the deadlines that drive a
 * group without requests (session, join and sync timeouts), with Kafka's semantics:
 * <ul>
 *     <li>A member without an id gets MEMBER_ID_REQUIRED and an id at v4+ (KIP-394) and is pending until it
 *     joins with it (or its session times out).</li>
 *     <li>Any change of membership or metadata moves the group to PreparingRebalance. The join completes when
 *     every member rejoined, or at the rebalance timeout (the members' longest), dropping dynamic members that
 *     did not; an empty group's first rebalance instead waits group.initial.rebalance.delay.ms, extended while
 *     new members keep arriving, up to the rebalance timeout.</li>
 *     <li>Join completion starts the next generation with the protocol the members vote for; the leader
 *     receives every member's metadata; CompletingRebalance waits for the leader's SyncGroup, whose assignment
 *     is stored in {@code __consumer_offsets} before every member gets its own and the group is Stable.
 *     Members that send no SyncGroup within the rebalance timeout are removed.</li>
 *     <li>A member that stops heartbeating for its session timeout is removed and the group rebalances;
 *     members waiting in a JoinGroup or SyncGroup are exempt (the rebalance deadlines cover them), new members
 *     are dropped after 5 minutes.</li>
 *     <li>A static member (group.instance.id, KIP-345) that comes back with a new member id takes over its old
 *     identity without a rebalance when the group is Stable and its protocols keep the chosen one: the change
 *     is stored, it gets the current assignment back at SyncGroup, and the old id is fenced
 *     (FENCED_INSTANCE_ID).</li>
 * </ul>
 * Called only from the coordinator thread.
 */
final class GroupMembership
{
    /** The shortest wait for static members that did not rejoin before the join is tried again. */
    static final int STATIC_REJOIN_WAIT_MIN_MS = 1_000;

    private static final System.Logger LOG = System.getLogger(GroupMembership.class.getName());

    private final GroupConfig config;
    private final GroupRegistry registry;
    private final GroupTimers timers;
    private final GroupResponder responder;
    private final OffsetsWriter writer;

    GroupMembership(
        final GroupConfig config,
        final GroupRegistry registry,
        final GroupTimers timers,
        final GroupResponder responder,
        final OffsetsWriter writer)
    {
        this.config = config;
        this.registry = registry;
        this.timers = timers;
        this.responder = responder;
        this.writer = writer;
    }

    // ---------------------------------------------------------------------------------------------------------
    // JoinGroup
    // ---------------------------------------------------------------------------------------------------------

    void onJoin(final JoinGroupOp op, final long nowMs)
    {
        if (!GroupRegistry.isValidGroupId(op.groupId, false))
        {
            fail(op, INVALID_GROUP_ID);
            return;
        }
        final short availability = registry.availability(op.groupId);
        if (availability != NONE)
        {
            fail(op, availability);
            return;
        }
        if (op.sessionTimeoutMs < config.minSessionTimeoutMs() || op.sessionTimeoutMs > config.maxSessionTimeoutMs())
        {
            fail(op, INVALID_SESSION_TIMEOUT);
            return;
        }
        final boolean unknownMember = op.memberId.isEmpty();
        ClassicGroup group = registry.get(op.groupId);
        if (null == group)
        {
            if (!unknownMember)
            {
                fail(op, UNKNOWN_MEMBER_ID);
                return;
            }
            group = registry.create(op.groupId, nowMs);
        }

        if (!acceptJoiningMember(group, op.memberId))
        {
            final GroupMember existing = group.get(op.memberId);
            if (null != existing)
            {
                dropMember(group, existing);
            }
            op.fail(GROUP_MAX_SIZE_REACHED);
            op.responseMemberId = "";
            responder.respond(op);
        }
        else if (unknownMember)
        {
            doNewMemberJoin(group, op, nowMs);
        }
        else
        {
            doCurrentMemberJoin(group, op, nowMs);
        }

        if (group.is(PREPARING_REBALANCE))
        {
            tryCompleteJoin(group, nowMs);
        }
    }

    private boolean acceptJoiningMember(final ClassicGroup group, final String memberId)
    {
        switch (group.state)
        {
            case EMPTY:
            case DEAD:
                return true;
            case PREPARING_REBALANCE:
            {
                final GroupMember member = group.get(memberId);
                return (null != member && member.isAwaitingJoin()) || group.numMembersAwaitingJoin < config.maxSize();
            }
            default:
                return group.has(memberId) || group.size() < config.maxSize();
        }
    }

    private void doNewMemberJoin(final ClassicGroup group, final JoinGroupOp op, final long nowMs)
    {
        if (group.is(DEAD))
        {
            fail(op, COORDINATOR_NOT_AVAILABLE);
            return;
        }
        if (!group.supportsProtocols(op.protocolType, op.protocolNames))
        {
            fail(op, INCONSISTENT_GROUP_PROTOCOL);
            return;
        }
        final String newMemberId = (null != op.groupInstanceId ? op.groupInstanceId : op.clientId) + '-' +
            UUID.randomUUID();
        if (null != op.groupInstanceId)
        {
            final String existing = group.staticMemberId(op.groupInstanceId);
            if (null != existing)
            {
                updateStaticMemberAndRebalance(group, op, existing, newMemberId, nowMs);
            }
            else
            {
                addMemberAndRebalance(group, op, newMemberId, nowMs);
            }
        }
        else if (op.requireKnownMemberId)
        {
            addPendingMember(group, newMemberId, op.sessionTimeoutMs, nowMs);
            op.fail(MEMBER_ID_REQUIRED);
            op.responseMemberId = newMemberId;
            responder.respond(op);
        }
        else
        {
            addMemberAndRebalance(group, op, newMemberId, nowMs);
        }
    }

    private void doCurrentMemberJoin(final ClassicGroup group, final JoinGroupOp op, final long nowMs)
    {
        if (group.is(DEAD))
        {
            fail(op, COORDINATOR_NOT_AVAILABLE);
            return;
        }
        if (!group.supportsProtocols(op.protocolType, op.protocolNames))
        {
            fail(op, INCONSISTENT_GROUP_PROTOCOL);
            return;
        }
        final String memberId = op.memberId;
        if (group.isPendingMember(memberId))
        {
            removePendingMember(group, memberId);
            if (null != op.groupInstanceId)
            {
                // pending ids are only handed to dynamic members; a static one here is a confused client
                fail(op, UNKNOWN_MEMBER_ID);
                return;
            }
            addMemberAndRebalance(group, op, memberId, nowMs);
            return;
        }
        final short error = validateCurrentMember(group, memberId, op.groupInstanceId);
        if (error != NONE)
        {
            fail(op, error);
            return;
        }
        final GroupMember member = group.get(memberId);
        switch (group.state)
        {
            case PREPARING_REBALANCE:
                updateMemberAndRebalance(group, member, op, nowMs, "member " + memberId + " rejoined" + clientReason(op));
                break;
            case COMPLETING_REBALANCE:
                if (member.matches(op.protocolNames, op.protocolMetadata))
                {
                    // a retry of a JoinGroup whose answer was lost: the current generation again
                    completeJoinOp(group, member, op, group.isLeader(memberId), false, group.leaderId);
                }
                else
                {
                    updateMemberAndRebalance(group, member, op, nowMs,
                        "member " + memberId + " changed its metadata during CompletingRebalance" + clientReason(op));
                }
                break;
            case STABLE:
                if (group.isLeader(memberId) || !member.matches(op.protocolNames, op.protocolMetadata))
                {
                    updateMemberAndRebalance(group, member, op, nowMs,
                        (group.isLeader(memberId) ? "leader " : "member ") + memberId + " rejoined a stable group" +
                        clientReason(op));
                }
                else
                {
                    completeJoinOp(group, member, op, false, false, group.leaderId);
                }
                break;
            default:
                fail(op, UNKNOWN_MEMBER_ID);
                break;
        }
    }

    private void addMemberAndRebalance(
        final ClassicGroup group, final JoinGroupOp op, final String memberId, final long nowMs)
    {
        final GroupMember member = new GroupMember(
            memberId,
            op.groupInstanceId,
            op.clientId,
            op.clientHost,
            op.rebalanceTimeoutMs,
            op.sessionTimeoutMs,
            op.protocolType,
            op.protocolNames,
            op.protocolMetadata);
        member.isNew = true;
        member.sessionTimer = new SessionTimer(group, member);
        if (group.is(PREPARING_REBALANCE) && 0 == group.generationId)
        {
            group.newMemberAdded = true;
        }
        group.add(member, op);
        // a new member cannot heartbeat before its join completes: this bounds a member whose client left
        timers.schedule(member.sessionTimer, nowMs + GroupConfig.NEW_MEMBER_JOIN_TIMEOUT_MS);
        maybePrepareRebalance(group, nowMs, "new member " + memberId + " joined" + clientReason(op));
    }

    private void updateMemberAndRebalance(
        final ClassicGroup group, final GroupMember member, final JoinGroupOp op, final long nowMs, final String reason)
    {
        final JoinGroupOp previous = member.awaitingJoin;
        if (null != previous && previous != op)
        {
            // an older JoinGroup of the same member, superseded: answer it so its connection is not held
            previous.fail(REBALANCE_IN_PROGRESS);
            responder.respond(previous);
        }
        group.updateMember(
            member, op.protocolNames, op.protocolMetadata, op.rebalanceTimeoutMs, op.sessionTimeoutMs, op);
        maybePrepareRebalance(group, nowMs, reason);
    }

    private void updateStaticMemberAndRebalance(
        final ClassicGroup group, final JoinGroupOp op, final String oldMemberId, final String newMemberId,
        final long nowMs)
    {
        final String previousLeader = group.leaderId;
        final GroupMember member = group.get(oldMemberId);
        fenceOldIncarnation(group, member);
        group.replaceStaticMember(op.groupInstanceId, oldMemberId, newMemberId);
        scheduleSession(member, nowMs);

        final StaticRejoin rejoin = new StaticRejoin(group, member, op, oldMemberId, previousLeader);
        group.updateMember(
            member, op.protocolNames, op.protocolMetadata, op.rebalanceTimeoutMs, op.sessionTimeoutMs, op);

        switch (group.state)
        {
            case STABLE:
                if (null != group.protocolName && group.protocolName.equals(group.selectProtocol()))
                {
                    LOG.log(System.Logger.Level.INFO, "static member {0} of group {1} rejoined as {2} without " +
                        "a rebalance", op.groupInstanceId, group.groupId, newMemberId);
                    storeGroup(group, null, rejoin, nowMs);
                }
                else
                {
                    maybePrepareRebalance(group, nowMs, "static member " + op.groupInstanceId +
                        " rejoined with protocols that change the group's choice");
                }
                break;
            case COMPLETING_REBALANCE:
                maybePrepareRebalance(group, nowMs, "static member " + op.groupInstanceId +
                    " rejoined during CompletingRebalance");
                break;
            default:
                break;
        }
    }

    private void fenceOldIncarnation(final ClassicGroup group, final GroupMember member)
    {
        final JoinGroupOp join = group.takeAwaitingJoin(member);
        if (null != join)
        {
            fail(join, FENCED_INSTANCE_ID);
        }
        final SyncGroupOp sync = ClassicGroup.takeAwaitingSync(member);
        if (null != sync)
        {
            fail(sync, FENCED_INSTANCE_ID);
        }
    }

    /** The member gets the current generation, leader and (when {@code withMembers}) every member's metadata. */
    private void completeJoinOp(
        final ClassicGroup group,
        final GroupMember member,
        final JoinGroupOp op,
        final boolean withMembers,
        final boolean skipAssignment,
        final String leaderId)
    {
        op.errorCode = NONE;
        op.responseMemberId = member.memberId;
        op.generationId = group.generationId;
        op.responseProtocolType = group.protocolType;
        op.protocolName = group.protocolName;
        op.leaderId = null == leaderId ? "" : leaderId;
        op.skipAssignment = skipAssignment;
        op.members = withMembers ? group.currentMemberMetadata() : List.of();
        responder.respond(op);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Rebalance
    // ---------------------------------------------------------------------------------------------------------

    void maybePrepareRebalance(final ClassicGroup group, final long nowMs, final String reason)
    {
        if (group.canRebalance())
        {
            prepareRebalance(group, nowMs, reason);
        }
    }

    private void prepareRebalance(final ClassicGroup group, final long nowMs, final String reason)
    {
        if (group.is(COMPLETING_REBALANCE))
        {
            resetAndPropagateAssignmentError(group, REBALANCE_IN_PROGRESS, nowMs);
        }
        cancel(group.syncTimer);
        final boolean wasEmpty = group.is(EMPTY);
        group.transitionTo(PREPARING_REBALANCE, nowMs);
        LOG.log(System.Logger.Level.INFO, "preparing to rebalance group {0} (generation {1}): {2}",
            group.groupId, group.generationId, reason);
        if (null == group.joinTimer)
        {
            group.joinTimer = new JoinTimer(group);
        }
        if (wasEmpty)
        {
            final int delay = config.initialRebalanceDelayMs();
            group.initialJoin = true;
            group.joinDelayMs = delay;
            group.joinRemainingMs = Math.max(group.rebalanceTimeoutMs() - delay, 0);
            timers.schedule(group.joinTimer, nowMs + delay);
        }
        else
        {
            group.initialJoin = false;
            timers.schedule(group.joinTimer, nowMs + group.rebalanceTimeoutMs());
            tryCompleteJoin(group, nowMs);
        }
    }

    private void tryCompleteJoin(final ClassicGroup group, final long nowMs)
    {
        if (group.is(PREPARING_REBALANCE) && !group.initialJoin && group.hasAllMembersJoined())
        {
            completeJoin(group, nowMs);
        }
    }

    void onJoinDeadline(final ClassicGroup group, final long nowMs)
    {
        if (!group.is(PREPARING_REBALANCE))
        {
            return;
        }
        if (group.initialJoin && group.newMemberAdded && 0 != group.joinRemainingMs)
        {
            group.newMemberAdded = false;
            final long delay = Math.min(config.initialRebalanceDelayMs(), group.joinRemainingMs);
            group.joinRemainingMs = Math.max(group.joinRemainingMs - group.joinDelayMs, 0);
            group.joinDelayMs = delay;
            timers.schedule(group.joinTimer, nowMs + delay);
            return;
        }
        completeJoin(group, nowMs);
    }

    private void completeJoin(final ClassicGroup group, final long nowMs)
    {
        cancel(group.joinTimer);
        group.initialJoin = false;
        for (final GroupMember member : new ArrayList<>(group.members.values()))
        {
            if (!member.isAwaitingJoin() && !member.isStatic())
            {
                LOG.log(System.Logger.Level.INFO, "member {0} of group {1} did not rejoin in time, removed",
                    member.memberId, group.groupId);
                dropMember(group, member);
            }
        }
        if (!group.maybeElectNewJoinedLeader() && !group.members.isEmpty())
        {
            // only static members that did not rejoin are left: wait for them once more (or their sessions); at
            // least a second, or a rebalance timeout of 0 re-arms this wait on every duty cycle until they expire
            timers.schedule(group.joinTimer, nowMs + Math.max(group.rebalanceTimeoutMs(), STATIC_REJOIN_WAIT_MIN_MS));
            return;
        }
        group.initNextGeneration(nowMs);
        if (group.is(EMPTY))
        {
            LOG.log(System.Logger.Level.INFO, "group {0} is empty at generation {1}", group.groupId,
                group.generationId);
            storeGroup(group, null, new EmptyGroupStored(group), nowMs);
            return;
        }
        LOG.log(System.Logger.Level.INFO, "group {0} at generation {1} with {2} members, protocol {3}, leader {4}",
            group.groupId, group.generationId, group.size(), group.protocolName, group.leaderId);
        for (final GroupMember member : group.members.values())
        {
            final JoinGroupOp join = group.takeAwaitingJoin(member);
            if (null != join)
            {
                completeJoinOp(group, member, join, group.isLeader(member.memberId), false, group.leaderId);
            }
            scheduleSession(member, nowMs);
            member.isNew = false;
        }
        if (null == group.syncTimer)
        {
            group.syncTimer = new SyncTimer(group);
        }
        timers.schedule(group.syncTimer, nowMs + group.rebalanceTimeoutMs());
    }

    void onSyncDeadline(final ClassicGroup group, final long nowMs)
    {
        if (!(group.is(COMPLETING_REBALANCE) || group.is(STABLE)) || group.pendingSyncMembers.isEmpty())
        {
            return;
        }
        final List<String> missing = new ArrayList<>(group.pendingSyncMembers);
        for (final String memberId : missing)
        {
            final GroupMember member = group.get(memberId);
            if (null != member)
            {
                dropMember(group, member);
            }
        }
        prepareRebalance(group, nowMs, "members " + missing + " sent no SyncGroup within the rebalance timeout");
    }

    // ---------------------------------------------------------------------------------------------------------
    // SyncGroup
    // ---------------------------------------------------------------------------------------------------------

    void onSync(final SyncGroupOp op, final long nowMs)
    {
        if (!GroupRegistry.isValidGroupId(op.groupId, false))
        {
            fail(op, INVALID_GROUP_ID);
            return;
        }
        final short availability = registry.availability(op.groupId);
        if (availability != NONE)
        {
            fail(op, availability);
            return;
        }
        final ClassicGroup group = registry.get(op.groupId);
        if (null == group)
        {
            fail(op, UNKNOWN_MEMBER_ID);
            return;
        }
        if (group.is(DEAD))
        {
            fail(op, COORDINATOR_NOT_AVAILABLE);
            return;
        }
        final short error = validateCurrentMember(group, op.memberId, op.groupInstanceId);
        if (error != NONE)
        {
            fail(op, error);
            return;
        }
        if (op.generationId != group.generationId)
        {
            fail(op, ILLEGAL_GENERATION);
            return;
        }
        if ((null != op.protocolType && !op.protocolType.equals(group.protocolType)) ||
            (null != op.protocolName && !op.protocolName.equals(group.protocolName)))
        {
            fail(op, INCONSISTENT_GROUP_PROTOCOL);
            return;
        }
        final GroupMember member = group.get(op.memberId);
        switch (group.state)
        {
            case EMPTY:
                fail(op, UNKNOWN_MEMBER_ID);
                break;
            case PREPARING_REBALANCE:
                fail(op, REBALANCE_IN_PROGRESS);
                break;
            case COMPLETING_REBALANCE:
            {
                final SyncGroupOp previous = ClassicGroup.takeAwaitingSync(member);
                if (null != previous)
                {
                    fail(previous, REBALANCE_IN_PROGRESS);
                }
                member.awaitingSync = op;
                scheduleSession(member, nowMs);
                removePendingSyncMember(group, op.memberId);
                if (group.isLeader(op.memberId))
                {
                    final Map<String, byte[]> assignment = new HashMap<>();
                    for (int i = 0; i < op.assignmentMemberIds.length; i++)
                    {
                        assignment.put(op.assignmentMemberIds[i], op.assignments[i]);
                    }
                    LOG.log(System.Logger.Level.INFO, "assignment from leader {0} of group {1} for generation " +
                        "{2}: {3} members", op.memberId, group.groupId, group.generationId, group.size());
                    storeGroup(group, assignment, new AssignmentStored(group, group.generationId, assignment), nowMs);
                }
                break;
            }
            case STABLE:
                scheduleSession(member, nowMs);
                removePendingSyncMember(group, op.memberId);
                op.errorCode = NONE;
                op.responseProtocolType = group.protocolType;
                op.responseProtocolName = group.protocolName;
                op.assignment = member.assignment;
                responder.respond(op);
                break;
            default:
                fail(op, COORDINATOR_NOT_AVAILABLE);
                break;
        }
    }

    private void removePendingSyncMember(final ClassicGroup group, final String memberId)
    {
        group.pendingSyncMembers.remove(memberId);
        if (group.pendingSyncMembers.isEmpty())
        {
            cancel(group.syncTimer);
        }
    }

    private void setAndPropagateAssignment(
        final ClassicGroup group, final Map<String, byte[]> assignment, final long nowMs)
    {
        for (final GroupMember member : group.members.values())
        {
            final byte[] bytes = assignment.get(member.memberId);
            member.assignment = null == bytes ? GroupMember.NO_BYTES : bytes;
        }
        propagateAssignment(group, NONE, nowMs);
    }

    private void resetAndPropagateAssignmentError(final ClassicGroup group, final short error, final long nowMs)
    {
        for (final GroupMember member : group.members.values())
        {
            member.assignment = GroupMember.NO_BYTES;
        }
        propagateAssignment(group, error, nowMs);
    }

    private void propagateAssignment(final ClassicGroup group, final short error, final long nowMs)
    {
        for (final GroupMember member : group.members.values())
        {
            final SyncGroupOp sync = ClassicGroup.takeAwaitingSync(member);
            if (null == sync)
            {
                continue;
            }
            if (error == NONE)
            {
                sync.errorCode = NONE;
                sync.responseProtocolType = group.protocolType;
                sync.responseProtocolName = group.protocolName;
                sync.assignment = member.assignment;
                responder.respond(sync);
            }
            else
            {
                fail(sync, error);
            }
            // a session that expired while the member waited was ignored: expect the next heartbeat from now
            scheduleSession(member, nowMs);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Heartbeat and LeaveGroup
    // ---------------------------------------------------------------------------------------------------------

    void onHeartbeat(final HeartbeatOp op, final long nowMs)
    {
        if (!GroupRegistry.isValidGroupId(op.groupId, false))
        {
            fail(op, INVALID_GROUP_ID);
            return;
        }
        final short availability = registry.availability(op.groupId);
        if (availability != NONE)
        {
            fail(op, availability);
            return;
        }
        final ClassicGroup group = registry.get(op.groupId);
        if (null == group)
        {
            fail(op, UNKNOWN_MEMBER_ID);
            return;
        }
        if (group.is(DEAD))
        {
            fail(op, COORDINATOR_NOT_AVAILABLE);
            return;
        }
        final short error = validateCurrentMember(group, op.memberId, op.groupInstanceId);
        if (error != NONE)
        {
            fail(op, error);
            return;
        }
        if (op.generationId != group.generationId)
        {
            fail(op, ILLEGAL_GENERATION);
            return;
        }
        switch (group.state)
        {
            case COMPLETING_REBALANCE:
            case STABLE:
                scheduleSession(group.get(op.memberId), nowMs);
                fail(op, NONE);
                break;
            case PREPARING_REBALANCE:
                scheduleSession(group.get(op.memberId), nowMs);
                fail(op, REBALANCE_IN_PROGRESS);
                break;
            default:
                fail(op, UNKNOWN_MEMBER_ID);
                break;
        }
    }

    void onLeave(final LeaveGroupOp op, final long nowMs)
    {
        if (!GroupRegistry.isValidGroupId(op.groupId, false))
        {
            fail(op, INVALID_GROUP_ID);
            return;
        }
        final short availability = registry.availability(op.groupId);
        if (availability != NONE)
        {
            fail(op, availability);
            return;
        }
        final ClassicGroup group = registry.get(op.groupId);
        if (null == group)
        {
            for (final LeaveGroupOp.Member leaving : op.members)
            {
                leaving.errorCode = UNKNOWN_MEMBER_ID;
            }
            responder.respond(op);
            return;
        }
        if (group.is(DEAD))
        {
            fail(op, COORDINATOR_NOT_AVAILABLE);
            return;
        }
        for (final LeaveGroupOp.Member leaving : op.members)
        {
            leaving.errorCode = leave(group, leaving, nowMs);
        }
        op.errorCode = NONE;
        responder.respond(op);
    }

    private short leave(final ClassicGroup group, final LeaveGroupOp.Member leaving, final long nowMs)
    {
        final String memberId = null == leaving.memberId ? "" : leaving.memberId;
        final String reason = "member " + (memberId.isEmpty() ? leaving.groupInstanceId : memberId) + " left" +
            (null == leaving.reason ? "" : ": " + leaving.reason);
        if (memberId.isEmpty())
        {
            // an administrator removing a static member by instance id
            final String current = group.staticMemberId(leaving.groupInstanceId);
            if (null == current)
            {
                return UNKNOWN_MEMBER_ID;
            }
            removeMemberAndUpdateGroup(group, group.get(current), nowMs, reason);
            return NONE;
        }
        if (group.isPendingMember(memberId))
        {
            removePendingMember(group, memberId);
            return NONE;
        }
        final short error = validateCurrentMember(group, memberId, leaving.groupInstanceId);
        if (error == NONE)
        {
            removeMemberAndUpdateGroup(group, group.get(memberId), nowMs, reason);
        }
        return error;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Members, sessions and pending members
    // ---------------------------------------------------------------------------------------------------------

    /** FENCED_INSTANCE_ID for an older incarnation of a static member, UNKNOWN_MEMBER_ID for a stranger. */
    static short validateCurrentMember(final ClassicGroup group, final String memberId, final String groupInstanceId)
    {
        if (group.isStaticMemberFenced(groupInstanceId, memberId))
        {
            return FENCED_INSTANCE_ID;
        }
        if (!group.has(memberId))
        {
            return UNKNOWN_MEMBER_ID;
        }
        return NONE;
    }

    /** The member is alive: its session restarts now. */
    void scheduleSession(final GroupMember member, final long nowMs)
    {
        timers.schedule(member.sessionTimer, nowMs + member.sessionTimeoutMs);
    }

    void onSessionExpired(final ClassicGroup group, final GroupMember member, final long nowMs)
    {
        if (group.is(DEAD) || group.get(member.memberId) != member)
        {
            return;
        }
        if (!member.isNew && (member.isAwaitingJoin() || member.isAwaitingSync()))
        {
            // waiting in a rebalance counts as alive; the rebalance deadlines cover it
            return;
        }
        LOG.log(System.Logger.Level.INFO, "member {0} of group {1} timed out (session {2} ms), removed",
            member.memberId, group.groupId, member.isNew ? GroupConfig.NEW_MEMBER_JOIN_TIMEOUT_MS :
            member.sessionTimeoutMs);
        removeMemberAndUpdateGroup(group, member, nowMs, "member " + member.memberId + " timed out");
    }

    private void removeMemberAndUpdateGroup(
        final ClassicGroup group, final GroupMember member, final long nowMs, final String reason)
    {
        dropMember(group, member);
        switch (group.state)
        {
            case STABLE:
            case COMPLETING_REBALANCE:
                maybePrepareRebalance(group, nowMs, reason);
                break;
            case PREPARING_REBALANCE:
                tryCompleteJoin(group, nowMs);
                break;
            default:
                break;
        }
    }

    /** Removes a member without starting a rebalance; its waiting requests get UNKNOWN_MEMBER_ID. */
    private void dropMember(final ClassicGroup group, final GroupMember member)
    {
        final JoinGroupOp join = group.takeAwaitingJoin(member);
        if (null != join)
        {
            join.fail(UNKNOWN_MEMBER_ID);
            join.responseMemberId = "";
            responder.respond(join);
        }
        final SyncGroupOp sync = ClassicGroup.takeAwaitingSync(member);
        if (null != sync)
        {
            fail(sync, UNKNOWN_MEMBER_ID);
        }
        group.remove(member.memberId);
        cancel(member.sessionTimer);
    }

    private void addPendingMember(final ClassicGroup group, final String memberId, final int sessionTimeoutMs,
        final long nowMs)
    {
        final PendingMemberTimer timer = new PendingMemberTimer(group, memberId);
        group.pendingMembers.put(memberId, timer);
        timers.schedule(timer, nowMs + sessionTimeoutMs);
    }

    private void removePendingMember(final ClassicGroup group, final String memberId)
    {
        final GroupTimers.Timer timer = group.pendingMembers.remove(memberId);
        cancel(timer);
    }

    void onPendingMemberExpired(final ClassicGroup group, final String memberId, final long nowMs)
    {
        if (null != group.pendingMembers.remove(memberId))
        {
            LOG.log(System.Logger.Level.DEBUG, "pending member {0} of group {1} never joined, forgotten",
                memberId, group.groupId);
            if (group.is(PREPARING_REBALANCE))
            {
                tryCompleteJoin(group, nowMs);
            }
        }
    }

    /** A group rebuilt at load time: its members must heartbeat within their sessions from now. */
    void onGroupLoaded(final ClassicGroup group, final long nowMs)
    {
        for (final GroupMember member : group.members.values())
        {
            member.sessionTimer = new SessionTimer(group, member);
            scheduleSession(member, nowMs);
        }
    }

    /** Cancels every timer of a group that is going away, and answers what its members wait on. */
    void onGroupRemoved(final ClassicGroup group, final short error)
    {
        cancel(group.joinTimer);
        cancel(group.syncTimer);
        for (final GroupTimers.Timer timer : group.pendingMembers.values())
        {
            cancel(timer);
        }
        group.pendingMembers.clear();
        for (final GroupMember member : group.members.values())
        {
            cancel(member.sessionTimer);
            final JoinGroupOp join = group.takeAwaitingJoin(member);
            if (null != join)
            {
                fail(join, error);
            }
            final SyncGroupOp sync = ClassicGroup.takeAwaitingSync(member);
            if (null != sync)
            {
                fail(sync, error);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Storing the group
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Writes the group's GroupMetadata record: members with their metadata for the chosen protocol and their
     * assignment ({@code assignment} when given, else what each member holds).
     */
    private void storeGroup(
        final ClassicGroup group, final Map<String, byte[]> assignment, final OffsetsWriter.Append append,
        final long nowMs)
    {
        final GroupMetadataValue value = new GroupMetadataValue();
        value.protocolType = null == group.protocolType ? "" : group.protocolType;
        value.generation = group.generationId;
        value.protocol = group.protocolName;
        value.leader = group.leaderId;
        value.currentStateTimestamp = group.currentStateTimestamp;
        for (final GroupMember member : group.members.values())
        {
            final byte[] subscription = member.metadata(group.protocolName);
            final byte[] memberAssignment = null == assignment ? member.assignment : assignment.get(member.memberId);
            value.members.add(new GroupMetadataValue.Member(
                member.memberId,
                member.groupInstanceId,
                member.clientId,
                member.clientHost,
                member.rebalanceTimeoutMs,
                member.sessionTimeoutMs,
                null == subscription ? GroupMember.NO_BYTES : subscription,
                null == memberAssignment ? GroupMember.NO_BYTES : memberAssignment));
        }
        writer.begin(group.partition, nowMs);
        writer.groupMetadata(group.groupId, value);
        writer.submit(append);
    }

    /** The leader's assignment is stored: members get theirs and the group is Stable, unless it moved on. */
    private final class AssignmentStored extends OffsetsWriter.Append
    {
        private final ClassicGroup group;
        private final int generationId;
        private final Map<String, byte[]> assignment;

        AssignmentStored(final ClassicGroup group, final int generationId, final Map<String, byte[]> assignment)
        {
            this.group = group;
            this.generationId = generationId;
            this.assignment = assignment;
        }

        void onComplete(final short errorCode, final long nowMs)
        {
            if (!group.is(COMPLETING_REBALANCE) || generationId != group.generationId)
            {
                return;
            }
            if (errorCode != NONE)
            {
                LOG.log(System.Logger.Level.WARNING, "storing the assignment of group {0} failed: {1}",
                    group.groupId, GroupErrors.name(errorCode));
                resetAndPropagateAssignmentError(group, GroupErrors.forFailedGroupWrite(errorCode), nowMs);
                maybePrepareRebalance(group, nowMs, "storing the assignment failed");
                return;
            }
            setAndPropagateAssignment(group, assignment, nowMs);
            group.transitionTo(STABLE, nowMs);
        }
    }

    /** An empty group's new generation is stored; nobody waits for it. */
    private static final class EmptyGroupStored extends OffsetsWriter.Append
    {
        private final ClassicGroup group;

        EmptyGroupStored(final ClassicGroup group)
        {
            this.group = group;
        }

        void onComplete(final short errorCode, final long nowMs)
        {
            if (errorCode != NONE)
            {
                // safe: a restart would bring back the previous generation, which has no live members
                LOG.log(System.Logger.Level.WARNING, "storing empty group {0} failed: {1}", group.groupId,
                    GroupErrors.name(errorCode));
            }
        }
    }

    /** A static member's new id is stored: it gets the current generation, or the takeover is undone. */
    private final class StaticRejoin extends OffsetsWriter.Append
    {
        private final ClassicGroup group;
        private final GroupMember member;
        private final JoinGroupOp op;
        private final String oldMemberId;
        private final String newMemberId;
        private final String previousLeader;
        private final String[] oldProtocolNames;
        private final byte[][] oldProtocolMetadata;
        private final int oldRebalanceTimeoutMs;
        private final int oldSessionTimeoutMs;

        StaticRejoin(
            final ClassicGroup group,
            final GroupMember member,
            final JoinGroupOp op,
            final String oldMemberId,
            final String previousLeader)
        {
            this.group = group;
            this.member = member;
            this.op = op;
            this.oldMemberId = oldMemberId;
            this.newMemberId = member.memberId;
            this.previousLeader = previousLeader;
            this.oldProtocolNames = member.protocolNames;
            this.oldProtocolMetadata = member.protocolMetadata;
            this.oldRebalanceTimeoutMs = member.rebalanceTimeoutMs;
            this.oldSessionTimeoutMs = member.sessionTimeoutMs;
        }

        void onComplete(final short errorCode, final long nowMs)
        {
            if (member.awaitingJoin != op)
            {
                return;
            }
            if (errorCode != NONE)
            {
                LOG.log(System.Logger.Level.WARNING, "storing static member {0} of group {1} failed: {2}",
                    member.groupInstanceId, group.groupId, GroupErrors.name(errorCode));
                group.updateMember(member, oldProtocolNames, oldProtocolMetadata, oldRebalanceTimeoutMs,
                    oldSessionTimeoutMs, null);
                if (group.has(newMemberId))
                {
                    group.replaceStaticMember(member.groupInstanceId, newMemberId, oldMemberId);
                }
                scheduleSession(member, nowMs);
                op.fail(GroupErrors.forFailedGroupWrite(errorCode));
                op.responseMemberId = "";
                op.generationId = group.generationId;
                op.responseProtocolType = group.protocolType;
                op.protocolName = group.protocolName;
                op.leaderId = null == previousLeader ? "" : previousLeader;
                responder.respond(op);
                return;
            }
            group.takeAwaitingJoin(member);
            if (op.supportsSkipAssignment)
            {
                // v9+: the leader learns it leads but must not assign: the group stays as it is (KIP-814)
                final boolean leader = group.isLeader(member.memberId);
                completeJoinOp(group, member, op, leader, leader, group.leaderId);
            }
            else
            {
                // older clients: name the previous leader so a rejoined leader does not assign to a stable group
                completeJoinOp(group, member, op, false, false, previousLeader);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Timers
    // ---------------------------------------------------------------------------------------------------------

    private void cancel(final GroupTimers.Timer timer)
    {
        if (null != timer)
        {
            timers.cancel(timer);
        }
    }

    private final class SessionTimer extends GroupTimers.Timer
    {
        private final ClassicGroup group;
        private final GroupMember member;

        SessionTimer(final ClassicGroup group, final GroupMember member)
        {
            this.group = group;
            this.member = member;
        }

        void onExpire(final long nowMs)
        {
            onSessionExpired(group, member, nowMs);
        }
    }

    private final class PendingMemberTimer extends GroupTimers.Timer
    {
        private final ClassicGroup group;
        private final String memberId;

        PendingMemberTimer(final ClassicGroup group, final String memberId)
        {
            this.group = group;
            this.memberId = memberId;
        }

        void onExpire(final long nowMs)
        {
            onPendingMemberExpired(group, memberId, nowMs);
        }
    }

    private final class JoinTimer extends GroupTimers.Timer
    {
        private final ClassicGroup group;

        JoinTimer(final ClassicGroup group)
        {
            this.group = group;
        }

        void onExpire(final long nowMs)
        {
            onJoinDeadline(group, nowMs);
        }
    }

    private final class SyncTimer extends GroupTimers.Timer
    {
        private final ClassicGroup group;

        SyncTimer(final ClassicGroup group)
        {
            this.group = group;
        }

        void onExpire(final long nowMs)
        {
            onSyncDeadline(group, nowMs);
        }
    }

    /** The reason the client gave for its JoinGroup (KIP-800, v8+), for the log; "" when none. */
    private static String clientReason(final JoinGroupOp op)
    {
        return null == op.reason || op.reason.isEmpty() ? "" : " (client: " + op.reason + ")";
    }

    private void fail(final GroupOp op, final short error)
    {
        op.fail(error);
        responder.respond(op);
    }
}
