package io.loggia.net.broker;

import io.loggia.engine.EngineConfig;
import io.loggia.engine.group.GroupConfig;
import io.loggia.engine.log.LogConfigParser;
import io.loggia.engine.topic.TopicConfigCatalog;
import io.loggia.net.transport.TransportConfig;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Every broker setting Loggia reads, with its type and default, plus the Kafka settings it accepts without
 * effect (a stock Kafka {@code server.properties} starts Loggia without a warning). A key in neither table gets
 * one warning line at start-up, as Kafka warns about unknown keys, and is otherwise ignored.
 * <p>
 * The types here are checked before any part of the broker reads its settings, so every malformed value is
 * reported as one line naming its key.
 */
public final class BrokerConfigKeys
{
    /** How a value is checked. */
    public enum Type
    {
        INT, LONG, BOOLEAN, STRING, LIST, DOUBLE
    }

    /**
     * One setting.
     *
     * @param name         the key.
     * @param type         how its value is checked.
     * @param defaultValue the value when absent, as DescribeConfigs shows it; null when it has none.
     * @param applied      false for Kafka settings accepted with no effect in Loggia.
     */
    public record Key(String name, Type type, String defaultValue, boolean applied)
    {
    }

    private static final Map<String, Key> KEYS = new LinkedHashMap<>();

