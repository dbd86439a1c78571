package io.loggia.engine.log;

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
 * read-write, and its first window reserved and populated, so that the roll costs a rename and two index files
 * instead of a file creation, a mapping and the first window's page faults.
 * <pre>
 *   housekeeper: create ──► prepare the first bytes ──► preparedBytes(n) ──► hand over (volatile slot)
 *   writer:      PartitionLog.offerPrepared ──► roll: rename to 000...base.log, becomes the active segment
 *                                          └──► not used (size changed, log closed): discard, file deleted
 * </pre>
 * Named {@code <sequence>.prepared} in the partition directory; the loader deletes leftovers.
 * <p>
 * <b>Assumptions and Guarantees</b>: the housekeeper thread creates and prepares it and then hands it over
 * through a volatile store; from then on only the partition's writer thread touches it. The mapping is
 * unmapped only by {@link #discard()} or, after a roll, by the segment that took it over.
 */
public final class PreparedSegment
{
    private final Path file;
    private final RandomAccessFile raf;
    private final MappedByteBuffer mapping;
    private final UnsafeBuffer buffer;
    private final int capacity;
    private long preparedBytes;

    private PreparedSegment(
        final Path file, final RandomAccessFile raf, final MappedByteBuffer mapping, final int capacity)
    {
        this.file = file;
        this.raf = raf;
        this.mapping = mapping;
        this.buffer = new UnsafeBuffer(mapping);
        this.capacity = capacity;
    }

    /**
     * Create {@code <sequence>.prepared} in {@code dir}, sized to {@code capacity} (sparse) and mapped.
     *
     * @throws IOException if the file cannot be created, sized or mapped; nothing is left behind.
     */
    public static PreparedSegment create(final Path dir, final long sequence, final int capacity) throws IOException
    {
        final Path file = dir.resolve(LogFiles.fileName(sequence, LogFiles.PREPARED_SUFFIX));
        RandomAccessFile raf = null;
        try
        {
            raf = new RandomAccessFile(file.toFile(), "rw");
            raf.setLength(capacity);
            final MappedByteBuffer mapping = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, capacity);
            return new PreparedSegment(file, raf, mapping, capacity);
        }
        catch (final IOException | RuntimeException ex)
        {
            if (null != raf)
            {
                raf.close();
            }
            Files.deleteIfExists(file);
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
        IoUtil.unmap(mapping);
        raf.close();
        Files.deleteIfExists(file);
    }

    public String toString()
    {
        return "PreparedSegment{file=" + file + ", capacity=" + capacity + ", preparedBytes=" + preparedBytes + '}';
    }
}
