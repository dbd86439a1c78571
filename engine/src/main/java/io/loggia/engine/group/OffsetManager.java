package io.loggia.engine.group;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.loggia.engine.group.GroupErrors.COORDINATOR_LOAD_IN_PROGRESS;
import static io.loggia.engine.group.GroupErrors.COORDINATOR_NOT_AVAILABLE;
import static io.loggia.engine.group.GroupErrors.GROUP_ID_NOT_FOUND;
import static io.loggia.engine.group.GroupErrors.GROUP_SUBSCRIBED_TO_TOPIC;
import static io.loggia.engine.group.GroupErrors.ILLEGAL_GENERATION;
import static io.loggia.engine.group.GroupErrors.INVALID_GROUP_ID;
import static io.loggia.engine.group.GroupErrors.NONE;
import static io.loggia.engine.group.GroupErrors.NON_EMPTY_GROUP;
import static io.loggia.engine.group.GroupErrors.OFFSET_METADATA_TOO_LARGE;
import static io.loggia.engine.group.GroupErrors.REBALANCE_IN_PROGRESS;
import static io.loggia.engine.group.GroupErrors.UNKNOWN_MEMBER_ID;
import static io.loggia.engine.group.GroupErrors.UNSTABLE_OFFSET_COMMIT;
import static io.loggia.engine.group.GroupState.COMPLETING_REBALANCE;
import static io.loggia.engine.group.GroupState.DEAD;
import static io.loggia.engine.group.GroupState.EMPTY;
import static io.loggia.engine.group.GroupState.PREPARING_REBALANCE;
import static io.loggia.engine.group.GroupState.STABLE;

/**
 * Committed offsets and the group-level admin requests: OffsetCommit (applied once its records are in the
 * log), OffsetFetch, ListGroups, DescribeGroups, DeleteGroups, OffsetDelete, and the periodic expiry of offsets
 * (offsets.retention.ms) and of groups left with nothing. Kafka's rules throughout; see docs/drafts/groups.md.
 * Called only from the coordinator thread.
 */
final class OffsetManager
{
    private static final System.Logger LOG = System.getLogger(OffsetManager.class.getName());

    private final GroupConfig config;
    private final GroupRegistry registry;
    private final GroupResponder responder;
    private final OffsetsWriter writer;
    private final GroupMembership membership;

    OffsetManager(
        final GroupConfig config,
        final GroupRegistry registry,
        final GroupResponder responder,
        final OffsetsWriter writer,
        final GroupMembership membership)
    {
        this.config = config;
        this.registry = registry;
        this.responder = responder;
        this.writer = writer;
        this.membership = membership;
    }

    // ---------------------------------------------------------------------------------------------------------
    // OffsetCommit
    // ---------------------------------------------------------------------------------------------------------

    void onCommit(final OffsetCommitOp op, final long nowMs)
    {
        if (!GroupRegistry.isValidGroupId(op.groupId, true))
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
        ClassicGroup group = registry.get(op.groupId);
        if (null == group)
        {
            if (op.generationId >= 0)
            {
                // a member of a generation this coordinator never had
                fail(op, ILLEGAL_GENERATION);
                return;
            }
            // a consumer outside group management that stores its offsets here
            group = registry.create(op.groupId, nowMs);
        }
        final short error = validateCommit(group, op);
        if (error != NONE)
        {
            fail(op, error);
            return;
        }
        switch (group.state)
        {
            case EMPTY:
                storeOffsets(group, op, nowMs);
                break;
            case STABLE:
            case PREPARING_REBALANCE:
            {
                // a commit during PreparingRebalance is still taken: the heartbeat tells the member to rejoin
                final GroupMember member = group.get(op.memberId);
                if (null != member)
                {
                    membership.scheduleSession(member, nowMs);
                }
                storeOffsets(group, op, nowMs);
                break;
            }
            case COMPLETING_REBALANCE:
                fail(op, REBALANCE_IN_PROGRESS);
                break;
            default:
                fail(op, COORDINATOR_NOT_AVAILABLE);
                break;
        }
    }

