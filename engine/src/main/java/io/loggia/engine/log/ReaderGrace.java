package io.loggia.engine.log;

/**
 * A grace period over the threads that read logs' mappings: started after a segment left every array readers can
 * load, it has passed once every thread that was inside a read at its start has left that read. From then on no
 * thread can hold the segment, and its mappings may be unmapped.
 * <pre>
 *   started:   slot A sequence 7 (inside)   slot B sequence 4 (outside: not kept)   slot C sequence 9 (inside)
 *   later:     slot A sequence 8 ─► left    slot C sequence 9 ─► still the same read: not passed
 *   later:                                  slot C sequence 11 ─► left: passed
 * </pre>
 * A slot that moved on at all has left the read it was in: its next read loaded the segments array after the
 * segment was gone from it.
 * <p>
 * <b>Assumptions and Guarantees</b>: started by {@link LogReaders#startGrace()} on the thread that will unmap
 * (a partition's writer), and checked on that thread only. Allocates only when it starts with readers inside.
 */
public final class ReaderGrace
{
    /** No thread was inside a read: passed at once. */
    static final ReaderGrace PASSED = new ReaderGrace(new ReaderSlot[0], new long[0], 0);

    private final ReaderSlot[] slots;
    private final long[] sequences;
    private int remaining;

    ReaderGrace(final ReaderSlot[] slots, final long[] sequences, final int count)
    {
        this.slots = slots;
        this.sequences = sequences;
        this.remaining = count;
    }

    /** Owning thread: whether every reader inside at the start has left; volatile loads of their sequences. */
    public boolean hasPassed()
    {
        int remaining = this.remaining;
        if (0 == remaining)
        {
            return true;
        }
        for (int i = remaining - 1; i >= 0; i--)
        {
            if (slots[i].sequence() != sequences[i])
            {
                remaining--;
                slots[i] = slots[remaining];
                sequences[i] = sequences[remaining];
                slots[remaining] = null;
            }
        }
        this.remaining = remaining;
        return 0 == remaining;
    }

    public String toString()
    {
        return "ReaderGrace{readersInside=" + remaining + '}';
    }
}
