package io.loggia.engine.topic;

import io.loggia.engine.agent.WakeSignal;
import org.jctools.queues.MpscArrayQueue;

/**
 * A caller's (network thread's) handle on the {@link Controller}: offers ops into its command queue and drains
 * the answers. One per calling thread, made by {@link Controller#newProxy(WakeSignal)}.
 * <p>
 * <b>Assumptions and Guarantees</b>: every method is called from the owning caller's thread. The command queue
 * is many-to-one, so proxies on several threads offer concurrently.
 */
public final class ControllerProxy
{
    private final MpscArrayQueue<ControllerOp> commands;
    private final WakeSignal controllerWake;
    private final ControllerResponseChannel channel;

    ControllerProxy(
        final MpscArrayQueue<ControllerOp> commands,
        final WakeSignal controllerWake,
        final ControllerResponseChannel channel)
    {
        this.commands = commands;
        this.controllerWake = controllerWake;
        this.channel = channel;
    }

    /**
     * Hands an op to the controller; its answer comes back through {@link #poll}.
     *
     * @return false if the command queue is full: the op was not taken and still belongs to the caller, who
     * answers it (with a retriable error such as REQUEST_TIMED_OUT or LEADER_NOT_AVAILABLE).
     */
    public boolean offer(final ControllerOp op)
    {
        op.replyTo = channel;
        if (!commands.offer(op))
        {
            op.replyTo = null;
            return false;
        }
        controllerWake.wake();
        return true;
    }

    /**
     * Hands answered ops to {@code handler}, oldest first.
     *
     * @return how many.
     */
    public int poll(final ControllerResponseHandler handler, final int limit)
    {
        return channel.poll(handler, limit);
    }
}