    private static short validateCommit(final ClassicGroup group, final OffsetCommitOp op)
    {
        if (group.is(DEAD))
        {
            return COORDINATOR_NOT_AVAILABLE;
        }
        final String memberId = null == op.memberId ? "" : op.memberId;
        if (op.generationId >= 0 || !memberId.isEmpty() || null != op.groupInstanceId)
        {
            final short error = GroupMembership.validateCurrentMember(group, memberId, op.groupInstanceId);
            if (error != NONE)
            {
                return error;
            }
            return op.generationId != group.generationId ? ILLEGAL_GENERATION : NONE;
        }
        // without member id and generation only an empty group takes commits
        return group.is(EMPTY) ? NONE : UNKNOWN_MEMBER_ID;
    }

    private void storeOffsets(final ClassicGroup group, final OffsetCommitOp op, final long nowMs)
    {
        final long expireTimestamp = op.retentionTimeMs >= 0 ?
            nowMs + op.retentionTimeMs : CommittedOffset.NO_EXPIRE_TIMESTAMP;
        final List<OffsetCommitOp.Partition> toStore = new ArrayList<>(op.partitions.size());
        final List<CommittedOffset> values = new ArrayList<>(op.partitions.size());
        for (final OffsetCommitOp.Partition partition : op.partitions)
        {
            if (partition.errorCode != NONE)
            {
                continue;
            }
            final String metadata = null == partition.metadata ? "" : partition.metadata;
            if (metadata.length() > config.offsetMetadataMaxBytes())
            {
                partition.errorCode = OFFSET_METADATA_TOO_LARGE;
                continue;
            }
            toStore.add(partition);
            values.add(new CommittedOffset(partition.offset, partition.leaderEpoch, metadata, nowMs, expireTimestamp));
        }
        if (toStore.isEmpty())
        {
            responder.respond(op);
            return;
        }
        writer.begin(group.partition, nowMs);
        for (int i = 0; i < toStore.size(); i++)
        {
            final OffsetCommitOp.Partition partition = toStore.get(i);
            group.offsets.addPending(partition.topic, partition.partition);
            writer.offsetCommit(group.groupId, partition.topic, partition.partition, values.get(i));
        }
        writer.submit(new OffsetsStored(group, op, toStore, values));
    }

    /** A commit's records are in the log (or failed): apply them and answer. */
    private final class OffsetsStored extends OffsetsWriter.Append
    {
        private final ClassicGroup group;
        private final OffsetCommitOp op;
        private final List<OffsetCommitOp.Partition> partitions;
        private final List<CommittedOffset> values;

        OffsetsStored(
            final ClassicGroup group,
            final OffsetCommitOp op,
            final List<OffsetCommitOp.Partition> partitions,
            final List<CommittedOffset> values)
        {
            this.group = group;
            this.op = op;
            this.partitions = partitions;
            this.values = values;
        }

