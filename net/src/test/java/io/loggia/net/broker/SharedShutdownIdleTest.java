package io.loggia.net.broker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Shared threading mode at shutdown: once network agent 0 has closed its selector, the shared thread still runs
 * the writers, the controller and the coordinator until the engine has closed. It must idle in that time, woken by
 * them or by its timer bound, not spin: its CPU time stays a small part of the wall time.
 */
class SharedShutdownIdleTest
{
    private static final long WATCH_NS = TimeUnit.MILLISECONDS.toNanos(600);

    @TempDir
    Path dir;

    @Test
    void theSharedThreadIdlesAfterTheNetworkClosed() throws Exception
    {
        final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadCpuTimeSupported(), "thread CPU time is not measurable here");
        threads.setThreadCpuTimeEnabled(true);
        try (BrokerFixture fixture = BrokerFixture.start(dir))
        {
            final Thread shared = thread("loggia-shared");
            assertThat(fixture.broker().threads().closeNetwork(TimeUnit.SECONDS.toNanos(30))).isTrue();
            assertThat(shared.isAlive()).isTrue();

            final long cpuStart = threads.getThreadCpuTime(shared.getId());
            final long wallStart = System.nanoTime();
            long cpu;
            long wall;
            do
            {
                // watch until the wall time is up, or until the thread has burnt a quarter of it
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                cpu = threads.getThreadCpuTime(shared.getId()) - cpuStart;
                wall = System.nanoTime() - wallStart;
            }
            while (wall < WATCH_NS && cpu < WATCH_NS / 4);
            assertThat(shared.isAlive()).isTrue();
            assertThat(cpu).as("CPU ns of loggia-shared in %d ns of wall time after the network closed", wall)
                .isLessThan(wall / 10);
        }
    }

    private static Thread thread(final String name)
    {
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (name.equals(thread.getName()))
            {
                return thread;
            }
        }
        throw new AssertionError("no thread " + name);
    }
}
