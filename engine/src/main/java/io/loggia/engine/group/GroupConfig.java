package io.loggia.engine.group;

import java.util.Map;

/**
 * The broker settings of the group coordinator, with Kafka's names and defaults. Immutable; build one with
 * {@link #parse(Map)}. Keys it does not know are ignored: the same map carries every broker setting.
 */
public final class GroupConfig
{
    public static final String GROUP_MIN_SESSION_TIMEOUT_MS = "group.min.session.timeout.ms";
    public static final String GROUP_MAX_SESSION_TIMEOUT_MS = "group.max.session.timeout.ms";
    public static final String GROUP_INITIAL_REBALANCE_DELAY_MS = "group.initial.rebalance.delay.ms";
    public static final String GROUP_MAX_SIZE = "group.max.size";
    public static final String OFFSETS_TOPIC_NUM_PARTITIONS = "offsets.topic.num.partitions";
    public static final String OFFSETS_TOPIC_SEGMENT_BYTES = "offsets.topic.segment.bytes";
    public static final String OFFSET_METADATA_MAX_BYTES = "offset.metadata.max.bytes";
    public static final String OFFSETS_RETENTION_MS = "offsets.retention.ms";
    public static final String OFFSETS_RETENTION_CHECK_INTERVAL_MS = "offsets.retention.check.interval.ms";
    public static final String OFFSETS_LOAD_BUFFER_SIZE = "offsets.load.buffer.size";

    public static final int DEFAULT_GROUP_MIN_SESSION_TIMEOUT_MS = 6_000;
    public static final int DEFAULT_GROUP_MAX_SESSION_TIMEOUT_MS = 1_800_000;
    public static final int DEFAULT_GROUP_INITIAL_REBALANCE_DELAY_MS = 3_000;
    public static final int DEFAULT_GROUP_MAX_SIZE = Integer.MAX_VALUE;
    public static final int DEFAULT_OFFSETS_TOPIC_NUM_PARTITIONS = 50;
    public static final int DEFAULT_OFFSETS_TOPIC_SEGMENT_BYTES = 100 * 1024 * 1024;
    public static final int DEFAULT_OFFSET_METADATA_MAX_BYTES = 4096;
    public static final long DEFAULT_OFFSETS_RETENTION_MS = 7L * 24 * 60 * 60 * 1000;
    public static final long DEFAULT_OFFSETS_RETENTION_CHECK_INTERVAL_MS = 600_000L;
    public static final int DEFAULT_OFFSETS_LOAD_BUFFER_SIZE = 5 * 1024 * 1024;

    /** The internal topic holding committed offsets and group metadata. */
    public static final String OFFSETS_TOPIC = "__consumer_offsets";

    /**
     * Longest group id accepted, in UTF-16 chars. Kafka has no limit; ours keeps a group's key in
     * {@code __consumer_offsets} far below the int16 string length of the record layout (3 bytes per char at
     * most in UTF-8) and bounds what a client can make the coordinator hold per group.
     */
    public static final int MAX_GROUP_ID_LENGTH = 1024;

    /**
     * How long a new member's JoinGroup may wait in a rebalance before the member is dropped (Kafka's
     * fixed 5 minutes): a new member cannot heartbeat, so this is what removes one whose client went away.
     */
    public static final long NEW_MEMBER_JOIN_TIMEOUT_MS = 300_000L;

    public static final GroupConfig DEFAULTS = new GroupConfig(
        DEFAULT_GROUP_MIN_SESSION_TIMEOUT_MS,
        DEFAULT_GROUP_MAX_SESSION_TIMEOUT_MS,
        DEFAULT_GROUP_INITIAL_REBALANCE_DELAY_MS,
        DEFAULT_GROUP_MAX_SIZE,
        DEFAULT_OFFSETS_TOPIC_NUM_PARTITIONS,
        DEFAULT_OFFSETS_TOPIC_SEGMENT_BYTES,
        DEFAULT_OFFSET_METADATA_MAX_BYTES,
        DEFAULT_OFFSETS_RETENTION_MS,
        DEFAULT_OFFSETS_RETENTION_CHECK_INTERVAL_MS,
        DEFAULT_OFFSETS_LOAD_BUFFER_SIZE);

