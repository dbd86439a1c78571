package io.loggia.perf;

/**
 * The run-clock interval whose messages the summary counts: a message belongs to it when its intended send time
 * does. Set by the main thread before the producers start; read by every producer and consumer thread.
 * <p>
 * <b>Assumptions and Guarantees.</b> {@link #set(long, long)} is called by the main thread. Both bounds are volatile
 * so a consumer thread started earlier sees them; a reader between the two writes may see the new start with the
 * old (unbounded) end, which only widens the window for messages not yet sent.
 */
public final class MeasurementWindow
{
    private volatile long startNs = Long.MAX_VALUE;
    private volatile long endNs = Long.MAX_VALUE;

    /**
     * @param startNs first intended send time that counts.
     * @param endNs   first intended send time that no longer counts.
     */
    public void set(final long startNs, final long endNs)
    {
        this.endNs = endNs;
        this.startNs = startNs;
    }

    /**
     * @param intendedNs a message's intended send time.
     * @return true when it falls in the window.
     */
    public boolean contains(final long intendedNs)
    {
        return intendedNs >= startNs && intendedNs < endNs;
    }

    public long startNs()
    {
        return startNs;
    }

    public long endNs()
    {
        return endNs;
    }
}
