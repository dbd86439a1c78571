package io.loggia.index;

import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;

import static org.agrona.BitUtil.SIZE_OF_INT;

/**
 * Sparse offset index of one log segment, Kafka's {@code .index} file: byte for byte what Kafka writes.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 Relative Offset (int32)                       |  0
 *  +---------------------------------------------------------------+
 *  |                    Position (int32)                           |  4
 *  +---------------------------------------------------------------+
 *  |                      ... next entry                           |  8
 * </pre>
 * The file is nothing but entries, big-endian, no header. Relative offset = offset - base offset of the segment,
 * where offset is the <b>last</b> offset of the batch that starts at Position (that is what Kafka's
 * {@code kafka-dump-log} verifies). Position is the byte position of that batch in the segment's {@code .log}.
 * Entries are sparse (one per {@code index.interval.bytes} of log), offsets strictly increase, positions never
 * decrease.
 * <p>
 * <b>Assumptions and Guarantees</b>
 * <ul>
 *     <li>One writer thread, the partition's writer, calls {@link #append(long, int)}, {@link #truncateTo(long)},
 *     {@link #truncateToEntries(int)}, {@link #reset()}, {@link #trimToValidSize()}, {@link #flush()},
 *     {@link #isFull()}, {@link #renameTo(Path)} and {@link #close()}. Ownership may pass to another thread
 *     (the housekeeper, for a sealed segment) through a hand-off that orders memory, such as a queue.</li>
 *     <li>Any number of reader threads call {@link #entries()}, {@link #lookupSlot(long)}, {@link #offsetAt(int)},
 *     {@link #positionAt(int)}, {@link #lastOffset()} and {@link #sanityCheck(long)} concurrently with the
 *     writer. They allocate nothing.</li>
 *     <li>The writer writes an entry's bytes, then publishes the new entry count with a release store. Readers
 *     load the count with an acquire load and read only slots below it, so a reader never sees a slot that was
 *     not fully written while entries are only appended.</li>
 *     <li>Truncation lowers the count with a release store; a reader that loaded the old count just before may
 *     still return a slot from the dropped range, and if the writer has already appended over that slot, an
 *     entry whose two fields come from different appends. Callers therefore treat a lookup as a hint: the
 *     position it yields is bounded by the segment size the log has published (acquire) and the batches found
 *     there are checked by their headers, as a fetch does anyway.</li>
 *     <li>{@link #close()} unmaps the file: the caller guarantees no reader still holds this index (Loggia
 *     closes indexes only after the delayed delete of their segment).</li>
 * </ul>
 */
public final class OffsetIndex implements AutoCloseable
{
    /** Bytes per entry. */
    public static final int ENTRY_SIZE = 8;
    /** Field offset of the relative offset within an entry. */
    public static final int RELATIVE_OFFSET_OFFSET = 0;
    /** Field offset of the file position within an entry. */
    public static final int POSITION_OFFSET = RELATIVE_OFFSET_OFFSET + SIZE_OF_INT;

    /** Slot sentinel: no entry matches. */
    public static final int NOT_FOUND = -1;
    /** Offset sentinel: the index is empty. */
    public static final long NO_OFFSET = -1L;

    /** {@link #append(long, int)}: the entry was appended. */
    public static final int APPENDED = 0;
    /** {@link #append(long, int)}: no room left; roll the segment. */
    public static final int FULL = 1;
    /** {@link #append(long, int)}: offset not above the last entry's, or position below the last entry's or 0. */
    public static final int NOT_INCREASING = 2;
    /** {@link #append(long, int)}: offset - base offset does not fit an int32 (or is negative); roll the segment. */
    public static final int OFFSET_OVERFLOW = 3;

    static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;

    private static final VarHandle ENTRIES_VH;
    private static final VarHandle PAGE_KEYS_VH;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            ENTRIES_VH = lookup.findVarHandle(OffsetIndex.class, "entries", int.class);
            PAGE_KEYS_VH = lookup.findVarHandle(OffsetIndex.class, "pageKeys", int[].class);
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
    private int lastRelativeOffset;
    private int lastPosition;
    @SuppressWarnings("unused") // accessed through ENTRIES_VH
    private int entries;
    @SuppressWarnings("unused") // accessed through PAGE_KEYS_VH
    private int[] pageKeys;

