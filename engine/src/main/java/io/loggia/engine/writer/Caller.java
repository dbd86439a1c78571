package io.loggia.engine.writer;

import io.loggia.engine.agent.WakeSignal;
import io.loggia.engine.partition.DataAvailableSignal;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * Everything one calling thread (a network thread, the group coordinator) needs to append and to hear back:
 * the {@link AppendProxy} that offers batches into the writers' rings, the completion ring writers answer into
 * with the {@link AppendCompletionAdapter} that drains it, and the {@link DataAvailableSignal} that fires when a
 * partition it parked a fetch on gets new data.
 * <p>
 * <b>Assumptions and Guarantees</b>: owned by its thread; only {@link #dataSignal()} and the completion ring are
 * touched by writers. Created by the engine's {@code registerCaller}.
 */
public final class Caller
{
    private final int callerId;
    private final AppendProxy appendProxy;
    private final RingBuffer completionRing;
    private final AppendCompletionAdapter completionAdapter;
    private final DataAvailableSignal dataSignal;
    private final WakeSignal wakeSignal;
    private final CallerRegistry registry;
    private final WakeSignal[] writerWakes;

    /**
     * @param registry    where writers mark that a completion did not fit this caller's ring.
     * @param writerWakes the writers' wake-ups, by writer index.
     */
    public Caller(
        final int callerId,
        final AppendProxy appendProxy,
        final RingBuffer completionRing,
        final DataAvailableSignal dataSignal,
        final WakeSignal wakeSignal,
        final CallerRegistry registry,
        final WakeSignal[] writerWakes)
    {
        this.callerId = callerId;
        this.appendProxy = appendProxy;
        this.completionRing = completionRing;
        this.completionAdapter = new AppendCompletionAdapter(completionRing);
        this.dataSignal = dataSignal;
        this.wakeSignal = wakeSignal;
        this.registry = registry;
        this.writerWakes = writerWakes;
    }

    /**
     * Drain the completion ring into {@code handler}, then, if a writer found the ring full meanwhile (it keeps
     * the completions and stops reading appends until they fit), wake the writers so they deliver now rather
     * than at the end of their park. Prefer this to polling {@link #completionAdapter()} directly.
     *
     * @return completions dispatched.
     */
    public int pollCompletions(final AppendCompletionHandler handler, final int limit)
    {
        final int polled = completionAdapter.poll(handler, limit);
        if (polled > 0 && registry.takeCompletionsBlocked(callerId))
        {
            for (final WakeSignal writerWake : writerWakes)
            {
                writerWake.wake();
            }
        }
        return polled;
    }

    /** Below {@code Partition.MAX_CALLERS}: the bit this caller sets in fetch-waiter masks. */
    public int callerId()
    {
        return callerId;
    }

    public AppendProxy appendProxy()
    {
        return appendProxy;
    }

    public AppendCompletionAdapter completionAdapter()
    {
        return completionAdapter;
    }

    public RingBuffer completionRing()
    {
        return completionRing;
    }

    public DataAvailableSignal dataSignal()
    {
        return dataSignal;
    }

    /** The caller thread's wake-up, called by writers that answered it. */
    public WakeSignal wakeSignal()
    {
        return wakeSignal;
    }

    public String toString()
    {
        return "Caller{callerId=" + callerId + '}';
    }
}
