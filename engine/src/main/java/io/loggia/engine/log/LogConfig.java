package io.loggia.engine.log;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The settings of one topic's logs, with Kafka's topic-level names and defaults. Immutable: a config change
 * is a new object handed to the partition's writer, which applies it between appends; readers never look at it.
 * Build one with {@link LogConfigParser}.
 * <p>
 * Sizes that Kafka types as int (segment and index bytes, intervals, max message bytes) are ints here too,
 * because a segment is at most one 2 GiB mapping and positions in it are int32 in the index format.
 */
public final class LogConfig
{
    public static final String SEGMENT_BYTES = "segment.bytes";
    public static final String SEGMENT_MS = "segment.ms";
    public static final String SEGMENT_INDEX_BYTES = "segment.index.bytes";
    public static final String INDEX_INTERVAL_BYTES = "index.interval.bytes";
    public static final String RETENTION_BYTES = "retention.bytes";
    public static final String RETENTION_MS = "retention.ms";
    public static final String FLUSH_MESSAGES = "flush.messages";
    public static final String FLUSH_MS = "flush.ms";
    public static final String FILE_DELETE_DELAY_MS = "file.delete.delay.ms";
    public static final String MAX_MESSAGE_BYTES = "max.message.bytes";
    public static final String MESSAGE_TIMESTAMP_TYPE = "message.timestamp.type";
    public static final String CLEANUP_POLICY = "cleanup.policy";

    public static final int DEFAULT_SEGMENT_BYTES = 1024 * 1024 * 1024;
    public static final long DEFAULT_SEGMENT_MS = 7L * 24 * 60 * 60 * 1000;
    public static final int DEFAULT_SEGMENT_INDEX_BYTES = 10 * 1024 * 1024;
    public static final int DEFAULT_INDEX_INTERVAL_BYTES = 4096;
    public static final long DEFAULT_RETENTION_BYTES = -1L;
    public static final long DEFAULT_RETENTION_MS = 7L * 24 * 60 * 60 * 1000;
    public static final long DEFAULT_FLUSH_MESSAGES = Long.MAX_VALUE;
    public static final long DEFAULT_FLUSH_MS = Long.MAX_VALUE;
    public static final long DEFAULT_FILE_DELETE_DELAY_MS = 60_000L;
    /** 1 MiB plus a 12-byte log overhead, as Kafka. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024 + 12;

    /** Kafka's smallest segment.bytes (a legacy v0 record's overhead); no batch fits such a segment. */
    public static final int MIN_SEGMENT_BYTES = 14;
    /** One time index entry: the smallest index that holds anything. */
    public static final int MIN_SEGMENT_INDEX_BYTES = 12;

    /** Kafka's defaults for every setting. */
    public static final LogConfig DEFAULTS = new LogConfig(
        DEFAULT_SEGMENT_BYTES,
        DEFAULT_SEGMENT_MS,
        DEFAULT_SEGMENT_INDEX_BYTES,
        DEFAULT_INDEX_INTERVAL_BYTES,
        DEFAULT_RETENTION_BYTES,
        DEFAULT_RETENTION_MS,
        DEFAULT_FLUSH_MESSAGES,
        DEFAULT_FLUSH_MS,
        DEFAULT_FILE_DELETE_DELAY_MS,
        DEFAULT_MAX_MESSAGE_BYTES,
        TimestampType.CREATE_TIME,
        CleanupPolicy.DELETE);

    private final int segmentBytes;
    private final long segmentMs;
    private final int segmentIndexBytes;
    private final int indexIntervalBytes;
    private final long retentionBytes;
    private final long retentionMs;
    private final long flushMessages;
    private final long flushMs;
    private final long fileDeleteDelayMs;
    private final int maxMessageBytes;
    private final TimestampType timestampType;
    private final CleanupPolicy cleanupPolicy;

    LogConfig(
        final int segmentBytes,
        final long segmentMs,
        final int segmentIndexBytes,
        final int indexIntervalBytes,
        final long retentionBytes,
        final long retentionMs,
        final long flushMessages,
        final long flushMs,
        final long fileDeleteDelayMs,
        final int maxMessageBytes,
        final TimestampType timestampType,
        final CleanupPolicy cleanupPolicy)
    {
        this.segmentBytes = segmentBytes;
        this.segmentMs = segmentMs;
        this.segmentIndexBytes = segmentIndexBytes;
        this.indexIntervalBytes = indexIntervalBytes;
        this.retentionBytes = retentionBytes;
        this.retentionMs = retentionMs;
        this.flushMessages = flushMessages;
        this.flushMs = flushMs;
        this.fileDeleteDelayMs = fileDeleteDelayMs;
        this.maxMessageBytes = maxMessageBytes;
        this.timestampType = Objects.requireNonNull(timestampType);
        this.cleanupPolicy = Objects.requireNonNull(cleanupPolicy);
    }