    private OffsetIndex(final IndexFile indexFile, final long baseOffset, final boolean writable)
    {
        if (baseOffset < 0)
        {
            indexFile.close();
            throw new IllegalArgumentException("negative base offset " + baseOffset + " for " + indexFile.file());
        }
        this.indexFile = indexFile;
        this.baseOffset = baseOffset;
        this.writable = writable;
        this.buffer = indexFile.buffer();
        this.sealed = !writable;
        this.maxEntries = writable ? indexFile.capacityEntries() : indexFile.entriesAtOpen();
        final int existing = indexFile.entriesAtOpen();
        cacheLastEntry(existing);
        if (writable)
        {
            // the writer keeps the page keys in step with its appends, growing the table as pages fill (a table for
            // the whole capacity was 10 KiB of heap per partition at the default 10 MiB index); a read-only index
            // builds them on first need
            PAGE_KEYS_VH.setRelease(this, OffsetSearch.pageKeys(buffer, existing,
                Math.min(maxEntries, OffsetSearch.INITIAL_PAGES << OffsetSearch.PAGE_SHIFT)));
        }
        ENTRIES_VH.setRelease(this, existing);
    }

    /**
     * Open an offset index file.
     *
     * @param file         the {@code .index} file.
     * @param baseOffset   the base offset of the segment.
     * @param maxIndexSize preallocated size in bytes ({@code segment.index.bytes}), used when writable.
     * @param writable     create if missing, extend to {@code maxIndexSize} rounded down to whole entries and map
     *                     read-write; otherwise map the file as it is, read-only. Either way the entries are the
     *                     file's whole entries before extension.
     * @return the open index.
     * @throws IOException if the file cannot be opened, sized or mapped.
     */
    public static OffsetIndex open(final Path file, final long baseOffset, final int maxIndexSize, final boolean writable)
        throws IOException
    {
        return new OffsetIndex(IndexFile.open(file, ENTRY_SIZE, maxIndexSize, writable), baseOffset, writable);
    }