    /**
     * A parsed config or the reason there is none.
     *
     * @param config the config, null when {@code error} is set.
     * @param error  one line naming the bad key and value, null when valid.
     */
    public record Result(GroupConfig config, String error)
    {
        public boolean isValid()
        {
            return null == error;
        }
    }

    private final int minSessionTimeoutMs;
    private final int maxSessionTimeoutMs;
    private final int initialRebalanceDelayMs;
    private final int maxSize;
    private final int offsetsTopicPartitions;
    private final int offsetsTopicSegmentBytes;
    private final int offsetMetadataMaxBytes;
    private final long offsetsRetentionMs;
    private final long offsetsRetentionCheckIntervalMs;
    private final int offsetsLoadBufferSize;

    private GroupConfig(
        final int minSessionTimeoutMs,
        final int maxSessionTimeoutMs,
        final int initialRebalanceDelayMs,
        final int maxSize,
        final int offsetsTopicPartitions,
        final int offsetsTopicSegmentBytes,
        final int offsetMetadataMaxBytes,
        final long offsetsRetentionMs,
        final long offsetsRetentionCheckIntervalMs,
        final int offsetsLoadBufferSize)
    {
        this.minSessionTimeoutMs = minSessionTimeoutMs;
        this.maxSessionTimeoutMs = maxSessionTimeoutMs;
        this.initialRebalanceDelayMs = initialRebalanceDelayMs;
        this.maxSize = maxSize;
        this.offsetsTopicPartitions = offsetsTopicPartitions;
        this.offsetsTopicSegmentBytes = offsetsTopicSegmentBytes;
        this.offsetMetadataMaxBytes = offsetMetadataMaxBytes;
        this.offsetsRetentionMs = offsetsRetentionMs;
        this.offsetsRetentionCheckIntervalMs = offsetsRetentionCheckIntervalMs;
        this.offsetsLoadBufferSize = offsetsLoadBufferSize;
    }

    /** Kafka's defaults overridden by the keys present in {@code properties}. */
    public static Result parse(final Map<String, String> properties)
    {
        try
        {
            final GroupConfig d = DEFAULTS;
            final int min = intValue(properties, GROUP_MIN_SESSION_TIMEOUT_MS, 0, d.minSessionTimeoutMs);
            final int max = intValue(properties, GROUP_MAX_SESSION_TIMEOUT_MS, 0, d.maxSessionTimeoutMs);
            if (min > max)
            {
                throw new BadValue(GROUP_MIN_SESSION_TIMEOUT_MS + "=" + min + " is above " +
                    GROUP_MAX_SESSION_TIMEOUT_MS + "=" + max);
            }
            return new Result(new GroupConfig(
                min,
                max,
                intValue(properties, GROUP_INITIAL_REBALANCE_DELAY_MS, 0, d.initialRebalanceDelayMs),
                intValue(properties, GROUP_MAX_SIZE, 1, d.maxSize),
                intValue(properties, OFFSETS_TOPIC_NUM_PARTITIONS, 1, d.offsetsTopicPartitions),
                intValue(properties, OFFSETS_TOPIC_SEGMENT_BYTES, 1, d.offsetsTopicSegmentBytes),
                intValue(properties, OFFSET_METADATA_MAX_BYTES, 0, d.offsetMetadataMaxBytes),
                longValue(properties, OFFSETS_RETENTION_MS, 1, d.offsetsRetentionMs),
                longValue(properties, OFFSETS_RETENTION_CHECK_INTERVAL_MS, 1, d.offsetsRetentionCheckIntervalMs),
                intValue(properties, OFFSETS_LOAD_BUFFER_SIZE, 1, d.offsetsLoadBufferSize)), null);
        }
        catch (final BadValue ex)
        {
            return new Result(null, ex.getMessage());
        }
    }

    /** Shortest session timeout a JoinGroup may ask for; shorter is INVALID_SESSION_TIMEOUT. */
    public int minSessionTimeoutMs()
    {
        return minSessionTimeoutMs;
    }

    /** Longest session timeout a JoinGroup may ask for; longer is INVALID_SESSION_TIMEOUT. */
    public int maxSessionTimeoutMs()
    {
        return maxSessionTimeoutMs;
    }

    /**
     * How long the first rebalance of an empty group waits for more members, extended by the same again
     * (up to the rebalance timeout) while new members keep arriving.
     */
    public int initialRebalanceDelayMs()
    {
        return initialRebalanceDelayMs;
    }

