package io.loggia.perf;

import org.agrona.concurrent.NanoClock;

/**
 * Waits on the sending thread until a deadline on a clock. A waiter may return late, never early.
 */
@FunctionalInterface
public interface DeadlineWaiter
{
    /**
     * @param clock      the clock the deadline is on.
     * @param deadlineNs return once {@code clock.nanoTime() >= deadlineNs}.
     */
    void awaitDeadline(NanoClock clock, long deadlineNs);
}
