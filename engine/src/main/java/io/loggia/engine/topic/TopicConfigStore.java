package io.loggia.engine.topic;

import io.loggia.engine.log.TopicNames;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The topic-level config overrides, one file per topic that has any, in {@code <log.dir>/loggia-topic-configs/}:
 * <pre>
 *   loggia-topic-configs/
 *     orders                 file named after the topic (topic names are valid file names, at most 249 bytes)
 *     orders~                temporary file of a replacement in progress ('~' cannot occur in a topic name)
 *
 *   orders:
 *     version: 0\n
 *     cleanup.policy=compact\n          one override per line, sorted by name, UTF-8
 *     retention.ms=3600000\n
 * </pre>
 * Kafka keeps these in its metadata log (KRaft) or in ZooKeeper; Loggia's single node keeps them beside the
 * partitions. A file is replaced atomically (temporary file forced, renamed, directory forced), so a crash leaves
 * the old overrides or the new ones. A topic without overrides has no file. The directory's name cannot be read
 * as a partition directory ({@code <topic>-<integer>}), so the engine's loader ignores it.
 * <p>
 * <b>Assumptions and Guarantees</b>: used by one thread at a time: the broker's start-up thread, then the
 * controller's.
 */
public final class TopicConfigStore
{
    public static final String DIRECTORY_NAME = "loggia-topic-configs";
    static final String VERSION_LINE = "version: 0";
    static final char TEMPORARY_SUFFIX = '~';

    private final Path directory;

    public TopicConfigStore(final Path logDir)
    {
        this.directory = logDir.resolve(DIRECTORY_NAME);
    }

    public Path directory()
    {
        return directory;
    }

    /**
     * Every topic's overrides, by topic name. Temporary files of interrupted writes are deleted.
     *
     * @throws IOException if the directory cannot be listed, or a file cannot be read or is malformed (the
     *                     message names the file).
     */
    public Map<String, Map<String, String>> loadAll() throws IOException
    {
        final Map<String, Map<String, String>> all = new TreeMap<>();
        if (!Files.isDirectory(directory))
        {
            return all;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory))
        {
            for (final Path file : stream)
            {
                final String name = file.getFileName().toString();
                if (name.indexOf(TEMPORARY_SUFFIX) >= 0)
                {
                    Files.deleteIfExists(file);
                }
                else if (TopicNames.VALID == TopicNames.validate(name))
                {
                    all.put(name, read(file));
                }
                else
                {
                    throw new IOException(file + " is not named after a topic");
                }
            }
        }
        return all;
    }

    /** Replace the overrides of {@code topic}; no overrides deletes its file. */
    public void write(final String topic, final Map<String, String> overrides) throws IOException
    {
        final Path file = file(topic);
        if (overrides.isEmpty())
        {
            AtomicFiles.delete(file);
            return;
        }
        Files.createDirectories(directory);
        final StringBuilder content = new StringBuilder(64 * overrides.size()).append(VERSION_LINE).append('\n');
        for (final Map.Entry<String, String> entry : new TreeMap<>(overrides).entrySet())
        {
            // Kafka parses config values trimmed: leading and trailing white space (a line break too) is not kept
            final String value = entry.getValue().trim();
            if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0)
            {
                throw new IOException("config " + entry.getKey() + " of " + topic + " holds a line break");
            }
            content.append(entry.getKey()).append('=').append(value).append('\n');
        }
        AtomicFiles.write(file, directory.resolve(topic + TEMPORARY_SUFFIX),
            content.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Forget the overrides of a deleted topic. */
    public void delete(final String topic) throws IOException
    {
        AtomicFiles.delete(file(topic));
    }

    private Path file(final String topic)
    {
        if (TopicNames.VALID != TopicNames.validate(topic))
        {
            throw new IllegalArgumentException("invalid topic name " + topic);
        }
        return directory.resolve(topic);
    }

    private static Map<String, String> read(final Path file) throws IOException
    {
        final String[] lines = Files.readString(file, StandardCharsets.UTF_8).split("\n");
        if (0 == lines.length || !VERSION_LINE.equals(lines[0]))
        {
            throw new IOException(file + ": first line is not '" + VERSION_LINE + "'");
        }
        final Map<String, String> overrides = new TreeMap<>();
        for (int i = 1; i < lines.length; i++)
        {
            final String line = lines[i];
            if (line.isEmpty())
            {
                continue;
            }
            final int equals = line.indexOf('=');
            if (equals <= 0)
            {
                throw new IOException(file + ": line " + (i + 1) + " is not key=value");
            }
            overrides.put(line.substring(0, equals), line.substring(equals + 1));
        }
        return overrides;
    }

    public String toString()
    {
        return "TopicConfigStore{" + directory + '}';
    }
}
