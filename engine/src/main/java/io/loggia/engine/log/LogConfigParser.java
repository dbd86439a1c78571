package io.loggia.engine.log;

import java.util.Map;

/**
 * Builds {@link LogConfig}s from string maps: broker-level defaults ({@code log.segment.bytes}, ...) and
 * topic-level overrides ({@code segment.bytes}, ...), with Kafka's names, precedence and lower bounds.
 * Keys it does not know are ignored: the same maps carry settings that other parts of the broker own.
 * A bad value is reported as one line naming the key, never as an exception.
 */
public final class LogConfigParser
{
    public static final String LOG_SEGMENT_BYTES = "log.segment.bytes";
    public static final String LOG_ROLL_MS = "log.roll.ms";
    public static final String LOG_ROLL_HOURS = "log.roll.hours";
    public static final String LOG_INDEX_SIZE_MAX_BYTES = "log.index.size.max.bytes";
    public static final String LOG_INDEX_INTERVAL_BYTES = "log.index.interval.bytes";
    public static final String LOG_RETENTION_BYTES = "log.retention.bytes";
    public static final String LOG_RETENTION_MS = "log.retention.ms";
    public static final String LOG_RETENTION_MINUTES = "log.retention.minutes";
    public static final String LOG_RETENTION_HOURS = "log.retention.hours";
    public static final String LOG_FLUSH_INTERVAL_MESSAGES = "log.flush.interval.messages";
    public static final String LOG_FLUSH_INTERVAL_MS = "log.flush.interval.ms";
    public static final String LOG_FLUSH_SCHEDULER_INTERVAL_MS = "log.flush.scheduler.interval.ms";
    public static final String LOG_SEGMENT_DELETE_DELAY_MS = "log.segment.delete.delay.ms";
    public static final String MESSAGE_MAX_BYTES = "message.max.bytes";
    public static final String LOG_MESSAGE_TIMESTAMP_TYPE = "log.message.timestamp.type";
    public static final String LOG_CLEANUP_POLICY = "log.cleanup.policy";

    private static final long MS_PER_MINUTE = 60_000L;
    private static final long MS_PER_HOUR = 60 * MS_PER_MINUTE;

    /**
     * A parsed config or the reason there is none.
     *
     * @param config the config, null when {@code error} is set.
     * @param error  one line naming the bad key and value, null when valid.
     */
    public record Result(LogConfig config, String error)
    {
        public boolean isValid()
        {
            return null == error;
        }
    }

    private LogConfigParser()
    {
    }

    /**
     * Broker-wide defaults from broker properties. Missing keys take Kafka's defaults. Where Kafka has several
     * keys for one setting the finer one wins: {@code log.retention.ms} over {@code .minutes} over
     * {@code .hours}; {@code log.roll.ms} over {@code log.roll.hours}; {@code log.flush.interval.ms} over
     * {@code log.flush.scheduler.interval.ms}.
     */
    public static Result parseBroker(final Map<String, String> properties)
    {
        try
        {
            final LogConfig d = LogConfig.DEFAULTS;
            final long segmentMs = properties.containsKey(LOG_ROLL_MS) ?
                longValue(properties, LOG_ROLL_MS, 1, d.segmentMs()) :
                hours(properties, LOG_ROLL_HOURS, 1, d.segmentMs());
            final long retentionMs;
            if (properties.containsKey(LOG_RETENTION_MS))
            {
                final long value = longValue(properties, LOG_RETENTION_MS, Long.MIN_VALUE, d.retentionMs());
                // Kafka: any negative broker retention means unlimited
                retentionMs = value < 0 ? -1L : value;
            }
            else if (properties.containsKey(LOG_RETENTION_MINUTES))
            {
                retentionMs = unlimitedOrScaled(properties, LOG_RETENTION_MINUTES, MS_PER_MINUTE);
            }
            else if (properties.containsKey(LOG_RETENTION_HOURS))
            {
                retentionMs = unlimitedOrScaled(properties, LOG_RETENTION_HOURS, MS_PER_HOUR);
            }
            else
            {
                retentionMs = d.retentionMs();
            }
            final long flushMs = properties.containsKey(LOG_FLUSH_INTERVAL_MS) ?
                longValue(properties, LOG_FLUSH_INTERVAL_MS, 0, d.flushMs()) :
                longValue(properties, LOG_FLUSH_SCHEDULER_INTERVAL_MS, 0, d.flushMs());

            return new Result(new LogConfig(
                intValue(properties, LOG_SEGMENT_BYTES, LogConfig.MIN_SEGMENT_BYTES, d.segmentBytes()),
                segmentMs,
                intValue(properties, LOG_INDEX_SIZE_MAX_BYTES, LogConfig.MIN_SEGMENT_INDEX_BYTES, d.segmentIndexBytes()),
                intValue(properties, LOG_INDEX_INTERVAL_BYTES, 0, d.indexIntervalBytes()),
                longValue(properties, LOG_RETENTION_BYTES, Long.MIN_VALUE, d.retentionBytes()),
                retentionMs,
                longValue(properties, LOG_FLUSH_INTERVAL_MESSAGES, 1, d.flushMessages()),
                flushMs,
                longValue(properties, LOG_SEGMENT_DELETE_DELAY_MS, 0, d.fileDeleteDelayMs()),
                intValue(properties, MESSAGE_MAX_BYTES, 0, d.maxMessageBytes()),
                timestampType(properties, LOG_MESSAGE_TIMESTAMP_TYPE, d.timestampType()),
                cleanupPolicy(properties, LOG_CLEANUP_POLICY, d.cleanupPolicy())), null);
        }
        catch (final BadValue ex)
        {
            return new Result(null, ex.getMessage());
        }
    }