    /** Size a new segment's {@code .log} file is preallocated to; a batch region never straddles two segments. */
    public int segmentBytes()
    {
        return segmentBytes;
    }

    /** Age after which the active segment rolls, measured between first and newest batch timestamps. */
    public long segmentMs()
    {
        return segmentMs;
    }

    /** Preallocated size of each of a segment's two index files. */
    public int segmentIndexBytes()
    {
        return segmentIndexBytes;
    }

    /** Log bytes between two index entries. */
    public int indexIntervalBytes()
    {
        return indexIntervalBytes;
    }

    /** Bytes the partition keeps at most before whole old segments go; negative: no limit. */
    public long retentionBytes()
    {
        return retentionBytes;
    }

    /** Age of a segment's newest timestamp after which it goes; -1: no limit. */
    public long retentionMs()
    {
        return retentionMs;
    }

    public long flushMessages()
    {
        return flushMessages;
    }

    public long flushMs()
    {
        return flushMs;
    }

    /** Time a deleted segment's files stay (renamed {@code .deleted}, still mapped) for readers in flight. */
    public long fileDeleteDelayMs()
    {
        return fileDeleteDelayMs;
    }

    /** Largest batch accepted, header included. */
    public int maxMessageBytes()
    {
        return maxMessageBytes;
    }

    public TimestampType timestampType()
    {
        return timestampType;
    }

    public boolean isLogAppendTime()
    {
        return TimestampType.LOG_APPEND_TIME == timestampType;
    }

    public CleanupPolicy cleanupPolicy()
    {
        return cleanupPolicy;
    }

    /**
     * The settings under their topic-level names, values as Kafka prints them, for DescribeConfigs and
     * {@link LogConfigParser#parseTopic(Map, LogConfig)} round trips.
     */
    public Map<String, String> toProperties()
    {
        final Map<String, String> properties = new LinkedHashMap<>();
        properties.put(SEGMENT_BYTES, Integer.toString(segmentBytes));
        properties.put(SEGMENT_MS, Long.toString(segmentMs));
        properties.put(SEGMENT_INDEX_BYTES, Integer.toString(segmentIndexBytes));
        properties.put(INDEX_INTERVAL_BYTES, Integer.toString(indexIntervalBytes));
        properties.put(RETENTION_BYTES, Long.toString(retentionBytes));
        properties.put(RETENTION_MS, Long.toString(retentionMs));
        properties.put(FLUSH_MESSAGES, Long.toString(flushMessages));
        properties.put(FLUSH_MS, Long.toString(flushMs));
        properties.put(FILE_DELETE_DELAY_MS, Long.toString(fileDeleteDelayMs));
        properties.put(MAX_MESSAGE_BYTES, Integer.toString(maxMessageBytes));
        properties.put(MESSAGE_TIMESTAMP_TYPE, timestampType.configValue());
        properties.put(CLEANUP_POLICY, cleanupPolicy.configValue());
        return properties;
    }

    public boolean equals(final Object o)
    {
        if (this == o)
        {
            return true;
        }
        if (!(o instanceof LogConfig))
        {
            return false;
        }
        final LogConfig that = (LogConfig)o;
        return segmentBytes == that.segmentBytes &&
            segmentMs == that.segmentMs &&
            segmentIndexBytes == that.segmentIndexBytes &&
            indexIntervalBytes == that.indexIntervalBytes &&
            retentionBytes == that.retentionBytes &&
            retentionMs == that.retentionMs &&
            flushMessages == that.flushMessages &&
            flushMs == that.flushMs &&
            fileDeleteDelayMs == that.fileDeleteDelayMs &&
            maxMessageBytes == that.maxMessageBytes &&
            timestampType == that.timestampType &&
            cleanupPolicy == that.cleanupPolicy;
    }

    public int hashCode()
    {
        return Objects.hash(
            segmentBytes, segmentMs, segmentIndexBytes, indexIntervalBytes, retentionBytes, retentionMs,
            flushMessages, flushMs, fileDeleteDelayMs, maxMessageBytes, timestampType, cleanupPolicy);
    }

    public String toString()
    {
        return "LogConfig" + toProperties();
    }
}