    static
    {
        applied(BrokerConfig.LISTENERS, Type.LIST, BrokerConfig.DEFAULT_LISTENERS);
        applied(BrokerConfig.ADVERTISED_LISTENERS, Type.LIST, null);
        applied(BrokerConfig.LISTENER_SECURITY_PROTOCOL_MAP, Type.LIST, BrokerConfig.DEFAULT_SECURITY_PROTOCOL_MAP);
        applied(BrokerConfig.CONTROLLER_LISTENER_NAMES, Type.LIST, null);
        applied(EngineConfig.LOG_DIRS, Type.LIST, null);
        applied(EngineConfig.LOG_DIR, Type.STRING, BrokerConfig.DEFAULT_LOG_DIR);
        applied(BrokerConfig.NODE_ID, Type.INT, Integer.toString(BrokerConfig.DEFAULT_NODE_ID));
        applied(BrokerConfig.BROKER_ID, Type.INT, null);
        applied(BrokerConfig.NUM_PARTITIONS, Type.INT, "1");
        applied(BrokerConfig.AUTO_CREATE_TOPICS_ENABLE, Type.BOOLEAN, "true");
        applied(BrokerConfig.DEFAULT_REPLICATION_FACTOR, Type.INT, "1");
        applied(BrokerConfig.DELETE_TOPIC_ENABLE, Type.BOOLEAN, "true");
        applied(BrokerConfig.THREADING_MODE, Type.STRING, BrokerConfig.ThreadingMode.SHARED.configValue());

        applied(TransportConfig.NUM_NETWORK_THREADS, Type.INT, null);
        applied(TransportConfig.SOCKET_REQUEST_MAX_BYTES, Type.INT, "104857600");
        applied(TransportConfig.QUEUED_MAX_REQUEST_BYTES, Type.LONG, "268435456");
        applied(TransportConfig.CONNECTIONS_MAX_IDLE_MS, Type.LONG, "600000");
        applied(TransportConfig.MAX_CONNECTIONS, Type.INT, Integer.toString(Integer.MAX_VALUE));
        applied(TransportConfig.MAX_CONNECTIONS_PER_IP, Type.INT, Integer.toString(Integer.MAX_VALUE));
        applied(TransportConfig.SOCKET_RECEIVE_BUFFER_BYTES, Type.INT, "-1");
        applied(TransportConfig.SOCKET_SEND_BUFFER_BYTES, Type.INT, "-1");
        applied(TransportConfig.SOCKET_LISTEN_BACKLOG_SIZE, Type.INT, "50");
        applied(TransportConfig.REQUEST_RECEIVE_TIMEOUT_MS, Type.LONG, "30000");
        applied(TransportConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, Type.INT, "16");
        applied(TransportConfig.RECEIVE_BUFFER_INITIAL_BYTES, Type.INT, "65536");
        applied(TransportConfig.SEND_BUFFER_INITIAL_BYTES, Type.INT, "16384");
        applied(TransportConfig.BUFFER_RELEASE_MS, Type.LONG, "1000");
        applied(TransportConfig.NEW_CONNECTION_QUEUE_SIZE, Type.INT, "1024");
        applied(TransportConfig.IDLE_SPINS, Type.INT, "20");
        applied(TransportConfig.IDLE_MAX_BLOCK_MS, Type.LONG, "100");

        applied(EngineConfig.NUM_WRITER_THREADS, Type.INT, "1");
        applied(EngineConfig.LOG_RETENTION_CHECK_INTERVAL_MS, Type.LONG, "300000");
        applied(EngineConfig.LOG_FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS, Type.LONG, "60000");
        applied(EngineConfig.LOG_FLUSH_START_OFFSET_CHECKPOINT_INTERVAL_MS, Type.LONG, "60000");
        applied(EngineConfig.PRODUCER_ID_EXPIRATION_MS, Type.LONG, "86400000");
        applied(EngineConfig.WRITER_RING_BYTES, Type.INT, Integer.toString(16 * 1024 * 1024));
        applied(EngineConfig.WRITER_READ_LIMIT, Type.INT, "1024");
        applied(EngineConfig.COMPLETION_RING_BYTES, Type.INT, Integer.toString(256 * 1024));
        applied(EngineConfig.SEGMENT_PREPARE_BYTES, Type.LONG, Long.toString(16L * 1024 * 1024));
        applied(EngineConfig.SEGMENT_PREPARE_CHUNK_BYTES, Type.LONG, Long.toString(2L * 1024 * 1024));
        applied(EngineConfig.HOUSEKEEPER_NATIVE, Type.BOOLEAN, "true");

        applied(LogConfigParser.LOG_SEGMENT_BYTES, Type.INT, "1073741824");
        applied(LogConfigParser.LOG_ROLL_MS, Type.LONG, null);
        applied(LogConfigParser.LOG_ROLL_HOURS, Type.INT, "168");
        applied(LogConfigParser.LOG_INDEX_SIZE_MAX_BYTES, Type.INT, "10485760");
        applied(LogConfigParser.LOG_INDEX_INTERVAL_BYTES, Type.INT, "4096");
        applied(LogConfigParser.LOG_RETENTION_BYTES, Type.LONG, "-1");
        applied(LogConfigParser.LOG_RETENTION_MS, Type.LONG, null);
        applied(LogConfigParser.LOG_RETENTION_MINUTES, Type.INT, null);
        applied(LogConfigParser.LOG_RETENTION_HOURS, Type.INT, "168");
        applied(LogConfigParser.LOG_FLUSH_INTERVAL_MESSAGES, Type.LONG, Long.toString(Long.MAX_VALUE));
        applied(LogConfigParser.LOG_FLUSH_INTERVAL_MS, Type.LONG, null);
        applied(LogConfigParser.LOG_FLUSH_SCHEDULER_INTERVAL_MS, Type.LONG, Long.toString(Long.MAX_VALUE));
        applied(LogConfigParser.LOG_SEGMENT_DELETE_DELAY_MS, Type.LONG, "60000");
        applied(LogConfigParser.MESSAGE_MAX_BYTES, Type.INT, "1048588");
        applied(LogConfigParser.LOG_MESSAGE_TIMESTAMP_TYPE, Type.STRING, "CreateTime");
        applied(LogConfigParser.LOG_CLEANUP_POLICY, Type.LIST, "delete");

        applied(GroupConfig.GROUP_MIN_SESSION_TIMEOUT_MS, Type.INT, "6000");
        applied(GroupConfig.GROUP_MAX_SESSION_TIMEOUT_MS, Type.INT, "1800000");
        applied(GroupConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, Type.INT, "3000");
        applied(GroupConfig.GROUP_MAX_SIZE, Type.INT, Integer.toString(Integer.MAX_VALUE));
        applied(GroupConfig.OFFSETS_TOPIC_NUM_PARTITIONS, Type.INT, "50");
        applied(GroupConfig.OFFSETS_TOPIC_SEGMENT_BYTES, Type.INT, "104857600");
        applied(GroupConfig.OFFSET_METADATA_MAX_BYTES, Type.INT, "4096");
        applied(GroupConfig.OFFSETS_RETENTION_MS, Type.LONG, "604800000");
        applied(GroupConfig.OFFSETS_RETENTION_CHECK_INTERVAL_MS, Type.LONG, "600000");
        applied(GroupConfig.OFFSETS_LOAD_BUFFER_SIZE, Type.INT, "5242880");

        // broker defaults of topic configs Loggia stores and describes but does not apply
        for (final TopicConfigCatalog.Entry entry : TopicConfigCatalog.entries())
        {
            for (final String brokerKey : entry.brokerKeys())
            {
                if (!KEYS.containsKey(brokerKey))
                {
                    KEYS.put(brokerKey, new Key(brokerKey, typeOf(entry.type()), entry.kafkaDefault(), false));
                }
            }
        }

        // Kafka settings with nothing to do on one node without KRaft, SSL or SASL
        for (final String name : new String[]{
            "process.roles", "controller.quorum.voters", "controller.quorum.bootstrap.servers",
            "inter.broker.listener.name", "num.io.threads", "num.recovery.threads.per.data.dir",
            "num.replica.fetchers", "offsets.topic.replication.factor", "offsets.topic.min.isr",
            "transaction.state.log.replication.factor", "transaction.state.log.min.isr",
            "transaction.state.log.num.partitions", "share.coordinator.state.topic.replication.factor",
            "share.coordinator.state.topic.min.isr", "log.cleaner.enable", "log.cleaner.threads",
            "group.coordinator.rebalance.protocols", "auto.leader.rebalance.enable", "broker.rack",
            "metadata.log.dir", "zookeeper.connect"})
        {
            KEYS.put(name, new Key(name, Type.STRING, null, false));
        }
    }

