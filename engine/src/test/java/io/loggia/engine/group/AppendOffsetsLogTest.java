package io.loggia.engine.group;

import io.loggia.engine.agent.WakeSignal;
import io.loggia.engine.log.AppendInfo;
import io.loggia.engine.log.LogCodes;
import io.loggia.engine.log.PartitionLog;
import io.loggia.engine.writer.AppendCompletionAdapter;
import io.loggia.engine.writer.AppendCompletionFlyweight;
import io.loggia.engine.writer.AppendProxy;
import io.loggia.engine.writer.AppendRequestFlyweight;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production {@link OffsetsLog}: the coordinator's records go through a real append ring, the test thread
 * plays the partition writer (drains the ring into real logs, writes completions into the coordinator's
 * completion ring), and the commit is answered from that completion.
 */
class AppendOffsetsLogTest
{
    private static final short CALLER_ID = 0;

    @TempDir
    Path dir;

    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final CachedEpochClock clock = new CachedEpochClock();
    private final AppendRequestFlyweight request = new AppendRequestFlyweight();
    private final AppendInfo info = new AppendInfo();
    private OffsetsLogFixture logs;
    private int writerWakes;
    private int coordinatorWakes;

    @AfterEach
    void close()
    {
        logs.close();
        assertThat(errors).isEmpty();
    }

    private static RingBuffer ring(final int capacity)
    {
        return new ManyToOneRingBuffer(new UnsafeBuffer(
            ByteBuffer.allocateDirect(capacity + RingBufferDescriptor.TRAILER_LENGTH)));
    }

    @Test
    void commitTravelsThroughTheAppendRingAndIsAnsweredFromTheCompletionRing()
    {
        clock.update(GroupHarness.T0);
        logs = new OffsetsLogFixture(dir).open(3);
        final RingBuffer appendRing = ring(64 * 1024);
        final RingBuffer completionRing = ring(64 * 1024);
        final WakeSignal writerWake = () -> writerWakes++;
        final AppendProxy proxy =
            new AppendProxy(CALLER_ID, new RingBuffer[]{appendRing}, new WakeSignal[]{writerWake});
        final AppendOffsetsLog offsetsLog =
            new AppendOffsetsLog(proxy, new AppendCompletionAdapter(completionRing), logs);
        final GroupCoordinator coordinator = new GroupCoordinator(GroupConfig.parse(Map.of(
            GroupConfig.OFFSETS_TOPIC_NUM_PARTITIONS, "3")).config(), clock, logs, offsetsLog,
            () -> coordinatorWakes++, 64, errors::add);
        final List<GroupOp> answers = new ArrayList<>();
        final GroupCoordinatorProxy caller = coordinator.newProxy(WakeSignal.NONE);
        coordinator.onStart();
        while (!coordinator.isActive())
        {
            coordinator.doWork();
        }

        final OffsetCommitOp commit = GroupHarness.commit("g", "", -1, "orders", 0, 42L);
        assertThat(caller.offer(commit)).isTrue();
        assertThat(coordinatorWakes).isEqualTo(1);
        coordinator.doWork();
        assertThat(writerWakes).isEqualTo(1);
        caller.poll(answers::add, 10);
        assertThat(answers).isEmpty();

        // the writer thread: append, then complete to the caller's ring
        final int drained = appendRing.read((type, buffer, index, length) ->
        {
            assertThat(type).isEqualTo(AppendRequestFlyweight.MSG_TYPE_APPEND);
            request.wrap(buffer, index);
            assertThat(request.requiredAcks()).isEqualTo((short)-1);
            assertThat(request.callerId()).isEqualTo(CALLER_ID);
            final PartitionLog log = logs.log(request.partitionId());
            final int code = log.append(request.buffer(), request.batchOffset(), request.batchLength(), 0,
                clock.time(), info);
            assertThat(code).isEqualTo(LogCodes.OK);
            log.advanceHighWatermark(log.logEndOffset());
            final int claim = completionRing.tryClaim(AppendCompletionFlyweight.MSG_TYPE_COMPLETION,
                AppendCompletionFlyweight.LENGTH);
            AppendCompletionFlyweight.encode(completionRing.buffer(), claim, request.correlation(),
                request.partitionId(), (short)0, info.firstOffset, -1, 0);
            completionRing.commit(claim);
        });
        assertThat(drained).isEqualTo(1);

        coordinator.doWork();
        caller.poll(answers::add, 10);
        assertThat(answers).containsExactly(commit);
        assertThat(commit.partitions.get(0).errorCode).isEqualTo(GroupErrors.NONE);
        assertThat(logs.log(GroupConfig.partitionFor("g", 3)).logEndOffset()).isEqualTo(1);

        final OffsetFetchOp fetch = GroupHarness.fetch("g", "orders", 0);
        caller.offer(fetch);
        coordinator.doWork();
        caller.poll(answers::add, 10);
        assertThat(fetch.groups.get(0).partitions.get(0).offset).isEqualTo(42);
        coordinator.onClose();
    }

    @Test
    void partitionWithoutWriterFailsTheCommitAsCoordinatorNotAvailable()
    {
        clock.update(GroupHarness.T0);
        logs = new OffsetsLogFixture(dir).open(1);
        final OffsetsTopic noWriters = new OffsetsTopic()
        {
            public int partitionCount()
            {
                return 1;
            }

            public void create(final int partitions, final Map<String, String> config)
            {
            }

            public PartitionLog partitionLog(final int partition)
            {
                return logs.log(partition);
            }

            public int writerIndex(final int partition)
            {
                return -1;
            }

            public int partitionKey(final int partition)
            {
                return partition;
            }
        };
        final AppendProxy proxy = new AppendProxy(CALLER_ID, new RingBuffer[]{ring(4096)},
            new WakeSignal[]{WakeSignal.NONE});
        final AppendOffsetsLog offsetsLog = new AppendOffsetsLog(proxy, new AppendCompletionAdapter(ring(4096)),
            noWriters);
        final GroupCoordinator coordinator = new GroupCoordinator(GroupConfig.parse(Map.of(
            GroupConfig.OFFSETS_TOPIC_NUM_PARTITIONS, "1")).config(), clock, noWriters, offsetsLog,
            WakeSignal.NONE, 64, errors::add);
        final GroupCoordinatorProxy caller = coordinator.newProxy(WakeSignal.NONE);
        coordinator.onStart();
        while (!coordinator.isActive())
        {
            coordinator.doWork();
        }
        final OffsetCommitOp commit = GroupHarness.commit("g", "", -1, "orders", 0, 1L);
        caller.offer(commit);
        coordinator.doWork();
        coordinator.doWork();
        final List<GroupOp> answers = new ArrayList<>();
        caller.poll(answers::add, 10);
        assertThat(answers).containsExactly(commit);
        assertThat(commit.partitions.get(0).errorCode).isEqualTo(GroupErrors.COORDINATOR_NOT_AVAILABLE);
        coordinator.onClose();
    }
}
