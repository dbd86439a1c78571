package io.loggia.perf;

import org.agrona.concurrent.NanoClock;

/**
 * The send loop of one producer: waits for each intended send time of a {@link SendSchedule} and hands the
 * message to a {@link Sender}, or, without a schedule, sends back to back as fast as the sender returns.
 * <p>
 * Time is the run clock's ({@link RunClock}): non-negative nanoseconds since the run's origin. At a fixed rate the
 * intended time is the scheduled one and the send time is when the wait returned, which is later when the loop
 * fell behind; at max rate both are the moment the loop got to the message.
 * <p>
 * <b>Assumptions and Guarantees.</b> {@link #run(Sender)} is called on the producer's own thread. {@link #stop()}
 * may be called from any thread; the loop sees it before its next message.
 */
public final class PacedLoop
{
    /** Receives each message's times; runs on the loop's thread. */
    @FunctionalInterface
    public interface Sender
    {
        /**
         * @param intendedNs when the message was due.
         * @param sendNs     when the loop got to it, at or after {@code intendedNs}.
         */
        void send(long intendedNs, long sendNs);
    }

    private final NanoClock clock;
    private final DeadlineWaiter waiter;
    private final SendSchedule schedule;
    private final long endNs;
    private final long maxMessages;
    private volatile boolean running = true;

    /**
     * @param clock       the run clock.
     * @param waiter      how to wait for an intended time.
     * @param schedule    the fixed-rate schedule, or null for max rate.
     * @param endNs       no message is due at or after this time ({@code Long.MAX_VALUE}: no end).
     * @param maxMessages stop after this many messages ({@code Long.MAX_VALUE}: no limit).
     */
    public PacedLoop(
        final NanoClock clock,
        final DeadlineWaiter waiter,
        final SendSchedule schedule,
        final long endNs,
        final long maxMessages)
    {
        this.clock = clock;
        this.waiter = waiter;
        this.schedule = schedule;
        this.endNs = endNs;
        this.maxMessages = maxMessages;
    }

    /**
     * Send until the end time, the message limit or {@link #stop()}.
     *
     * @param sender gets every message.
     * @return messages handed to the sender.
     */
    public long run(final Sender sender)
    {
        long sent = 0;
        while (running && sent < maxMessages)
        {
            final long intendedNs;
            final long sendNs;
            if (null != schedule)
            {
                intendedNs = schedule.next();
                if (intendedNs >= endNs)
                {
                    break;
                }
                waiter.awaitDeadline(clock, intendedNs);
                sendNs = clock.nanoTime();
            }
            else
            {
                intendedNs = clock.nanoTime();
                if (intendedNs >= endNs)
                {
                    break;
                }
                sendNs = intendedNs;
            }
            sender.send(intendedNs, sendNs);
            sent++;
        }
        return sent;
    }

    /** Make {@link #run(Sender)} return before its next message. */
    public void stop()
    {
        running = false;
    }
}
