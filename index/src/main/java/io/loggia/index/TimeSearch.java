package io.loggia.index;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * The search behind {@link TimeIndex#lookupSlot(long)}: the largest slot whose timestamp is at most a target.
 * <p>
 * Timestamps of a time index grow roughly linearly with the slot when traffic is steady, so the same ideas as
 * {@link OffsetSearch} apply without its page keys (lookups by time are rare: ListOffsets by timestamp and
 * time-based retention, which reads only the last entry): a probe at the start of the warm tail, then
 * interpolation rounds each followed by a check of whether the guess has converged, a bounded sequential scan, and
 * branch-free bisection of whatever is left. The worst case stays logarithmic; a corrupt, unsorted index gives a
 * meaningless answer but never a probe outside {@code [0, count)}.
 */
final class TimeSearch
{
    /** Slot sentinel: no entry matches. */
    static final int NOT_FOUND = -1;
    /** Entries in the last 8 KiB of the index. */
    static final int WARM_ENTRIES = 8192 / TimeIndex.ENTRY_SIZE;
    /** A guess that moved less than this many entries has converged. */
    static final int NEAR = 8;
    /** Longest sequential scan after interpolation converged. */
    static final int SCAN_LIMIT = 2 * NEAR;
    /** Interpolation rounds before bisection takes over. */
    static final int MAX_INTERPOLATIONS = 5;

    private TimeSearch()
    {
    }

    static long timestamp(final UnsafeBuffer buffer, final int slot)
    {
        return buffer.getLong(slot * TimeIndex.ENTRY_SIZE + TimeIndex.TIMESTAMP_OFFSET, TimeIndex.ORDER);
    }

    /**
     * @param buffer the index entries.
     * @param target timestamp looked for.
     * @param count  published entry count, at least 1.
     * @return the largest slot whose timestamp is at most {@code target}, or {@link #NOT_FOUND}.
     */
    static int largestAtMost(final UnsafeBuffer buffer, final long target, final int count)
    {
        int lo = 0;
        long timestampLo = timestamp(buffer, lo);
        if (target < timestampLo)
        {
            return NOT_FOUND;
        }

        int hi = count - 1;
        long timestampHi = timestamp(buffer, hi);
        if (target >= timestampHi)
        {
            return hi;
        }

        if (hi > WARM_ENTRIES)
        {
            final int warm = hi - WARM_ENTRIES;
            final long timestampWarm = timestamp(buffer, warm);
            if (target >= timestampWarm)
            {
                lo = warm;
                timestampLo = timestampWarm;
            }
            else
            {
                hi = warm;
                timestampHi = timestampWarm;
            }
        }

        int previousGuess = NOT_FOUND;
        boolean below = true;
        for (int round = 0; round < MAX_INTERPOLATIONS && hi - lo > 1; round++)
        {
            // in double: the differences of two int64 timestamps may overflow a long
            final double fraction = ((double)target - timestampLo) / ((double)timestampHi - timestampLo);
            final int guess = Math.min(hi - 1, Math.max(lo + 1, lo + (int)(fraction * (hi - lo))));
            final long timestampGuess = timestamp(buffer, guess);
            below = timestampGuess <= target;
            if (below)
            {
                lo = guess;
                timestampLo = timestampGuess;
            }
            else
            {
                hi = guess;
                timestampHi = timestampGuess;
            }

            if (round > 0 && Math.abs(guess - previousGuess) <= NEAR)
            {
                break;
            }
            previousGuess = guess;
        }

        if (below)
        {
            final int end = Math.min(hi, lo + 1 + SCAN_LIMIT);
            int next = lo + 1;
            while (next < end && timestamp(buffer, next) <= target)
            {
                next++;
            }
            if (next < end || end == hi)
            {
                return next - 1;
            }
            lo = next - 1;
        }
        else
        {
            final int start = Math.max(lo, hi - 1 - SCAN_LIMIT);
            int previous = hi - 1;
            while (previous > start && timestamp(buffer, previous) > target)
            {
                previous--;
            }
            if (previous > start || start == lo)
            {
                return previous;
            }
            hi = start + 1;
        }

        int base = lo;
        int length = hi - lo;
        while (length > 1)
        {
            final int half = length >>> 1;
            base = timestamp(buffer, base + half) <= target ? base + half : base;
            length -= half;
        }

        return base;
    }
}
