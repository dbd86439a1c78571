package io.loggia.engine.log;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class LogLoaderTest
{
    private static final long T0 = 1_700_000_000_000L;
    private static final LogConfig CONFIG = TestLogs.config(
        LogConfig.SEGMENT_BYTES, "16384", LogConfig.INDEX_INTERVAL_BYTES, "512", LogConfig.SEGMENT_INDEX_BYTES, "4096");

    @TempDir
    Path logDir;

    private final TestLogs.Errors errors = new TestLogs.Errors();
    private final LogFixture fixture = new LogFixture(new Random(7));
    private final RecoveryReport report = new RecoveryReport();
    private final TimestampLookup lookup = new TimestampLookup();
    private PartitionLog log;

    @AfterEach
    void close()
    {
        if (null != log)
        {
            log.close();
        }
        assertThat(errors.seen).isEmpty();
    }

    @Test
    void cleanShutdownTrustsSizesAndScansNothing() throws IOException
    {
        log = TestLogs.open(logDir, CONFIG, errors);
        fixture.appendRandom(log, 100, T0);
        final long end = log.logEndOffset();
        final int segments = log.segments().length;
        final long maxOffset = log.offsetOfMaxTimestamp(Long.MAX_VALUE, lookup);
        final long maxTimestamp = lookup.timestamp;
        final long activeSize = log.activeSegment().size();
        final Path activeFile = log.activeSegment().logFile();
        log.close();
        assertThat(Files.size(activeFile)).isEqualTo(activeSize);

        log = LogFixture.load(logDir, CONFIG, true, end, report, errors);
        assertThat(report.segmentsRecovered).isZero();
        assertThat(report.bytesScanned).isZero();
        assertThat(report.indexesRebuilt).isZero();
        assertThat(report.truncated).isFalse();
        assertThat(log.segments()).hasSize(segments);
        assertThat(log.logEndOffset()).isEqualTo(end);
        assertThat(log.flushedOffset()).isEqualTo(end);
        assertThat(log.activeSegment().size()).isEqualTo(activeSize);
        assertThat(log.activeSegment().capacity()).isEqualTo(16384);
        assertThat(Files.size(log.activeSegment().logFile())).isEqualTo(16384);
        assertThat(log.offsetOfMaxTimestamp(Long.MAX_VALUE, lookup)).isEqualTo(maxOffset);
        assertThat(lookup.timestamp).isEqualTo(maxTimestamp);
        fixture.assertLogHolds(log, 0);
        fixture.appendRandom(log, 10, T0);
        fixture.assertLogHolds(log, 0);
    }

    @Test
    void rebuildsMissingOrBrokenIndexesAfterACleanShutdown() throws IOException
    {
        log = TestLogs.open(logDir, CONFIG, errors);
        fixture.appendRandom(log, 100, T0);
        final long end = log.logEndOffset();
        final LogSegment[] segments = log.segments();
        final Path dir = log.dir();
        log.close();
        Files.delete(LogFiles.offsetIndexFile(dir, segments[0].baseOffset()));
        Files.delete(LogFiles.timeIndexFile(dir, segments[1].baseOffset()));
        final Path broken = LogFiles.offsetIndexFile(dir, segments[2].baseOffset());
        final byte[] bytes = Files.readAllBytes(broken);
        bytes[1] = (byte)0x7F;
        Files.write(broken, bytes);
        Files.write(LogFiles.offsetIndexFile(dir, segments[segments.length - 1].baseOffset()), new byte[]{ 1, 2, 3 });

        log = LogFixture.load(logDir, CONFIG, true, end, report, errors);
        assertThat(report.indexesRebuilt).isEqualTo(4);
        assertThat(report.segmentsRecovered).isZero();
        fixture.assertLogHolds(log, 0);
        for (final LogSegment segment : log.segments())
        {
            if (segment.size() > 2 * 512 + 2000)
            {
                assertThat(segment.offsetIndex().entries()).isPositive();
            }
        }
    }

    @Test
    void indexDamageThatPassesTheSanityCheckNeverMisdirectsReads() throws IOException
    {
        log = TestLogs.open(logDir, CONFIG, errors);
        final Random random = new Random(5);
        for (int i = 0; i < 100; i++)
        {
            // one record per batch, timestamps rising by 10: every index point adds a time index entry
            fixture.append(log, TestLogs.batchBytes(1, 100 + random.nextInt(200), T0 + 10L * i, random), 0);
        }
        final long end = log.logEndOffset();
        final LogSegment first = log.segments()[0];
        assertThat(first.offsetIndex().entries()).isGreaterThanOrEqualTo(3);
        assertThat(first.timeIndex().entries()).isGreaterThanOrEqualTo(3);
        final Path dir = log.dir();
        log.close();

        // entry 1 claims a smaller offset, still between its neighbours: sanityCheck cannot tell
        final Path offsetIndex = LogFiles.offsetIndexFile(dir, first.baseOffset());
        final byte[] entries = Files.readAllBytes(offsetIndex);
        final UnsafeBuffer buffer = new UnsafeBuffer(entries);
        final int previous = buffer.getInt(0, TestLogs.ORDER);
        buffer.putInt(8, previous + 1, TestLogs.ORDER);
        Files.write(offsetIndex, entries);
        // time entry 1 claims a timestamp just above entry 0's, still increasing: a lookup just above it would
        // start at entry 1's offset and skip earlier batches that qualify
        final Path timeIndex = LogFiles.timeIndexFile(dir, first.baseOffset());
        final byte[] timeEntries = Files.readAllBytes(timeIndex);
        final UnsafeBuffer timeBuffer = new UnsafeBuffer(timeEntries);
        final long firstTimestamp = timeBuffer.getLong(0, TestLogs.ORDER);
        timeBuffer.putLong(12, firstTimestamp + 1, TestLogs.ORDER);
        Files.write(timeIndex, timeEntries);

        log = LogFixture.load(logDir, CONFIG, true, end, report, errors);
        assertThat(report.indexesRebuilt).isZero();
        fixture.assertLogHolds(log, 0);
        for (final LogFixture.Stored stored : fixture.stored)
        {
            assertThat(log.read(stored.lastOffset(), 1, Long.MAX_VALUE, true, fixture.read)).isEqualTo(LogCodes.OK);
            assertThat(fixture.read.firstOffset).isEqualTo(stored.baseOffset());
        }
        long expected = -1;
        final long target = firstTimestamp + 2;
        for (final LogFixture.Stored stored : fixture.stored)
        {
            if (stored.maxTimestamp() >= target)
            {
                expected = stored.baseOffset();
                break;
            }
        }
        assertThat(log.offsetForTimestamp(target, Long.MAX_VALUE, lookup)).isEqualTo(expected);
    }

    @Test
    void uncleanShutdownScansOnlyFromTheRecoveryPoint() throws IOException
    {
        log = TestLogs.open(logDir, CONFIG, errors);
        fixture.appendRandom(log, 100, T0);
        final LogSegment[] segments = log.segments();
        assertThat(segments.length).isGreaterThan(3);
        final long recoveryPoint = segments[segments.length - 2].baseOffset() + 1;
        final Path crashed = logDir.resolve("crashed");
        TestLogs.copyFiles(log.dir(), LogFiles.partitionDir(crashed, TestLogs.TP));
        log.close();

        log = LogFixture.load(crashed, CONFIG, false, recoveryPoint, report, errors);
        assertThat(report.segmentsRecovered).isEqualTo(2);
        assertThat(report.bytesScanned).isEqualTo(segments[segments.length - 2].size() + segments[segments.length - 1].size());
        assertThat(report.truncated).isTrue();
        assertThat(report.truncatedAtZeroTail).isTrue();
        assertThat(report.lostData()).isFalse();
        assertThat(report.truncatedBytes).isEqualTo(16384 - segments[segments.length - 1].size());
        fixture.assertLogHolds(log, 0);
    }

    @Test
    void afterAnUncleanShutdownWhatWasScannedIsNotTakenToBeOnDiskUntilForced() throws IOException
    {
        log = TestLogs.open(logDir, CONFIG, errors);
        fixture.appendRandom(log, 100, T0);
        final LogSegment[] segments = log.segments();
        assertThat(segments.length).isGreaterThan(3);
        final long recoveryPoint = segments[1].baseOffset() + 1;
        final Path crashed = logDir.resolve("crashed");
        TestLogs.copyFiles(log.dir(), LogFiles.partitionDir(crashed, TestLogs.TP));
        log.close();

        // the scanned bytes may sit in the page cache only (a process crash): the recovery point stays
        log = LogFixture.load(crashed, CONFIG, false, recoveryPoint, report, errors);
        assertThat(log.flushedOffset()).isEqualTo(recoveryPoint);
        assertThat(log.advanceFlushedOverForcedSegments()).isFalse();
        final LogSegment[] loaded = log.segments();
        assertThat(loaded[0].isForced(loaded[0].sealEpoch())).isTrue();
        for (int i = 1; i < loaded.length - 1; i++)
        {
            final int epoch = loaded[i].sealEpoch();
            assertThat(LogSegment.isSealed(epoch)).isTrue();
            assertThat(loaded[i].isForced(epoch)).isFalse();
        }

        // forced as the housekeeper does after a roll: the recovery point moves over them
        for (int i = 1; i < loaded.length - 1; i++)
        {
            final int epoch = loaded[i].sealEpoch();
            assertThat(loaded[i].forceSealedChunk(0, Integer.MAX_VALUE)).isEqualTo(loaded[i].sealedSize());
            loaded[i].completeSealedForce(epoch);
        }
        assertThat(log.advanceFlushedOverForcedSegments()).isTrue();
        assertThat(log.flushedOffset()).isEqualTo(loaded[loaded.length - 1].baseOffset());
        assertThat(log.flush(Long.MAX_VALUE)).isEqualTo(LogCodes.OK);
        assertThat(log.flushedOffset()).isEqualTo(log.logEndOffset());
        fixture.assertLogHolds(log, 0);

        // after a clean shutdown everything is on disk
        log.close();
        log = LogFixture.load(crashed, CONFIG, true, 0, report, errors);
        assertThat(log.flushedOffset()).isEqualTo(log.logEndOffset());
    }

    @Test
    void deletesLeftoversAndOrphanIndexes() throws IOException
    {
        log = TestLogs.open(logDir, CONFIG, errors);
        fixture.appendRandom(log, 20, T0);
        final Path dir = log.dir();
        log.close();
        Files.write(dir.resolve("00000000000000000000.log.deleted"), new byte[10]);
        Files.write(dir.resolve("00000000000000000007.log.cleaned"), new byte[10]);
        Files.write(dir.resolve("00000000000000000008.log.swap"), new byte[10]);
        Files.write(dir.resolve("00000000000000099999.index"), new byte[16]);
        Files.write(dir.resolve("00000000000000099999.timeindex"), new byte[24]);
        Files.write(dir.resolve("leader-epoch-checkpoint"), new byte[]{ '0', '\n' });

        log = LogFixture.load(logDir, CONFIG, true, 0, report, errors);
        assertThat(report.leftoverFilesDeleted).isEqualTo(5);
        assertThat(Files.exists(dir.resolve("leader-epoch-checkpoint"))).isTrue();
        try (var files = Files.list(dir))
        {
            assertThat(files.map(p -> p.getFileName().toString()))
                .noneMatch(name -> name.contains("99999") || name.endsWith(".deleted") || name.endsWith(".swap"));
        }
        fixture.assertLogHolds(log, 0);
    }

    @Test
    void restartsEmptyWhenTheCheckpointedStartIsPastTheEnd() throws IOException
    {
        log = TestLogs.open(logDir, CONFIG, errors);
        fixture.appendRandom(log, 20, T0);
        log.close();
        log = LogLoader.load(logDir, TestLogs.TP, CONFIG, true, 0, 1000, 0, 0, errors, report);
        assertThat(log.logStartOffset()).isEqualTo(1000);
        assertThat(log.logEndOffset()).isEqualTo(1000);
        assertThat(log.highWatermark()).isEqualTo(1000);
        assertThat(log.segments()).hasSize(1);
        assertThat(report.segmentsDeleted).isPositive();
    }

    @Test
    void aSealedSegmentThatMissedItsTrimIsCutWithoutLosingLaterSegments() throws IOException
    {
        log = TestLogs.open(logDir, CONFIG, errors);
        fixture.appendRandom(log, 60, T0);
        final LogSegment first = log.segments()[0];
        final Path dir = log.dir();
        final long end = log.logEndOffset();
        log.close();
        try (RandomAccessFile file = new RandomAccessFile(LogFiles.logFile(dir, first.baseOffset()).toFile(), "rw"))
        {
            file.setLength(16384);
        }
        log = LogFixture.load(logDir, CONFIG, true, end, report, errors);
        assertThat(report.tailsTrimmed).isEqualTo(1);
        assertThat(report.lostData()).isFalse();
        assertThat(log.logEndOffset()).isEqualTo(end);
        assertThat(Files.size(LogFiles.logFile(dir, first.baseOffset()))).isEqualTo(first.size());
        fixture.assertLogHolds(log, 0);
    }
    @Test
    void aFileCutWithinTheZeroHighBytesOfTheNextBaseOffsetCountsAsLostData() throws IOException
    {
        // RecoveryProperties seed -19/CUT: the last batch's first two bytes (the zero high bytes of its base
        // offset) survived the cut and looked like preallocated space
        log = TestLogs.open(logDir, CONFIG, errors);
        fixture.appendRandom(log, 10, T0);
        final LogFixture.Stored last = fixture.stored.get(fixture.stored.size() - 1);
        final Path dir = log.dir();
        log.close();
        for (int kept = 1; kept < org.agrona.BitUtil.SIZE_OF_LONG; kept++)
        {
            final Path copy = logDir.resolve("cut-" + kept);
            TestLogs.copyFiles(dir, LogFiles.partitionDir(copy, TestLogs.TP));
            try (RandomAccessFile file = new RandomAccessFile(
                LogFiles.logFile(LogFiles.partitionDir(copy, TestLogs.TP), last.segmentBaseOffset()).toFile(), "rw"))
            {
                file.setLength(last.position() + kept);
            }
            final PartitionLog recovered = LogFixture.load(copy, CONFIG, false, 0, report, errors);
            try
            {
                assertThat(report.truncated).as(report.toString()).isTrue();
                assertThat(report.truncatedAtOffset).isEqualTo(last.baseOffset());
                assertThat(report.truncatedAtZeroTail).as(report.toString()).isFalse();
                assertThat(report.lostData()).as(report.toString()).isTrue();
            }
            finally
            {
                recovered.close();
            }
        }
    }

    @Test
    void zerosAreAPreallocatedTailWhenABatchCouldNotHaveBegunThere()
    {
        final UnsafeBuffer zeros = new UnsafeBuffer(new byte[64]);
        // 12 zeros: a batch that had begun would show its length there
        assertThat(RecoveryScan.isPreallocatedTail(zeros, 40, 52, 1 << 20)).isTrue();
        // fewer, in a file shorter than segment.bytes: the file was cut, a batch may have begun
        assertThat(RecoveryScan.isPreallocatedTail(zeros, 41, 52, 1 << 20)).isFalse();
        // fewer, at the end of a file of segment.bytes: too little room for a batch, the writer rolled
        assertThat(RecoveryScan.isPreallocatedTail(zeros, 59, 64, 64)).isTrue();
        zeros.putByte(50, (byte)1);
        assertThat(RecoveryScan.isPreallocatedTail(zeros, 20, 64, 64)).isFalse();
    }
}
