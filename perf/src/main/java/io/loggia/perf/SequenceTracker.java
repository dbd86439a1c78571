package io.loggia.perf;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Which sequences of one producer one consumer group has received: a bit per sequence, in chunks of
 * {@link #CHUNK_SEQUENCES} allocated on first use, so memory follows what was sent (512 KiB per 4 Mi messages).
 * A sequence seen twice is a duplicate; a sequence acknowledged to the producer and never seen is lost.
 * <p>
 * <b>Assumptions and Guarantees.</b> {@link #onReceive(long)} may be called by every consumer thread of the group
 * at once (a rebalance can hand a partition from one to another mid-run): a chunk is published with a CAS, a bit
 * is set with an atomic OR, and exactly one caller sees a given sequence as new. The counters may be read on any
 * thread.
 */
public final class SequenceTracker
{
    /** log2 of the sequences one chunk covers. */
    public static final int CHUNK_SHIFT = 22;
    /** Sequences one chunk covers, 4 Mi. */
    public static final int CHUNK_SEQUENCES = 1 << CHUNK_SHIFT;
    /** Chunks available: sequences up to 2^34 can be tracked. */
    public static final int MAX_CHUNKS = 4096;

    /** {@link #onReceive(long)}: first time this sequence was seen. */
    public static final int NEW = 0;
    /** {@link #onReceive(long)}: seen before. */
    public static final int DUPLICATE = 1;
    /** {@link #onReceive(long)}: negative or beyond the trackable range. */
    public static final int OUT_OF_RANGE = 2;

    private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);

    private final AtomicReferenceArray<long[]> chunks = new AtomicReferenceArray<>(MAX_CHUNKS);
    private final AtomicLong distinct = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();

    /**
     * @param sequence the received record's sequence.
     * @return {@link #NEW}, {@link #DUPLICATE} or {@link #OUT_OF_RANGE}.
     */
    public int onReceive(final long sequence)
    {
        if (sequence < 0 || (sequence >>> CHUNK_SHIFT) >= MAX_CHUNKS)
        {
            return OUT_OF_RANGE;
        }
        final long[] words = chunk((int)(sequence >>> CHUNK_SHIFT));
        final int bit = (int)(sequence & (CHUNK_SEQUENCES - 1));
        final long mask = 1L << bit;
        final long before = (long)WORDS.getAndBitwiseOr(words, bit >>> 6, mask);
        if ((before & mask) != 0)
        {
            duplicates.incrementAndGet();
            return DUPLICATE;
        }
        distinct.incrementAndGet();
        return NEW;
    }

    /** @return sequences received at least once. */
    public long distinct()
    {
        return distinct.get();
    }

    /** @return receptions of a sequence already received. */
    public long duplicates()
    {
        return duplicates.get();
    }

    private long[] chunk(final int index)
    {
        long[] words = chunks.get(index);
        if (null == words)
        {
            // Losing the race is harmless: the loser's array is dropped before any bit in it was set.
            chunks.compareAndSet(index, null, new long[CHUNK_SEQUENCES >>> 6]);
            words = chunks.get(index);
        }
        return words;
    }
}
