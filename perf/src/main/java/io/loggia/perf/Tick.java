package io.loggia.perf;

/**
 * Cumulative counters read at one progress tick; rates over an interval are differences between two ticks.
 * <p>
 * Not thread safe: made and read by the run's main thread.
 */
public final class Tick
{
    /** Run clock time the counters were read. */
    public long atNs;
    /** Phase of the interval that ended at this tick. */
    public String phase;
    public long sent;
    public long acked;
    public long errors;
    public long consumed;
    public long consumedBytes;
}
