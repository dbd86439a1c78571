package io.loggia.engine.housekeeping;

import io.loggia.engine.agent.WakeSignal;
import io.loggia.engine.log.LogConfig;
import io.loggia.engine.log.LogFiles;
import io.loggia.engine.log.LogSegment;
import io.loggia.engine.log.OffsetCheckpointFile;
import io.loggia.engine.log.PartitionLog;
import io.loggia.engine.log.TopicPartition;
import io.loggia.engine.partition.Partition;
import io.loggia.engine.writer.AppendProxy;
import io.loggia.engine.writer.KafkaErrors;
import io.loggia.engine.writer.TestBatches;
import io.loggia.engine.writer.WriterCounters;
import io.loggia.engine.writer.WriterHarness;
import org.agrona.collections.Object2LongHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The housekeeper and a writer driven by hand on one thread: windows ahead of the writer with native calls, the
 * Java fallback, checkpoints and directory deletion.
 */
class HousekeeperTest
{
    private static final int MIB = 1024 * 1024;

    @TempDir
    Path logDir;

    static Housekeeper housekeeper(final WriterHarness harness, final boolean useNative, final long prepareBytes)
    {
        return new Housekeeper(new Housekeeper.Context()
            .table(harness.table)
            .logDir(harness.logDir)
            .prepareBytes(prepareBytes)
            .chunkBytes(prepareBytes / 4)
            .clock(harness.clock)
            .errorHandler(harness.errors)
            .writerWakes(new WakeSignal[]{ harness.writerWake })
            .recoveryCheckpointIntervalMs(60_000)
            .startOffsetCheckpointIntervalMs(60_000)
            .useNative(useNative));
    }

    @Test
    void nativeWindowsStayAheadOfTheWriterWhichWaitsWhenItCatchesUp() throws Exception
    {
        final WriterHarness harness = new WriterHarness(logDir, 4 * MIB, true);
        final Housekeeper housekeeper = housekeeper(harness, true, MIB);
        final Partition partition = gatedPartition(harness, housekeeper, 6 * MIB);
        final PartitionLog log = partition.log();

        // an empty segment gets the first window (64 KiB); the window grows with what the segment holds
        final long first = Housekeeper.FIRST_WINDOW_BYTES;
        while (housekeeper.doWork() > 0)
        {
            assertThat(log.activeSegment().writableLimit()).isLessThanOrEqualTo(first);
        }
        assertThat(log.activeSegment().writableLimit()).isEqualTo(first);
        assertThat(housekeeper.counters().get(HousekeeperCounters.ALLOCATED_BYTES)).isEqualTo(first);
        assertThat(housekeeper.counters().get(HousekeeperCounters.POPULATED_BYTES)).isEqualTo(first);

        final WriterHarness.TestCaller caller = harness.caller(0, MIB);
        final int total = 700;
        int offered = 0;
        final List<LogSegment> segmentsSeen = new ArrayList<>();
        int rounds = 0;
        while (caller.completions.size() < total)
        {
            while (offered < total && AppendProxy.OFFERED == caller.offer(
                partition, offered, 1, TestBatches.batch(1, 16 * 1024, 1_000, offered)))
            {
                offered++;
            }
            harness.doWork();
            final LogSegment active = log.activeSegment();
            if (!segmentsSeen.contains(active))
            {
                segmentsSeen.add(active);
            }
            assertThat(active.size()).isLessThanOrEqualTo((int)active.writableLimit());
            caller.poll();
            if (0 == rounds % 3)
            {
                housekeeper.doWork();
            }
            assertThat(++rounds).isLessThan(100_000);
        }

        assertThat(segmentsSeen).as("crossed a roll into a gated segment").hasSizeGreaterThan(1);
        assertThat(harness.writer.counters().get(WriterCounters.WRITABLE_LIMIT_STALLS)).isPositive();
        assertThat(housekeeper.counters().get(HousekeeperCounters.WRITER_WAKES)).isPositive();
        assertThat(caller.completions).extracting(WriterHarness.Completion::errorCode).containsOnly(KafkaErrors.NONE);
        assertThat(io.loggia.engine.writer.PartitionWriterTestAccess.tagsInLog(log)).hasSize(total);
        assertThat(harness.errors.seen).isEmpty();
        harness.writer.closeNow();
        housekeeper.onClose();
    }