    /** Most members a group may have; a new member beyond it gets GROUP_MAX_SIZE_REACHED. */
    public int maxSize()
    {
        return maxSize;
    }

    /** Partitions {@code __consumer_offsets} is created with. */
    public int offsetsTopicPartitions()
    {
        return offsetsTopicPartitions;
    }

    /** {@code segment.bytes} of {@code __consumer_offsets}. */
    public int offsetsTopicSegmentBytes()
    {
        return offsetsTopicSegmentBytes;
    }

    /** Longest commit metadata string, in chars (Kafka counts String.length()); longer is OFFSET_METADATA_TOO_LARGE. */
    public int offsetMetadataMaxBytes()
    {
        return offsetMetadataMaxBytes;
    }

    /** How long an offset outlives its last commit (or its group becoming empty) before it expires. */
    public long offsetsRetentionMs()
    {
        return offsetsRetentionMs;
    }

    /** How often expired offsets and dead groups are looked for. */
    public long offsetsRetentionCheckIntervalMs()
    {
        return offsetsRetentionCheckIntervalMs;
    }

    /** Bytes read from a {@code __consumer_offsets} partition per step while loading (one batch at least). */
    public int offsetsLoadBufferSize()
    {
        return offsetsLoadBufferSize;
    }

    /** Topic-level settings {@code __consumer_offsets} is created with: compacted, smaller segments. */
    public Map<String, String> offsetsTopicConfig()
    {
        return Map.of("cleanup.policy", "compact", "segment.bytes", Integer.toString(offsetsTopicSegmentBytes));
    }

    /**
     * The {@code __consumer_offsets} partition that holds a group, exactly as Kafka computes it: the absolute
     * value of {@code String.hashCode()} (0 for Integer.MIN_VALUE, Kafka's {@code Utils.abs}) modulo the
     * partition count. Masking the sign bit instead would put every group with a negative hash elsewhere.
     */
    public static int partitionFor(final String groupId, final int partitions)
    {
        final int hash = groupId.hashCode();
        return (hash == Integer.MIN_VALUE ? 0 : Math.abs(hash)) % partitions;
    }

    public String toString()
    {
        return "GroupConfig{" +
            GROUP_MIN_SESSION_TIMEOUT_MS + '=' + minSessionTimeoutMs + ", " +
            GROUP_MAX_SESSION_TIMEOUT_MS + '=' + maxSessionTimeoutMs + ", " +
            GROUP_INITIAL_REBALANCE_DELAY_MS + '=' + initialRebalanceDelayMs + ", " +
            GROUP_MAX_SIZE + '=' + maxSize + ", " +
            OFFSETS_TOPIC_NUM_PARTITIONS + '=' + offsetsTopicPartitions + ", " +
            OFFSETS_TOPIC_SEGMENT_BYTES + '=' + offsetsTopicSegmentBytes + ", " +
            OFFSET_METADATA_MAX_BYTES + '=' + offsetMetadataMaxBytes + ", " +
            OFFSETS_RETENTION_MS + '=' + offsetsRetentionMs + ", " +
            OFFSETS_RETENTION_CHECK_INTERVAL_MS + '=' + offsetsRetentionCheckIntervalMs + ", " +
            OFFSETS_LOAD_BUFFER_SIZE + '=' + offsetsLoadBufferSize + '}';
    }

    private static int intValue(final Map<String, String> properties, final String key, final int min, final int absent)
        throws BadValue
    {
        final long value = longValue(properties, key, min, absent);
        if (value > Integer.MAX_VALUE)
        {
            throw new BadValue(key + "=" + value + " is above " + Integer.MAX_VALUE);
        }
        return (int)value;
    }

    private static long longValue(
        final Map<String, String> properties, final String key, final long min, final long absent) throws BadValue
    {
        final String raw = properties.get(key);
        if (null == raw)
        {
            return absent;
        }
        final long value;
        try
        {
            value = Long.parseLong(raw.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new BadValue(key + "=" + raw + " is not a number");
        }
        if (value < min)
        {
            throw new BadValue(key + "=" + value + " is below " + min);
        }
        return value;
    }

    private static final class BadValue extends Exception
    {
        private static final long serialVersionUID = 1L;

        BadValue(final String message)
        {
            super(message, null, false, false);
        }
    }
}
