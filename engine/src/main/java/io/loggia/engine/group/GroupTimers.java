package io.loggia.engine.group;

import java.util.PriorityQueue;

/**
 * The coordinator's deadlines (sessions, joins, syncs, the retention check) in one queue ordered by deadline.
 * A timer that moves later only records its new deadline; the queue finds it at the old one and re-files it,
 * so the heartbeat of every member, which pushes its session deadline, costs no queue operation. Only a timer
 * moved earlier is re-filed at once.
 * <p>
 * Called only from the coordinator thread.
 */
final class GroupTimers
{
    static final long NONE = Long.MAX_VALUE;

    /** One deadline and what happens when it passes. */
    abstract static class Timer
    {
        private long deadlineMs = NONE;
        private long queuedMs = NONE;
        private boolean queued;

        /** The deadline passed; the timer is no longer scheduled. */
        abstract void onExpire(long nowMs);

        final boolean isScheduled()
        {
            return deadlineMs != NONE;
        }

        final long deadlineMs()
        {
            return deadlineMs;
        }
    }

    private final PriorityQueue<Timer> queue = new PriorityQueue<>(
        64, (a, b) -> Long.compare(a.queuedMs, b.queuedMs));

    /** Schedules {@code timer} at {@code deadlineMs}, replacing its current deadline. */
    void schedule(final Timer timer, final long deadlineMs)
    {
        timer.deadlineMs = deadlineMs;
        if (timer.queued)
        {
            if (deadlineMs >= timer.queuedMs)
            {
                return;
            }
            queue.remove(timer);
        }
        timer.queuedMs = deadlineMs;
        timer.queued = true;
        queue.add(timer);
    }

    /** The timer will not fire; it leaves the queue when its old deadline comes. */
    void cancel(final Timer timer)
    {
        timer.deadlineMs = NONE;
    }

    /**
     * Fires every timer whose deadline is at or before {@code nowMs}.
     *
     * @return how many fired.
     */
    int poll(final long nowMs)
    {
        int fired = 0;
        Timer timer;
        while (null != (timer = queue.peek()) && timer.queuedMs <= nowMs)
        {
            queue.poll();
            timer.queued = false;
            final long deadline = timer.deadlineMs;
            if (deadline == NONE)
            {
                continue;
            }
            if (deadline > nowMs)
            {
                timer.queuedMs = deadline;
                timer.queued = true;
                queue.add(timer);
                continue;
            }
            timer.deadlineMs = NONE;
            timer.onExpire(nowMs);
            fired++;
        }
        return fired;
    }

    /** The earliest time {@link #poll} may have work, or {@link #NONE}. */
    long nextDeadlineMs()
    {
        final Timer timer = queue.peek();
        return null == timer ? NONE : timer.queuedMs;
    }

    int size()
    {
        return queue.size();
    }
}
