package io.loggia.net.broker;

import io.loggia.engine.EngineConfig;
import io.loggia.engine.group.GroupConfig;
import io.loggia.engine.log.LogConfig;
import io.loggia.engine.partition.Partition;
import io.loggia.net.broker.data.DataPathConfig;
import io.loggia.net.transport.TransportConfig;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The broker's settings, with Kafka's names ({@code server.properties}) and Loggia's own ({@code loggia.*}), parsed
 * and checked as a whole before anything starts. Every bad value is one {@link IllegalArgumentException} line
 * naming its key; unknown keys are {@link #warnings()}, one line each, as Kafka warns.
 * <p>
 * Without any setting the broker serves {@code PLAINTEXT://127.0.0.1:9092} as node 1 with its data in
 * {@code ./data}: a laptop default, unlike Kafka's {@code /tmp/kafka-logs}.
 * <p>
 * Immutable once built; read by the start-up thread and the request handlers of every network thread.
 */
public final class BrokerConfig
{
    public static final String LISTENERS = "listeners";
    public static final String ADVERTISED_LISTENERS = "advertised.listeners";
    public static final String LISTENER_SECURITY_PROTOCOL_MAP = "listener.security.protocol.map";
    public static final String CONTROLLER_LISTENER_NAMES = "controller.listener.names";
    public static final String NODE_ID = "node.id";
    public static final String BROKER_ID = "broker.id";
    public static final String NUM_PARTITIONS = "num.partitions";
    public static final String AUTO_CREATE_TOPICS_ENABLE = "auto.create.topics.enable";
    public static final String DEFAULT_REPLICATION_FACTOR = "default.replication.factor";
    public static final String DELETE_TOPIC_ENABLE = "delete.topic.enable";
    public static final String THREADING_MODE = "loggia.threading.mode";

    public static final String DEFAULT_LISTENERS = "PLAINTEXT://127.0.0.1:9092";
    public static final String DEFAULT_LOG_DIR = "./data";
    public static final int DEFAULT_NODE_ID = 1;
    static final String DEFAULT_SECURITY_PROTOCOL_MAP =
        "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL";
    static final int SHARED_NETWORK_THREADS = 1;
    static final int DEDICATED_NETWORK_THREADS = 3;

    /** Where agents run: see the broker's threads. */
    public enum ThreadingMode
    {
        /** Network agent 0, the writers, the controller and the group coordinator on one thread. */
        SHARED("shared"),
        /** Every agent on a thread of its own. */
        DEDICATED("dedicated");

        private final String configValue;

        ThreadingMode(final String configValue)
        {
            this.configValue = configValue;
        }

        public String configValue()
        {
            return configValue;
        }
    }

    private final Map<String, String> properties;
    private final Set<String> explicitKeys;
    private final List<String> warnings;
    private final int nodeId;
    private final int numPartitions;
    private final boolean autoCreateTopics;
    private final boolean deleteTopicEnable;
    private final ThreadingMode threadingMode;
    private final Listener listener;
    private final Listener advertised;
    private final EngineConfig engineConfig;
    private final TransportConfig transportConfig;
    private final GroupConfig groupConfig;

    private BrokerConfig(final Map<String, String> given)
    {
        final List<String> warnings = new ArrayList<>();
        for (final Map.Entry<String, String> entry : given.entrySet())
        {
            final BrokerConfigKeys.Key key = BrokerConfigKeys.key(entry.getKey());
            if (null == key)
            {
                warnings.add("The configuration '" + entry.getKey() + "' was supplied but isn't a known config.");
                continue;
            }
            if (null == entry.getValue())
            {
                throw new IllegalArgumentException(entry.getKey() + ": no value");
            }
            final String error = BrokerConfigKeys.check(key, entry.getValue());
            if (null != error)
            {
                throw new IllegalArgumentException(error);
            }
        }
        this.warnings = Collections.unmodifiableList(warnings);
        this.explicitKeys = Collections.unmodifiableSet(new TreeSet<>(given.keySet()));

        final Map<String, String> properties = new LinkedHashMap<>(given);
        if (!properties.containsKey(EngineConfig.LOG_DIRS) && !properties.containsKey(EngineConfig.LOG_DIR))
        {
            properties.put(EngineConfig.LOG_DIR, DEFAULT_LOG_DIR);
        }
        properties.putIfAbsent(LISTENERS, DEFAULT_LISTENERS);
        if (!properties.containsKey(NODE_ID))
        {
            properties.put(NODE_ID, properties.getOrDefault(BROKER_ID, Integer.toString(DEFAULT_NODE_ID)));
        }
        final String mode = properties.getOrDefault(THREADING_MODE, ThreadingMode.SHARED.configValue()).trim();
        if (ThreadingMode.SHARED.configValue().equalsIgnoreCase(mode))
        {
            this.threadingMode = ThreadingMode.SHARED;
        }
        else if (ThreadingMode.DEDICATED.configValue().equalsIgnoreCase(mode))
        {
            this.threadingMode = ThreadingMode.DEDICATED;
        }
        else
        {
            throw new IllegalArgumentException(THREADING_MODE + ": '" + mode + "' is not shared or dedicated");
        }
        properties.putIfAbsent(TransportConfig.NUM_NETWORK_THREADS, Integer.toString(
            ThreadingMode.SHARED == threadingMode ? SHARED_NETWORK_THREADS : DEDICATED_NETWORK_THREADS));
        this.properties = Collections.unmodifiableMap(properties);

        this.nodeId = intValue(NODE_ID);
        if (nodeId < 0)
        {
            throw new IllegalArgumentException(NODE_ID + ": " + nodeId + " is negative");
        }
        if (given.containsKey(NODE_ID) && given.containsKey(BROKER_ID) && intValue(BROKER_ID) != nodeId)
        {
            throw new IllegalArgumentException(BROKER_ID + ": " + intValue(BROKER_ID) + " differs from " + NODE_ID +
                " " + nodeId);
        }
        this.numPartitions = properties.containsKey(NUM_PARTITIONS) ? intValue(NUM_PARTITIONS) : 1;
        if (numPartitions < 1)
        {
            throw new IllegalArgumentException(NUM_PARTITIONS + ": " + numPartitions + " is below the minimum 1");
        }
        this.autoCreateTopics = booleanValue(AUTO_CREATE_TOPICS_ENABLE, true);
        this.deleteTopicEnable = booleanValue(DELETE_TOPIC_ENABLE, true);
        if (properties.containsKey(DEFAULT_REPLICATION_FACTOR))
        {
            final int replicationFactor = intValue(DEFAULT_REPLICATION_FACTOR);
            if (1 != replicationFactor)
            {
                throw new IllegalArgumentException(DEFAULT_REPLICATION_FACTOR + ": " + replicationFactor +
                    " cannot be reached by a single node; use 1");
            }
        }

        final Map<String, String> protocolMap = protocolMap(
            properties.getOrDefault(LISTENER_SECURITY_PROTOCOL_MAP, DEFAULT_SECURITY_PROTOCOL_MAP));
        this.listener = chooseListener(properties, protocolMap);
        this.advertised = advertisedListener(properties, listener);

        // the types were checked above, so these fail only on ranges, with messages that name the key
        this.engineConfig = EngineConfig.from(properties).validate();
        this.transportConfig = TransportConfig.from(properties)
            .host(listener.host().isEmpty() ? "0.0.0.0" : listener.host())
            .port(listener.port())
            .validate();
        // the engine gives each network thread, and the group coordinator, a caller id of its own
        if (transportConfig.numNetworkThreads() >= Partition.MAX_CALLERS)
        {
            throw new IllegalArgumentException(TransportConfig.NUM_NETWORK_THREADS + ": " +
                transportConfig.numNetworkThreads() + " is above the maximum " + (Partition.MAX_CALLERS - 1));
        }
        final GroupConfig.Result group = GroupConfig.parse(properties);
        if (!group.isValid())
        {
            throw new IllegalArgumentException(group.error());
        }
        this.groupConfig = group.config();
        if (engineConfig.logDefaults().maxMessageBytes() > transportConfig.socketRequestMaxBytes())
        {
            throw new IllegalArgumentException("message.max.bytes: " + engineConfig.logDefaults().maxMessageBytes() +
                " is above " + TransportConfig.SOCKET_REQUEST_MAX_BYTES + " " +
                transportConfig.socketRequestMaxBytes());
        }
    }

    /**
     * Parse and check broker settings.
     *
     * @param given the settings as written (server.properties and overrides); absent keys take defaults.
     * @throws IllegalArgumentException one line naming the first bad key.
     */
    public static BrokerConfig parse(final Map<String, String> given)
    {
        return new BrokerConfig(given);
    }

    /**
     * Read a {@code server.properties} file (Java properties syntax, as Kafka reads it).
     *
     * @throws IOException one line naming the file if it cannot be read.
     */
    public static Map<String, String> load(final Path file) throws IOException
    {
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            properties.load(reader);
        }
        catch (final IOException ex)
        {
            throw new IOException("cannot read " + file + ": " + ex.getMessage(), ex);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IOException(file + " is not a properties file: " + ex.getMessage(), ex);
        }
        final Map<String, String> map = new LinkedHashMap<>();
        for (final String name : new TreeSet<>(properties.stringPropertyNames()))
        {
            map.put(name, properties.getProperty(name).trim());
        }
        return map;
    }

    private static Listener chooseListener(final Map<String, String> properties, final Map<String, String> protocolMap)
    {
        final List<Listener> listeners = Listener.parseList(LISTENERS, properties.get(LISTENERS));
        final Set<String> controllerNames = new TreeSet<>();
        final String controllers = properties.get(CONTROLLER_LISTENER_NAMES);
        if (null != controllers)
        {
            for (final String name : controllers.split(","))
            {
                if (!name.isBlank())
                {
                    controllerNames.add(name.trim().toUpperCase(Locale.ROOT));
                }
            }
        }
        final List<Listener> served = new ArrayList<>();
        for (final Listener candidate : listeners)
        {
            if (!controllerNames.contains(candidate.name()))
            {
                served.add(candidate);
            }
        }
        if (1 != served.size())
        {
            throw new IllegalArgumentException(LISTENERS + ": Loggia serves exactly one listener besides " +
                CONTROLLER_LISTENER_NAMES + ", found " + served.size() + " in '" + properties.get(LISTENERS) + "'");
        }
        final Listener chosen = served.get(0);
        final String protocol = chosen.protocol(protocolMap);
        if (!"PLAINTEXT".equals(protocol))
        {
            throw new IllegalArgumentException(LISTENERS + ": listener " + chosen.name() + " uses security protocol " +
                protocol + "; Loggia supports PLAINTEXT only");
        }
        return chosen;
    }

    private static Listener advertisedListener(final Map<String, String> properties, final Listener listener)
    {
        final String value = properties.get(ADVERTISED_LISTENERS);
        if (null == value || value.isBlank())
        {
            if ("0.0.0.0".equals(listener.host()) || "::".equals(listener.host()))
            {
                throw new IllegalArgumentException(ADVERTISED_LISTENERS + " must be set: " + LISTENERS + " binds " +
                    listener + ", which clients cannot connect to");
            }
            return listener;
        }
        for (final Listener candidate : Listener.parseList(ADVERTISED_LISTENERS, value))
        {
            if (candidate.name().equals(listener.name()))
            {
                if ("0.0.0.0".equals(candidate.host()) || "::".equals(candidate.host()))
                {
                    throw new IllegalArgumentException(ADVERTISED_LISTENERS + ": " + candidate +
                        " advertises a non-routable address");
                }
                return candidate;
            }
        }
        throw new IllegalArgumentException(ADVERTISED_LISTENERS + ": no entry for listener " + listener.name());
    }

    private static Map<String, String> protocolMap(final String value)
    {
        final Map<String, String> map = new HashMap<>();
        for (final String entry : value.split(","))
        {
            if (entry.isBlank())
            {
                continue;
            }
            final int colon = entry.indexOf(':');
            if (colon <= 0)
            {
                throw new IllegalArgumentException(LISTENER_SECURITY_PROTOCOL_MAP + ": '" + entry.trim() +
                    "' is not NAME:PROTOCOL");
            }
            map.put(entry.substring(0, colon).trim().toUpperCase(Locale.ROOT),
                entry.substring(colon + 1).trim().toUpperCase(Locale.ROOT));
        }
        return map;
    }

    private int intValue(final String key)
    {
        return Integer.parseInt(properties.get(key).trim());
    }

    private boolean booleanValue(final String key, final boolean absent)
    {
        final String value = properties.get(key);
        return null == value ? absent : Boolean.parseBoolean(value.trim());
    }

    /** Unknown keys, one warning line each. */
    public List<String> warnings()
    {
        return warnings;
    }

    /** Every setting in effect, defaults for the broker's own keys included. */
    public Map<String, String> properties()
    {
        return properties;
    }

    /** The keys the operator set (server.properties and overrides): DescribeConfigs reports them as static. */
    public boolean isExplicit(final String key)
    {
        return explicitKeys.contains(key);
    }

    public int nodeId()
    {
        return nodeId;
    }

    public int numPartitions()
    {
        return numPartitions;
    }

    public boolean autoCreateTopics()
    {
        return autoCreateTopics;
    }

    public boolean deleteTopicEnable()
    {
        return deleteTopicEnable;
    }

    public ThreadingMode threadingMode()
    {
        return threadingMode;
    }

    /** The listener the broker binds. */
    public Listener listener()
    {
        return listener;
    }

    /** What the broker tells clients to connect to; port 0 means the port actually bound. */
    public Listener advertisedListener()
    {
        return advertised;
    }

    public EngineConfig engineConfig()
    {
        return engineConfig;
    }

    public TransportConfig transportConfig()
    {
        return transportConfig;
    }

    public GroupConfig groupConfig()
    {
        return groupConfig;
    }

    public LogConfig logDefaults()
    {
        return engineConfig.logDefaults();
    }

    public DataPathConfig dataPathConfig()
    {
        return new DataPathConfig().nodeId(nodeId);
    }

    public Path logDir()
    {
        return engineConfig.logDir();
    }

    public String toString()
    {
        return "BrokerConfig{listener=" + listener + ", advertised=" + advertised + ", nodeId=" + nodeId +
            ", logDir=" + logDir() + ", threadingMode=" + threadingMode.configValue() + '}';
    }
}