    @Test
    void theNextSegmentIsPreparedAheadSoTheRollIsARenameAndNeverWaits() throws Exception
    {
        final WriterHarness harness = new WriterHarness(logDir, 4 * MIB, true);
        final Housekeeper housekeeper = housekeeper(harness, true, MIB);
        final Partition partition = gatedPartitionOf4MiBSegments(harness, housekeeper);
        final PartitionLog log = partition.log();
        final WriterHarness.TestCaller caller = harness.caller(0, MIB);

        int tag = 0;
        while (log.segments().length < 2)
        {
            // bursts below the first window (64 KiB): the window grows with the segment, so none waits
            tag = appendAfterHousekeeping(harness, housekeeper, caller, partition, tag, 2);
        }
        assertThat(harness.writer.counters().get(WriterCounters.WRITABLE_LIMIT_STALLS)).as("no stall, even at the roll")
            .isZero();
        final LogSegment rolled = log.activeSegment();
        assertThat(rolled.writableLimit()).isEqualTo(MIB);
        assertThat(rolled.logFile().getFileName().toString()).isEqualTo(LogFiles.fileName(rolled.baseOffset(), ".log"));
        try (var files = Files.list(log.dir()))
        {
            assertThat(files.filter(p -> p.toString().endsWith(LogFiles.PREPARED_SUFFIX))).isEmpty();
        }
        assertThat(caller.completions).extracting(WriterHarness.Completion::errorCode).containsOnly(KafkaErrors.NONE);
        assertThat(harness.errors.seen).isEmpty();

        final Path leftover = log.dir().resolve(LogFiles.fileName(3, LogFiles.PREPARED_SUFFIX));
        Files.write(leftover, new byte[4096]);
        harness.writer.closeNow();
        housekeeper.onClose();
        final io.loggia.engine.log.RecoveryReport report = new io.loggia.engine.log.RecoveryReport();
        io.loggia.engine.log.LogLoader.load(logDir, partition.topicPartition(), partition.config(), true, 0, 0, 0, 0,
            harness.errors, report).close();
        assertThat(Files.exists(leftover)).isFalse();
        assertThat(report.leftoverFilesDeleted).isEqualTo(1);
    }

    @Test
    void aQuietPartitionWithSmallSegmentsPreparesNoNextFileUntilItIsPastHalf() throws Exception
    {
        final WriterHarness harness = new WriterHarness(logDir, 4 * MIB, true);
        final Housekeeper housekeeper = housekeeper(harness, true, 4 * MIB);
        final Partition partition = gatedPartitionOf4MiBSegments(harness, housekeeper);
        final PartitionLog log = partition.log();
        final WriterHarness.TestCaller caller = harness.caller(0, MIB);

        int steps = 0;
        while (housekeeper.doWork() > 0)
        {
            assertThat(++steps).isLessThan(10_000);
        }
        assertThat(preparedFiles(log)).as("nothing written: no next file").isZero();

        int tag = 0;
        while (log.activeSegment().size() <= 2 * MIB + 64 * 1024)
        {
            tag = appendAfterHousekeeping(harness, housekeeper, caller, partition, tag, 1);
        }
        for (int i = 0; i < 1_000 && preparedFiles(log) == 0; i++)
        {
            housekeeper.doWork();
        }
        assertThat(preparedFiles(log)).as("past half the segment: the next file is prepared").isPositive();
        assertThat(harness.errors.seen).isEmpty();
        harness.writer.closeNow();
        housekeeper.onClose();
    }

