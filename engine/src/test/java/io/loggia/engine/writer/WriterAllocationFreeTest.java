package io.loggia.engine.writer;

import io.loggia.engine.log.LogConfig;
import io.loggia.engine.partition.Partition;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The append path (proxy offer, writer duty cycle with acks=1 and acks=all, completion adapter, fetch-waiter
 * signal) allocates nothing once warm.
 */
class WriterAllocationFreeTest
{
    private static final int ROUNDS = 20_000;

    @TempDir
    Path logDir;

    private long completed;
    private final AppendCompletionHandler handler =
        (correlation, partitionId, errorCode, baseOffset, logAppendTime, logStartOffset) ->
        {
            if (KafkaErrors.NONE != errorCode)
            {
                throw new AssertionError("append failed: " + errorCode);
            }
            completed++;
        };

    @Test
    void steadyStateAppendsAllocateNothing() throws Exception
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final WriterHarness harness = new WriterHarness(logDir, 1 << 20, false);
        final LogConfig config = TestBatches.config(LogConfig.SEGMENT_BYTES, Integer.toString(512 * 1024 * 1024));
        final Partition first = harness.createPartition("first", 0, config);
        final Partition second = harness.createPartition("second", 0, config);
        final WriterHarness.TestCaller caller = harness.caller(4, 1 << 20);
        final UnsafeBuffer batch = TestBatches.batch(3, 60, 1_000, 7);

        final long thread = Thread.currentThread().getId();
        long allocated = Long.MAX_VALUE;
        int attempts = 0;
        for (; attempts < 6 && allocated > 0; attempts++)
        {
            // the first rounds include JIT compilation, which allocates on this thread's account
            final long before = threads.getThreadAllocatedBytes(thread);
            run(harness, caller, first, second, batch);
            allocated = threads.getThreadAllocatedBytes(thread) - before;
        }
        assertThat(allocated).isZero();
        assertThat(completed).isEqualTo((long)ROUNDS * 2 * attempts);
        assertThat(harness.errors.seen).isEmpty();
    }

    private void run(
        final WriterHarness harness,
        final WriterHarness.TestCaller caller,
        final Partition first,
        final Partition second,
        final UnsafeBuffer batch)
    {
        final AppendProxy proxy = caller.caller.appendProxy();
        final AppendCompletionAdapter adapter = caller.caller.completionAdapter();
        for (int i = 0; i < ROUNDS; i++)
        {
            first.registerFetchWaiter(4);
            proxy.offer(0, i, first.id(), (short)1, batch, 0, batch.capacity());
            proxy.offer(0, i, second.id(), (short)-1, batch, 0, batch.capacity());
            proxy.wakeWriters();
            harness.writer.doWork();
            adapter.poll(handler, Integer.MAX_VALUE);
        }
    }
}
