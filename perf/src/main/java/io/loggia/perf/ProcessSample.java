package io.loggia.perf;

/**
 * One reading of a process from {@code /proc/PID/stat} and {@code /proc/PID/status}.
 * <p>
 * Not thread safe: filled and read by the run's main thread.
 */
public final class ProcessSample
{
    /** utime + stime over all threads, in clock ticks ({@link ProcStat#CLOCK_TICKS_PER_SECOND}). */
    public long cpuTicks;
    /** Anonymous resident memory, kB: heap, direct buffers, stacks; what the process itself costs. */
    public long rssAnonKb;
    /** File-backed resident memory, kB: mapped segments, indexes and jars; page cache, shared and reclaimable. */
    public long rssFileKb;
    /** Resident set, kB: RssAnon + RssFile + RssShmem. */
    public long vmRssKb;
    /** Peak resident set since the process started, kB. */
    public long vmHwmKb;

    /**
     * @param other the sample to copy.
     * @return this.
     */
    public ProcessSample copyFrom(final ProcessSample other)
    {
        cpuTicks = other.cpuTicks;
        rssAnonKb = other.rssAnonKb;
        rssFileKb = other.rssFileKb;
        vmRssKb = other.vmRssKb;
        vmHwmKb = other.vmHwmKb;
        return this;
    }
}