    /**
     * Every byte of gated space is written with zeros before it is populated and the limit rises over it, never a
     * byte at or under the writer's size (its batches stay whole), and the segment's mapping is advised once not
     * to read around.
     */
    @Test
    void gatedSpaceIsWrittenWithZerosAboveTheWriterBeforeItIsPopulated() throws Exception
    {
        final WriterHarness harness = new WriterHarness(logDir, 4 * MIB, true);
        final Housekeeper housekeeper = housekeeper(harness, true, MIB);
        final Partition partition = gatedPartition(harness, housekeeper, 128 * MIB);
        final PartitionLog log = partition.log();
        final WriterHarness.TestCaller caller = harness.caller(0, MIB);
        final HousekeeperCounters counters = housekeeper.counters();

        int tag = 0;
        for (int i = 0; i < 40; i++)
        {
            // 5 batches of 16 KiB and a bit: the size is rarely on a page boundary when the housekeeper steps
            tag = appendAfterHousekeeping(harness, housekeeper, caller, partition, tag, 5);
        }
        while (housekeeper.doWork() > 0)
        {
            assertThat(tag).isPositive();
        }
        final LogSegment segment = log.activeSegment();
        assertThat(segment.writableLimit()).isGreaterThan(segment.size());
        // one segment gated from 0, windows on page boundaries: every byte under the limit was zeroed once
        assertThat(counters.get(HousekeeperCounters.ZEROED_BYTES)).isEqualTo(segment.writableLimit());
        assertThat(counters.get(HousekeeperCounters.POPULATED_BYTES)).isEqualTo(segment.writableLimit());
        assertThat(counters.get(HousekeeperCounters.READ_AROUND_OFF)).isEqualTo(1);
        for (long position = segment.size(); position < segment.writableLimit(); position++)
        {
            if (0 != segment.buffer().getByte((int)position))
            {
                throw new AssertionError("byte " + position + " above the size is not zero");
            }
        }
        assertThat(io.loggia.engine.writer.PartitionWriterTestAccess.tagsInLog(log)).hasSize(tag);
        assertThat(caller.completions).allSatisfy(c -> assertThat(c.errorCode()).isEqualTo(KafkaErrors.NONE));
        assertThat(harness.errors.seen).isEmpty();
        harness.writer.closeNow();
        housekeeper.onClose();
    }

    /**
     * Orders-0 with 4 MiB segments under a housekeeper whose native calls are loaded, its active segment gated
     * from 0; skips the test where native calls are not available.
     */
    private static Partition gatedPartitionOf4MiBSegments(final WriterHarness harness, final Housekeeper housekeeper)
        throws java.io.IOException
    {
        return gatedPartition(harness, housekeeper, 4 * MIB);
    }

    /** As {@link #gatedPartitionOf4MiBSegments}, with segments of {@code segmentBytes}. */
    private static Partition gatedPartition(
        final WriterHarness harness, final Housekeeper housekeeper, final int segmentBytes) throws java.io.IOException
    {
        housekeeper.loadNative();
        assumeTrue(Housekeeper.NATIVE_READY == housekeeper.nativeState(), "native calls are available on Linux only");
        final Partition partition = harness.createPartition("orders", 0, TestBatches.config(
            LogConfig.SEGMENT_BYTES, Integer.toString(segmentBytes)));
        partition.log().activeSegment().writableLimit(0);
        harness.doWork();
        return partition;
    }

    /** Run the housekeeper until it has nothing to do, then append {@code batches} 16 KiB batches; the next tag. */
    private static int appendAfterHousekeeping(
        final WriterHarness harness,
        final Housekeeper housekeeper,
        final WriterHarness.TestCaller caller,
        final Partition partition,
        final int firstTag,
        final int batches)
    {
        while (housekeeper.doWork() > 0)
        {
            assertThat(firstTag).isLessThan(40_000);
        }
        int tag = firstTag;
        for (int i = 0; i < batches; i++)
        {
            caller.offer(partition, tag, 1, TestBatches.batch(1, 16 * 1024, 1_000, tag));
            tag++;
        }
        harness.doWork();
        caller.poll();
        return tag;
    }

    private static long preparedFiles(final PartitionLog log) throws java.io.IOException
    {
        try (var files = Files.list(log.dir()))
        {
            return files.filter(p -> p.toString().endsWith(LogFiles.PREPARED_SUFFIX)).count();
        }
    }

    @Test
    void withoutNativeCallsTheWholeSegmentIsWritableAndPagesAreTouchedAhead() throws Exception
    {
        final WriterHarness harness = new WriterHarness(logDir, 4 * MIB, true);
        final Housekeeper housekeeper = housekeeper(harness, false, MIB);
        assertThat(housekeeper.nativeState()).isEqualTo(Housekeeper.NATIVE_UNAVAILABLE);
        final Partition partition = harness.createPartition("orders", 0, TestBatches.config(
            LogConfig.SEGMENT_BYTES, Integer.toString(8 * MIB)));
        final LogSegment segment = partition.log().activeSegment();
        segment.writableLimit(0);
        harness.doWork();

        housekeeper.doWork();
        assertThat(segment.writableLimit()).isEqualTo(segment.capacity());
        while (housekeeper.doWork() > 0)
        {
            assertThat(housekeeper.counters().get(HousekeeperCounters.TOUCHED_BYTES))
                .isLessThanOrEqualTo(Housekeeper.FIRST_WINDOW_BYTES);
        }
        assertThat(housekeeper.counters().get(HousekeeperCounters.TOUCHED_BYTES))
            .isEqualTo(Housekeeper.FIRST_WINDOW_BYTES);

        final WriterHarness.TestCaller caller = harness.caller(0, MIB);
        for (int i = 0; i < 40; i++)
        {
            caller.offer(partition, i, 1, TestBatches.batch(1, 16 * 1024, 1_000, i));
        }
        harness.drain();
        while (housekeeper.doWork() > 0)
        {
            harness.drain();
        }
        // 640 KiB written: the window ahead of it is as large, touched a chunk at a time
        assertThat(housekeeper.counters().get(HousekeeperCounters.TOUCHED_BYTES)).isGreaterThan(MIB / 2);
        caller.poll();
        assertThat(caller.completions).hasSize(40);
        assertThat(harness.errors.seen).isEmpty();
    }

