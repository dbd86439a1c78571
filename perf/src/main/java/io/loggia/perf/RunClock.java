package io.loggia.perf;

import org.agrona.concurrent.NanoClock;

/**
 * {@code System.nanoTime()} minus the run's origin: every time the harness stores or compares is on this clock,
 * so the values are small, non-negative and shared by all producer and consumer threads of the JVM.
 * <p>
 * Immutable; safe on any thread.
 */
public final class RunClock implements NanoClock
{
    private final long originNs;

    /** A clock whose zero is now. */
    public RunClock()
    {
        this.originNs = System.nanoTime();
    }

    public long nanoTime()
    {
        return System.nanoTime() - originNs;
    }
}
