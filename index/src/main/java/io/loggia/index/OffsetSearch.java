package io.loggia.index;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * The search behind {@link OffsetIndex#lookupSlot(long)}: the largest slot whose relative offset is at most a
 * target, touching as few cache lines and pages of the mapped file as it can, and allocating nothing.
 * <p>
 * Binary search over a full 10 MiB index misses cache on nearly every one of its 21 probes. This search relies on
 * what an offset index is: one entry per {@code index.interval.bytes} of log, so offsets grow almost linearly with
 * the slot. It goes in up to three steps, each narrowing {@code [lo, hi]} with {@code rel(lo) <= target < rel(hi)}:
 * <ol>
 *     <li><b>Warm tail</b>: one probe at {@code count - WARM_ENTRIES}, a line read on every lookup and so always in
 *     cache, says whether the target is in the last 8 KiB of entries, where fetches from consumers at the head of
 *     the log land; those lines stay in cache, so a bisection without branches on the data finishes there.</li>
 *     <li><b>Page keys</b>: an on-heap table with the relative offset of the first entry of each 4 KiB page of the
 *     file (one int per 512 entries, 10 KiB for a full 10 MiB index) is searched in L1/L2 to pick the one page
 *     that holds the answer.</li>
 *     <li><b>Interpolation</b> inside that page: a guess from the offsets at both ends lands
 *     within a few slots; a second guess lands on the answer's line; a bounded sequential scan finishes.</li>
 * </ol>
 * Every step falls back to branch-free bisection when offsets are too skewed for guessing, so the worst case stays
 * logarithmic. On a corrupt, unsorted index the answer is meaningless but every probe stays in {@code [0, count)}.
 */
final class OffsetSearch
{
    /** Slot sentinel: no entry matches. */
    static final int NOT_FOUND = -1;
    /** {@link #largestAtMost}: the page keys are needed but were not given; build them and call again. */
    static final int NEEDS_PAGE_KEYS = -2;

    /** 512 entries of 8 bytes fill one 4 KiB page of the file. */
    static final int PAGE_SHIFT = 9;
    static final int ENTRIES_PER_PAGE = 1 << PAGE_SHIFT;
    /** Pages a writable index's key table starts with; it doubles as they fill. */
    static final int INITIAL_PAGES = 4;
    /** Entries in the last 8 KiB of the index. */
    static final int WARM_ENTRIES = 8192 / OffsetIndex.ENTRY_SIZE;
    /** Entries in one 64-byte cache line: a guess that moved less than this has converged. */
    static final int NEAR = 64 / OffsetIndex.ENTRY_SIZE;
    /** Longest sequential scan after interpolation converged. */
    static final int SCAN_LIMIT = 2 * NEAR;
    /** Interpolation rounds before bisection takes over. */
    static final int MAX_INTERPOLATIONS = 4;
    /** Longest walk through the page keys from the guessed page before bisection takes over. */
    static final int MAX_PAGE_WALK = 4;

    private OffsetSearch()
    {
    }

    /**
     * Page keys for the first {@code count} entries.
     *
     * @param buffer   the index entries.
     * @param count    entries to cover.
     * @param capacity entries the table must be able to cover as the writer appends.
     * @return one relative offset per page, the first entry's.
     */
    static int[] pageKeys(final UnsafeBuffer buffer, final int count, final int capacity)
    {
        final int[] keys = new int[pagesFor(Math.max(count, capacity))];
        for (int page = 0, pages = pagesFor(count); page < pages; page++)
        {
            keys[page] = relativeOffset(buffer, page << PAGE_SHIFT);
        }
        return keys;
    }

    /**
     * @param entries entries of the index.
     * @return the pages of the file they start in.
     */
    static int pagesFor(final int entries)
    {
        return (entries + ENTRIES_PER_PAGE - 1) >>> PAGE_SHIFT;
    }

    static int relativeOffset(final UnsafeBuffer buffer, final int slot)
    {
        return buffer.getInt(slot * OffsetIndex.ENTRY_SIZE + OffsetIndex.RELATIVE_OFFSET_OFFSET, OffsetIndex.ORDER);
    }

    /**
     * @param buffer   the index entries.
     * @param pageKeys page keys covering at least the first {@code count} entries, or null if not built yet.
     * @param target   relative offset looked for.
     * @param count    published entry count, at least 1.
     * @return the largest slot whose relative offset is at most {@code target}, {@link #NOT_FOUND}, or
     * {@link #NEEDS_PAGE_KEYS} when {@code pageKeys} is null and the search needs it.
     */
    static int largestAtMost(final UnsafeBuffer buffer, final int[] pageKeys, final int target, final int count)
    {
        int lo = 0;
        int relativeLo = relativeOffset(buffer, lo);
        if (target < relativeLo)
        {
            return NOT_FOUND;
        }

        int hi = count - 1;
        int relativeHi = relativeOffset(buffer, hi);
        if (target >= relativeHi)
        {
            return hi;
        }

        if (hi > WARM_ENTRIES)
        {
            final int warm = hi - WARM_ENTRIES;
            final int relativeWarm = relativeOffset(buffer, warm);
            if (target >= relativeWarm)
            {
                return bisect(buffer, target, warm, hi);
            }
            hi = warm;
            relativeHi = relativeWarm;
        }

        if (hi - lo > ENTRIES_PER_PAGE)
        {
            if (null == pageKeys)
            {
                return NEEDS_PAGE_KEYS;
            }

            // pages whose first slot lies below hi; page 0's key is rel(0) <= target
            final int pages = Math.min(pageKeys.length, ((hi - 1) >>> PAGE_SHIFT) + 1);
            final int page = searchPages(pageKeys, target, pages);
            lo = page << PAGE_SHIFT;
            relativeLo = pageKeys[page];
            if (page + 1 < pages)
            {
                hi = (page + 1) << PAGE_SHIFT;
                relativeHi = pageKeys[page + 1];
            }
        }

        return interpolate(buffer, target, lo, relativeLo, hi, relativeHi);
    }

    /**
     * Largest page in {@code [0, pages)} whose key is at most {@code target}, given {@code keys[0] <= target}.
     */
    static int searchPages(final int[] keys, final int target, final int pages)
    {
        final int last = pages - 1;
        final int keyLast = keys[last];
        if (target >= keyLast)
        {
            return last;
        }

        final int keyFirst = keys[0];
        final double fraction = ((double)target - keyFirst) / ((double)keyLast - keyFirst);
        int page = Math.min(last - 1, Math.max(0, (int)(fraction * last)));
        if (keys[page] <= target)
        {
            for (int step = 0; step < MAX_PAGE_WALK; step++)
            {
                if (keys[page + 1] > target)
                {
                    return page;
                }
                page++;
            }
            return keys[page + 1] > target ? page : largestAtMost(keys, target, page, last);
        }

        for (int step = 0; step < MAX_PAGE_WALK && page > 0; step++)
        {
            page--;
            if (keys[page] <= target)
            {
                return page;
            }
        }
        return largestAtMost(keys, target, 0, page);
    }

    /**
     * Largest index in {@code [from, to)} whose key is at most {@code target}, given {@code keys[from] <= target}.
     */
    private static int largestAtMost(final int[] keys, final int target, final int from, final int to)
    {
        int base = from;
        int length = to - from;
        while (length > 1)
        {
            final int half = length >>> 1;
            base = keys[base + half] <= target ? base + half : base;
            length -= half;
        }
        return base;
    }

    /**
     * Largest slot in {@code [lo, hi)} whose relative offset is at most {@code target}, given
     * {@code rel(lo) <= target < rel(hi)}.
     */
    static int interpolate(
        final UnsafeBuffer buffer,
        final int target,
        final int initialLo,
        final int initialRelativeLo,
        final int initialHi,
        final int initialRelativeHi)
    {
        int lo = initialLo;
        int relativeLo = initialRelativeLo;
        int hi = initialHi;
        int relativeHi = initialRelativeHi;
        int previousGuess = NOT_FOUND;
        boolean below = true;

        for (int round = 0; round < MAX_INTERPOLATIONS && hi - lo > 1; round++)
        {
            final double fraction = ((double)target - relativeLo) / ((double)relativeHi - relativeLo);
            final int guess = Math.min(hi - 1, Math.max(lo + 1, lo + (int)(fraction * (hi - lo))));
            final int relativeGuess = relativeOffset(buffer, guess);
            below = relativeGuess <= target;
            if (below)
            {
                lo = guess;
                relativeLo = relativeGuess;
            }
            else
            {
                hi = guess;
                relativeHi = relativeGuess;
            }

            if (round > 0 && Math.abs(guess - previousGuess) <= NEAR)
            {
                break;
            }
            previousGuess = guess;
        }

        // the last guess is within a line or two of the answer: walk to it from that side
        if (below)
        {
            final int end = Math.min(hi, lo + 1 + SCAN_LIMIT);
            int next = lo + 1;
            while (next < end && relativeOffset(buffer, next) <= target)
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
            while (previous > start && relativeOffset(buffer, previous) > target)
            {
                previous--;
            }
            if (previous > start || start == lo)
            {
                return previous;
            }
            hi = start + 1;
        }

        return bisect(buffer, target, lo, hi);
    }

    /**
     * Largest slot in {@code [lo, hi)} whose relative offset is at most {@code target}, given
     * {@code rel(lo) <= target}. Where every line is in cache (the warm tail) this is the fastest search: about
     * ten dependent loads and no branch that depends on the data. The step is taken with a sign mask rather than
     * a conditional, which the JIT may compile to a branch when its profile of the comparison is skewed, as it is
     * for targets clustered in one part of the range; each mispredicted step then costs more than the load.
     */
    static int bisect(final UnsafeBuffer buffer, final int target, final int lo, final int hi)
    {
        int base = lo;
        int length = hi - lo;
        while (length > 1)
        {
            final int half = length >>> 1;
            // all ones when rel(base + half) <= target; long arithmetic cannot overflow on a corrupt entry
            final int take = ~(int)(((long)target - relativeOffset(buffer, base + half)) >> 63);
            base += half & take;
            length -= half;
        }
        return base;
    }
}
