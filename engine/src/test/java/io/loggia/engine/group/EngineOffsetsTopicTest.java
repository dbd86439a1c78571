package io.loggia.engine.group;

import io.loggia.engine.Engine;
import io.loggia.engine.EngineConfig;
import io.loggia.engine.EngineListener;
import io.loggia.engine.log.LogConfig;
import io.loggia.engine.log.LogConfigParser;
import io.loggia.engine.partition.Partition;
import io.loggia.engine.writer.Caller;
import org.agrona.concurrent.CachedEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The coordinator on the real engine: {@code __consumer_offsets} created on first use through the engine, records
 * appended by the real partition writers (acks=-1) through the coordinator's own caller, and everything back after
 * the engine is closed and reopened. All agents are driven by hand on the test thread.
 */
class EngineOffsetsTopicTest
{
    private static final int PARTITIONS = 3;

    @TempDir
    Path logDir;

    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final CachedEpochClock clock = new CachedEpochClock();
    private final AtomicInteger partitionCount = new AtomicInteger();
    private final List<GroupOp> answers = new ArrayList<>();
    private Engine engine;
    private GroupCoordinator coordinator;
    private GroupCoordinatorProxy proxy;

    private void openEngine() throws IOException
    {
        final EngineConfig config = new EngineConfig().logDir(logDir).numWriterThreads(2);
        engine = Engine.open(config, errors::add, EngineListener.LOGGING, clock);
        partitionCount.set((int)engine.loadedPartitions().stream()
            .filter(p -> p.topic().equals(GroupConfig.OFFSETS_TOPIC)).count());
        final GroupConfig groupConfig = GroupConfig.parse(Map.of(
            GroupConfig.OFFSETS_TOPIC_NUM_PARTITIONS, Integer.toString(PARTITIONS),
            GroupConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "0")).config();
        final EngineOffsetsTopic topic = new EngineOffsetsTopic(engine, partitionCount::get, this::create);
        final Caller caller = engine.registerCaller(() -> {});
        coordinator = new GroupCoordinator(groupConfig, clock, topic,
            new AppendOffsetsLog(caller.appendProxy(), caller.completionAdapter(), topic), () -> {}, 64, errors::add);
        proxy = coordinator.newProxy(() -> {});
        coordinator.onStart();
    }

    /** The controller's part: every partition, compacted, then the topic is announced. */
    private void create(final String topic, final int partitions, final Map<String, String> config)
    {
        final LogConfig logConfig = LogConfigParser.parseTopic(config, engine.config().logDefaults()).config();
        assertThat(logConfig.cleanupPolicy().isCompact()).isTrue();
        assertThat(logConfig.segmentBytes()).isEqualTo(GroupConfig.DEFAULT_OFFSETS_TOPIC_SEGMENT_BYTES);
        for (int p = 0; p < partitions; p++)
        {
            assertThat(engine.createPartition(topic, null, p, logConfig).isOk()).isTrue();
        }
        partitionCount.set(partitions);
    }

    private void work()
    {
        coordinator.doWork();
        for (int i = 0; i < engine.writerCount(); i++)
        {
            engine.writer(i).doWork();
        }
        coordinator.doWork();
        proxy.poll(answers::add, Integer.MAX_VALUE);
    }

    private <T extends GroupOp> T call(final T op)
    {
        assertThat(proxy.offer(op)).isTrue();
        for (int i = 0; i < 100 && !answers.contains(op); i++)
        {
            work();
        }
        assertThat(answers).contains(op);
        return op;
    }

    @Test
    void offsetsTopicIsCreatedOnFirstUseAndCommitsSurviveAnEngineRestart() throws IOException
    {
        clock.update(1_000_000);
        openEngine();
        assertThat(proxy.isAvailable()).isFalse();
        proxy.requestOffsetsTopic();
        for (int i = 0; i < 100 && !coordinator.isActive(); i++)
        {
            work();
        }
        assertThat(coordinator.isActive()).isTrue();
        final Partition partition =
            engine.partition(GroupConfig.OFFSETS_TOPIC, GroupConfig.partitionFor("g", PARTITIONS));
        assertThat(partition).isNotNull();

        final JoinGroupOp join = call(GroupHarness.join("g", ""));
        final SyncGroupOp sync = call(GroupHarness.sync("g", join.responseMemberId, 1, join.responseMemberId,
            new byte[]{1, 2, 3}));
        assertThat(sync.errorCode).isEqualTo(GroupErrors.NONE);
        final OffsetCommitOp commit = call(GroupHarness.commit("g", join.responseMemberId, 1, "orders", 0, 77L));
        assertThat(commit.partitions.get(0).errorCode).isEqualTo(GroupErrors.NONE);
        // the group metadata and the commit are in the partition's log, below the high watermark
        assertThat(partition.log().logEndOffset()).isEqualTo(2);
        assertThat(partition.log().highWatermark()).isEqualTo(2);

        coordinator.onClose();
        engine.close();
        openEngine();
        for (int i = 0; i < 100 && !coordinator.isActive(); i++)
        {
            work();
        }
        assertThat(coordinator.isActive()).isTrue();
        final OffsetFetchOp fetch = call(GroupHarness.fetch("g", "orders", 0));
        assertThat(fetch.groups.get(0).partitions.get(0).offset).isEqualTo(77);
        final SyncGroupOp again = call(GroupHarness.sync("g", join.responseMemberId, 1));
        assertThat(again.assignment).containsExactly(1, 2, 3);
        coordinator.onClose();
        engine.close();
        assertThat(errors).isEmpty();
    }
}
