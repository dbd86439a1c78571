package io.loggia.engine.group;

import java.util.ArrayList;
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
    private final ArrayList<Timer> due = new ArrayList<>();

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
     * Fires every timer whose deadline is at or before {@code nowMs} when the poll starts. A timer an expiry
     * schedules at or before {@code nowMs} fires on the next poll, never in this one: a timer that reschedules
     * itself with no delay (a join wait of a rebalance timeout of 0, which a client may send) would otherwise keep
     * this loop, and the thread it runs on, forever (found by the protocol fuzzer).
     *
     * @return how many fired.
     */
    int poll(final long nowMs)
    {
        final ArrayList<Timer> due = this.due;
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
            due.add(timer);
        }
        int fired = 0;
        for (int i = 0, size = due.size(); i < size; i++)
        {
            timer = due.get(i);
            // an earlier expiry of this poll may have cancelled it, or rescheduled it (which queued it again)
            if (!timer.queued && timer.deadlineMs != NONE)
            {
                timer.deadlineMs = NONE;
                timer.onExpire(nowMs);
                fired++;
            }
        }
        due.clear();
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
