package io.loggia.engine.log;

import io.loggia.index.OffsetIndex;
import io.loggia.index.TimeIndex;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A {@code .log} file made ready before the roll that needs it: created, sized to {@code segment.bytes}, mapped
 * read-write, and its first window reserved and populated, with its two index files created empty and the range
 * the writer can reach in them reserved, so that the roll costs three renames instead of a file creation, a
 * mapping and the first window's page faults, and no index write of the new segment can meet a full disk.
 * <pre>
 *   housekeeper: create ──► prepare the first bytes ──► preparedBytes(n) ──► hand over (volatile slot)
 *   writer:      PartitionLog.offerPrepared ──► roll: rename to 000...base.log, becomes the active segment
 *                                          └──► not used (size changed, log closed): discard, file deleted
 * </pre>
 * Named {@code <sequence>.prepared}, {@code <sequence>.index.prepared} and {@code <sequence>.timeindex.prepared}
 * in the partition directory; the loader deletes leftovers. The index files are empty (length 0, their blocks
 * reserved past the end with {@code FALLOC_FL_KEEP_SIZE}), so the segment opens them with no entries and extends
 * them over the reserved blocks.
 * <p>
 * <b>Assumptions and Guarantees</b>: the housekeeper thread creates and prepares it and then hands it over
 * through a volatile store; from then on only the partition's writer thread touches it. The mapping is
 * unmapped only by {@link #discard()} or, after a roll, by the segment that took it over.
 */
public final class PreparedSegment
{
    private final Path file;
    private final Path offsetIndexFile;
    private final Path timeIndexFile;
    private final int indexIntervalBytes;
    private final int segmentIndexBytes;
    private final RandomAccessFile raf;
    private final MappedByteBuffer mapping;
    private final UnsafeBuffer buffer;
    private final int capacity;
    private long preparedBytes;

    private PreparedSegment(
        final Path file,
        final Path offsetIndexFile,
        final Path timeIndexFile,
        final RandomAccessFile raf,
        final MappedByteBuffer mapping,
        final int capacity,
        final int indexIntervalBytes,
        final int segmentIndexBytes)
    {
        this.file = file;
        this.offsetIndexFile = offsetIndexFile;
        this.timeIndexFile = timeIndexFile;
        this.indexIntervalBytes = indexIntervalBytes;
        this.segmentIndexBytes = segmentIndexBytes;
        this.raf = raf;
        this.mapping = mapping;
        this.buffer = new UnsafeBuffer(mapping);
        this.capacity = capacity;
    }

    /**
     * Create {@code <sequence>.prepared} in {@code dir}, sized to {@code segment.bytes} (sparse) and mapped, and
     * its two index files, empty.
     *
     * @param config the partition's config: its segment and index sizes and index interval are the prepared
     *               file's; a roll under another config discards it.
     * @throws IOException if a file cannot be created, sized or mapped; nothing is left behind.
     */
    public static PreparedSegment create(final Path dir, final long sequence, final LogConfig config)
        throws IOException
    {
        final Path file = dir.resolve(LogFiles.fileName(sequence, LogFiles.PREPARED_SUFFIX));
        final Path offsetIndexFile = dir.resolve(
            LogFiles.fileName(sequence, LogFiles.INDEX_SUFFIX + LogFiles.PREPARED_SUFFIX));
        final Path timeIndexFile = dir.resolve(
            LogFiles.fileName(sequence, LogFiles.TIME_INDEX_SUFFIX + LogFiles.PREPARED_SUFFIX));
        final int capacity = config.segmentBytes();
        RandomAccessFile raf = null;
        try
        {
            Files.deleteIfExists(offsetIndexFile);
            Files.deleteIfExists(timeIndexFile);
            Files.createFile(offsetIndexFile);
            Files.createFile(timeIndexFile);
            raf = new RandomAccessFile(file.toFile(), "rw");
            raf.setLength(capacity);
            final MappedByteBuffer mapping = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, capacity);
            return new PreparedSegment(file, offsetIndexFile, timeIndexFile, raf, mapping, capacity,
                config.indexIntervalBytes(), config.segmentIndexBytes());
        }
        catch (final IOException | RuntimeException ex)
        {
            if (null != raf)
            {
                raf.close();
            }
            Files.deleteIfExists(file);
            Files.deleteIfExists(offsetIndexFile);
            Files.deleteIfExists(timeIndexFile);
            throw ex;
        }
    }

    public Path file()
    {
        return file;
    }

    public int capacity()
    {
        return capacity;
    }

    /** The empty offset index file, renamed to the segment's {@code .index} by the roll. */
    public Path offsetIndexFile()
    {
        return offsetIndexFile;
    }

    /** The empty time index file, renamed to the segment's {@code .timeindex} by the roll. */
    public Path timeIndexFile()
    {
        return timeIndexFile;
    }

    /** Bytes of the offset index the writer can reach in a segment on this file: the housekeeper reserves them. */
    public long offsetIndexBytesToReserve()
    {
        return LogSegment.reachableIndexBytes(
            0, segmentIndexBytes / OffsetIndex.ENTRY_SIZE, capacity, indexIntervalBytes, OffsetIndex.ENTRY_SIZE);
    }

    /** Bytes of the time index the writer can reach in a segment on this file: the housekeeper reserves them. */
    public long timeIndexBytesToReserve()
    {
        return LogSegment.reachableIndexBytes(
            0, segmentIndexBytes / TimeIndex.ENTRY_SIZE, capacity, indexIntervalBytes, TimeIndex.ENTRY_SIZE);
    }

    /** Whether a roll under {@code config} may use this file: the sizes its reservations were made for. */
    public boolean fits(final LogConfig config)
    {
        return capacity == config.segmentBytes() && indexIntervalBytes == config.indexIntervalBytes() &&
            segmentIndexBytes == config.segmentIndexBytes();
    }

    /** The mapping, for the housekeeper to populate before handing the file over. */
    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    /** Bytes from position 0 reserved and populated: the writable limit the segment starts with. */
    public long preparedBytes()
    {
        return preparedBytes;
    }

    /** Housekeeper thread, before the hand-over. */
    public void preparedBytes(final long bytes)
    {
        this.preparedBytes = bytes;
    }

    RandomAccessFile randomAccessFile()
    {
        return raf;
    }

    MappedByteBuffer mapping()
    {
        return mapping;
    }

    /** Owner thread: unmap, close and delete a file that will not become a segment. */
    public void discard() throws IOException
    {
        release();
        Files.deleteIfExists(file);
        Files.deleteIfExists(offsetIndexFile);
        Files.deleteIfExists(timeIndexFile);
    }

    /**
     * Owner thread: unmap and close, leaving the files to whoever deletes the directory they are in. Unlinking a
     * prepared file frees its populated pages and reserved blocks, which takes milliseconds: too long for the
     * writer's thread when a whole directory is deleted on another thread anyway.
     */
    public void release() throws IOException
    {
        IoUtil.unmap(mapping);
        raf.close();
    }

    public String toString()
    {
        return "PreparedSegment{file=" + file + ", capacity=" + capacity + ", preparedBytes=" + preparedBytes + '}';
    }
}
