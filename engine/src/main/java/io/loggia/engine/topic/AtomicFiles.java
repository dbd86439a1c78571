package io.loggia.engine.topic;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Durable whole-file replacement for the controller's small metadata files: the bytes go to a temporary
 * sibling, which is forced, renamed over the target, and the directory forced, so after a crash or power loss
 * the target holds either its old content or the new one, never a mix. A leftover temporary file is ignored by
 * every reader.
 */
final class AtomicFiles
{
    private AtomicFiles()
    {
    }

    /**
     * @param temporary where the bytes are written first; same directory as {@code file}.
     */
    static void write(final Path file, final Path temporary, final byte[] content) throws IOException
    {
        try
        {
            try (FileChannel channel = FileChannel.open(temporary,
                StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING))
            {
                final ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining())
                {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final IOException | RuntimeException ex)
        {
            try
            {
                Files.deleteIfExists(temporary);
            }
            catch (final IOException suppressed)
            {
                ex.addSuppressed(suppressed);
            }
            throw ex;
        }
        forceDirectory(file.toAbsolutePath().getParent());
    }

    /** Delete {@code file} if present and make the deletion durable. */
    static void delete(final Path file) throws IOException
    {
        if (Files.deleteIfExists(file))
        {
            forceDirectory(file.toAbsolutePath().getParent());
        }
    }

    /** Make renames and deletes in {@code dir} durable. */
    static void forceDirectory(final Path dir) throws IOException
    {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ))
        {
            channel.force(true);
        }
    }
}
