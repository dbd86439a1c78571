package io.loggia.engine.topic;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * {@code <partition dir>/partition.metadata}: the topic id of the partition, in Kafka's format, so that a Kafka
 * broker or tool reading the directory finds the same id and Loggia keeps ids stable across restarts.
 * <pre>
 *   version: 0\n
 *   topic_id: MkU3OEVBNTcwNTJENDM2Qg\n        22 characters, URL-safe base64 of the 16 id bytes, no padding
 * </pre>
 * Written once per partition, when it is created (or found without one at start-up), through
 * {@code partition.metadata.tmp}, forced and renamed, as Kafka does.
 */
public final class PartitionMetadataFile
{
    public static final String FILE_NAME = "partition.metadata";
    static final String TEMPORARY_FILE_NAME = FILE_NAME + ".tmp";
    static final int VERSION = 0;
    private static final String VERSION_PREFIX = "version: ";
    private static final String TOPIC_ID_PREFIX = "topic_id: ";

    private PartitionMetadataFile()
    {
    }

    /**
     * @return the topic id in {@code partitionDir}, or null if it has no {@value #FILE_NAME}.
     * @throws IOException if the file cannot be read or is not in the format above (version 0, a valid id).
     */
    public static UUID read(final Path partitionDir) throws IOException
    {
        final Path file = partitionDir.resolve(FILE_NAME);
        if (!Files.exists(file))
        {
            return null;
        }
        final String[] lines = Files.readString(file, StandardCharsets.UTF_8).split("\n");
        if (lines.length < 2 || !lines[0].trim().equals(VERSION_PREFIX + VERSION) ||
            !lines[1].startsWith(TOPIC_ID_PREFIX))
        {
            throw new IOException(file + " is not a version " + VERSION + " partition metadata file");
        }
        final UUID id = TopicIds.parse(lines[1].substring(TOPIC_ID_PREFIX.length()).trim());
        if (null == id || TopicIds.isReserved(id))
        {
            throw new IOException(file + " holds no valid topic id: " + lines[1]);
        }
        return id;
    }

    /** Write (or replace) the file durably. */
    public static void write(final Path partitionDir, final UUID topicId) throws IOException
    {
        final String content = new StringBuilder(48).append(VERSION_PREFIX).append(VERSION).append('\n')
            .append(TOPIC_ID_PREFIX).append(TopicIds.toString(topicId)).append('\n').toString();
        AtomicFiles.write(partitionDir.resolve(FILE_NAME), partitionDir.resolve(TEMPORARY_FILE_NAME),
            content.getBytes(StandardCharsets.UTF_8));
    }
}
