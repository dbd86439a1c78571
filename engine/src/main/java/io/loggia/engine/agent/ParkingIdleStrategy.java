package io.loggia.engine.agent;

import java.util.concurrent.locks.LockSupport;

/**
 * Idle strategy for agents without a selector (writers, housekeeper, coordinator): spin, then park until
 * woken or until a park time passes, so timers still run.
 * <p>
 * The park time starts at {@code parkNs}. With {@code longestParkNs > parkNs} it doubles after each park that
 * ended by time without a wake and without work found, up to {@code longestParkNs}, and returns to
 * {@code parkNs} as soon as the agent finds work or is woken: an agent whose duty cycle costs in proportion to
 * what it holds (the housekeeper's pass over every partition) then costs little while nothing happens, and its
 * wake signal still brings it at once.
 */
public final class ParkingIdleStrategy extends SignalledIdleStrategy
{
    private final long parkNs;
    private final long longestParkNs;
    private long nextParkNs;
    private volatile Thread owner;

    public ParkingIdleStrategy(final int spins, final long maxParkNs)
    {
        this(spins, maxParkNs, maxParkNs);
    }

    public ParkingIdleStrategy(final int spins, final long parkNs, final long longestParkNs)
    {
        super(spins);
        if (parkNs <= 0 || longestParkNs < parkNs)
        {
            throw new IllegalArgumentException("park " + parkNs + " ns, longest " + longestParkNs + " ns");
        }
        this.parkNs = parkNs;
        this.longestParkNs = longestParkNs;
        this.nextParkNs = parkNs;
    }

    protected void onActive()
    {
        nextParkNs = parkNs;
    }

    protected void block()
    {
        if (owner == null)
        {
            owner = Thread.currentThread();
        }
        if (!signalled())
        {
            LockSupport.parkNanos(this, nextParkNs);
        }
        nextParkNs = signalled() ? parkNs : Math.min(longestParkNs, nextParkNs << 1);
    }

    /** The next park's length; owner thread (and tests). */
    long nextParkNs()
    {
        return nextParkNs;
    }

    protected void unblock()
    {
        final Thread thread = owner;
        if (thread != null)
        {
            LockSupport.unpark(thread);
        }
    }

    public String alias()
    {
        return "parking";
    }
}
