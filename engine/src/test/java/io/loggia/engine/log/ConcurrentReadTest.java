package io.loggia.engine.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One writer appends (rolling, applying retention) while readers fetch from random offsets below the high
 * watermark and check every region they get: whole batches with valid CRCs, contiguous offsets, starting with
 * the batch that holds the fetch offset, never reaching the bound. Bounded by the number of appends.
 */
class ConcurrentReadTest
{
    private static final int APPENDS = 6_000;
    private static final int READERS = 2;

    @TempDir
    Path logDir;

    @Test
    void readersOnlyEverSeeWholeValidBatches() throws Exception
    {
        final TestLogs.Errors errors = new TestLogs.Errors();
        final LogConfig config = TestLogs.config(
            LogConfig.SEGMENT_BYTES, "262144",
            LogConfig.INDEX_INTERVAL_BYTES, "1024",
            LogConfig.SEGMENT_INDEX_BYTES, "4096",
            LogConfig.RETENTION_BYTES, "1048576",
            LogConfig.FILE_DELETE_DELAY_MS, "600000");
        final PartitionLog log = TestLogs.open(logDir, config, errors);
        final Random random = new Random(11);
        final byte[][] batches = new byte[64][];
        for (int i = 0; i < batches.length; i++)
        {
            batches[i] = TestLogs.batchBytes(1 + random.nextInt(5), random.nextInt(2000), 1_000 + i, random);
        }

        final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        final AtomicLong verified = new AtomicLong();
        final Thread[] readers = new Thread[READERS];
        final AtomicBoolean done = new AtomicBoolean();
        for (int r = 0; r < READERS; r++)
        {
            final long seed = r;
            readers[r] = new Thread(() ->
            {
                try
                {
                    readUntilDone(log, new Random(seed), done, verified);
                }
                catch (final Throwable t)
                {
                    failures.add(t);
                }
            }, "reader-" + r);
            readers[r].start();
        }

        final AppendInfo info = new AppendInfo();
        for (int i = 0; i < APPENDS && failures.isEmpty(); i++)
        {
            assertThat(TestLogs.append(log, batches[i & 63], i & 7, 0, info)).isEqualTo(LogCodes.OK);
            log.advanceHighWatermark(info.lastOffset + 1);
            if ((i & 511) == 0)
            {
                log.applyRetention(0);
            }
        }
        done.set(true);
        for (final Thread reader : readers)
        {
            reader.join(60_000);
            assertThat(reader.isAlive()).isFalse();
        }
        log.close();
        if (!failures.isEmpty())
        {
            throw new AssertionError(failures.peek());
        }
        assertThat(verified.get()).isGreaterThan(100);
        assertThat(errors.seen).isEmpty();
    }

    private static void readUntilDone(
        final PartitionLog log, final Random random, final AtomicBoolean done, final AtomicLong verified) throws Exception
    {
        final ReadResult read = new ReadResult();
        final TimestampLookup lookup = new TimestampLookup();
        while (true)
        {
            if (done.get())
            {
                return;
            }
            final long start = log.logStartOffset();
            final long bound = log.highWatermark();
            final long fetch = start + (long)(random.nextDouble() * (bound - start + 1));
            final int maxBytes = 1 + random.nextInt(200_000);
            final boolean minOneBatch = random.nextBoolean();
            final int code = log.read(fetch, maxBytes, bound, minOneBatch, read);
            switch (code)
            {
                case LogCodes.OK:
                {
                    final List<TestLogs.Batch> region = TestLogs.batches(TestLogs.bytesOf(read));
                    assertThat(region).isNotEmpty();
                    final TestLogs.Batch first = region.get(0);
                    assertThat(first.baseOffset()).isLessThanOrEqualTo(fetch);
                    assertThat(first.lastOffset()).isGreaterThanOrEqualTo(fetch);
                    long next = first.baseOffset();
                    for (final TestLogs.Batch batch : region)
                    {
                        assertThat(batch.baseOffset()).isEqualTo(next);
                        assertThat(batch.lastOffset()).isLessThan(bound);
                        next = batch.lastOffset() + 1;
                    }
                    assertThat(read.lastOffset).isEqualTo(next - 1);
                    if (region.size() > 1 || !minOneBatch)
                    {
                        assertThat(read.length).isLessThanOrEqualTo(maxBytes);
                    }
                    verified.incrementAndGet();
                    break;
                }
                case LogCodes.NO_DATA:
                    assertThat(fetch).isGreaterThanOrEqualTo(bound);
                    break;
                case LogCodes.MAX_BYTES_TOO_SMALL:
                    assertThat(minOneBatch).isFalse();
                    break;
                case LogCodes.OFFSET_OUT_OF_RANGE:
                    // retention moved the start past the fetch offset after it was chosen
                    assertThat(fetch).isLessThan(log.logStartOffset());
                    break;
                default:
                    throw new AssertionError("unexpected code " + LogCodes.describe(code));
            }
            final long found = log.offsetForTimestamp(1_000 + random.nextInt(80), bound, lookup);
            if (found >= 0)
            {
                assertThat(found).isLessThan(bound);
                assertThat(lookup.timestamp).isGreaterThanOrEqualTo(1_000);
            }
        }
    }
}
