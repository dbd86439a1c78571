package io.loggia.engine.log;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Append, read and the timestamp lookups allocate nothing once warm (no roll: the segment is large enough).
 */
class AllocationFreeTest
{
    private static final int ROUNDS = 20_000;

    @TempDir
    Path logDir;

    @Test
    void hotPathsAllocateNothing() throws Exception
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final TestLogs.Errors errors = new TestLogs.Errors();
        final PartitionLog log = TestLogs.open(logDir, TestLogs.config(
            LogConfig.SEGMENT_BYTES, Integer.toString(256 * 1024 * 1024),
            LogConfig.INDEX_INTERVAL_BYTES, "1024",
            LogConfig.MESSAGE_TIMESTAMP_TYPE, "LogAppendTime"), errors);
        final byte[] bytes = TestLogs.batchBytes(5, 200, 1_000, new Random(3));
        final UnsafeBuffer batch = new UnsafeBuffer(ByteBuffer.allocateDirect(bytes.length));
        batch.putBytes(0, bytes);
        final AppendInfo info = new AppendInfo();
        final ReadResult read = new ReadResult();
        final TimestampLookup lookup = new TimestampLookup();

        final long thread = Thread.currentThread().getId();
        long allocated = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 5 && allocated > 0; attempt++)
        {
            // the first rounds include JIT compilation, which allocates on this thread's account
            final long before = threads.getThreadAllocatedBytes(thread);
            run(log, batch, bytes.length, info, read, lookup);
            allocated = threads.getThreadAllocatedBytes(thread) - before;
        }
        log.close();
        assertThat(allocated).isZero();
        assertThat(errors.seen).isEmpty();
    }

    private static void run(
        final PartitionLog log,
        final UnsafeBuffer batch,
        final int length,
        final AppendInfo info,
        final ReadResult read,
        final TimestampLookup lookup)
    {
        for (int i = 0; i < ROUNDS; i++)
        {
            if (LogCodes.OK != log.append(batch, 0, length, 1, 5_000 + i, info))
            {
                throw new AssertionError("append failed");
            }
            log.advanceHighWatermark(info.lastOffset + 1);
            final long end = log.highWatermark();
            if (LogCodes.OK != log.read(end - 1 - (i % 97) * 3L, 4096, end, true, read))
            {
                throw new AssertionError("read failed");
            }
            log.offsetForTimestamp(5_000 + i / 2, end, lookup);
            if ((i & 63) == 0)
            {
                log.offsetOfMaxTimestamp(end, lookup);
            }
        }
    }
}