    /**
     * The housekeeper pre-touches the active segment's pages ahead of the writer; without native calls that is a
     * plain write fault from Java, so a roll that cut the segment's file under it raised SIGBUS (an InternalError
     * in the housekeeper). The housekeeper is held inside the partition here, as if mid-touch, while the writer
     * rolls: the old segment stops taking appends but keeps its file whole, and is cut and handed over to be
     * forced only once the writer has seen the housekeeper outside.
     */
    @Test
    void aRollCutsTheSealedSegmentOnlyAfterTheHousekeeperLeftIt() throws Exception
    {
        final WriterHarness harness = new WriterHarness(logDir, 4 * MIB, true);
        final Housekeeper housekeeper = housekeeper(harness, false, 256 * 1024);
        final int segmentBytes = 256 * 1024;
        final Partition partition = harness.createPartition("orders", 0, TestBatches.config(
            LogConfig.SEGMENT_BYTES, Integer.toString(segmentBytes)));
        final PartitionLog log = partition.log();
        final LogSegment first = log.activeSegment();
        harness.doWork();
        housekeeper.doWork();
        final WriterHarness.TestCaller caller = harness.caller(0, MIB);
        int tag = 0;
        final var space = partition.space();
        // the housekeeper's thread is inside this partition, touching the published (first) segment
        assertThat(space.enter()).isSameAs(first);
        while (log.segments().length < 2)
        {
            assertThat(caller.offer(partition, tag, 1, batchOf(16 * 1024, tag))).isEqualTo(AppendProxy.OFFERED);
            tag++;
            harness.doWork();
        }
        assertThat(first.isActive()).isFalse();
        assertThat(Files.size(first.logFile())).as("not cut while the housekeeper is inside").isEqualTo(segmentBytes);
        assertThat(LogSegment.isSealed(first.sealEpoch())).as("not handed over to be forced yet").isFalse();
        harness.clock.advance(100);
        harness.doWork();
        assertThat(Files.size(first.logFile())).isEqualTo(segmentBytes);

        space.exit();
        harness.clock.advance(100);
        harness.doWork();
        assertThat(Files.size(first.logFile())).isEqualTo(first.size());
        assertThat(LogSegment.isSealed(first.sealEpoch())).isTrue();
        for (int steps = 0; housekeeper.doWork() > 0; steps++)
        {
            assertThat(steps).isLessThan(100);
        }
        harness.clock.advance(100);
        harness.doWork();
        assertThat(housekeeper.counters().get(HousekeeperCounters.SEGMENTS_FORCED)).isEqualTo(1);
        assertThat(log.flushedOffset()).isEqualTo(log.activeSegment().baseOffset());

        // with the housekeeper outside at the roll, the cut is immediate
        final LogSegment second = log.activeSegment();
        while (log.segments().length < 3)
        {
            assertThat(caller.offer(partition, tag, 1, batchOf(16 * 1024, tag))).isEqualTo(AppendProxy.OFFERED);
            tag++;
            harness.doWork();
        }
        assertThat(Files.size(second.logFile())).isEqualTo(second.size());
        assertThat(LogSegment.isSealed(second.sealEpoch())).isTrue();
        // the batch that rolled waits for the housekeeper's first window of the new segment
        for (int steps = 0; housekeeper.doWork() + harness.drain() > 0; steps++)
        {
            assertThat(steps).isLessThan(100);
        }
        caller.poll();
        assertThat(caller.completions).hasSize(tag);
        assertThat(harness.errors.seen).isEmpty();
        harness.writer.closeNow();
        housekeeper.onClose();
    }

