package io.loggia.engine.group;

import io.loggia.engine.agent.WakeSignal;
import org.jctools.queues.SpscUnboundedArrayQueue;

/**
 * The way back from the coordinator to one caller (a network thread): answered ops and the caller's wake.
 * <p>
 * <b>Assumptions and Guarantees</b>: the coordinator thread is the only producer ({@link #offer},
 * {@link #wakeCaller}), the caller's thread the only consumer ({@link #poll}). The queue is unbounded (grown
 * in chunks) so an answer is never refused; its size is bounded by the caller's own requests in flight. Its
 * offer is a release store and its poll an acquire load, which publish the op's result fields.
 */
final class GroupResponseChannel
{
    private static final int CHUNK_SIZE = 256;

    private final SpscUnboundedArrayQueue<GroupOp> queue = new SpscUnboundedArrayQueue<>(CHUNK_SIZE);
    private final WakeSignal callerWake;
    private boolean wakePending;

    GroupResponseChannel(final WakeSignal callerWake)
    {
        this.callerWake = callerWake;
    }

    /**
     * Coordinator thread: queues an answered op.
     *
     * @return true if the caller has not been marked for a wake since the last {@link #wakeCaller()}.
     */
    boolean offer(final GroupOp op)
    {
        queue.offer(op);
        if (wakePending)
        {
            return false;
        }
        wakePending = true;
        return true;
    }

    /** Coordinator thread, once per duty cycle for each channel offered to. */
    void wakeCaller()
    {
        wakePending = false;
        callerWake.wake();
    }

    /** Caller thread. */
    int poll(final GroupResponseHandler handler, final int limit)
    {
        int count = 0;
        GroupOp op;
        while (count < limit && null != (op = queue.poll()))
        {
            count++;
            handler.onResponse(op);
        }
        return count;
    }
}