    private static final Map<String, Key> UNMODIFIABLE = Collections.unmodifiableMap(KEYS);

    private BrokerConfigKeys()
    {
    }

    private static void applied(final String name, final Type type, final String defaultValue)
    {
        KEYS.put(name, new Key(name, type, defaultValue, true));
    }

    private static Type typeOf(final byte catalogType)
    {
        switch (catalogType)
        {
            case TopicConfigCatalog.TYPE_INT: return Type.INT;
            case TopicConfigCatalog.TYPE_LONG: return Type.LONG;
            case TopicConfigCatalog.TYPE_BOOLEAN: return Type.BOOLEAN;
            case TopicConfigCatalog.TYPE_DOUBLE: return Type.DOUBLE;
            case TopicConfigCatalog.TYPE_LIST: return Type.LIST;
            default: return Type.STRING;
        }
    }

    /** Every key, in a stable order. */
    public static Map<String, Key> all()
    {
        return UNMODIFIABLE;
    }

    /** @return the key, or null if unknown. */
    public static Key key(final String name)
    {
        return KEYS.get(name);
    }

    /**
     * @return null if {@code value} is well formed for the key's type, else one line naming the key.
     */
    static String check(final Key key, final String value)
    {
        final String trimmed = value.trim();
        try
        {
            switch (key.type())
            {
                case INT:
                    Integer.parseInt(trimmed);
                    return null;
                case LONG:
                    Long.parseLong(trimmed);
                    return null;
                case DOUBLE:
                    Double.parseDouble(trimmed);
                    return null;
                case BOOLEAN:
                    final String lower = trimmed.toLowerCase(Locale.ROOT);
                    return "true".equals(lower) || "false".equals(lower) ?
                        null : key.name() + ": '" + value + "' is not true or false";
                default:
                    return null;
            }
        }
        catch (final NumberFormatException ex)
        {
            return key.name() + ": '" + value + "' is not " +
                (Type.INT == key.type() ? "a 32-bit integer" :
                Type.LONG == key.type() ? "a 64-bit integer" : "a number");
        }
    }
}
