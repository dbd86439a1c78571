package io.loggia.engine.producer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ProducerStateManager#check} and {@link ProducerStateManager#onAppend} allocate nothing once the
 * producers are known, and neither does {@link ProducerStateManager#removeExpired} churning producers through
 * the pool.
 */
class ProducerAllocationFreeTest
{
    private static final int PRODUCERS = 1_000;
    private static final int ROUNDS = 50;

    @TempDir
    Path logDir;

    @Test
    void writerPathAllocatesNothing() throws Exception
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        try (TestPartition partition = TestPartition.open(logDir, 1024 * 1024))
        {
            final ProducerStateManager producers = partition.producers;
            final DuplicateInfo duplicate = new DuplicateInfo();
            final int[] sequences = new int[PRODUCERS];
            final long[] offset = { 0 };
            final long thread = Thread.currentThread().getId();
            long allocated = Long.MAX_VALUE;
            for (int attempt = 0; attempt < 5 && allocated > 0; attempt++)
            {
                // the first rounds include JIT compilation and the map's growth, which allocate on this thread
                final long before = threads.getThreadAllocatedBytes(thread);
                run(producers, duplicate, sequences, offset);
                allocated = threads.getThreadAllocatedBytes(thread) - before;
            }
            assertThat(allocated).isZero();
        }
    }

    private static void run(
        final ProducerStateManager producers, final DuplicateInfo duplicate, final int[] sequences, final long[] offset)
    {
        for (int round = 0; round < ROUNDS; round++)
        {
            for (int p = 0; p < PRODUCERS; p++)
            {
                final int base = sequences[p];
                final int last = base + 2;
                if (ProducerStateManager.OK != producers.check(p, (short)1, base, last, false, duplicate))
                {
                    throw new AssertionError("in sequence refused");
                }
                producers.onAppend(p, (short)1, base, last, offset[0], offset[0] + 2, 1_000 + round);
                if (ProducerStateManager.DUPLICATE != producers.check(p, (short)1, base, last, false, duplicate))
                {
                    throw new AssertionError("retry not found");
                }
                sequences[p] = last + 1;
                offset[0] += 3;
            }
        }
        // everyone expires and comes back from the pool
        if (producers.removeExpired(Long.MAX_VALUE) != PRODUCERS)
        {
            throw new AssertionError("expiry");
        }
        Arrays.fill(sequences, 0);
    }
}