    /**
     * A topic's config: {@code defaults} (usually from {@link #parseBroker(Map)}) overridden by the topic-level
     * keys present in {@code overrides}.
     */
    public static Result parseTopic(final Map<String, String> overrides, final LogConfig defaults)
    {
        try
        {
            return new Result(new LogConfig(
                intValue(overrides, LogConfig.SEGMENT_BYTES, LogConfig.MIN_SEGMENT_BYTES, defaults.segmentBytes()),
                longValue(overrides, LogConfig.SEGMENT_MS, 1, defaults.segmentMs()),
                intValue(overrides, LogConfig.SEGMENT_INDEX_BYTES, LogConfig.MIN_SEGMENT_INDEX_BYTES,
                    defaults.segmentIndexBytes()),
                intValue(overrides, LogConfig.INDEX_INTERVAL_BYTES, 0, defaults.indexIntervalBytes()),
                longValue(overrides, LogConfig.RETENTION_BYTES, Long.MIN_VALUE, defaults.retentionBytes()),
                longValue(overrides, LogConfig.RETENTION_MS, -1, defaults.retentionMs()),
                longValue(overrides, LogConfig.FLUSH_MESSAGES, 1, defaults.flushMessages()),
                longValue(overrides, LogConfig.FLUSH_MS, 0, defaults.flushMs()),
                longValue(overrides, LogConfig.FILE_DELETE_DELAY_MS, 0, defaults.fileDeleteDelayMs()),
                intValue(overrides, LogConfig.MAX_MESSAGE_BYTES, 0, defaults.maxMessageBytes()),
                timestampType(overrides, LogConfig.MESSAGE_TIMESTAMP_TYPE, defaults.timestampType()),
                cleanupPolicy(overrides, LogConfig.CLEANUP_POLICY, defaults.cleanupPolicy())), null);
        }
        catch (final BadValue ex)
        {
            return new Result(null, ex.getMessage());
        }
    }

    private static int intValue(final Map<String, String> properties, final String key, final int min, final int absent)
        throws BadValue
    {
        final String raw = properties.get(key);
        if (null == raw)
        {
            return absent;
        }
        final int value;
        try
        {
            value = Integer.parseInt(raw.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new BadValue(key + ": '" + raw + "' is not a 32-bit integer");
        }
        if (value < min)
        {
            throw new BadValue(key + ": " + value + " is below the minimum " + min);
        }
        return value;
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
            throw new BadValue(key + ": '" + raw + "' is not a 64-bit integer");
        }
        if (value < min)
        {
            throw new BadValue(key + ": " + value + " is below the minimum " + min);
        }
        return value;
    }

    private static long hours(final Map<String, String> properties, final String key, final int min, final long absent)
        throws BadValue
    {
        return properties.containsKey(key) ? intValue(properties, key, min, 0) * MS_PER_HOUR : absent;
    }

    private static long unlimitedOrScaled(final Map<String, String> properties, final String key, final long scale)
        throws BadValue
    {
        final int value = intValue(properties, key, Integer.MIN_VALUE, 0);
        return value < 0 ? -1L : value * scale;
    }

    private static TimestampType timestampType(
        final Map<String, String> properties, final String key, final TimestampType absent) throws BadValue
    {
        final String raw = properties.get(key);
        if (null == raw)
        {
            return absent;
        }
        final TimestampType type = TimestampType.fromConfigValue(raw.trim());
        if (null == type)
        {
            throw new BadValue(key + ": '" + raw + "' is not CreateTime or LogAppendTime");
        }
        return type;
    }

    private static CleanupPolicy cleanupPolicy(
        final Map<String, String> properties, final String key, final CleanupPolicy absent) throws BadValue
    {
        final String raw = properties.get(key);
        if (null == raw)
        {
            return absent;
        }
        final CleanupPolicy policy = CleanupPolicy.fromConfigValue(raw);
        if (null == policy)
        {
            throw new BadValue(key + ": '" + raw + "' is not a list of delete and compact");
        }
        return policy;
    }

    /** Carries one error line out of the nested parse calls; never escapes this class. */
    private static final class BadValue extends Exception
    {
        private static final long serialVersionUID = 1L;

        BadValue(final String message)
        {
            super(message, null, false, false);
        }
    }
}
