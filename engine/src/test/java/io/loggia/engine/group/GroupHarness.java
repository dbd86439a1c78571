package io.loggia.engine.group;

import io.loggia.engine.agent.WakeSignal;
import org.agrona.concurrent.CachedEpochClock;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives a {@link GroupCoordinator} deterministically: the test thread runs its duty cycle, acts as the
 * {@code __consumer_offsets} writer ({@link OffsetsLogFixture}) and as the network thread that offers ops and
 * collects the answers. Time moves only through {@link #advance(long)}.
 */
final class GroupHarness implements AutoCloseable
{
    static final long T0 = 1_700_000_000_000L;
    static final int SESSION_MS = 10_000;
    static final int REBALANCE_MS = 30_000;

    final CachedEpochClock clock = new CachedEpochClock();
    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    final OffsetsLogFixture log;
    final GroupConfig config;
    final int partitions;
    GroupCoordinator coordinator;
    GroupCoordinatorProxy proxy;
    int coordinatorWakes;
    int callerWakes;
    private final Set<GroupOp> answered = Collections.newSetFromMap(new IdentityHashMap<>());
    final List<GroupOp> responses = new ArrayList<>();

    GroupHarness(final Path dir, final Map<String, String> settings, final int partitions)
    {
        this.partitions = partitions;
        final Map<String, String> all = new java.util.HashMap<>(settings);
        all.putIfAbsent(GroupConfig.OFFSETS_TOPIC_NUM_PARTITIONS, Integer.toString(partitions));
        all.putIfAbsent(GroupConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "0");
        final GroupConfig.Result result = GroupConfig.parse(all);
        assertThat(result.error()).isNull();
        this.config = result.config();
        this.log = new OffsetsLogFixture(dir);
        clock.update(T0);
        newCoordinator();
    }

    /** A coordinator with the offsets topic already there (opened now), loaded and active. */
    static GroupHarness active(final Path dir, final Map<String, String> settings, final int partitions)
    {
        final GroupHarness harness = new GroupHarness(dir, settings, partitions);
        harness.log.open(partitions);
        harness.start();
        return harness;
    }

    static GroupHarness active(final Path dir)
    {
        return active(dir, Map.of(), 3);
    }

    private void newCoordinator()
    {
        final WakeSignal coordinatorWake = () -> coordinatorWakes++;
        coordinator = new GroupCoordinator(config, clock, log, log, coordinatorWake, 1024, errors::add);
        proxy = coordinator.newProxy(() -> callerWakes++);
    }

    /** Starts the agent and runs it until every offsets partition is loaded. */
    void start()
    {
        coordinator.onStart();
        for (int i = 0; i < 10_000 && !coordinator.isActive(); i++)
        {
            coordinator.doWork();
        }
        assertThat(coordinator.isActive()).isTrue();
    }

    /** Closes the coordinator and the logs, reopens the logs (recovering them) and loads a new coordinator. */
    void restart()
    {
        reopen(null);
        start();
    }

    /**
     * Closes the coordinator and the logs, lets {@code damage} work on the closed log directory (a crash's
     * torn write), reopens the logs (recovering them as after an unclean shutdown) and makes a new coordinator,
     * not yet started.
     */
    void reopen(final Runnable damage)
    {
        coordinator.onClose();
        collect();
        log.close();
        if (null != damage)
        {
            damage.run();
        }
        log.open(partitions);
        newCoordinator();
    }

    /** One round: the coordinator works, the writer appends what it was given, the coordinator completes. */
    void cycle()
    {
        coordinator.doWork();
        log.drain(clock.time());
        coordinator.doWork();
        collect();
    }

    void collect()
    {
        proxy.poll(op ->
        {
            answered.add(op);
            responses.add(op);
        }, Integer.MAX_VALUE);
    }

    void advance(final long ms)
    {
        clock.advance(ms);
        cycle();
    }

    void send(final GroupOp op)
    {
        assertThat(proxy.offer(op)).isTrue();
    }

    <T extends GroupOp> T call(final T op)
    {
        send(op);
        cycle();
        assertThat(isAnswered(op)).as("answered: %s", op).isTrue();
        return op;
    }

    boolean isAnswered(final GroupOp op)
    {
        return answered.contains(op);
    }

    public void close()
    {
        coordinator.onClose();
        log.close();
        assertThat(errors).isEmpty();
        assertThat(log.errors).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------------
    // Ops
    // ------------------------------------------------------------------------------------------------------

    /** A consumer-protocol subscription (version 0): topics, null user data. */
    static byte[] subscription(final String... topics)
    {
        int size = 2 + 4 + 4;
        for (final String topic : topics)
        {
            size += 2 + topic.getBytes(StandardCharsets.UTF_8).length;
        }
        final ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.putShort((short)0).putInt(topics.length);
        for (final String topic : topics)
        {
            final byte[] bytes = topic.getBytes(StandardCharsets.UTF_8);
            buffer.putShort((short)bytes.length).put(bytes);
        }
        buffer.putInt(-1);
        return buffer.array();
    }

    static JoinGroupOp join(final String group, final String memberId)
    {
        return join(group, memberId, null, "range");
    }

    static JoinGroupOp join(final String group, final String memberId, final String instanceId,
        final String... protocols)
    {
        final JoinGroupOp op = new JoinGroupOp();
        op.apiVersion = 9;
        op.groupId = group;
        op.memberId = memberId;
        op.groupInstanceId = instanceId;
        op.clientId = "client";
        op.clientHost = "/127.0.0.1";
        op.sessionTimeoutMs = SESSION_MS;
        op.rebalanceTimeoutMs = REBALANCE_MS;
        op.protocolType = "consumer";
        op.protocolNames = protocols;
        op.protocolMetadata = new byte[protocols.length][];
        for (int i = 0; i < protocols.length; i++)
        {
            op.protocolMetadata[i] = subscription("orders");
        }
        op.requireKnownMemberId = false;
        op.supportsSkipAssignment = true;
        return op;
    }

    static SyncGroupOp sync(final String group, final String memberId, final int generation,
        final Object... memberIdsAndAssignments)
    {
        final SyncGroupOp op = new SyncGroupOp();
        op.apiVersion = 5;
        op.groupId = group;
        op.memberId = memberId;
        op.generationId = generation;
        final int count = memberIdsAndAssignments.length / 2;
        op.assignmentMemberIds = new String[count];
        op.assignments = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            op.assignmentMemberIds[i] = (String)memberIdsAndAssignments[2 * i];
            op.assignments[i] = (byte[])memberIdsAndAssignments[2 * i + 1];
        }
        return op;
    }

    static HeartbeatOp heartbeat(final String group, final String memberId, final int generation)
    {
        final HeartbeatOp op = new HeartbeatOp();
        op.apiVersion = 4;
        op.groupId = group;
        op.memberId = memberId;
        op.generationId = generation;
        return op;
    }

    static LeaveGroupOp leave(final String group, final String... memberIds)
    {
        final LeaveGroupOp op = new LeaveGroupOp();
        op.apiVersion = 5;
        op.groupId = group;
        for (final String memberId : memberIds)
        {
            op.members.add(new LeaveGroupOp.Member(memberId, null));
        }
        return op;
    }

    static OffsetCommitOp commit(final String group, final String memberId, final int generation,
        final Object... topicPartitionOffsets)
    {
        final OffsetCommitOp op = new OffsetCommitOp();
        op.apiVersion = 9;
        op.groupId = group;
        op.memberId = memberId;
        op.generationId = generation;
        for (int i = 0; i < topicPartitionOffsets.length; i += 3)
        {
            op.partitions.add(new OffsetCommitOp.Partition((String)topicPartitionOffsets[i],
                (Integer)topicPartitionOffsets[i + 1], ((Number)topicPartitionOffsets[i + 2]).longValue(), "m"));
        }
        return op;
    }

    static OffsetFetchOp fetch(final String group, final Object... topicPartitions)
    {
        final OffsetFetchOp op = new OffsetFetchOp();
        op.apiVersion = 9;
        final List<OffsetFetchOp.Partition> partitions;
        if (0 == topicPartitions.length)
        {
            partitions = null;
        }
        else
        {
            partitions = new ArrayList<>();
            for (int i = 0; i < topicPartitions.length; i += 2)
            {
                partitions.add(
                    new OffsetFetchOp.Partition((String)topicPartitions[i], (Integer)topicPartitions[i + 1]));
            }
        }
        op.groups.add(new OffsetFetchOp.Group(group, partitions));
        return op;
    }

    /** Joins {@code count} dynamic members into a stable group and syncs them; returns the joins, leader first. */
    List<JoinGroupOp> stableGroup(final String group, final int count)
    {
        final List<JoinGroupOp> joins = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final JoinGroupOp join = join(group, "");
            joins.add(join);
            send(join);
        }
        cycle();
        for (final JoinGroupOp join : joins)
        {
            assertThat(isAnswered(join)).as("joined: %s", join).isTrue();
            assertThat(join.errorCode).isEqualTo(GroupErrors.NONE);
        }
        joins.sort((a, b) -> Boolean.compare(!a.responseMemberId.equals(a.leaderId),
            !b.responseMemberId.equals(b.leaderId)));
        final JoinGroupOp leader = joins.get(0);
        final Object[] assignment = new Object[count * 2];
        for (int i = 0; i < count; i++)
        {
            assignment[2 * i] = joins.get(i).responseMemberId;
            assignment[2 * i + 1] = ("assignment-" + i).getBytes(StandardCharsets.UTF_8);
        }
        final List<SyncGroupOp> syncs = new ArrayList<>();
        for (int i = count - 1; i >= 0; i--)
        {
            final JoinGroupOp join = joins.get(i);
            final SyncGroupOp sync = i == 0 ?
                sync(group, join.responseMemberId, join.generationId, assignment) :
                sync(group, join.responseMemberId, join.generationId);
            syncs.add(sync);
            send(sync);
        }
        cycle();
        for (final SyncGroupOp sync : syncs)
        {
            assertThat(isAnswered(sync)).isTrue();
            assertThat(sync.errorCode).isEqualTo(GroupErrors.NONE);
        }
        assertThat(leader.members).hasSize(count);
        return joins;
    }
}
