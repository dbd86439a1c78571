package io.loggia.engine.log;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;

/**
 * One reading thread's announcement of whether it is inside a read of a log's mappings:
 * <pre>
 *   sequence:  0 ──enter──► 1 ──exit──► 2 ──enter──► 3 ──exit──► 4 ...
 *              even: outside every mapping          odd: inside one read, may hold any segment it loaded
 * </pre>
 * {@link #enter()} is a volatile store, so the segments array the read loads next is loaded after it in the
 * single total order of volatile accesses; {@link #exit()} is a release store, so every load the read made from a
 * mapping happens before an unmapping thread that sees the new sequence.
 * <p>
 * <b>Assumptions and Guarantees</b>: the owning thread alone calls {@link #enter()} and {@link #exit()}, paired
 * and never nested (the guarded reads of {@link PartitionLog} call no other guarded read); any thread calls
 * {@link #sequence()}. A slot is made by its own thread, in that thread's allocation buffer, so slots of different
 * threads do not share a cache line in practice.
 */
final class ReaderSlot
{
    private static final VarHandle SEQUENCE_VH;

    static
    {
        try
        {
            SEQUENCE_VH = MethodHandles.lookup().findVarHandle(ReaderSlot.class, "sequence", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final WeakReference<Thread> owner;
    @SuppressWarnings("unused") // accessed through SEQUENCE_VH; written by the owning thread only
    private long sequence;

    ReaderSlot(final Thread owner)
    {
        this.owner = new WeakReference<>(owner);
    }

    /** Whether a {@link #sequence()} value says the thread is inside a read. */
    static boolean isInside(final long sequence)
    {
        return 1 == (sequence & 1);
    }

    /** Owning thread: a read begins; volatile, ordered before the read's load of the segments array. */
    void enter()
    {
        SEQUENCE_VH.setVolatile(this, (long)SEQUENCE_VH.get(this) + 1);
    }

    /** Owning thread: the read is over; release, ordered after every load it made from a mapping. */
    void exit()
    {
        SEQUENCE_VH.setRelease(this, (long)SEQUENCE_VH.get(this) + 1);
    }

    /** Any thread: the current sequence, volatile. */
    long sequence()
    {
        return (long)SEQUENCE_VH.getVolatile(this);
    }

    /** Whether the owning thread has ended: its slot is outside for good and can be dropped. */
    boolean isOrphaned()
    {
        final Thread thread = owner.get();
        return null == thread || !thread.isAlive();
    }

    public String toString()
    {
        return "ReaderSlot{" + owner.get() + ", sequence=" + sequence() + '}';
    }
}