        void onComplete(final short errorCode, final long nowMs)
        {
            final short error = GroupErrors.forFailedCommit(errorCode);
            for (int i = 0; i < partitions.size(); i++)
            {
                final OffsetCommitOp.Partition partition = partitions.get(i);
                group.offsets.removePending(partition.topic, partition.partition);
                if (error == NONE && !group.is(DEAD))
                {
                    group.offsets.put(partition.topic, partition.partition, values.get(i));
                }
                partition.errorCode = error;
            }
            if (error != NONE)
            {
                LOG.log(System.Logger.Level.WARNING, "storing offsets of group {0} failed: {1}", group.groupId,
                    GroupErrors.name(errorCode));
            }
            responder.respond(op);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // OffsetFetch
    // ---------------------------------------------------------------------------------------------------------

    void onFetch(final OffsetFetchOp op)
    {
        for (final OffsetFetchOp.Group requested : op.groups)
        {
            fetch(requested, op.requireStable);
        }
        responder.respond(op);
    }

    private void fetch(final OffsetFetchOp.Group requested, final boolean requireStable)
    {
        if (!GroupRegistry.isValidGroupId(requested.groupId, true))
        {
            requested.errorCode = INVALID_GROUP_ID;
            return;
        }
        final short availability = registry.availability(requested.groupId);
        if (availability != NONE)
        {
            requested.errorCode = availability;
            return;
        }
        requested.errorCode = NONE;
        final ClassicGroup group = registry.get(requested.groupId);
        final boolean known = null != group && !group.is(DEAD);
        if (null == requested.partitions)
        {
            final List<OffsetFetchOp.Partition> all = new ArrayList<>();
            if (known)
            {
                for (final GroupOffsets.Entry entry : group.offsets.entries())
                {
                    final OffsetFetchOp.Partition partition =
                        new OffsetFetchOp.Partition(entry.topic(), entry.partition());
                    fill(partition, entry.value());
                    all.add(partition);
                }
            }
            requested.partitions = all;
            return;
        }
        for (final OffsetFetchOp.Partition partition : requested.partitions)
        {
            if (partition.errorCode != NONE)
            {
                continue;
            }
            if (known && requireStable && group.offsets.hasPending(partition.topic, partition.partition))
            {
                partition.errorCode = UNSTABLE_OFFSET_COMMIT;
                partition.offset = -1;
                partition.leaderEpoch = -1;
                partition.metadata = "";
                continue;
            }
            fill(partition, known ? group.offsets.get(partition.topic, partition.partition) : null);
        }
    }

    private static void fill(final OffsetFetchOp.Partition partition, final CommittedOffset value)
    {
        if (null == value)
        {
            partition.offset = -1;
            partition.leaderEpoch = -1;
            partition.metadata = "";
        }
        else
        {
            partition.offset = value.offset();
            partition.leaderEpoch = value.leaderEpoch();
            partition.metadata = value.metadata();
        }
        partition.errorCode = NONE;
    }

    // ---------------------------------------------------------------------------------------------------------
    // ListGroups and DescribeGroups
    // ---------------------------------------------------------------------------------------------------------

    void onListGroups(final ListGroupsOp op)
    {
        op.errorCode = registry.partitions() > 0 && !registry.allLoaded() ? COORDINATOR_LOAD_IN_PROGRESS : NONE;
        boolean classicWanted = op.typesFilter.isEmpty();
        for (final String type : op.typesFilter)
        {
            classicWanted |= ListGroupsOp.CLASSIC_TYPE.equalsIgnoreCase(type);
        }
        if (classicWanted)
        {
            for (final ClassicGroup group : registry.all())
            {
                if (group.is(DEAD) || !stateWanted(op.statesFilter, group.state))
                {
                    continue;
                }
                op.groups.add(new ListGroupsOp.Group(
                    group.groupId,
                    null == group.protocolType ? "" : group.protocolType,
                    group.state.kafkaName(),
                    ListGroupsOp.CLASSIC_TYPE));
            }
            op.groups.sort((a, b) -> a.groupId().compareTo(b.groupId()));
        }
        responder.respond(op);
    }

    private static boolean stateWanted(final List<String> statesFilter, final GroupState state)
    {
        if (statesFilter.isEmpty())
        {
            return true;
        }
        for (final String wanted : statesFilter)
        {
            if (state.kafkaName().equalsIgnoreCase(wanted))
            {
                return true;
            }
        }
        return false;
    }

    void onDescribeGroups(final DescribeGroupsOp op)
    {
        for (final DescribeGroupsOp.Group described : op.groups)
        {
            describe(described, op.apiVersion);
        }
        responder.respond(op);
    }

    private void describe(final DescribeGroupsOp.Group described, final short apiVersion)
    {
        if (!GroupRegistry.isValidGroupId(described.groupId, true))
        {
            described.errorCode = INVALID_GROUP_ID;
            return;
        }
        final short availability = registry.availability(described.groupId);
        if (availability != NONE)
        {
            described.errorCode = availability;
            return;
        }
        final ClassicGroup group = registry.get(described.groupId);
        if (null == group || group.is(DEAD))
        {
            described.state = DEAD.kafkaName();
            if (apiVersion >= 6)
            {
                // KIP-1043: an unknown group is an error from v6 on; before, a Dead group without members
                described.errorCode = GROUP_ID_NOT_FOUND;
                described.errorMessage = "Group " + described.groupId + " not found.";
            }
            return;
        }
        described.errorCode = NONE;
        described.state = group.state.kafkaName();
        described.protocolType = null == group.protocolType ? "" : group.protocolType;
        final boolean stable = group.is(STABLE);
        described.protocolData = stable && null != group.protocolName ? group.protocolName : "";
        final List<DescribeGroupsOp.Member> members = new ArrayList<>(group.size());
        for (final GroupMember member : group.members.values())
        {
            final byte[] metadata = stable ? member.metadata(group.protocolName) : null;
            members.add(new DescribeGroupsOp.Member(
                member.memberId,
                member.groupInstanceId,
                member.clientId,
                member.clientHost,
                null == metadata ? DescribeGroupsOp.empty() : metadata,
                stable ? member.assignment : DescribeGroupsOp.empty()));
        }
        described.members = members;
    }

    // ---------------------------------------------------------------------------------------------------------
    // DeleteGroups and OffsetDelete
    // ---------------------------------------------------------------------------------------------------------

    void onDeleteGroups(final DeleteGroupsOp op, final long nowMs)
    {
        final Map<Integer, List<ClassicGroup>> byPartition = new HashMap<>();
        final Map<ClassicGroup, DeleteGroupsOp.Group> results = new HashMap<>();
        for (final DeleteGroupsOp.Group requested : op.groups)
        {
            requested.errorCode = checkDeletable(requested.groupId);
            if (requested.errorCode != NONE)
            {
                continue;
            }
            final ClassicGroup group = registry.get(requested.groupId);
            group.transitionTo(DEAD, nowMs);
            registry.remove(group.groupId);
            membership.onGroupRemoved(group, COORDINATOR_NOT_AVAILABLE);
            byPartition.computeIfAbsent(group.partition, p -> new ArrayList<>()).add(group);
            results.put(group, requested);
        }
        if (byPartition.isEmpty())
        {
            responder.respond(op);
            return;
        }
        final GroupsDeleted deleted = new GroupsDeleted(op, results, byPartition.size());
        for (final Map.Entry<Integer, List<ClassicGroup>> entry : byPartition.entrySet())
        {
            writer.begin(entry.getKey(), nowMs);
            for (final ClassicGroup group : entry.getValue())
            {
                writeTombstones(group, group.offsets.entries());
                writer.groupTombstone(group.groupId);
            }
            writer.submit(deleted.part(entry.getValue()));
        }
    }

    private short checkDeletable(final String groupId)
    {
        if (!GroupRegistry.isValidGroupId(groupId, true))
        {
            return INVALID_GROUP_ID;
        }
        final short availability = registry.availability(groupId);
        if (availability != NONE)
        {
            return availability;
        }
        final ClassicGroup group = registry.get(groupId);
        if (null == group || group.is(DEAD))
        {
            return GROUP_ID_NOT_FOUND;
        }
        return group.is(EMPTY) ? NONE : NON_EMPTY_GROUP;
    }

    /** The tombstones of a DeleteGroups, one batch per partition; answered when all are written. */
    private final class GroupsDeleted
    {
        private final DeleteGroupsOp op;
        private final Map<ClassicGroup, DeleteGroupsOp.Group> results;
        private int outstanding;

        GroupsDeleted(final DeleteGroupsOp op, final Map<ClassicGroup, DeleteGroupsOp.Group> results,
            final int parts)
        {
            this.op = op;
            this.results = results;
            this.outstanding = parts;
        }

        OffsetsWriter.Append part(final List<ClassicGroup> groups)
        {
            return new OffsetsWriter.Append()
            {
                void onComplete(final short errorCode, final long nowMs)
                {
                    final short error = GroupErrors.forFailedGroupWrite(errorCode);
                    for (final ClassicGroup group : groups)
                    {
                        results.get(group).errorCode = error;
                    }
                    if (error != NONE)
                    {
                        LOG.log(System.Logger.Level.WARNING, "writing the tombstones of deleted groups failed: {0}",
                            GroupErrors.name(errorCode));
                    }
                    if (--outstanding == 0)
                    {
                        responder.respond(op);
                    }
                }
            };
        }
    }

    void onOffsetDelete(final OffsetDeleteOp op, final long nowMs)
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
        if (null == group || group.is(DEAD))
        {
            fail(op, GROUP_ID_NOT_FOUND);
            return;
        }
        final boolean empty = group.is(EMPTY);
        if (!empty && !(group.isConsumerGroup() &&
            (group.is(PREPARING_REBALANCE) || group.is(COMPLETING_REBALANCE) || group.is(STABLE))))
        {
            fail(op, NON_EMPTY_GROUP);
            return;
        }
        op.errorCode = NONE;
        final List<GroupOffsets.Entry> removed = new ArrayList<>();
        for (final OffsetDeleteOp.Partition partition : op.partitions)
        {
            if (partition.errorCode != NONE)
            {
                continue;
            }
            if (!empty && group.isSubscribedToTopic(partition.topic))
            {
                partition.errorCode = GROUP_SUBSCRIBED_TO_TOPIC;
                continue;
            }
            final CommittedOffset value = group.offsets.remove(partition.topic, partition.partition);
            if (null != value)
            {
                removed.add(new GroupOffsets.Entry(partition.topic, partition.partition, value));
            }
        }
        if (removed.isEmpty())
        {
            responder.respond(op);
            return;
        }
        writer.begin(group.partition, nowMs);
        writeTombstones(group, removed);
        writer.submit(new OffsetsDeleted(op));
    }

