package io.loggia.engine.topic;

import io.loggia.engine.log.LogConfig;
import io.loggia.engine.log.LogConfigParser;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every topic-level config name Kafka 4.4 knows, with its type, Kafka's default and the broker keys that set its
 * default, and whether Loggia applies it. Clients and tools (Kafka Streams, Connect, kafka-topics) create topics
 * with settings such as {@code min.insync.replicas} or {@code compression.type}; refusing them would break those
 * tools, so Loggia accepts and stores every Kafka topic config, validates its type, describes it, and applies
 * the ones its log implements ({@link LogConfig}). Names Kafka does not know are INVALID_CONFIG, as in Kafka.
 * <pre>
 *   name                        type     applied   broker default keys
 *   retention.ms                LONG     yes       log.retention.ms, log.retention.minutes, log.retention.hours
 *   min.insync.replicas         INT      no        min.insync.replicas       (one node: nothing to apply)
 *   ...
 * </pre>
 */
public final class TopicConfigCatalog
{
    /** Kafka's {@code DescribeConfigsResponse.ConfigType} ids. */
    public static final byte TYPE_BOOLEAN = 1;
    public static final byte TYPE_STRING = 2;
    public static final byte TYPE_INT = 3;
    public static final byte TYPE_LONG = 5;
    public static final byte TYPE_DOUBLE = 6;
    public static final byte TYPE_LIST = 7;

    /**
     * One topic config.
     *
     * @param name         the topic-level name.
     * @param type         one of the TYPE_ constants.
     * @param kafkaDefault Kafka's default, as Kafka describes it.
     * @param brokerKeys   broker keys that set the default, finest first; empty if none.
     * @param applied      whether Loggia's log implements it ({@link LogConfig} has it).
     */
    public record Entry(String name, byte type, String kafkaDefault, List<String> brokerKeys, boolean applied)
    {
        public boolean isList()
        {
            return TYPE_LIST == type;
        }
    }

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

    static
    {
        applied(LogConfig.CLEANUP_POLICY, TYPE_LIST, "delete", LogConfigParser.LOG_CLEANUP_POLICY);
        ignored("compression.gzip.level", TYPE_INT, "-1", "compression.gzip.level");
        ignored("compression.lz4.level", TYPE_INT, "9", "compression.lz4.level");
        ignored("compression.type", TYPE_STRING, "producer", "compression.type");
        ignored("compression.zstd.level", TYPE_INT, "3", "compression.zstd.level");
        ignored("delete.retention.ms", TYPE_LONG, "86400000", "log.cleaner.delete.retention.ms");
        ignored("errors.deadletterqueue.group.enable", TYPE_BOOLEAN, "false");
        applied(LogConfig.FILE_DELETE_DELAY_MS, TYPE_LONG, "60000", LogConfigParser.LOG_SEGMENT_DELETE_DELAY_MS);
        applied(LogConfig.FLUSH_MESSAGES, TYPE_LONG, Long.toString(Long.MAX_VALUE),
            LogConfigParser.LOG_FLUSH_INTERVAL_MESSAGES);
        applied(LogConfig.FLUSH_MS, TYPE_LONG, Long.toString(Long.MAX_VALUE),
            LogConfigParser.LOG_FLUSH_INTERVAL_MS, LogConfigParser.LOG_FLUSH_SCHEDULER_INTERVAL_MS);
        ignored("follower.replication.throttled.replicas", TYPE_LIST, "");
        applied(LogConfig.INDEX_INTERVAL_BYTES, TYPE_INT, "4096", LogConfigParser.LOG_INDEX_INTERVAL_BYTES);
        ignored("leader.replication.throttled.replicas", TYPE_LIST, "");
        ignored("local.retention.bytes", TYPE_LONG, "-2", "log.local.retention.bytes");
        ignored("local.retention.ms", TYPE_LONG, "-2", "log.local.retention.ms");
        ignored("max.compaction.lag.ms", TYPE_LONG, Long.toString(Long.MAX_VALUE),
            "log.cleaner.max.compaction.lag.ms");
        ignored("max.decompressed.message.bytes", TYPE_INT, "2147483639");
        applied(LogConfig.MAX_MESSAGE_BYTES, TYPE_INT, "1048588", LogConfigParser.MESSAGE_MAX_BYTES);
        ignored("message.timestamp.after.max.ms", TYPE_LONG, "3600000", "log.message.timestamp.after.max.ms");
        ignored("message.timestamp.before.max.ms", TYPE_LONG, Long.toString(Long.MAX_VALUE),
            "log.message.timestamp.before.max.ms");
        applied(LogConfig.MESSAGE_TIMESTAMP_TYPE, TYPE_STRING, "CreateTime",
            LogConfigParser.LOG_MESSAGE_TIMESTAMP_TYPE);
        ignored("min.cleanable.dirty.ratio", TYPE_DOUBLE, "0.5", "log.cleaner.min.cleanable.ratio");
        ignored("min.compaction.lag.ms", TYPE_LONG, "0", "log.cleaner.min.compaction.lag.ms");
        ignored("min.insync.replicas", TYPE_INT, "1", "min.insync.replicas");
        ignored("preallocate", TYPE_BOOLEAN, "false", "log.preallocate");
        ignored("remote.copy.lag.bytes", TYPE_LONG, "-1");
        ignored("remote.copy.lag.ms", TYPE_LONG, "0");
        ignored("remote.log.copy.disable", TYPE_BOOLEAN, "false");
        ignored("remote.log.delete.on.disable", TYPE_BOOLEAN, "false");
        ignored("remote.storage.enable", TYPE_BOOLEAN, "false");
        applied(LogConfig.RETENTION_BYTES, TYPE_LONG, "-1", LogConfigParser.LOG_RETENTION_BYTES);
        applied(LogConfig.RETENTION_MS, TYPE_LONG, "604800000", LogConfigParser.LOG_RETENTION_MS,
            LogConfigParser.LOG_RETENTION_MINUTES, LogConfigParser.LOG_RETENTION_HOURS);
        applied(LogConfig.SEGMENT_BYTES, TYPE_INT, "1073741824", LogConfigParser.LOG_SEGMENT_BYTES);
        applied(LogConfig.SEGMENT_INDEX_BYTES, TYPE_INT, "10485760", LogConfigParser.LOG_INDEX_SIZE_MAX_BYTES);
        ignored("segment.jitter.ms", TYPE_LONG, "0", "log.roll.jitter.ms");
        applied(LogConfig.SEGMENT_MS, TYPE_LONG, "604800000", LogConfigParser.LOG_ROLL_MS,
            LogConfigParser.LOG_ROLL_HOURS);
        ignored("unclean.leader.election.enable", TYPE_BOOLEAN, "false", "unclean.leader.election.enable");
    }