    /**
     * Live fuzz soak run 7: a CreatePartitions to 4,607 partitions made one housekeeper pass prepare every new
     * partition's first window, and other partitions' appends waited at their gates for over 5 s. Here 1,000 new
     * partitions each need a first window (64 KiB pre-touched from Java, some milliseconds in all, more than one
     * pass's budget) and the last one created has a writer waiting at its gate: the first pass serves the waiting
     * one and stops before it has served them all; later passes resume where it stopped.
     */
    @Test
    void aWriterWaitingAtItsGateIsServedFirstAndOnePassDoesNotServeEveryNewPartition() throws Exception
    {
        final WriterHarness harness = new WriterHarness(logDir, MIB, true);
        final Housekeeper housekeeper = housekeeper(harness, false, MIB);
        final LogConfig config = TestBatches.config(LogConfig.SEGMENT_BYTES, Integer.toString(MIB));
        final int count = 1_000;
        Partition waiting = null;
        for (int i = 0; i < count; i++)
        {
            waiting = harness.createPartition("many", i, config);
        }
        final LogSegment gated = waiting.log().activeSegment();
        gated.writableLimit(0);
        final WriterHarness.TestCaller caller = harness.caller(0, MIB);
        assertThat(caller.offer(waiting, 1, 1, batchOf(1024, 1))).isEqualTo(AppendProxy.OFFERED);
        harness.doWork();
        assertThat(waiting.space().isAwaitingSpace()).isTrue();

        housekeeper.doWork();
        assertThat(gated.writableLimit()).as("the waiting writer's window").isEqualTo(gated.capacity());
        final long firstPass = housekeeper.counters().get(HousekeeperCounters.TOUCHED_BYTES);
        assertThat(firstPass).as("one pass stops at its budget").isLessThan(count * Housekeeper.FIRST_WINDOW_BYTES);

        for (int steps = 0; housekeeper.doWork() > 0; steps++)
        {
            assertThat(steps).isLessThan(10 * count);
        }
        assertThat(housekeeper.counters().get(HousekeeperCounters.TOUCHED_BYTES))
            .isEqualTo(count * Housekeeper.FIRST_WINDOW_BYTES);
        harness.drain();
        caller.poll();
        assertThat(caller.completions).hasSize(1);
        assertThat(caller.last().errorCode()).isEqualTo(KafkaErrors.NONE);
        assertThat(harness.errors.seen).isEmpty();
        harness.writer.closeNow();
        housekeeper.onClose();
    }

    @Test
    void checkpointsFollowTheirIntervalsAndDeletedDirectoriesGo() throws Exception
    {
        final WriterHarness harness = new WriterHarness(logDir, MIB, false);
        final Housekeeper housekeeper = housekeeper(harness, false, 0);
        final Partition partition = harness.createPartition("orders", 2, TestBatches.config());
        final WriterHarness.TestCaller caller = harness.caller(0, MIB);
        caller.offer(partition, 1, 1, TestBatches.batch(5, 10, 1_000, 1));
        harness.doWork();
        partition.log().flush(Long.MAX_VALUE);

        housekeeper.doWork();
        final Path recoveryPoints = logDir.resolve(LogFiles.RECOVERY_POINT_CHECKPOINT_FILE);
        assertThat(Files.exists(recoveryPoints)).isFalse();
        harness.clock.advance(60_000);
        housekeeper.doWork();
        final TopicPartition topicPartition = partition.topicPartition();
        final Object2LongHashMap<TopicPartition> points = OffsetCheckpointFile.read(recoveryPoints);
        assertThat(points.getValue(topicPartition)).isEqualTo(5);
        assertThat(OffsetCheckpointFile.read(logDir.resolve(LogFiles.REPLICATION_OFFSET_CHECKPOINT_FILE))
            .getValue(topicPartition)).isEqualTo(5);
        assertThat(OffsetCheckpointFile.read(logDir.resolve(LogFiles.LOG_START_OFFSET_CHECKPOINT_FILE))
            .getValue(topicPartition)).isZero();

        final Path doomed = Files.createDirectories(logDir.resolve("gone-0.0123-delete"));
        Files.write(doomed.resolve("00000000000000000000.log"), new byte[100]);
        final AtomicReference<String> outcome = new AtomicReference<>();
        assertThat(housekeeper.offer(doomed, partition, (p, error, value) -> outcome.set("deleted " + error))).isTrue();
        housekeeper.doWork();
        assertThat(Files.exists(doomed)).isFalse();
        assertThat(outcome.get()).isEqualTo("deleted 0");
        assertThat(housekeeper.counters().get(HousekeeperCounters.CHECKPOINTS)).isEqualTo(3);
        assertThat(harness.errors.seen).isEmpty();
    }

