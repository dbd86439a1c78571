package io.loggia.engine.log;

import java.util.Arrays;

/**
 * The threads that read logs' mappings, so that a mapping is unmapped only when no thread can be reading it. Every
 * thread that calls {@link PartitionLog#read}, {@link PartitionLog#offsetForTimestamp} or
 * {@link PartitionLog#offsetOfMaxTimestamp} has a {@link ReaderSlot}, made on its first read; each of those reads
 * announces itself on the slot. A writer that takes segments away from readers (closing or deleting a partition,
 * retention, truncation) unmaps them only after a {@link ReaderGrace} started after the segments left the array:
 * <pre>
 *   reader thread                                        writer thread
 *   slot.enter():  sequence odd       (volatile store)   segments := array without S  (volatile store)
 *   segments                          (volatile load)    grace := startGrace(): slots, then each slot's
 *   index lookup, header walk in S's mapping                        sequence, odd ones kept (volatile loads)
 *   slot.exit():   sequence even      (release store)    ... later: grace.hasPassed()? unmap S
 * </pre>
 * Dekker's argument over the total order of volatile accesses: either the reader's load of the segments array
 * comes after the writer's store (it never sees S), or the writer's load of the slot comes after the reader's
 * store (the grace keeps the slot until its sequence moves, that is until that read is over). A thread whose slot
 * the grace did not find at all registered it after the writer loaded the slots, so after the writer's store
 * too: it never sees S either.
 * <p>
 * The reader's cost is a thread-local lookup, one volatile store and one release store per read: no lock, no
 * allocation after the thread's first read.
 * <p>
 * <b>Assumptions and Guarantees</b>: {@link #slot()} returns the calling thread's own slot. Registration (once per
 * thread) is serialised on a lock and publishes a new slots array with a volatile store; slots of threads that
 * have ended are dropped then. {@link #startGrace()} from any thread.
 */
public final class LogReaders
{
    private static final ReaderSlot[] NO_SLOTS = new ReaderSlot[0];
    private static final Object REGISTRATION = new Object();
    private static final ThreadLocal<ReaderSlot> SLOT = ThreadLocal.withInitial(LogReaders::register);
    private static volatile ReaderSlot[] slots = NO_SLOTS;

    private LogReaders()
    {
    }

    /** The calling thread's slot, registered on its first call. */
    static ReaderSlot slot()
    {
        return SLOT.get();
    }

    /**
     * Start a grace period, after the segments to unmap left every array readers can load.
     *
     * @return a grace that has passed already if no thread is inside a read now.
     */
    public static ReaderGrace startGrace()
    {
        final ReaderSlot[] slots = LogReaders.slots;
        ReaderSlot[] inside = null;
        long[] sequences = null;
        int count = 0;
        for (final ReaderSlot slot : slots)
        {
            final long sequence = slot.sequence();
            if (ReaderSlot.isInside(sequence))
            {
                if (null == inside)
                {
                    inside = new ReaderSlot[slots.length];
                    sequences = new long[slots.length];
                }
                inside[count] = slot;
                sequences[count] = sequence;
                count++;
            }
        }
        return 0 == count ? ReaderGrace.PASSED : new ReaderGrace(inside, sequences, count);
    }

    private static ReaderSlot register()
    {
        final ReaderSlot slot = new ReaderSlot(Thread.currentThread());
        synchronized (REGISTRATION)
        {
            final ReaderSlot[] current = slots;
            final ReaderSlot[] next = Arrays.copyOf(current, current.length + 1);
            int count = 0;
            for (final ReaderSlot existing : current)
            {
                if (!existing.isOrphaned())
                {
                    next[count++] = existing;
                }
            }
            next[count++] = slot;
            // volatile store: published before this thread's first enter(), so a grace that does not find the slot
            // loaded the array before it, and so after the writer's store of the segments array it waits for
            slots = count == next.length ? next : Arrays.copyOf(next, count);
        }
        return slot;
    }
}
