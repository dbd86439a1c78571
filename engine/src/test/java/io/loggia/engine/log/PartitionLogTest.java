package io.loggia.engine.log;

import io.loggia.codec.record.BatchValidator;
import io.loggia.codec.record.RecordBatch;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.loggia.engine.log.TestLogs.append;
import static io.loggia.engine.log.TestLogs.batchBytes;
import static io.loggia.engine.log.TestLogs.batches;
import static io.loggia.engine.log.TestLogs.bytesOf;
import static io.loggia.engine.log.TestLogs.stamped;
import static org.assertj.core.api.Assertions.assertThat;

class PartitionLogTest
{
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path logDir;

    private final Random random = new Random(42);
    private final TestLogs.Errors errors = new TestLogs.Errors();
    private final AppendInfo info = new AppendInfo();
    private final ReadResult read = new ReadResult();
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
    void assignsOffsetsStampsEpochAndReadsBackByteForByte() throws IOException
    {
        log = TestLogs.open(logDir, TestLogs.config(), errors);
        final byte[] a = batchBytes(1, 10, T0, random);
        final byte[] b = batchBytes(5, 10, T0 + 1, random);
        final byte[] c = batchBytes(3, 10, T0 + 2, random);

        assertThat(append(log, a, 7, T0, info)).isEqualTo(LogCodes.OK);
        assertThat(info.firstOffset).isZero();
        assertThat(info.lastOffset).isZero();
        assertThat(info.logAppendTimeMs).isEqualTo(-1);
        assertThat(append(log, b, 7, T0, info)).isEqualTo(LogCodes.OK);
        assertThat(info.firstOffset).isEqualTo(1);
        assertThat(info.lastOffset).isEqualTo(5);
        assertThat(append(log, c, 8, T0, info)).isEqualTo(LogCodes.OK);
        assertThat(info.lastOffset).isEqualTo(8);
        assertThat(log.logEndOffset()).isEqualTo(9);
        assertThat(log.highWatermark()).isZero();

        assertThat(log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE, false, read)).isEqualTo(LogCodes.OK);
        assertThat(bytesOf(read)).isEqualTo(concat(stamped(a, 0, 7), stamped(b, 1, 7), stamped(c, 6, 8)));
        assertThat(read.firstOffset).isZero();
        assertThat(read.lastOffset).isEqualTo(8);
        assertThat(read.nextFetchOffset()).isEqualTo(9);
        batches(bytesOf(read));
    }

    @Test
    void readInsideBatchReturnsThatWholeBatch() throws IOException
    {
        log = TestLogs.open(logDir, TestLogs.config(), errors);
        final byte[] a = batchBytes(4, 10, T0, random);
        final byte[] b = batchBytes(4, 10, T0, random);
        append(log, a, 0, T0, info);
        append(log, b, 0, T0, info);

        assertThat(log.read(6, Integer.MAX_VALUE, Long.MAX_VALUE, false, read)).isEqualTo(LogCodes.OK);
        assertThat(read.firstOffset).isEqualTo(4);
        assertThat(bytesOf(read)).isEqualTo(stamped(b, 4, 0));
    }

    @Test
    void neverReturnsBatchesReachingTheBound() throws IOException
    {
        log = TestLogs.open(logDir, TestLogs.config(), errors);
        append(log, batchBytes(2, 10, T0, random), 0, T0, info);
        append(log, batchBytes(2, 10, T0, random), 0, T0, info);
        append(log, batchBytes(2, 10, T0, random), 0, T0, info);
        log.advanceHighWatermark(4);

        assertThat(log.read(0, Integer.MAX_VALUE, log.highWatermark(), false, read)).isEqualTo(LogCodes.OK);
        assertThat(read.lastOffset).isEqualTo(3);
        assertThat(log.read(4, Integer.MAX_VALUE, log.highWatermark(), false, read)).isEqualTo(LogCodes.NO_DATA);
        assertThat(read.highWatermark).isEqualTo(4);
        // a bound inside a batch excludes that batch
        assertThat(log.read(0, Integer.MAX_VALUE, 3, false, read)).isEqualTo(LogCodes.OK);
        assertThat(read.lastOffset).isEqualTo(1);
        assertThat(log.read(2, Integer.MAX_VALUE, 3, false, read)).isEqualTo(LogCodes.NO_DATA);
        assertThat(log.advanceHighWatermark(100)).isTrue();
        assertThat(log.highWatermark()).isEqualTo(6);
        assertThat(log.advanceHighWatermark(5)).isFalse();
    }

    @Test
    void maxBytesAndMinOneBatch() throws IOException
    {
        log = TestLogs.open(logDir, TestLogs.config(), errors);
        final byte[] a = batchBytes(1, 500, T0, random);
        final byte[] b = batchBytes(1, 500, T0, random);
        append(log, a, 0, T0, info);
        append(log, b, 0, T0, info);

        assertThat(log.read(0, a.length + b.length - 1, Long.MAX_VALUE, false, read)).isEqualTo(LogCodes.OK);
        assertThat(read.length).isEqualTo(a.length);
        assertThat(log.read(0, 10, Long.MAX_VALUE, false, read)).isEqualTo(LogCodes.MAX_BYTES_TOO_SMALL);
        assertThat(read.length).isZero();
        assertThat(log.read(0, 10, Long.MAX_VALUE, true, read)).isEqualTo(LogCodes.OK);
        assertThat(read.length).isEqualTo(a.length);
        assertThat(bytesOf(read)).isEqualTo(stamped(a, 0, 0));
    }

    @Test
    void outOfRangeBelowStartAndAboveEnd()
    {
        log = openLog();
        append(log, batchBytes(3, 10, T0, random), 0, T0, info);
        log.advanceHighWatermark(3);
        assertThat(log.read(-1, 100, Long.MAX_VALUE, true, read)).isEqualTo(LogCodes.OFFSET_OUT_OF_RANGE);
        assertThat(log.read(4, 100, Long.MAX_VALUE, true, read)).isEqualTo(LogCodes.OFFSET_OUT_OF_RANGE);
        assertThat(log.read(3, 100, Long.MAX_VALUE, true, read)).isEqualTo(LogCodes.NO_DATA);
        assertThat(log.deleteRecordsBefore(2, T0)).isEqualTo(LogCodes.OK);
        assertThat(log.logStartOffset()).isEqualTo(2);
        assertThat(log.read(1, 100, Long.MAX_VALUE, true, read)).isEqualTo(LogCodes.OFFSET_OUT_OF_RANGE);
        assertThat(log.read(2, 100, Long.MAX_VALUE, true, read)).isEqualTo(LogCodes.OK);
        assertThat(log.deleteRecordsBefore(4, T0)).isEqualTo(LogCodes.OFFSET_OUT_OF_RANGE);
    }

    @Test
    void logAppendTimeStampsMaxTimestampAttributeAndValidCrc() throws IOException
    {
        log = TestLogs.open(logDir, TestLogs.config(LogConfig.MESSAGE_TIMESTAMP_TYPE, "LogAppendTime"), errors);
        final byte[] a = batchBytes(3, 20, T0, random);
        assertThat(append(log, a, 1, T0 + 5000, info)).isEqualTo(LogCodes.OK);
        assertThat(info.logAppendTimeMs).isEqualTo(T0 + 5000);

        log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE, true, read);
        final byte[] stored = bytesOf(read);
        final RecordBatch batch = new RecordBatch().wrap(new UnsafeBuffer(stored), 0);
        assertThat(batch.isLogAppendTime()).isTrue();
        assertThat(batch.maxTimestamp()).isEqualTo(T0 + 5000);
        assertThat(batch.baseTimestamp()).isEqualTo(T0);
        assertThat(new BatchValidator().validate(new UnsafeBuffer(stored), 0, stored.length, Integer.MAX_VALUE))
            .isEqualTo(BatchValidator.VALID);
    }

    @Test
    void rollsWhenFullAndReadsAcrossSegments() throws IOException
    {
        log = TestLogs.open(logDir, TestLogs.config(LogConfig.SEGMENT_BYTES, "4096", LogConfig.INDEX_INTERVAL_BYTES, "256"), errors);
        final List<byte[]> stored = new ArrayList<>();
        long next = 0;
        for (int i = 0; i < 60; i++)
        {
            final byte[] batch = batchBytes(1 + random.nextInt(3), 100 + random.nextInt(200), T0 + i, random);
            assertThat(append(log, batch, 0, T0, info)).isEqualTo(LogCodes.OK);
            stored.add(stamped(batch, next, 0));
            next = info.lastOffset + 1;
        }
        assertThat(log.segments().length).isGreaterThan(5);
        for (final LogSegment segment : log.segments())
        {
            assertThat(segment.size()).isLessThanOrEqualTo(4096);
            if (segment != log.activeSegment())
            {
                assertThat(Files.size(segment.logFile())).isEqualTo(segment.size());
                assertThat(segment.offsetIndex().entries()).isGreaterThan(0);
            }
        }
        assertThat(Files.size(log.activeSegment().logFile())).isEqualTo(4096);

        final List<byte[]> readBack = new ArrayList<>();
        long fetch = 0;
        while (fetch < log.logEndOffset())
        {
            assertThat(log.read(fetch, 1000, Long.MAX_VALUE, true, read)).isEqualTo(LogCodes.OK);
            for (final TestLogs.Batch batch : batches(bytesOf(read)))
            {
                final byte[] bytes = new byte[batch.size()];
                System.arraycopy(bytesOf(read), batch.position(), bytes, 0, batch.size());
                readBack.add(bytes);
            }
            fetch = read.nextFetchOffset();
        }
        assertThat(readBack).hasSameSizeAs(stored);
        for (int i = 0; i < stored.size(); i++)
        {
            assertThat(readBack.get(i)).isEqualTo(stored.get(i));
        }
    }

    @Test
    void aSealedSegmentIndexesItsLargestTimestampAsKafkaDoesOnRoll() throws IOException
    {
        // index.interval.bytes larger than the segment: no ordinary index entry is ever written
        final LogConfig config = TestLogs.config(LogConfig.SEGMENT_BYTES, "4096", LogConfig.INDEX_INTERVAL_BYTES, "100000");
        log = TestLogs.open(logDir, config, errors);
        assertThat(append(log, batchBytes(2, 10, T0 + 5, random), 0, T0, info)).isEqualTo(LogCodes.OK);
        assertThat(append(log, batchBytes(3, 10, T0 + 20, random), 0, T0, info)).isEqualTo(LogCodes.OK);
        final long offsetOfMax = info.lastOffset;
        assertThat(append(log, batchBytes(1, 10, T0 + 21, random), 0, T0, info)).isEqualTo(LogCodes.OK);
        assertThat(append(log, batchBytes(1, 10, T0 + 1, random), 0, T0, info)).isEqualTo(LogCodes.OK);
        final LogSegment first = log.activeSegment();
        assertThat(first.timeIndex().entries()).isZero();

        assertThat(log.roll(T0)).isEqualTo(LogCodes.OK);
        // the batch with timestamps T0+20..T0+22 holds the largest one, 22
        assertThat(first.timeIndex().entries()).isEqualTo(1);
        assertThat(first.timeIndex().lastTimestamp()).isEqualTo(T0 + 22);
        assertThat(first.timeIndex().lastOffset()).isEqualTo(offsetOfMax);
        assertThat(Files.size(first.timeIndex().file())).isEqualTo(io.loggia.index.TimeIndex.ENTRY_SIZE);

        // the active segment gets it when the log closes; a rebuild of a sealed segment adds it again
        assertThat(append(log, batchBytes(2, 10, T0 + 40, random), 0, T0, info)).isEqualTo(LogCodes.OK);
        final long activeBase = log.activeSegment().baseOffset();
        log.close();
        log = null;
        final Path dir = LogFiles.partitionDir(logDir, TestLogs.TP);
        assertThat(Files.size(LogFiles.timeIndexFile(dir, activeBase))).isEqualTo(io.loggia.index.TimeIndex.ENTRY_SIZE);
        Files.delete(LogFiles.timeIndexFile(dir, 0));
        log = LogFixture.load(logDir, config, true, Long.MAX_VALUE, new RecoveryReport(), errors);
        final LogSegment reloaded = log.segments()[0];
        assertThat(reloaded.timeIndex().entries()).isEqualTo(1);
        assertThat(reloaded.timeIndex().lastTimestamp()).isEqualTo(T0 + 22);
        assertThat(reloaded.timeIndex().lastOffset()).isEqualTo(offsetOfMax);
    }

    @Test
    void rollsBySegmentMsMeasuredFromFirstBatchTimestamp()
    {
        log = openLog(LogConfig.SEGMENT_MS, "1000");
        append(log, batchBytes(1, 10, T0, random), 0, T0, info);
        append(log, batchBytes(1, 10, T0 + 1000, random), 0, T0, info);
        assertThat(info.rolled).isFalse();
        append(log, batchBytes(1, 10, T0 + 1001, random), 0, T0, info);
        assertThat(info.rolled).isTrue();
        assertThat(log.segments()).hasSize(2);
        assertThat(log.activeSegment().baseOffset()).isEqualTo(2);
    }

    @Test
    void rollsWhenAnIndexIsFull()
    {
        log = openLog(LogConfig.SEGMENT_INDEX_BYTES, "24", LogConfig.INDEX_INTERVAL_BYTES, "0");
        for (int i = 0; i < 10; i++)
        {
            assertThat(append(log, batchBytes(1, 10, T0 + i, random), 0, T0, info)).isEqualTo(LogCodes.OK);
        }
        // one time index entry fills it (its last slot is kept for the entry on seal), the first batch of each
        // segment is not indexed: two batches per segment
        assertThat(log.segments()).hasSize(5);
    }

    @Test
    void rejectsBatchesTooLargeForMessageOrSegment()
    {
        log = openLog(LogConfig.MAX_MESSAGE_BYTES, "1000", LogConfig.SEGMENT_BYTES, "1500");
        assertThat(append(log, batchBytes(1, 1000, T0, random), 0, T0, info)).isEqualTo(LogCodes.MESSAGE_TOO_LARGE);
        final byte[] a = batchBytes(1, 800, T0, random);
        final byte[] region = concat(a, a);
        assertThat(log.append(new UnsafeBuffer(region), 0, region.length, 0, T0, info))
            .isEqualTo(LogCodes.BATCH_LARGER_THAN_SEGMENT);
        assertThat(log.append(new UnsafeBuffer(region), 0, a.length + 10, 0, T0, info))
            .isEqualTo(LogCodes.CORRUPT_INPUT);
        assertThat(log.logEndOffset()).isZero();
        assertThat(log.append(new UnsafeBuffer(region), 0, a.length, 0, T0, info)).isEqualTo(LogCodes.OK);
    }

    @Test
    void neverWritesPastTheWritableLimit()
    {
        log = openLog();
        append(log, batchBytes(1, 100, T0, random), 0, T0, info);
        final LogSegment active = log.activeSegment();
        final int size = active.size();
        active.writableLimit(size + 50);
        assertThat(append(log, batchBytes(1, 100, T0, random), 0, T0, info)).isEqualTo(LogCodes.WRITABLE_LIMIT_REACHED);
        assertThat(active.size()).isEqualTo(size);
        assertThat(log.logEndOffset()).isEqualTo(1);
        active.writableLimit(active.capacity());
        assertThat(append(log, batchBytes(1, 100, T0, random), 0, T0, info)).isEqualTo(LogCodes.OK);
        assertThat(info.firstOffset).isEqualTo(1);
    }

    @Test
    void aFailedRollIsAStorageErrorAndTheLogStaysUsable() throws IOException
    {
        log = openLog(LogConfig.SEGMENT_BYTES, "1024");
        final byte[] batch = batchBytes(1, 250, T0, random);
        append(log, batch, 0, T0, info);
        append(log, batch, 0, T0, info);
        append(log, batch, 0, T0, info);
        // a directory where the next segment's file must go makes its creation fail
        final Path obstacle = LogFiles.logFile(log.dir(), 3);
        Files.createDirectories(obstacle);
        assertThat(append(log, batch, 0, T0, info)).isEqualTo(LogCodes.STORAGE_ERROR);
        assertThat(errors.seen).hasSize(1);
        errors.seen.clear();
        assertThat(log.logEndOffset()).isEqualTo(3);
        assertThat(log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE, true, read)).isEqualTo(LogCodes.OK);
        assertThat(batches(bytesOf(read))).hasSize(3);

        Files.delete(obstacle);
        assertThat(append(log, batch, 0, T0, info)).isEqualTo(LogCodes.OK);
        assertThat(info.firstOffset).isEqualTo(3);
        assertThat(info.rolled).isTrue();
    }

    @Test
    void truncateWithinActiveZeroesTheDroppedBytes() throws IOException
    {
        log = openLog();
        final byte[] a = batchBytes(2, 50, T0, random);
        final byte[] b = batchBytes(2, 50, T0, random);
        append(log, a, 0, T0, info);
        append(log, b, 0, T0, info);
        log.advanceHighWatermark(4);
        assertThat(log.truncateTo(3, T0)).isEqualTo(LogCodes.OK);
        assertThat(log.logEndOffset()).isEqualTo(2);
        assertThat(log.highWatermark()).isEqualTo(2);
        assertThat(log.activeSegment().size()).isEqualTo(a.length);
        final UnsafeBuffer mapped = log.activeSegment().buffer();
        for (int i = a.length; i < a.length + b.length; i++)
        {
            assertThat(mapped.getByte(i)).isZero();
        }
        final byte[] c = batchBytes(1, 10, T0, random);
        append(log, c, 3, T0, info);
        assertThat(info.firstOffset).isEqualTo(2);
        log.read(0, Integer.MAX_VALUE, Long.MAX_VALUE, true, read);
        assertThat(bytesOf(read)).isEqualTo(concat(stamped(a, 0, 0), stamped(c, 2, 3)));
    }

    @Test
    void truncateIntoSealedSegmentReactivatesItAndDeletesLaterOnes() throws IOException
    {
        log = openLog(LogConfig.SEGMENT_BYTES, "2048", LogConfig.FILE_DELETE_DELAY_MS, "1000");
        for (int i = 0; i < 20; i++)
        {
            append(log, batchBytes(1, 300, T0, random), 0, T0, info);
        }
        final int segmentsBefore = log.segments().length;
        assertThat(segmentsBefore).isGreaterThan(3);
        final LogSegment second = log.segments()[1];
        final long target = second.baseOffset() + 1;
        assertThat(log.truncateTo(target, T0)).isEqualTo(LogCodes.OK);
        assertThat(log.segments()).hasSize(2);
        assertThat(log.activeSegment()).isSameAs(second);
        assertThat(log.logEndOffset()).isEqualTo(target);
        assertThat(log.pendingDeleteCount()).isEqualTo(segmentsBefore - 2);
        assertThat(Files.size(second.logFile())).isEqualTo(2048);
        try (var files = Files.list(log.dir()))
        {
            assertThat(files.filter(p -> p.toString().endsWith(LogFiles.DELETED_SUFFIX)).count())
                .isEqualTo(3L * (segmentsBefore - 2));
        }

        for (int i = 0; i < 10; i++)
        {
            assertThat(append(log, batchBytes(1, 300, T0, random), 0, T0, info)).isEqualTo(LogCodes.OK);
        }
        assertThat(info.lastOffset).isEqualTo(target + 9);
        long fetch = 0;
        int count = 0;
        while (fetch < log.logEndOffset())
        {
            assertThat(log.read(fetch, 1, Long.MAX_VALUE, true, read)).isEqualTo(LogCodes.OK);
            assertThat(read.firstOffset).isEqualTo(fetch);
            fetch = read.nextFetchOffset();
            count++;
        }
        assertThat(count).isEqualTo((int)(target + 10));

        assertThat(log.processDelayedDeletes(T0 + 999)).isZero();
        assertThat(log.processDelayedDeletes(T0 + 1000)).isEqualTo(segmentsBefore - 2);
        try (var files = Files.list(log.dir()))
        {
            assertThat(files.filter(p -> p.toString().endsWith(LogFiles.DELETED_SUFFIX)).count()).isZero();
        }
    }

    @Test
    void truncateBelowStartRestartsTheLogThere()
    {
        log = openLog();
        append(log, batchBytes(5, 10, T0, random), 0, T0, info);
        log.advanceHighWatermark(5);
        log.deleteRecordsBefore(3, T0);
        assertThat(log.truncateTo(1, T0)).isEqualTo(LogCodes.OK);
        assertThat(log.logStartOffset()).isEqualTo(1);
        assertThat(log.logEndOffset()).isEqualTo(1);
        assertThat(log.segments()).hasSize(1);
        assertThat(log.segments()[0].baseOffset()).isEqualTo(1);
        append(log, batchBytes(1, 10, T0, random), 0, T0, info);
        assertThat(info.firstOffset).isEqualTo(1);

        assertThat(log.truncateFullyAndStartAt(1, T0)).isEqualTo(LogCodes.OK);
        assertThat(log.logEndOffset()).isEqualTo(1);
        append(log, batchBytes(1, 10, T0, random), 0, T0, info);
        assertThat(info.firstOffset).isEqualTo(1);
    }

    @Test
    void retentionByTimeDeletesOnlyOldSealedSegmentsBelowTheHighWatermark()
    {
        log = openLog(LogConfig.SEGMENT_BYTES, "1024", LogConfig.RETENTION_MS, "10000");
        for (int i = 0; i < 9; i++)
        {
            // three batches per segment; segment k has timestamps T0 + 1000 k
            append(log, batchBytes(1, 250, T0 + 1000L * (i / 3), random), 0, T0, info);
        }
        assertThat(log.segments()).hasSize(3);
        assertThat(log.applyRetention(T0 + 10_001)).isZero();
        log.advanceHighWatermark(log.logEndOffset());
        assertThat(log.applyRetention(T0 + 10_000)).isZero();
        assertThat(log.applyRetention(T0 + 11_001)).isEqualTo(2);
        assertThat(log.logStartOffset()).isEqualTo(6);
        assertThat(log.segments()).hasSize(1);
        // the active segment qualifies too: it is rolled, then deleted, as Kafka does
        assertThat(log.applyRetention(T0 + 12_001)).isEqualTo(1);
        assertThat(log.segments()).hasSize(1);
        assertThat(log.activeSegment().size()).isZero();
        assertThat(log.logStartOffset()).isEqualTo(9);
        assertThat(log.logEndOffset()).isEqualTo(9);
    }

    @Test
    void retentionBySizeKeepsAtMostRetentionBytes()
    {
        log = openLog(LogConfig.SEGMENT_BYTES, "1024", LogConfig.RETENTION_BYTES, "2500");
        for (int i = 0; i < 12; i++)
        {
            append(log, batchBytes(1, 250, T0, random), 0, T0, info);
        }
        log.advanceHighWatermark(log.logEndOffset());
        final long before = log.sizeInBytes();
        final int deleted = log.applyRetention(T0);
        assertThat(deleted).isGreaterThan(0);
        // Kafka's rule: a segment goes only if the log still holds at least retention.bytes without it
        assertThat(before).isGreaterThan(2500);
        assertThat(log.sizeInBytes()).isGreaterThanOrEqualTo(2500);
        assertThat(log.sizeInBytes() - log.segments()[0].size()).isLessThan(2500);
        assertThat(log.logStartOffset()).isEqualTo(log.segments()[0].baseOffset());
    }

    @Test
    void compactOnlyTopicsKeepEverything()
    {
        log = openLog(LogConfig.SEGMENT_BYTES, "1024", LogConfig.RETENTION_BYTES, "0", LogConfig.CLEANUP_POLICY, "compact");
        for (int i = 0; i < 12; i++)
        {
            append(log, batchBytes(1, 250, T0, random), 0, T0, info);
        }
        log.advanceHighWatermark(log.logEndOffset());
        assertThat(log.applyRetention(T0 + 1_000_000_000L)).isZero();
    }

    @Test
    void deleteRecordsRemovesWholeSegmentsBelowTheStart()
    {
        log = openLog(LogConfig.SEGMENT_BYTES, "1024");
        for (int i = 0; i < 12; i++)
        {
            append(log, batchBytes(1, 250, T0, random), 0, T0, info);
        }
        log.advanceHighWatermark(log.logEndOffset());
        final int segments = log.segments().length;
        assertThat(log.deleteRecordsBefore(7, T0)).isEqualTo(LogCodes.OK);
        assertThat(log.logStartOffset()).isEqualTo(7);
        assertThat(log.segments().length).isLessThan(segments);
        assertThat(log.segments()[0].baseOffset()).isLessThanOrEqualTo(7);
        assertThat(log.read(7, 1, Long.MAX_VALUE, true, read)).isEqualTo(LogCodes.OK);
        assertThat(read.firstOffset).isEqualTo(7);
    }

    @Test
    void findsOffsetsByTimestampAndTheMaxTimestamp()
    {
        log = openLog(LogConfig.SEGMENT_BYTES, "2048", LogConfig.INDEX_INTERVAL_BYTES, "100");
        final TimestampLookup lookup = new TimestampLookup();
        assertThat(log.offsetOfMaxTimestamp(Long.MAX_VALUE, lookup)).isEqualTo(-1);
        final long[] timestamps = { 100, 300, 200, 500, 400, 700, 600, 650 };
        for (final long ts : timestamps)
        {
            append(log, batchBytes(2, 200, T0 + ts, random), 3, T0, info);
        }
        // batch i holds offsets 2i, 2i+1 and max timestamp T0 + timestamps[i] + 1
        assertThat(log.offsetForTimestamp(T0, Long.MAX_VALUE, lookup)).isEqualTo(0);
        assertThat(log.offsetForTimestamp(T0 + 102, Long.MAX_VALUE, lookup)).isEqualTo(2);
        assertThat(log.offsetForTimestamp(T0 + 301, Long.MAX_VALUE, lookup)).isEqualTo(2);
        assertThat(lookup.timestamp).isEqualTo(T0 + 301);
        assertThat(lookup.leaderEpoch).isEqualTo(3);
        assertThat(log.offsetForTimestamp(T0 + 302, Long.MAX_VALUE, lookup)).isEqualTo(6);
        assertThat(log.offsetForTimestamp(T0 + 601, Long.MAX_VALUE, lookup)).isEqualTo(10);
        assertThat(log.offsetForTimestamp(T0 + 702, Long.MAX_VALUE, lookup)).isEqualTo(-1);
        assertThat(log.offsetForTimestamp(T0 + 601, 10, lookup)).isEqualTo(-1);

        assertThat(log.offsetOfMaxTimestamp(Long.MAX_VALUE, lookup)).isEqualTo(10);
        assertThat(lookup.timestamp).isEqualTo(T0 + 701);
        assertThat(lookup.lastOffset).isEqualTo(11);
    }

    @Test
    void flushPublishesTheFlushedOffset()
    {
        log = openLog(LogConfig.SEGMENT_BYTES, "2048", LogConfig.FLUSH_MESSAGES, "5");
        for (int i = 0; i < 8; i++)
        {
            append(log, batchBytes(1, 300, T0, random), 0, T0, info);
        }
        assertThat(log.flushedOffset()).isZero();
        assertThat(log.flush(3)).isEqualTo(LogCodes.OK);
        assertThat(log.flushedOffset()).isEqualTo(5);
        assertThat(log.flushIfDue(T0)).isEqualTo(LogCodes.OK);
        assertThat(log.flushedOffset()).isEqualTo(5);
        append(log, batchBytes(1, 300, T0, random), 0, T0, info);
        append(log, batchBytes(1, 300, T0, random), 0, T0, info);
        assertThat(log.flushIfDue(T0)).isEqualTo(LogCodes.OK);
        assertThat(log.flushedOffset()).isEqualTo(10);
    }

    @Test
    void closeTrimsTheActiveSegmentAndLeavesNoDeletedFiles() throws IOException
    {
        log = openLog(LogConfig.SEGMENT_BYTES, "4096", LogConfig.FILE_DELETE_DELAY_MS, "100000");
        for (int i = 0; i < 20; i++)
        {
            append(log, batchBytes(1, 300, T0, random), 0, T0, info);
        }
        log.advanceHighWatermark(20);
        log.deleteRecordsBefore(19, T0);
        final LogSegment active = log.activeSegment();
        final int size = active.size();
        final Path file = active.logFile();
        log.close();
        assertThat(log.flushedOffset()).isEqualTo(20);
        assertThat(Files.size(file)).isEqualTo(size);
        try (var files = Files.list(log.dir()))
        {
            assertThat(files.filter(p -> p.toString().endsWith(LogFiles.DELETED_SUFFIX)).count()).isZero();
        }
        assertThat(log.append(new UnsafeBuffer(new byte[100]), 0, 100, 0, T0, info)).isEqualTo(LogCodes.CLOSED);
        log = null;
    }

    private PartitionLog openLog(final String... config)
    {
        try
        {
            return TestLogs.open(logDir, TestLogs.config(config), errors);
        }
        catch (final IOException ex)
        {
            throw new AssertionError(ex);
        }
    }

    static byte[] concat(final byte[]... parts)
    {
        int length = 0;
        for (final byte[] part : parts)
        {
            length += part.length;
        }
        final byte[] all = new byte[length];
        int position = 0;
        for (final byte[] part : parts)
        {
            System.arraycopy(part, 0, all, position, part.length);
            position += part.length;
        }
        return all;
    }
}
