package io.loggia.engine.producer;

import io.loggia.engine.log.LogFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Whole-file replacement by write-then-rename: the bytes go to {@code <file>.tmp}, which is renamed over
 * {@code file}, so no reader ever sees a partly written file while the machine runs. Forced, the file and then
 * the directory reach the disk before the call returns, and a power loss too leaves the old file or the new
 * one, at worst with a stray {@code .tmp} that readers ignore. Unforced, a power loss may leave the new name
 * with torn content, so only files that validate themselves on reading (a CRC) may be written that way.
 */
final class DurableFiles
{
    private DurableFiles()
    {
    }

    static Path temporaryFile(final Path file)
    {
        return file.resolveSibling(file.getFileName() + LogFiles.TMP_SUFFIX);
    }

    /**
     * Replace {@code file} with {@code content[0, length)}; on failure the old file is untouched.
     *
     * @param force make the new content and the rename durable before returning.
     */
    static void writeAtomically(final Path file, final byte[] content, final int length, final boolean force)
        throws IOException
    {
        final Path tmp = temporaryFile(file);
        try
        {
            try (FileChannel channel = FileChannel.open(tmp,
                StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING))
            {
                final ByteBuffer buffer = ByteBuffer.wrap(content, 0, length);
                while (buffer.hasRemaining())
                {
                    channel.write(buffer);
                }
                if (force)
                {
                    channel.force(true);
                }
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (final IOException | RuntimeException ex)
        {
            try
            {
                Files.deleteIfExists(tmp);
            }
            catch (final IOException suppressed)
            {
                ex.addSuppressed(suppressed);
            }
            throw ex;
        }
        if (force)
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
