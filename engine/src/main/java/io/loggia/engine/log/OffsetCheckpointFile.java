package io.loggia.engine.log;

import org.agrona.collections.Object2LongHashMap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Kafka's per-log-dir offset checkpoint files ({@code recovery-point-offset-checkpoint},
 * {@code log-start-offset-checkpoint}, {@code replication-offset-checkpoint}): text, one partition a line.
 * <pre>
 *   0                        version
 *   2                        number of entries
 *   orders 0 368769          topic, partition, offset, separated by one space
 *   orders 1 368112
 * </pre>
 * Written atomically: a temporary file is written and forced, renamed over the old one, then the directory is
 * forced, so a crash leaves the old file or the new one, never a mix. Control plane only; allocates freely.
 */
public final class OffsetCheckpointFile
{
    public static final int VERSION = 0;
    /** Value {@link #read(Path)}'s map returns for a partition it does not hold. */
    public static final long MISSING = -1L;

    private OffsetCheckpointFile()
    {
    }

    /**
     * @return the offsets by partition; empty if the file does not exist.
     * @throws IOException if the file cannot be read or is malformed (the message names the file and line).
     */
    public static Object2LongHashMap<TopicPartition> read(final Path file) throws IOException
    {
        final Object2LongHashMap<TopicPartition> offsets = new Object2LongHashMap<>(MISSING);
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        }
        catch (final NoSuchFileException ex)
        {
            return offsets;
        }
        if (lines.size() < 2)
        {
            throw new IOException("malformed checkpoint " + file + ": missing version or entry count");
        }
        final int version = parseInt(file, 1, lines.get(0));
        if (VERSION != version)
        {
            throw new IOException("unsupported checkpoint version " + version + " in " + file);
        }
        final int expected = parseInt(file, 2, lines.get(1));
        int found = 0;
        for (int i = 2; i < lines.size(); i++)
        {
            final String line = lines.get(i);
            if (line.isEmpty())
            {
                continue;
            }
            final String[] fields = line.split(" ");
            if (3 != fields.length)
            {
                throw new IOException("malformed line " + (i + 1) + " in checkpoint " + file + ": '" + line + "'");
            }
            final TopicPartition partition;
            final long offset;
            try
            {
                partition = new TopicPartition(fields[0], Integer.parseInt(fields[1]));
                offset = Long.parseLong(fields[2]);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IOException("malformed line " + (i + 1) + " in checkpoint " + file + ": '" + line + "'");
            }
            offsets.put(partition, offset);
            found++;
        }
        if (found != expected)
        {
            throw new IOException("checkpoint " + file + " declares " + expected + " entries but holds " + found);
        }
        return offsets;
    }

    /**
     * Replace the file atomically with {@code offsets}.
     *
     * @throws IOException if writing, forcing or renaming fails; the old file is then still in place.
     */
    public static void write(final Path file, final Object2LongHashMap<TopicPartition> offsets) throws IOException
    {
        final StringBuilder text = new StringBuilder(32 + offsets.size() * 48)
            .append(VERSION).append('\n')
            .append(offsets.size()).append('\n');
        final Object2LongHashMap<TopicPartition>.EntryIterator entries = offsets.entrySet().iterator();
        while (entries.hasNext())
        {
            entries.next();
            final TopicPartition partition = entries.getKey();
            text.append(partition.topic()).append(' ').append(partition.partition()).append(' ')
                .append(entries.getLongValue()).append('\n');
        }
        writeAtomically(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Write to {@code <file>.tmp}, force it, rename it over {@code file}, force the directory. */
    static void writeAtomically(final Path file, final byte[] content) throws IOException
    {
        final Path tmp = file.resolveSibling(file.getFileName() + LogFiles.TMP_SUFFIX);
        try (FileChannel channel = FileChannel.open(tmp,
            StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING))
        {
            final ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining())
            {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(file.toAbsolutePath().getParent());
    }

    /** Make a rename or delete in {@code dir} durable. */
    static void forceDirectory(final Path dir) throws IOException
    {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ))
        {
            channel.force(true);
        }
    }

    private static int parseInt(final Path file, final int lineNumber, final String line) throws IOException
    {
        try
        {
            return Integer.parseInt(line.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IOException("malformed line " + lineNumber + " in checkpoint " + file + ": '" + line + "'");
        }
    }
}
