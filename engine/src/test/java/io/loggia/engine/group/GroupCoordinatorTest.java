package io.loggia.engine.group;

import io.loggia.engine.agent.WakeSignal;
import io.loggia.engine.log.PartitionLog;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.loggia.engine.group.GroupHarness.join;
import static org.assertj.core.api.Assertions.assertThat;

/** The agent's plumbing: command queue, response channels and wakes, closing. */
class GroupCoordinatorTest
{
    @TempDir
    Path dir;

    private GroupHarness harness;

    @AfterEach
    void close()
    {
        if (null != harness)
        {
            harness.close();
        }
    }

    @Test
    void callerIsWokenOncePerDutyCycleHoweverManyAnswersItGets()
    {
        harness = GroupHarness.active(dir);
        harness.callerWakes = 0;
        harness.send(new ListGroupsOp());
        harness.send(new ListGroupsOp());
        harness.send(GroupHarness.fetch("g"));
        harness.coordinator.doWork();
        assertThat(harness.callerWakes).isEqualTo(1);
        harness.coordinator.doWork();
        assertThat(harness.callerWakes).isEqualTo(1);
        harness.collect();
        assertThat(harness.responses).hasSize(3);
    }

    @Test
    void proxyOffersWakeTheCoordinatorAndAFullQueueRefuses()
    {
        harness = GroupHarness.active(dir);
        final int wakes = harness.coordinatorWakes;
        int offered = 0;
        while (harness.proxy.offer(new ListGroupsOp()))
        {
            offered++;
        }
        assertThat(offered).isEqualTo(1024);
        assertThat(harness.coordinatorWakes - wakes).isEqualTo(1024);
        for (int i = 0; i < 2; i++)
        {
            harness.cycle();
        }
        assertThat(harness.responses).hasSize(1024);
    }

    @Test
    void closingAnswersWaitingAndQueuedRequests()
    {
        harness = GroupHarness.active(dir, Map.of(GroupConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "3000"), 3);
        final JoinGroupOp waiting = join("g", "");
        harness.send(waiting);
        harness.cycle();
        assertThat(harness.isAnswered(waiting)).isFalse();
        final JoinGroupOp queued = join("g", "");
        harness.send(queued);
        harness.coordinator.onClose();
        harness.collect();
        assertThat(waiting.errorCode).isEqualTo(GroupErrors.NOT_COORDINATOR);
        assertThat(queued.errorCode).isEqualTo(GroupErrors.COORDINATOR_NOT_AVAILABLE);
        harness.log.close();
        harness = null;
    }

    @Test
    void partitionTheBrokerCannotOpenIsServedEmpty()
    {
        final OffsetsLogFixture logs = new OffsetsLogFixture(dir).open(2);
        final OffsetsTopic missingOne = new OffsetsTopic()
        {
            public int partitionCount()
            {
                return 2;
            }

            public void create(final int partitions, final Map<String, String> config)
            {
            }

            public PartitionLog partitionLog(final int partition)
            {
                return 1 == partition ? null : logs.log(partition);
            }

            public int writerIndex(final int partition)
            {
                return logs.writerIndex(partition);
            }

            public int partitionKey(final int partition)
            {
                return partition;
            }
        };
        final List<Throwable> errors = new ArrayList<>();
        final GroupCoordinator coordinator = new GroupCoordinator(GroupConfig.parse(Map.of(
            GroupConfig.OFFSETS_TOPIC_NUM_PARTITIONS, "2")).config(), new CachedEpochClock(),
            missingOne, logs, WakeSignal.NONE, 16, errors::add);
        coordinator.onStart();
        for (int i = 0; i < 10 && !coordinator.isActive(); i++)
        {
            coordinator.doWork();
        }
        assertThat(coordinator.isActive()).isTrue();
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0)).hasMessageContaining("__consumer_offsets-1 has no log");
        coordinator.onClose();
        logs.close();
    }

    @Test
    void opThatThrowsIsAnsweredWithUnknownServerError()
    {
        harness = GroupHarness.active(dir);
        final JoinGroupOp broken = join("g", "");
        broken.protocolNames = null;
        harness.send(broken);
        harness.cycle();
        assertThat(broken.errorCode).isEqualTo(GroupErrors.UNKNOWN_SERVER_ERROR);
        assertThat(harness.errors).hasSize(1);
        harness.errors.clear();
    }
}