    /** The tombstones of an OffsetDelete are written; a failure fails the eligible partitions. */
    private final class OffsetsDeleted extends OffsetsWriter.Append
    {
        private final OffsetDeleteOp op;

        OffsetsDeleted(final OffsetDeleteOp op)
        {
            this.op = op;
        }

        void onComplete(final short errorCode, final long nowMs)
        {
            final short error = GroupErrors.forFailedGroupWrite(errorCode);
            if (error != NONE)
            {
                for (final OffsetDeleteOp.Partition partition : op.partitions)
                {
                    if (partition.errorCode == NONE)
                    {
                        partition.errorCode = error;
                    }
                }
            }
            responder.respond(op);
        }
    }

    /**
     * Every group's offsets of deleted topics go, with tombstones (one batch per partition); answered once
     * they are written. While partitions are still loading the op is refused (COORDINATOR_LOAD_IN_PROGRESS)
     * rather than applied to half the groups: the controller offers it again.
     */
    void onTopicsDeleted(final TopicsDeletedOp op, final long nowMs)
    {
        if (registry.partitions() > 0 && !registry.allLoaded())
        {
            fail(op, COORDINATOR_LOAD_IN_PROGRESS);
            return;
        }
        final Map<Integer, List<Expiry>> byPartition = new HashMap<>();
        for (final ClassicGroup group : registry.all())
        {
            final List<GroupOffsets.Entry> removed = new ArrayList<>();
            for (final GroupOffsets.Entry entry : group.offsets.entries())
            {
                if (op.topics.contains(entry.topic()))
                {
                    group.offsets.remove(entry.topic(), entry.partition());
                    removed.add(entry);
                }
            }
            if (!removed.isEmpty())
            {
                byPartition.computeIfAbsent(group.partition, p -> new ArrayList<>())
                    .add(new Expiry(group, removed, false));
                op.offsetsRemoved += removed.size();
            }
        }
        op.errorCode = NONE;
        if (byPartition.isEmpty())
        {
            responder.respond(op);
            return;
        }
        final int[] outstanding = {byPartition.size()};
        for (final Map.Entry<Integer, List<Expiry>> entry : byPartition.entrySet())
        {
            writer.begin(entry.getKey(), nowMs);
            for (final Expiry removed : entry.getValue())
            {
                writeTombstones(removed.group(), removed.offsets());
            }
            writer.submit(new OffsetsWriter.Append()
            {
                void onComplete(final short errorCode, final long completedMs)
                {
                    if (errorCode != NONE)
                    {
                        op.errorCode = GroupErrors.forFailedGroupWrite(errorCode);
                    }
                    if (--outstanding[0] == 0)
                    {
                        responder.respond(op);
                    }
                }
            });
        }
    }

