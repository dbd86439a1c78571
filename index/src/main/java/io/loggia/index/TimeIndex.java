package io.loggia.index;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Path;

import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Sparse time index of one log segment, Kafka's {@code .timeindex} file: byte for byte what Kafka writes.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                     Timestamp (int64)                         |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                  Relative Offset (int32)                      |  8
 *  +---------------------------------------------------------------+
 *  |                      ... next entry                           |  12
 * </pre>
 * The file is nothing but entries, big-endian, no header. An entry says: the largest timestamp in the segment
 * up to and including the batch whose <b>last</b> offset is base offset + Relative Offset. It is appended only
 * when that maximum grows, so timestamps and offsets both strictly increase. A lookup for a timestamp gives the
 * offset from which a scan finds the first record at or after it.
 * <p>
 * As in Kafka, the last slot is kept for the entry a segment gets when it stops being active (sealed or closed):
 * {@link #maybeAppend(long, long)} and {@link #isFull()} treat the index as full one entry early, and
 * {@link #maybeAppendOnSeal(long, long)} may take that slot, so a segment's largest timestamp is always indexed.
 * <p>
 * <b>Assumptions and Guarantees</b>
 * <ul>
 *     <li>One writer thread, the partition's writer, calls {@link #maybeAppend(long, long)},
 *     {@link #maybeAppendOnSeal(long, long)}, {@link #truncateTo(long)}, {@link #truncateToEntries(int)}, {@link #reset()}, {@link #trimToValidSize()},
 *     {@link #flush()}, {@link #isFull()}, {@link #renameTo(Path)} and {@link #close()}. Ownership may pass to
 *     another thread through a hand-off that orders memory, such as a queue.</li>
 *     <li>Any number of reader threads call {@link #entries()}, {@link #lookupSlot(long)},
 *     {@link #timestampAt(int)}, {@link #offsetAt(int)}, {@link #lastTimestamp()}, {@link #lastOffset()} and
 *     {@link #sanityCheck(long)} concurrently with the writer. They allocate nothing.</li>
 *     <li>The writer writes an entry's bytes, then publishes the new entry count with a release store. Readers
 *     load the count with an acquire load and read only slots below it, so a reader never sees a slot that was
 *     not fully written while entries are only appended.</li>
 *     <li>Truncation lowers the count with a release store; a reader that loaded the old count just before may
 *     still return a slot from the dropped range, or one half rewritten by a later append. Callers treat a
 *     lookup as a hint bounded by what the log has published, as for {@link OffsetIndex}.</li>
 *     <li>{@link #close()} unmaps the file: the caller guarantees no reader still holds this index.</li>
 * </ul>
 */
public final class TimeIndex implements AutoCloseable
{
    /** Bytes per entry. */
    public static final int ENTRY_SIZE = 12;
    /** Field offset of the timestamp within an entry. */
    public static final int TIMESTAMP_OFFSET = 0;
    /** Field offset of the relative offset within an entry. */
    public static final int RELATIVE_OFFSET_OFFSET = TIMESTAMP_OFFSET + SIZE_OF_LONG;

    /** Slot sentinel: no entry matches. */
    public static final int NOT_FOUND = -1;
    /** Timestamp sentinel: the index is empty; as Kafka's RecordBatch.NO_TIMESTAMP. */
    public static final long NO_TIMESTAMP = -1L;
    /** Offset sentinel: the index is empty. */
    public static final long NO_OFFSET = -1L;

    /** {@link #maybeAppend(long, long)}: the entry was appended. */
    public static final int APPENDED = 0;
    /** {@link #maybeAppend(long, long)}: no room left; roll the segment. */
    public static final int FULL = 1;
    /** {@link #maybeAppend(long, long)}: timestamp not above the last entry's; nothing to do, not an error. */
    public static final int NOT_INCREASING = 2;
    /** {@link #maybeAppend(long, long)}: offset - base offset does not fit an int32 (or is negative). */
    public static final int OFFSET_OVERFLOW = 3;
    /** {@link #maybeAppend(long, long)}: timestamp grew but the offset is not above the last entry's. */
    public static final int OFFSET_NOT_INCREASING = 4;

    static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;

    private static final VarHandle ENTRIES_VH;

    static
    {
        try
        {
            ENTRIES_VH = MethodHandles.lookup().findVarHandle(TimeIndex.class, "entries", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final long baseOffset;
    private final IndexFile indexFile;
    private final UnsafeBuffer buffer;
    private final boolean writable;
    private boolean sealed;
    private int maxEntries;
    private long lastTimestampCached;
    private int lastRelativeOffset;
    @SuppressWarnings("unused") // accessed through ENTRIES_VH
    private int entries;

    private TimeIndex(final IndexFile indexFile, final long baseOffset, final boolean writable)
    {
        if (baseOffset < 0)
        {
            indexFile.close();
            throw new IllegalArgumentException("negative base offset " + baseOffset + " for " + indexFile.file());
        }
        this.indexFile = indexFile;
        this.baseOffset = baseOffset;
        this.writable = writable;
        this.sealed = !writable;
        this.buffer = indexFile.buffer();
        this.maxEntries = writable ? indexFile.capacityEntries() : indexFile.entriesAtOpen();
        final int existing = indexFile.entriesAtOpen();
        cacheLastEntry(existing);
        ENTRIES_VH.setRelease(this, existing);
    }

    /**
     * Open a time index file.
     *
     * @param file         the {@code .timeindex} file.
     * @param baseOffset   the base offset of the segment.
     * @param maxIndexSize preallocated size in bytes ({@code segment.index.bytes}), used when writable.
     * @param writable     create if missing, extend to {@code maxIndexSize} rounded down to whole entries and map
     *                     read-write; otherwise map the file as it is, read-only. Either way the entries are the
     *                     file's whole entries before extension.
     * @return the open index.
     * @throws IOException if the file cannot be opened, sized or mapped.
     */
    public static TimeIndex open(final Path file, final long baseOffset, final int maxIndexSize, final boolean writable)
        throws IOException
    {
        return new TimeIndex(IndexFile.open(file, ENTRY_SIZE, maxIndexSize, writable), baseOffset, writable);
    }

    /**
     * A read-only index with no entries and no file behind it, for a segment whose {@code .timeindex} file is
     * missing and must not be created (tools).
     *
     * @param file       the missing file's path, reported by {@link #file()}.
     * @param baseOffset the base offset of the segment.
     * @return the empty index; {@link #close()} does nothing.
     */
    public static TimeIndex emptyReadOnly(final Path file, final long baseOffset)
    {
        return new TimeIndex(IndexFile.empty(file, ENTRY_SIZE), baseOffset, false);
    }

    public long baseOffset()
    {
        return baseOffset;
    }

    public Path file()
    {
        return indexFile.file();
    }

    public boolean isWritable()
    {
        return writable;
    }

    /**
     * Published entry count, loaded with acquire semantics: every slot below it is fully written.
     *
     * @return the number of entries.
     */
    public int entries()
    {
        return (int)ENTRIES_VH.getAcquire(this);
    }

    /**
     * Called from the writer thread.
     *
     * @return entries the index can hold; after {@link #trimToValidSize()} the entries it holds.
     */
    public int maxEntries()
    {
        return maxEntries;
    }

    /**
     * Called from the writer thread.
     *
     * @return true when {@link #maybeAppend(long, long)} can append no further entry: only the slot kept for
     * {@link #maybeAppendOnSeal(long, long)} is left, or none.
     */
    public boolean isFull()
    {
        return (int)ENTRIES_VH.getOpaque(this) >= maxEntries - 1;
    }

    /**
     * Append an entry if {@code timestamp} is above the last entry's, leaving the last slot free for
     * {@link #maybeAppendOnSeal(long, long)}. Called from the writer thread.
     *
     * @param timestamp the largest timestamp in the segment so far.
     * @param offset    the last offset of the batch that holds it.
     * @return {@link #APPENDED}, {@link #NOT_INCREASING} (skipped), {@link #FULL}, {@link #OFFSET_OVERFLOW} or
     * {@link #OFFSET_NOT_INCREASING}.
     */
    public int maybeAppend(final long timestamp, final long offset)
    {
        return append(timestamp, offset, maxEntries - 1);
    }

    /**
     * The entry a segment gets when it stops being active (Kafka's {@code maybeAppend} with
     * {@code skipFullCheck}): the segment's largest timestamp and the last offset of the first batch that holds
     * it, appended if above the last entry's, into the slot {@link #maybeAppend(long, long)} keeps free. Call it
     * before {@link #trimToValidSize()}, which leaves no free slot. Called from the writer thread.
     *
     * @param timestamp the segment's largest timestamp.
     * @param offset    the last offset of the first batch that holds it.
     * @return as {@link #maybeAppend(long, long)}; {@link #FULL} only if no slot at all is left.
     */
    public int maybeAppendOnSeal(final long timestamp, final long offset)
    {
        return append(timestamp, offset, maxEntries);
    }

    private int append(final long timestamp, final long offset, final int limit)
    {
        if (timestamp <= lastTimestampCached)
        {
            return NOT_INCREASING;
        }

        if (offset < baseOffset || offset - baseOffset > Integer.MAX_VALUE)
        {
            return OFFSET_OVERFLOW;
        }
        final long relative = offset - baseOffset;

        final int count = (int)ENTRIES_VH.getOpaque(this);
        if (count > 0 && (int)relative <= lastRelativeOffset)
        {
            return OFFSET_NOT_INCREASING;
        }

        if (count >= limit)
        {
            return FULL;
        }

        final int index = count * ENTRY_SIZE;
        buffer.putLong(index + TIMESTAMP_OFFSET, timestamp, ORDER);
        buffer.putInt(index + RELATIVE_OFFSET_OFFSET, (int)relative, ORDER);
        lastTimestampCached = timestamp;
        lastRelativeOffset = (int)relative;
        // publishes the entry's bytes written above to readers that acquire-load the count
        ENTRIES_VH.setRelease(this, count + 1);

        return APPENDED;
    }

    /**
     * Find the entry to start a scan for {@code targetTimestamp} from. Any thread; allocates nothing.
     *
     * @param targetTimestamp the timestamp looked for.
     * @return the slot of the largest entry whose timestamp is at most {@code targetTimestamp}, or
     * {@link #NOT_FOUND}.
     */
    public int lookupSlot(final long targetTimestamp)
    {
        final int count = (int)ENTRIES_VH.getAcquire(this);
        if (0 == count)
        {
            return NOT_FOUND;
        }

        return TimeSearch.largestAtMost(buffer, targetTimestamp, count);
    }

    /**
     * @param slot a slot below {@link #entries()}.
     * @return the timestamp of the entry.
     */
    public long timestampAt(final int slot)
    {
        return timestamp(buffer, slot);
    }

    /**
     * @param slot a slot below {@link #entries()}.
     * @return the absolute offset of the entry.
     */
    public long offsetAt(final int slot)
    {
        return baseOffset + relativeOffset(buffer, slot);
    }

    /**
     * @return the timestamp of the last entry, or {@link #NO_TIMESTAMP} when empty.
     */
    public long lastTimestamp()
    {
        final int count = (int)ENTRIES_VH.getAcquire(this);
        return 0 == count ? NO_TIMESTAMP : timestamp(buffer, count - 1);
    }

    /**
     * @return the offset of the last entry, or {@link #NO_OFFSET} when empty.
     */
    public long lastOffset()
    {
        final int count = (int)ENTRIES_VH.getAcquire(this);
        return 0 == count ? NO_OFFSET : offsetAt(count - 1);
    }

    /**
     * Drop every entry whose offset is at least {@code offset}. Called from the writer thread.
     *
     * @param offset the first offset to drop.
     */
    public void truncateTo(final long offset)
    {
        final int count = (int)ENTRIES_VH.getOpaque(this);
        if (offset <= baseOffset)
        {
            truncateToEntries(0);
            return;
        }
        final long relative = offset - baseOffset;

        final int target = relative > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int)relative;
        int kept = 0;
        int length = count;
        while (length > 0)
        {
            final int half = length >>> 1;
            if (relativeOffset(buffer, kept + half) < target)
            {
                kept += half + 1;
                length -= half + 1;
            }
            else
            {
                length = half;
            }
        }
        truncateToEntries(kept);
    }

    /**
     * Keep the first {@code entries} entries. Called from the writer thread.
     *
     * @param entries entries to keep; a value at or above the current count changes nothing.
     */
    public void truncateToEntries(final int entries)
    {
        final int count = (int)ENTRIES_VH.getOpaque(this);
        final int kept = Math.max(0, Math.min(entries, count));
        cacheLastEntry(kept);
        if (sealed)
        {
            // the file ends at the old count (or is read-only): never write past what is kept
            maxEntries = kept;
        }
        ENTRIES_VH.setRelease(this, kept);
        if (!sealed)
        {
            // an untrimmed file is read to its first zero slot by dump tools, Kafka's included: dropped entries
            // left in place would read as entries that no longer match the log (a reader that loaded the old
            // count may see a zeroed slot, which is a hint like any other slot it may race with)
            indexFile.zero(kept, count);
        }
    }

    /**
     * Drop every entry and zero the whole file, to rebuild the index from its segment at load, before any reader
     * can use it. After a crash the file holds entries for log bytes recovery may have cut, and garbage where a
     * write was torn, anywhere in it. Called from the loading thread.
     *
     * @throws IOException if the file cannot be resized.
     */
    public void reset() throws IOException
    {
        truncateToEntries(0);
        if (writable)
        {
            indexFile.clear();
        }
    }

    /**
     * Cut the file to its entries, on seal or close (after {@link #maybeAppendOnSeal(long, long)}). The mapping
     * stays for readers; the index is full from now on. Called from the writer thread.
     *
     * @throws IOException if the file cannot be resized.
     */
    public void trimToValidSize() throws IOException
    {
        final int count = (int)ENTRIES_VH.getOpaque(this);
        if (writable)
        {
            indexFile.trim(count);
        }
        sealed = true;
        maxEntries = count;
    }

    /**
     * Check every entry, as at open before the index is trusted. Any thread.
     *
     * @param nextOffset the segment's next offset: every entry's offset must be below it; {@link Long#MAX_VALUE}
     *                   when not known.
     * @return {@link IndexCheck#OK} or the first broken invariant, an {@link IndexCheck} code.
     */
    public int sanityCheck(final long nextOffset)
    {
        if (0 != indexFile.lengthAtOpen() % ENTRY_SIZE)
        {
            return IndexCheck.LENGTH_NOT_MULTIPLE_OF_ENTRY;
        }

        final UnsafeBuffer buffer = this.buffer;
        final int count = (int)ENTRIES_VH.getAcquire(this);
        long previousTimestamp = Long.MIN_VALUE;
        int previousRelative = -1;
        for (int slot = 0; slot < count; slot++)
        {
            final long timestamp = timestamp(buffer, slot);
            final int relative = relativeOffset(buffer, slot);
            if (relative < 0)
            {
                return IndexCheck.OFFSET_BELOW_BASE;
            }
            if (relative <= previousRelative)
            {
                return IndexCheck.OFFSETS_NOT_INCREASING;
            }
            if (slot > 0 && timestamp <= previousTimestamp)
            {
                return IndexCheck.TIMESTAMPS_NOT_INCREASING;
            }
            if (baseOffset + relative >= nextOffset)
            {
                return IndexCheck.OFFSET_BEYOND_LOG;
            }
            previousTimestamp = timestamp;
            previousRelative = relative;
        }

        return IndexCheck.OK;
    }

    /**
     * Force the mapping to disk. Called from the owning thread.
     */
    public void flush()
    {
        indexFile.flush();
    }

    /**
     * Rename the file, e.g. to its {@code .deleted} name; the mapping is unaffected. Called from the owning thread.
     *
     * @param target the new path.
     * @throws IOException if the move fails.
     */
    public void renameTo(final Path target) throws IOException
    {
        indexFile.renameTo(target);
    }

    /**
     * Unmap the file. Called from the owning thread once no reader can reach this index. Idempotent.
     *
     * @throws IOException declared as for any {@link java.io.Closeable} file; unmapping itself does not fail.
     */
    public void close() throws IOException
    {
        indexFile.close();
    }

    public String toString()
    {
        return "TimeIndex{file=" + indexFile.file() + ", baseOffset=" + baseOffset + ", entries=" + entries() +
            ", maxEntries=" + maxEntries + '}';
    }

    private void cacheLastEntry(final int count)
    {
        if (0 == count)
        {
            lastTimestampCached = NO_TIMESTAMP;
            lastRelativeOffset = -1;
        }
        else
        {
            lastTimestampCached = timestamp(buffer, count - 1);
            lastRelativeOffset = relativeOffset(buffer, count - 1);
        }
    }

    private static long timestamp(final UnsafeBuffer buffer, final int slot)
    {
        return TimeSearch.timestamp(buffer, slot);
    }

    private static int relativeOffset(final UnsafeBuffer buffer, final int slot)
    {
        return buffer.getInt(slot * ENTRY_SIZE + RELATIVE_OFFSET_OFFSET, ORDER);
    }
}
