package io.loggia.perf;

/**
 * The intended send times of one producer at a fixed rate: message {@code i} is due at
 * {@code startNs + i * 1e9 / rate}, whatever happened to the messages before it.
 * <p>
 * The schedule never skips and never re-bases on the clock. A sender that falls behind (a stall in
 * {@code send()}, a late wake-up, a GC pause) then sends the overdue messages back to back, each still
 * carrying its own intended time, so latency measured from that time includes the wait the stall imposed. This
 * is how the harness avoids coordinated omission: a sender that re-based its schedule would never record the
 * messages it failed to send during a stall.
 * <p>
 * Not thread safe: owned by one producer thread.
 */
public final class SendSchedule
{
    private final long startNs;
    private final double intervalNs;
    private long index;

    /**
     * @param startNs         when message 0 is due, in the clock's time base.
     * @param messagesPerSecond the rate, above zero.
     */
    public SendSchedule(final long startNs, final double messagesPerSecond)
    {
        if (!(messagesPerSecond > 0))
        {
            throw new IllegalArgumentException("rate must be above zero: " + messagesPerSecond);
        }
        this.startNs = startNs;
        this.intervalNs = 1e9 / messagesPerSecond;
    }

    /** @return the intended send time of the next message; each call moves one message on. */
    public long next()
    {
        // Multiplying from the start rather than adding the interval keeps a fractional interval from drifting.
        return startNs + (long)(index++ * intervalNs);
    }

    /** @return the gap between intended send times, ns. */
    public double intervalNs()
    {
        return intervalNs;
    }

    /** @return how many intended times {@link #next()} has handed out. */
    public long count()
    {
        return index;
    }
}
