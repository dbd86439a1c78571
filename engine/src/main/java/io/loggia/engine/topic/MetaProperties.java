package io.loggia.engine.topic;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * {@code <log.dir>/meta.properties}: which cluster and node a log dir belongs to, in the format of a Kafka KRaft
 * broker's (version 1), so that the identity a client sees (cluster id in Metadata and DescribeCluster) survives
 * restarts and a log dir is never opened by a node it was not made for.
 * <pre>
 *   #Written by Loggia
 *   cluster.id=MkU3OEVBNTcwNTJENDM2Qg      22 characters, URL-safe base64 of a random 16-byte id
 *   directory.id=3eRzQ6ZqT4iU2L1o2H5_Uw    the log dir's own id (KIP-858)
 *   node.id=1
 *   version=1
 * </pre>
 * Created on the first start with an empty log dir, then checked at every start: a different {@code node.id} is
 * a fatal error, as in Kafka.
 *
 * @param version     always 1.
 * @param clusterId   the cluster id.
 * @param nodeId      the node the log dir belongs to.
 * @param directoryId the log dir's id.
 */
public record MetaProperties(int version, String clusterId, int nodeId, String directoryId)
{
    public static final String FILE_NAME = "meta.properties";
    static final String TEMPORARY_FILE_NAME = FILE_NAME + ".tmp";
    public static final int VERSION = 1;

    /**
     * @return the log dir's identity, or null if it has no {@value #FILE_NAME}.
     * @throws IOException if the file cannot be read or lacks a field (the message names the file and field).
     */
    public static MetaProperties read(final Path logDir) throws IOException
    {
        final Path file = logDir.resolve(FILE_NAME);
        if (!Files.exists(file))
        {
            return null;
        }
        final Properties properties = new Properties();
        properties.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        final String version = required(properties, file, "version");
        if (!Integer.toString(VERSION).equals(version.trim()))
        {
            throw new IOException(file + ": version " + version + " is not " + VERSION);
        }
        final String clusterId = required(properties, file, "cluster.id").trim();
        final String nodeId = required(properties, file, "node.id").trim();
        final String directoryId = properties.getProperty("directory.id", "").trim();
        try
        {
            return new MetaProperties(VERSION, clusterId, Integer.parseInt(nodeId), directoryId);
        }
        catch (final NumberFormatException ex)
        {
            throw new IOException(file + ": node.id " + nodeId + " is not an integer");
        }
    }

    /**
     * Check the identity of {@code logDir} against {@code nodeId}, creating it on first use.
     *
     * @return the identity, read or created.
     * @throws IOException if the file cannot be read or written, or belongs to another node (one line saying
     *                     so).
     */
    public static MetaProperties ensure(final Path logDir, final int nodeId) throws IOException
    {
        final MetaProperties existing = read(logDir);
        if (null != existing)
        {
            if (existing.nodeId() != nodeId)
            {
                throw new IOException("node.id " + nodeId + " does not match node.id " + existing.nodeId() +
                    " in " + logDir.resolve(FILE_NAME) + ": this log dir belongs to another node");
            }
            return existing;
        }
        final MetaProperties created = new MetaProperties(
            VERSION, TopicIds.toString(TopicIds.random()), nodeId, TopicIds.toString(TopicIds.random()));
        created.write(logDir);
        return created;
    }

    /** Write the file durably (temporary file, force, rename). */
    public void write(final Path logDir) throws IOException
    {
        // a StringBuilder, not '+': the first start creates this file, and bootstrapping an 11-part string
        // concatenation costs tens of milliseconds of start-up time
        final String content = new StringBuilder(128)
            .append("#Written by Loggia\n")
            .append("cluster.id=").append(clusterId).append('\n')
            .append("directory.id=").append(directoryId).append('\n')
            .append("node.id=").append(nodeId).append('\n')
            .append("version=").append(version).append('\n')
            .toString();
        Files.createDirectories(logDir);
        AtomicFiles.write(logDir.resolve(FILE_NAME), logDir.resolve(TEMPORARY_FILE_NAME),
            content.getBytes(StandardCharsets.UTF_8));
    }

    private static String required(final Properties properties, final Path file, final String key) throws IOException
    {
        final String value = properties.getProperty(key);
        if (null == value)
        {
            throw new IOException(file + " has no " + key);
        }
        return value;
    }
}