    private static final List<Entry> ALL = Collections.unmodifiableList(new ArrayList<>(ENTRIES.values()));

    private static final List<String> COMPRESSION_TYPES =
        List.of("producer", "uncompressed", "none", "gzip", "snappy", "lz4", "zstd");

    /**
     * A resolved set of overrides, or why there is none.
     *
     * @param config the effective log config, null when {@code error} is set.
     * @param error  one line naming the bad key or value, null when valid.
     */
    public record Resolved(LogConfig config, String error)
    {
        public boolean isValid()
        {
            return null == error;
        }
    }

    private TopicConfigCatalog()
    {
    }

    private static void applied(
        final String name, final byte type, final String kafkaDefault, final String... brokerKeys)
    {
        ENTRIES.put(name, new Entry(name, type, kafkaDefault, List.of(brokerKeys), true));
    }

    private static void ignored(
        final String name, final byte type, final String kafkaDefault, final String... brokerKeys)
    {
        ENTRIES.put(name, new Entry(name, type, kafkaDefault, List.of(brokerKeys), false));
    }

    /** Every topic config, by name. */
    public static List<Entry> entries()
    {
        return ALL;
    }

    /** @return the entry, or null if Kafka has no topic config of this name. */
    public static Entry entry(final String name)
    {
        return ENTRIES.get(name);
    }

    /**
     * Check a set of overrides and compute the config they give on top of the broker's defaults.
     *
     * @param overrides      topic-level names and values; every name must be a Kafka topic config.
     * @param brokerDefaults the broker-wide {@link LogConfig}.
     */
    public static Resolved resolve(final Map<String, String> overrides, final LogConfig brokerDefaults)
    {
        for (final Map.Entry<String, String> override : overrides.entrySet())
        {
            final String error = check(override.getKey(), override.getValue());
            if (null != error)
            {
                return new Resolved(null, error);
            }
        }
        final LogConfigParser.Result parsed = LogConfigParser.parseTopic(overrides, brokerDefaults);
        return parsed.isValid() ? new Resolved(parsed.config(), null) : new Resolved(null, parsed.error());
    }

    /** @return null if {@code value} is acceptable for topic config {@code name}, else one line saying why. */
    public static String check(final String name, final String value)
    {
        final Entry entry = ENTRIES.get(name);
        if (null == entry)
        {
            return "Unknown topic config name: " + name;
        }
        if (null == value)
        {
            return "Null value not supported for topic config " + name;
        }
        final String trimmed = value.trim();
        if (trimmed.indexOf('\n') >= 0 || trimmed.indexOf('\r') >= 0)
        {
            // no Kafka config value holds one, and the config store keeps one value per line
            return "Invalid value for topic config " + name + ": it holds a line break";
        }
        try
        {
            switch (entry.type())
            {
                case TYPE_INT:
                    Integer.parseInt(trimmed);
                    break;
                case TYPE_LONG:
                    Long.parseLong(trimmed);
                    break;
                case TYPE_DOUBLE:
                    Double.parseDouble(trimmed);
                    break;
                case TYPE_BOOLEAN:
                    if (!"true".equalsIgnoreCase(trimmed) && !"false".equalsIgnoreCase(trimmed))
                    {
                        return name + ": '" + value + "' is not true or false";
                    }
                    break;
                default:
                    break;
            }
        }
        catch (final NumberFormatException ex)
        {
            return name + ": '" + value + "' is not a valid " + typeName(entry.type());
        }
        if ("compression.type".equals(name) && !COMPRESSION_TYPES.contains(trimmed.toLowerCase(Locale.ROOT)))
        {
            return name + ": '" + value + "' is not one of " + COMPRESSION_TYPES;
        }
        if ("min.insync.replicas".equals(name) && Integer.parseInt(trimmed) < 1)
        {
            return name + ": " + trimmed + " is below the minimum 1";
        }
        return null;
    }

    /** Kafka's name of a config type, as {@code kafka-configs} prints it. */
    public static String typeName(final byte type)
    {
        switch (type)
        {
            case TYPE_BOOLEAN: return "BOOLEAN";
            case TYPE_STRING: return "STRING";
            case TYPE_INT: return "INT";
            case TYPE_LONG: return "LONG";
            case TYPE_DOUBLE: return "DOUBLE";
            case TYPE_LIST: return "LIST";
            default: return "UNKNOWN";
        }
    }
}
