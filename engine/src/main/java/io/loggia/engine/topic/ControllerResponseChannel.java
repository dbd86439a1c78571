package io.loggia.engine.topic;

import io.loggia.engine.agent.WakeSignal;
import org.jctools.queues.SpscUnboundedArrayQueue;

/**
 * The way back from the controller to one caller (a network thread): answered ops and the caller's wake.
 * <p>
 * <b>Assumptions and Guarantees</b>: the controller thread is the only producer ({@link #offer},
 * {@link #wakeCaller}), the caller's thread the only consumer ({@link #poll}). The queue is unbounded (grown in
 * chunks) so an answer is never refused; its length is bounded by the caller's own requests in flight. Its offer
 * is a release store and its poll an acquire load, which publish the op's result fields.
 */
final class ControllerResponseChannel
{
    private static final int CHUNK_SIZE = 64;

    private final SpscUnboundedArrayQueue<ControllerOp> queue = new SpscUnboundedArrayQueue<>(CHUNK_SIZE);
    private final WakeSignal callerWake;
    private boolean wakePending;

    ControllerResponseChannel(final WakeSignal callerWake)
    {
        this.callerWake = callerWake;
    }

    /**
     * Controller thread: queues an answered op.
     *
     * @return true if the caller needs a wake at the end of this duty cycle (the first answer since the last).
     */
    boolean offer(final ControllerOp op)
    {
        queue.offer(op);
        if (wakePending)
        {
            return false;
        }
        wakePending = true;
        return true;
    }

    /** Controller thread, once per duty cycle for each channel offered to. */
    void wakeCaller()
    {
        wakePending = false;
        callerWake.wake();
    }

    /** Caller thread. */
    int poll(final ControllerResponseHandler handler, final int limit)
    {
        int count = 0;
        ControllerOp op;
        while (count < limit && null != (op = queue.relaxedPoll()))
        {
            count++;
            handler.onResponse(op);
        }
        return count;
    }
}
