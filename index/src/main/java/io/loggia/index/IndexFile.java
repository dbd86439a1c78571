package io.loggia.index;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The memory mapping behind one index file: a whole number of fixed-size entries, no header, as Kafka writes
 * its {@code .index} and {@code .timeindex} files.
 * <p>
 * A writable file is extended to its preallocated size with a sparse {@code setLength} and mapped once; the
 * number of entries it already held is its length before the extension, divided by the entry size (indexes are
 * trimmed to their entries on seal, so that count is exact after a clean close). No file descriptor is kept
 * open: the mapping stays valid after its channel closes, and a broker with thousands of segments would
 * otherwise hold two descriptors per segment for nothing.
 * <p>
 * <b>Assumptions and Guarantees</b>: owned by the index that created it; {@link #trim(int)}, {@link #flush()},
 * {@link #renameTo(Path)} and {@link #close()} are called by the thread that owns that index (the partition's
 * writer or the housekeeper after a hand-off). {@link #buffer()} is read by any thread until {@link #close()},
 * which the caller must not reach while a reader may still hold the index.
 */
final class IndexFile
{
    private static final UnsafeBuffer EMPTY = new UnsafeBuffer(new byte[0]);

    private volatile Path file;
    private final MappedByteBuffer mapping;
    private final UnsafeBuffer buffer;
    private final int entrySize;
    private final int lengthAtOpen;
    private final int entriesAtOpen;
    private final int capacityEntries;
    private boolean closed;

    private IndexFile(
        final Path file,
        final MappedByteBuffer mapping,
        final int entrySize,
        final int lengthAtOpen,
        final int mappedLength)
    {
        this.file = file;
        this.mapping = mapping;
        this.buffer = null == mapping ? EMPTY : new UnsafeBuffer(mapping);
        this.entrySize = entrySize;
        this.lengthAtOpen = lengthAtOpen;
        this.entriesAtOpen = lengthAtOpen / entrySize;
        this.capacityEntries = mappedLength / entrySize;
    }

    /**
     * Open and map an index file.
     *
     * @param file         the index file.
     * @param entrySize    bytes per entry.
     * @param maxIndexSize preallocated size in bytes for a writable file; rounded down to whole entries.
     * @param writable     create if missing, extend to {@code maxIndexSize} and map read-write; otherwise map the
     *                     file as it is, read-only.
     * @return the mapped file.
     * @throws IOException if the file cannot be opened, sized or mapped.
     */
    static IndexFile open(final Path file, final int entrySize, final int maxIndexSize, final boolean writable)
        throws IOException
    {
        if (writable)
        {
            final int preallocated = maxIndexSize - (maxIndexSize % entrySize);
            if (preallocated < entrySize)
            {
                throw new IllegalArgumentException(
                    "maxIndexSize " + maxIndexSize + " holds no entry of " + entrySize + " bytes");
            }

            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
            {
                final long existing = raf.length();
                if (existing > Integer.MAX_VALUE)
                {
                    throw new IOException("index file too large: " + file + " is " + existing + " bytes");
                }

                final int lengthAtOpen = (int)existing;
                final int mappedLength = Math.max(preallocated, lengthAtOpen - (lengthAtOpen % entrySize));
                if (mappedLength != existing)
                {
                    raf.setLength(mappedLength);
                }
                final MappedByteBuffer mapping = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, mappedLength);

                return new IndexFile(file, mapping, entrySize, lengthAtOpen, mappedLength);
            }
        }

        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final long existing = channel.size();
            if (existing > Integer.MAX_VALUE)
            {
                throw new IOException("index file too large: " + file + " is " + existing + " bytes");
            }

            final int length = (int)existing;
            final MappedByteBuffer mapping = 0 == length ? null :
                channel.map(FileChannel.MapMode.READ_ONLY, 0, length);

            return new IndexFile(file, mapping, entrySize, length, length);
        }
    }

    /** No mapping and no entries, for an index file that does not exist: read-only, nothing is created. */
    static IndexFile empty(final Path file, final int entrySize)
    {
        return new IndexFile(file, null, entrySize, 0, 0);
    }

    Path file()
    {
        return file;
    }

    UnsafeBuffer buffer()
    {
        return buffer;
    }

    /** The file's length in bytes when it was opened, before any extension. */
    int lengthAtOpen()
    {
        return lengthAtOpen;
    }

    /** Whole entries in the file when it was opened. */
    int entriesAtOpen()
    {
        return entriesAtOpen;
    }

    /** Entries the mapping can hold. */
    int capacityEntries()
    {
        return capacityEntries;
    }

    /**
     * Cut the file to {@code entries} entries. The mapping stays: pages past the new end of file must not be
     * touched again, which holds because readers never read at or past the published entry count and the owner
     * stops appending (the index reports itself full).
     */
    void trim(final int entries) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength((long)entries * entrySize);
        }
    }

    /**
     * Make every byte of the file read as zero again: cut it to nothing and extend it back to the mapped length,
     * which drops its pages (the mapping stays valid; its pages now fault in as zeros) instead of writing zeros
     * over up to {@code segment.index.bytes}. Only while no reader uses the mapping: the loader's rebuild.
     */
    void clear() throws IOException
    {
        final long length = (long)capacityEntries * entrySize;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(0);
            raf.setLength(length);
        }
    }

    /** Zero the slots {@code [from, to)} in place. */
    void zero(final int fromEntry, final int toEntry)
    {
        if (toEntry > fromEntry)
        {
            buffer.setMemory(fromEntry * entrySize, (toEntry - fromEntry) * entrySize, (byte)0);
        }
    }

    void flush()
    {
        if (null != mapping && !closed)
        {
            mapping.force();
        }
    }

    void renameTo(final Path target) throws IOException
    {
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        file = target;
    }

    void close()
    {
        if (!closed)
        {
            closed = true;
            if (null != mapping)
            {
                IoUtil.unmap(mapping);
            }
        }
    }
}