    private void writeTombstones(final ClassicGroup group, final List<GroupOffsets.Entry> entries)
    {
        for (final GroupOffsets.Entry entry : entries)
        {
            writer.offsetTombstone(group.groupId, entry.topic(), entry.partition());
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Expiry
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Removes expired offsets and groups left empty without offsets, writing their tombstones (one batch per
     * partition). Kafka's rules: an empty group's offsets expire offsets.retention.ms after it became empty; a
     * stable consumer group's offsets of topics it no longer subscribes to, and every offset of a group that
     * only stores offsets, that long after their last commit; an offset committed with its own retention
     * (v2-v4) at its expire timestamp. Offsets with a commit in flight stay.
     *
     * @return how many offsets and groups went.
     */
    int expire(final long nowMs)
    {
        final Map<Integer, List<Expiry>> tombstones = new HashMap<>();
        int count = 0;
        for (final ClassicGroup group : registry.snapshot())
        {
            final List<GroupOffsets.Entry> expired = expiredOffsets(group, nowMs);
            for (final GroupOffsets.Entry entry : expired)
            {
                group.offsets.remove(entry.topic(), entry.partition());
            }
            final boolean dead = group.is(EMPTY) && group.offsets.isEmpty() && !group.offsets.hasAnyPending() &&
                group.pendingMembers.isEmpty();
            if (dead)
            {
                group.transitionTo(DEAD, nowMs);
                registry.remove(group.groupId);
                membership.onGroupRemoved(group, COORDINATOR_NOT_AVAILABLE);
            }
            if (!expired.isEmpty() || dead)
            {
                tombstones.computeIfAbsent(group.partition, p -> new ArrayList<>())
                    .add(new Expiry(group, expired, dead));
                count += expired.size() + (dead ? 1 : 0);
            }
        }
        for (final Map.Entry<Integer, List<Expiry>> entry : tombstones.entrySet())
        {
            writer.begin(entry.getKey(), nowMs);
            for (final Expiry expiry : entry.getValue())
            {
                writeTombstones(expiry.group(), expiry.offsets());
                if (expiry.groupDead())
                {
                    writer.groupTombstone(expiry.group().groupId);
                }
            }
            writer.submit(new ExpiryWritten());
        }
        if (count > 0)
        {
            LOG.log(System.Logger.Level.INFO, "expired {0} offsets and groups", count);
        }
        return count;
    }

    private List<GroupOffsets.Entry> expiredOffsets(final ClassicGroup group, final long nowMs)
    {
        final long retentionMs = config.offsetsRetentionMs();
        final List<GroupOffsets.Entry> expired = new ArrayList<>();
        final boolean emptyWithType = null != group.protocolType && group.is(EMPTY);
        final boolean stableConsumer = group.isConsumerGroup() && null != group.subscribedTopics && group.is(STABLE);
        final boolean offsetsOnly = null == group.protocolType;
        if (!emptyWithType && !stableConsumer && !offsetsOnly)
        {
            return expired;
        }
        for (final GroupOffsets.Entry entry : group.offsets.entries())
        {
            if (group.offsets.hasPending(entry.topic(), entry.partition()) ||
                (stableConsumer && group.subscribedTopics.contains(entry.topic())))
            {
                continue;
            }
            final CommittedOffset value = entry.value();
            final boolean isExpired;
            if (value.expireTimestamp() != CommittedOffset.NO_EXPIRE_TIMESTAMP)
            {
                isExpired = nowMs >= value.expireTimestamp();
            }
            else
            {
                final long base = emptyWithType && group.currentStateTimestamp >= 0 ?
                    group.currentStateTimestamp : value.commitTimestamp();
                isExpired = nowMs - base >= retentionMs;
            }
            if (isExpired)
            {
                expired.add(entry);
            }
        }
        return expired;
    }

    private record Expiry(ClassicGroup group, List<GroupOffsets.Entry> offsets, boolean groupDead)
    {
    }

    private static final class ExpiryWritten extends OffsetsWriter.Append
    {
        void onComplete(final short errorCode, final long nowMs)
        {
            if (errorCode != NONE)
            {
                LOG.log(System.Logger.Level.WARNING, "writing expiry tombstones failed: {0}",
                    GroupErrors.name(errorCode));
            }
        }
    }

    private void fail(final GroupOp op, final short error)
    {
        op.fail(error);
        responder.respond(op);
    }
}
