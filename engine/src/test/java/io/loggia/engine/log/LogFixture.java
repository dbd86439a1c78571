package io.loggia.engine.log;

import io.loggia.codec.record.RecordBatch;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A log and what was appended to it, batch by batch, with where each batch landed: the oracle for recovery
 * and model tests.
 */
final class LogFixture
{
    /** One appended batch as the log stores it. */
    record Stored(long baseOffset, long lastOffset, byte[] bytes, long segmentBaseOffset, int position, long maxTimestamp)
    {
        int end()
        {
            return position + bytes.length;
        }
    }

    final List<Stored> stored = new ArrayList<>();
    final AppendInfo info = new AppendInfo();
    final ReadResult read = new ReadResult();
    final Random random;

    LogFixture(final Random random)
    {
        this.random = random;
    }

    /** Append {@code count} random batches and remember them. */
    void appendRandom(final PartitionLog log, final int count, final long timestamp)
    {
        for (int i = 0; i < count; i++)
        {
            final byte[] batch = TestLogs.batchBytes(
                1 + random.nextInt(4), random.nextInt(300), timestamp + random.nextInt(1000), random);
            append(log, batch, random.nextInt(3));
        }
    }

    void append(final PartitionLog log, final byte[] batch, final int epoch)
    {
        assertThat(TestLogs.append(log, batch, epoch, 0, info)).isEqualTo(LogCodes.OK);
        final byte[] bytes = TestLogs.stamped(batch, info.firstOffset, epoch);
        stored.add(new Stored(
            info.firstOffset, info.lastOffset, bytes, info.segmentBaseOffset, info.position, maxTimestampOf(bytes)));
    }

    /** Forget every batch from the one holding {@code offset} on. */
    void truncateTo(final long offset)
    {
        stored.removeIf(s -> s.lastOffset() >= offset);
    }

    long logEndOffset(final long emptyEnd)
    {
        return stored.isEmpty() ? emptyEnd : stored.get(stored.size() - 1).lastOffset() + 1;
    }

    /** Index of the first stored batch at or after {@code segmentBase}/{@code position}, by file order. */
    int firstAtOrAfter(final long segmentBase, final int position)
    {
        for (int i = 0; i < stored.size(); i++)
        {
            final Stored s = stored.get(i);
            if (s.segmentBaseOffset() > segmentBase || (s.segmentBaseOffset() == segmentBase && s.end() > position))
            {
                return i;
            }
        }
        return stored.size();
    }

    /**
     * Read the whole log from {@code fromOffset} with small fetches and check that it holds exactly the stored
     * batches from there on, byte for byte.
     */
    void assertLogHolds(final PartitionLog log, final long fromOffset) throws IOException
    {
        final List<Stored> expected = new ArrayList<>();
        for (final Stored s : stored)
        {
            if (s.lastOffset() >= fromOffset)
            {
                expected.add(s);
            }
        }
        int next = 0;
        long fetch = fromOffset;
        while (fetch < log.logEndOffset())
        {
            final int code = log.read(fetch, random.nextInt(2000), Long.MAX_VALUE, true, read);
            assertThat(code).as("read at %d", fetch).isEqualTo(LogCodes.OK);
            final byte[] region = TestLogs.bytesOf(read);
            for (final TestLogs.Batch batch : TestLogs.batches(region))
            {
                assertThat(next).as("more batches than appended").isLessThan(expected.size());
                final byte[] bytes = Arrays.copyOfRange(region, batch.position(), batch.position() + batch.size());
                assertThat(bytes).as("batch at offset %d", batch.baseOffset()).isEqualTo(expected.get(next).bytes());
                next++;
            }
            fetch = read.nextFetchOffset();
        }
        assertThat(next).as("batches read").isEqualTo(expected.size());
        assertThat(log.read(log.logEndOffset(), 100, Long.MAX_VALUE, true, read)).isEqualTo(LogCodes.NO_DATA);
    }

    static long maxTimestampOf(final byte[] batch)
    {
        return new RecordBatch().wrap(new UnsafeBuffer(batch), 0).maxTimestamp();
    }

    static PartitionLog load(
        final Path logDir,
        final LogConfig config,
        final boolean clean,
        final long recoveryPoint,
        final RecoveryReport report,
        final TestLogs.Errors errors) throws IOException
    {
        return LogLoader.load(logDir, TestLogs.TP, config, clean, recoveryPoint, 0, Long.MAX_VALUE, 0, errors, report);
    }
}
