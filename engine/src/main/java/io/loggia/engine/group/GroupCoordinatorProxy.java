package io.loggia.engine.group;

import io.loggia.engine.agent.WakeSignal;
import org.jctools.queues.MpscArrayQueue;

/**
 * A caller's (network thread's) handle on the {@link GroupCoordinator}: offers ops into its command queue and
 * drains the answers. One per calling thread, made by {@link GroupCoordinator#newProxy(WakeSignal)}.
 * <p>
 * <b>Assumptions and Guarantees</b>: every method is called from the owning caller's thread, except
 * {@link #isAvailable()} and {@link #requestOffsetsTopic()}, which any thread may call. The command queue is
 * many-to-one, so proxies on several threads offer concurrently.
 */
public final class GroupCoordinatorProxy
{
    private final MpscArrayQueue<GroupOp> commands;
    private final WakeSignal coordinatorWake;
    private final CoordinatorStatus status;
    private final GroupResponseChannel channel;

    GroupCoordinatorProxy(
        final MpscArrayQueue<GroupOp> commands,
        final WakeSignal coordinatorWake,
        final CoordinatorStatus status,
        final GroupResponseChannel channel)
    {
        this.commands = commands;
        this.coordinatorWake = coordinatorWake;
        this.status = status;
        this.channel = channel;
    }

    /**
     * Hands an op to the coordinator; its answer comes back through {@link #poll}.
     *
     * @return false if the command queue is full: the op was not taken and still belongs to the caller, who
     * answers it (COORDINATOR_NOT_AVAILABLE makes clients retry).
     */
    public boolean offer(final GroupOp op)
    {
        op.replyTo = channel;
        if (!commands.offer(op))
        {
            op.replyTo = null;
            return false;
        }
        coordinatorWake.wake();
        return true;
    }

    /**
     * Hands answered ops to {@code handler}, oldest first.
     *
     * @return how many.
     */
    public int poll(final GroupResponseHandler handler, final int limit)
    {
        return channel.poll(handler, limit);
    }

    /**
     * Whether FindCoordinator may name this broker: {@code __consumer_offsets} exists (its partitions may
     * still be loading, which group requests learn as COORDINATOR_LOAD_IN_PROGRESS). Any thread.
     */
    public boolean isAvailable()
    {
        final int state = status.state();
        return state == CoordinatorStatus.LOADING || state == CoordinatorStatus.ACTIVE;
    }

    /**
     * Asks the coordinator to have {@code __consumer_offsets} created, as Kafka does on the first
     * FindCoordinator for a group. Any thread; cheap once asked.
     */
    public void requestOffsetsTopic()
    {
        if (!status.offsetsTopicWanted())
        {
            status.requestOffsetsTopic();
            coordinatorWake.wake();
        }
    }
}
