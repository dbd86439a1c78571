package io.loggia.net.fuzz;

import java.util.List;
import java.util.Locale;

/**
 * Memory of the broker at one point of a run, in bytes; -1 where not measured. {@link #check} holds a series of
 * samples to the run's bound: after the warm-up, no kind of memory may grow by more than its allowance.
 *
 * @param inputs    inputs sent when sampled.
 * @param heap      heap in use after a full GC (in-process runs; includes the fuzzer's own).
 * @param direct    direct buffers allocated in the JVM (in-process runs).
 * @param pool      the network agents' buffer bytes (their counters).
 * @param rssAnon   the process's anonymous resident memory (RssAnon).
 * @param threads   the process's threads.
 */
record MemorySample(long inputs, long heap, long direct, long pool, long rssAnon, long threads)
{
    public String toString()
    {
        return String.format(Locale.ROOT, "at %,d inputs: heap %s, direct %s, network buffers %s, RssAnon %s, " +
            "threads %d", inputs, mib(heap), mib(direct), mib(pool), mib(rssAnon), threads);
    }

    static String mib(final long bytes)
    {
        return bytes < 0 ? "-" : String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    /**
     * Null if every kind of memory stayed within {@code allowance} bytes of its value at the first sample after
     * the warm-up (the sample at index {@code warmUp}), else what grew.
     */
    static String check(final List<MemorySample> samples, final int warmUp, final long allowance)
    {
        if (samples.size() <= warmUp)
        {
            return null;
        }
        final MemorySample base = samples.get(warmUp);
        for (final MemorySample sample : samples.subList(warmUp, samples.size()))
        {
            final String grew = grew("heap", base.heap, sample.heap, allowance) +
                grew("direct", base.direct, sample.direct, allowance) +
                grew("network buffers", base.pool, sample.pool, allowance) +
                grew("RssAnon", base.rssAnon, sample.rssAnon, allowance) +
                grew("threads", base.threads, sample.threads, 0);
            if (!grew.isEmpty())
            {
                return grew + "from " + base + " to " + sample;
            }
        }
        return null;
    }

    private static String grew(final String what, final long base, final long now, final long allowance)
    {
        return base >= 0 && now >= 0 && now - base > allowance ? what + " grew by " + mib(now - base) + "; " : "";
    }
}
