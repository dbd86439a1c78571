package io.loggia.perf;

/**
 * One reading of the machine-wide {@code cpu} line of {@code /proc/stat}, in clock ticks summed over all CPUs.
 * <p>
 * Not thread safe: filled and read by the run's main thread.
 */
public final class MachineSample
{
    /** user + nice + system + irq + softirq: time some process or the kernel ran. */
    public long busyTicks;
    /** Time the hypervisor ran something else while this guest wanted to run. */
    public long stealTicks;
    /** busy + idle + iowait + steal. */
    public long totalTicks;

    /**
     * @param other the sample to copy.
     * @return this.
     */
    public MachineSample copyFrom(final MachineSample other)
    {
        busyTicks = other.busyTicks;
        stealTicks = other.stealTicks;
        totalTicks = other.totalTicks;
        return this;
    }
}
