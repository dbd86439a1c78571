package io.loggia.engine.agent;

import java.util.concurrent.locks.LockSupport;

/**
 * Idle strategy for agents without a selector (writers, housekeeper, coordinator): spin, then park until
 * woken or until {@code maxParkNs} passes, so timers still run.
 */
public final class ParkingIdleStrategy extends SignalledIdleStrategy
{
    private final long maxParkNs;
    private volatile Thread owner;

    public ParkingIdleStrategy(final int spins, final long maxParkNs)
    {
        super(spins);
        this.maxParkNs = maxParkNs;
    }

    protected void block()
    {
        if (owner == null)
        {
            owner = Thread.currentThread();
        }
        if (!signalled())
        {
            LockSupport.parkNanos(this, maxParkNs);
        }
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
