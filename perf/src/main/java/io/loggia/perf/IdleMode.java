package io.loggia.perf;

import org.agrona.concurrent.NanoClock;

import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * How a fixed-rate producer waits for its next intended send time.
 * <p>
 * {@link #PARK} leaves the core to the broker between sends but wakes late: on this class of VM a wake-up costs
 * tens of microseconds, which the corrected latencies include and the "send delay" metric shows on its own.
 * {@link #SPIN} wakes on time but keeps one core busy per producer, which on a 2-core machine takes that core from
 * the broker.
 */
public enum IdleMode implements DeadlineWaiter
{
    PARK
    {
        public void awaitDeadline(final NanoClock clock, final long deadlineNs)
        {
            long remainingNs;
            while ((remainingNs = deadlineNs - clock.nanoTime()) > 0)
            {
                LockSupport.parkNanos(remainingNs);
            }
        }
    },
    SPIN
    {
        public void awaitDeadline(final NanoClock clock, final long deadlineNs)
        {
            while (deadlineNs - clock.nanoTime() > 0)
            {
                Thread.onSpinWait();
            }
        }
    };

    /**
     * @param text {@code park} or {@code spin}.
     * @return the mode.
     */
    public static IdleMode parse(final String text)
    {
        switch (text.toLowerCase(Locale.ROOT))
        {
            case "park":
                return PARK;
            case "spin":
                return SPIN;
            default:
                throw new IllegalArgumentException("idle must be park or spin, got '" + text + "'");
        }
    }
}