    @Test
    void sealedSegmentsAreForcedOffTheWriterThreadAndTheRecoveryPointFollows() throws Exception
    {
        // no windows at all: flush on roll does not depend on them
        final WriterHarness harness = new WriterHarness(logDir, MIB, false);
        final Housekeeper housekeeper = housekeeper(harness, false, 0);
        final Partition partition = harness.createPartition("orders", 0, TestBatches.config(
            LogConfig.SEGMENT_BYTES, Integer.toString(64 * 1024)));
        final PartitionLog log = partition.log();
        final WriterHarness.TestCaller caller = harness.caller(0, MIB);
        int tag = 0;
        while (log.segments().length < 4)
        {
            assertThat(caller.offer(partition, tag, 1, batchOf(4096, tag))).isEqualTo(AppendProxy.OFFERED);
            tag++;
            harness.doWork();
            caller.poll();
        }
        harness.clock.advance(100);
        harness.doWork();
        assertThat(log.flushedOffset()).as("the writer forces nothing when it rolls").isZero();

        for (int steps = 0; housekeeper.doWork() > 0; steps++)
        {
            assertThat(steps).isLessThan(100);
        }
        assertThat(housekeeper.counters().get(HousekeeperCounters.SEGMENTS_FORCED)).isEqualTo(3);
        harness.clock.advance(100);
        harness.doWork();
        final LogSegment active = log.activeSegment();
        assertThat(log.flushedOffset()).isEqualTo(active.baseOffset());

        harness.clock.advance(60_000);
        housekeeper.doWork();
        final Path recoveryPoints = logDir.resolve(LogFiles.RECOVERY_POINT_CHECKPOINT_FILE);
        final long recoveryPoint = OffsetCheckpointFile.read(recoveryPoints).getValue(partition.topicPartition());
        assertThat(recoveryPoint).isEqualTo(active.baseOffset());

        // an unclean restart from that checkpoint scans the active segment only
        final Path crashed = logDir.resolve("crashed");
        final Path crashedDir = LogFiles.partitionDir(crashed, partition.topicPartition());
        Files.createDirectories(crashedDir);
        try (var files = Files.list(log.dir()))
        {
            for (final Path file : files.toList())
            {
                Files.copy(file, crashedDir.resolve(file.getFileName()));
            }
        }
        final long end = log.logEndOffset();
        final io.loggia.engine.log.RecoveryReport report = new io.loggia.engine.log.RecoveryReport();
        io.loggia.engine.log.LogLoader.load(crashed, partition.topicPartition(), partition.config(), false,
            recoveryPoint, 0, 0, 0, harness.errors, report).close();
        assertThat(report.segmentsRecovered).isEqualTo(1);
        assertThat(report.logEndOffset).isEqualTo(end);
        assertThat(report.lostData()).isFalse();

        // a truncation into a forced segment re-opens it: the recovery point comes down to the cut, and moves
        // past the segment again only once its next seal is forced
        final long cut = log.segments()[1].baseOffset() + 1;
        harness.writer.offer(io.loggia.engine.writer.WriterCommand.truncate(partition, cut, null));
        harness.doWork();
        assertThat(log.segments()).hasSize(2);
        assertThat(log.logEndOffset()).isEqualTo(cut);
        assertThat(log.flushedOffset()).isEqualTo(cut);
        while (log.segments().length < 3)
        {
            assertThat(caller.offer(partition, tag, 1, batchOf(4096, tag))).isEqualTo(AppendProxy.OFFERED);
            tag++;
            harness.doWork();
            caller.poll();
        }
        harness.clock.advance(100);
        harness.doWork();
        assertThat(log.flushedOffset()).isEqualTo(cut);
        for (int steps = 0; housekeeper.doWork() > 0; steps++)
        {
            assertThat(steps).isLessThan(100);
        }
        harness.clock.advance(100);
        harness.doWork();
        assertThat(housekeeper.counters().get(HousekeeperCounters.SEGMENTS_FORCED)).isEqualTo(4);
        assertThat(log.flushedOffset()).isEqualTo(log.activeSegment().baseOffset());
        assertThat(harness.errors.seen).isEmpty();
        harness.writer.closeNow();
        housekeeper.onClose();
    }

    static UnsafeBuffer batchOf(final int bytes, final long tag)
    {
        return TestBatches.batch(1, bytes, 1_000, tag);
    }
}
