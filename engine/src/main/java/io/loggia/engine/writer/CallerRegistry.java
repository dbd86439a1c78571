package io.loggia.engine.writer;

import io.loggia.engine.partition.DataAvailableSignal;
import io.loggia.engine.partition.Partition;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The callers writers answer: for each caller id (below {@link Partition#MAX_CALLERS}) its completion ring and
 * its {@link DataAvailableSignal}, which also carries the caller's wake-up.
 * <p>
 * <b>Assumptions and Guarantees</b>: {@link #register} and {@link #unregister} are control-plane calls (the
 * engine serialises them); writers read slots from their threads. A slot's signal is stored before its ring
 * (release), and writers load the ring first (acquire), so a writer that finds a ring also finds the signal.
 */
public final class CallerRegistry
{
    private final AtomicReferenceArray<RingBuffer> completionRings =
        new AtomicReferenceArray<>(Partition.MAX_CALLERS);
    private final AtomicReferenceArray<DataAvailableSignal> signals =
        new AtomicReferenceArray<>(Partition.MAX_CALLERS);
    private final AtomicIntegerArray completionsBlocked = new AtomicIntegerArray(Partition.MAX_CALLERS);

    /** Control plane. */
    public void register(final int callerId, final RingBuffer completionRing, final DataAvailableSignal signal)
    {
        signals.set(callerId, signal);
        completionRings.set(callerId, completionRing);
    }

    /** Control plane: later completions for this caller are dropped. */
    public void unregister(final int callerId)
    {
        completionRings.set(callerId, null);
    }

    /** Any thread: null if no caller has this id. */
    public RingBuffer completionRing(final int callerId)
    {
        return callerId >= 0 && callerId < Partition.MAX_CALLERS ? completionRings.get(callerId) : null;
    }

    /** Writer threads: a completion did not fit this caller's ring; the caller wakes the writers once it drained. */
    public void markCompletionsBlocked(final int callerId)
    {
        if (0 == completionsBlocked.getPlain(callerId))
        {
            completionsBlocked.setRelease(callerId, 1);
        }
    }

    /** The caller's thread: whether a writer waits for room in its completion ring; clears the mark. */
    public boolean takeCompletionsBlocked(final int callerId)
    {
        return 0 != completionsBlocked.get(callerId) && 0 != completionsBlocked.getAndSet(callerId, 0);
    }

    /** Any thread: null if no caller has this id. */
    public DataAvailableSignal signal(final int callerId)
    {
        return callerId >= 0 && callerId < Partition.MAX_CALLERS ? signals.get(callerId) : null;
    }
}
