package io.loggia.perf.jmh;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Bytes each live thread allocated between {@link #snapshot()} and {@link #print}, from HotSpot's per-thread
 * counters: says which thread a benchmark's {@code -prof gc} allocation comes from.
 */
final class ThreadAllocations
{
    private final com.sun.management.ThreadMXBean bean =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private final Map<Long, Long> start = new HashMap<>();

    void snapshot()
    {
        start.clear();
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            start.put(thread.getId(), bean.getThreadAllocatedBytes(thread.getId()));
        }
    }

    void print(final PrintStream out)
    {
        final StringBuilder line = new StringBuilder("thread allocations:");
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            final long now = bean.getThreadAllocatedBytes(thread.getId());
            final long delta = now - start.getOrDefault(thread.getId(), 0L);
            if (delta > 0)
            {
                line.append(String.format(Locale.ROOT, " %s=%,d", thread.getName(), delta));
            }
        }
        out.println(line);
    }
}