    /**
     * A read-only index with no entries and no file behind it, for a segment whose {@code .index} file is missing
     * and must not be created (tools). Lookups find nothing, so callers scan the segment from its start.
     *
     * @param file       the missing file's path, reported by {@link #file()}.
     * @param baseOffset the base offset of the segment.
     * @return the empty index; {@link #close()} does nothing.
     */
    public static OffsetIndex emptyReadOnly(final Path file, final long baseOffset)
    {
        return new OffsetIndex(IndexFile.empty(file, ENTRY_SIZE), baseOffset, false);
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
     * @return true when no further entry can be appended.
     */
    public boolean isFull()
    {
        return (int)ENTRIES_VH.getOpaque(this) >= maxEntries;
    }

    /**
     * Append an entry. Called from the writer thread.
     *
     * @param offset   the last offset of the batch at {@code position}.
     * @param position the byte position of that batch in the segment.
     * @return {@link #APPENDED}, {@link #FULL}, {@link #NOT_INCREASING} or {@link #OFFSET_OVERFLOW}.
     */
    public int append(final long offset, final int position)
    {
        if (offset < baseOffset || offset - baseOffset > Integer.MAX_VALUE)
        {
            return OFFSET_OVERFLOW;
        }
        final long relative = offset - baseOffset;

        final int count = (int)ENTRIES_VH.getOpaque(this);
        if ((count > 0 && (int)relative <= lastRelativeOffset) || position < lastPosition)
        {
            return NOT_INCREASING;
        }

        if (count >= maxEntries)
        {
            return FULL;
        }

        final int index = count * ENTRY_SIZE;
        buffer.putInt(index + RELATIVE_OFFSET_OFFSET, (int)relative, ORDER);
        buffer.putInt(index + POSITION_OFFSET, position, ORDER);
        if (0 == (count & (OffsetSearch.ENTRIES_PER_PAGE - 1)))
        {
            final int page = count >>> OffsetSearch.PAGE_SHIFT;
            int[] keys = (int[])PAGE_KEYS_VH.getOpaque(this);
            if (page == keys.length)
            {
                // a new table, never a change to one a reader may hold; published before the count below
                keys = Arrays.copyOf(keys, Math.min(keys.length << 1, OffsetSearch.pagesFor(maxEntries)));
                keys[page] = (int)relative;
                PAGE_KEYS_VH.setRelease(this, keys);
            }
            else
            {
                keys[page] = (int)relative;
            }
        }
        lastRelativeOffset = (int)relative;
        lastPosition = position;
        // publishes the entry's bytes and page key written above to readers that acquire-load the count
        ENTRIES_VH.setRelease(this, count + 1);

        return APPENDED;
    }

    /**
     * Find the entry to start a scan for {@code targetOffset} from. Any thread; allocates nothing.
     *
     * @param targetOffset the offset looked for.
     * @return the slot of the largest entry whose offset is at most {@code targetOffset}, or {@link #NOT_FOUND}.
     */
    public int lookupSlot(final long targetOffset)
    {
        final int count = (int)ENTRIES_VH.getAcquire(this);
        if (0 == count || targetOffset < baseOffset)
        {
            return NOT_FOUND;
        }
        final long relative = targetOffset - baseOffset;

        final int target = relative > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int)relative;
        final int slot = OffsetSearch.largestAtMost(buffer, (int[])PAGE_KEYS_VH.getAcquire(this), target, count);

        return OffsetSearch.NEEDS_PAGE_KEYS != slot ? slot :
            OffsetSearch.largestAtMost(buffer, buildPageKeys(count), target, count);
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
     * @param slot a slot below {@link #entries()}.
     * @return the file position of the entry.
     */
    public int positionAt(final int slot)
    {
        return buffer.getInt(slot * ENTRY_SIZE + POSITION_OFFSET, ORDER);
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
        if (offset <= baseOffset)
        {
            truncateToEntries(0);
        }
        else
        {
            truncateToEntries(lookupSlot(offset - 1) + 1);
        }
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
     * Cut the file to its entries, on seal or close. The mapping stays for readers; the index is full from now
     * on. Called from the writer thread.
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
     * @param logSize size in bytes of the segment's log.
     * @return {@link IndexCheck#OK} or the first broken invariant, an {@link IndexCheck} code.
     */
    public int sanityCheck(final long logSize)
    {
        if (0 != indexFile.lengthAtOpen() % ENTRY_SIZE)
        {
            return IndexCheck.LENGTH_NOT_MULTIPLE_OF_ENTRY;
        }

        final UnsafeBuffer buffer = this.buffer;
        final int count = (int)ENTRIES_VH.getAcquire(this);
        int previousRelative = -1;
        int previousPosition = 0;
        for (int slot = 0; slot < count; slot++)
        {
            final int relative = relativeOffset(buffer, slot);
            final int position = buffer.getInt(slot * ENTRY_SIZE + POSITION_OFFSET, ORDER);
            if (relative < 0)
            {
                return IndexCheck.OFFSET_BELOW_BASE;
            }
            if (relative <= previousRelative)
            {
                return IndexCheck.OFFSETS_NOT_INCREASING;
            }
            if (position < previousPosition)
            {
                return IndexCheck.POSITIONS_DECREASING;
            }
            if (position >= logSize)
            {
                return IndexCheck.POSITION_BEYOND_LOG;
            }
            previousRelative = relative;
            previousPosition = position;
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
        return "OffsetIndex{file=" + indexFile.file() + ", baseOffset=" + baseOffset + ", entries=" + entries() +
            ", maxEntries=" + maxEntries + '}';
    }

    /**
     * Build the page keys of a read-only index on its first lookup outside the warm tail, not at open, so that
     * opening thousands of sealed segments at start-up reads none of their index pages. Entries of a read-only
     * index never change, so threads that race here build equal tables and either may win.
     */
    private int[] buildPageKeys(final int count)
    {
        final int[] keys = OffsetSearch.pageKeys(buffer, count, 0);
        // publishes the table's contents to readers that acquire-load it
        PAGE_KEYS_VH.setRelease(this, keys);
        return keys;
    }

    private void cacheLastEntry(final int count)
    {
        if (0 == count)
        {
            lastRelativeOffset = -1;
            lastPosition = 0;
        }
        else
        {
            lastRelativeOffset = relativeOffset(buffer, count - 1);
            lastPosition = buffer.getInt((count - 1) * ENTRY_SIZE + POSITION_OFFSET, ORDER);
        }
    }

    private static int relativeOffset(final UnsafeBuffer buffer, final int slot)
    {
        return OffsetSearch.relativeOffset(buffer, slot);
    }
}
