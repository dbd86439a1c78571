package io.loggia.tools.dump;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file opened read-only and mapped whole, for the dump: it never changes a byte, never extends or truncates,
 * and opens nothing for writing, so it is safe on the files of a running broker. Segments never exceed
 * 2 GiB - 1, which one mapping covers. The channel stays open for {@link #isZero(long, long)}.
 * <p>
 * Reading a file that another process truncates while it is mapped faults (SIGBUS, an {@link InternalError} in
 * Java); the broker only cuts a segment when it seals it, so dump sealed segments, or accept that risk on the
 * active one.
 */
final class MappedFile implements AutoCloseable
{
    private static final UnsafeBuffer EMPTY = new UnsafeBuffer(new byte[0]);
    private static final int ZERO_CHECK_CHUNK = 1024 * 1024;

    private final Path path;
    private final FileChannel channel;
    private final MappedByteBuffer mapping;
    private final UnsafeBuffer buffer;
    private ByteBuffer chunk;
    private UnsafeBuffer chunkView;

    private MappedFile(final Path path, final FileChannel channel, final MappedByteBuffer mapping)
    {
        this.path = path;
        this.channel = channel;
        this.mapping = mapping;
        this.buffer = null == mapping ? EMPTY : new UnsafeBuffer(mapping);
    }

    /**
     * @throws IOException with a short message (see {@link #describe(IOException)}) if the file is missing,
     *                     unreadable, a directory, or larger than a segment can be.
     */
    static MappedFile open(final Path path) throws IOException
    {
        if (Files.isDirectory(path))
        {
            throw new IOException("is a directory");
        }
        final FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try
        {
            final long size = channel.size();
            if (size > Integer.MAX_VALUE)
            {
                throw new IOException("is " + size + " bytes, larger than a segment can be (2 GiB - 1)");
            }
            return new MappedFile(
                path, channel, 0 == size ? null : channel.map(FileChannel.MapMode.READ_ONLY, 0, size));
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            throw ex;
        }
    }

    /** A one-line reason for a failed open or read, without the path. */
    static String describe(final IOException ex)
    {
        if (ex instanceof NoSuchFileException)
        {
            return "no such file";
        }
        if (ex instanceof AccessDeniedException)
        {
            return "permission denied";
        }
        return null != ex.getMessage() ? ex.getMessage() : ex.getClass().getSimpleName();
    }

    Path path()
    {
        return path;
    }

    UnsafeBuffer buffer()
    {
        return buffer;
    }

    /** The file's length when it was mapped. */
    int length()
    {
        return buffer.capacity();
    }

    /**
     * Whether bytes {@code [from, to)} are all zero. Read through the channel, not the mapping: the preallocated
     * tail of an active segment is a sparse hole, and reading a 1 GiB hole with read(2) takes a fraction of a
     * second where touching it through the mapping faults in every page (about ten times slower).
     */
    boolean isZero(final long from, final long to) throws IOException
    {
        if (null == chunk)
        {
            chunk = ByteBuffer.allocateDirect(ZERO_CHECK_CHUNK);
            chunkView = new UnsafeBuffer(chunk);
        }
        long position = from;
        while (position < to)
        {
            chunk.clear().limit((int)Math.min(ZERO_CHECK_CHUNK, to - position));
            final int read = channel.read(chunk, position);
            if (read <= 0)
            {
                return false;
            }
            int i = 0;
            for (; i <= read - Long.BYTES; i += Long.BYTES)
            {
                if (0 != chunkView.getLong(i))
                {
                    return false;
                }
            }
            for (; i < read; i++)
            {
                if (0 != chunkView.getByte(i))
                {
                    return false;
                }
            }
            position += read;
        }
        return true;
    }

    public void close() throws IOException
    {
        if (null != mapping)
        {
            IoUtil.unmap(mapping);
        }
        channel.close();
    }
}
