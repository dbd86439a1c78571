package io.loggia.net.broker.admin;

import io.loggia.engine.log.LogConfig;
import io.loggia.engine.topic.TopicRegistry;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the admin APIs need to know about the broker: its identity and address, the topic registry, the broker's
 * settings for DescribeConfigs and the defaults topics inherit.
 * <p>
 * <b>Assumptions and Guarantees</b>: built on the start-up thread; {@link #advertise} is called once, after the
 * listener is bound and before any network thread runs, so the network threads (started afterwards) see the
 * address. Read by every network thread.
 */
public final class AdminContext
{
    /**
     * One broker setting as DescribeConfigs shows it.
     *
     * @param name     the key.
     * @param value    its value in effect, null when it has none.
     * @param explicit whether the operator set it (STATIC_BROKER_CONFIG) or it is a default (DEFAULT_CONFIG).
     * @param type     Kafka's config type id.
     */
    public record BrokerSetting(String name, String value, boolean explicit, byte type)
    {
    }

    private final int nodeId;
    private final String clusterId;
    private final TopicRegistry registry;
    private final LogConfig brokerDefaults;
    private final Map<String, String> brokerProperties;
    private final Set<String> explicitKeys;
    private final List<BrokerSetting> brokerSettings;
    private final boolean autoCreateTopics;
    private final boolean deleteTopicEnable;
    private String host;
    private int port = -1;

    /**
     * @param brokerProperties every broker setting in effect (server.properties, overrides and defaults).
     * @param explicitKeys     the keys the operator set.
     * @param brokerSettings   what DescribeConfigs lists for this broker.
     */
    public AdminContext(
        final int nodeId,
        final String clusterId,
        final TopicRegistry registry,
        final LogConfig brokerDefaults,
        final Map<String, String> brokerProperties,
        final Set<String> explicitKeys,
        final List<BrokerSetting> brokerSettings,
        final boolean autoCreateTopics,
        final boolean deleteTopicEnable)
    {
        this.nodeId = nodeId;
        this.clusterId = clusterId;
        this.registry = registry;
        this.brokerDefaults = brokerDefaults;
        this.brokerProperties = Map.copyOf(brokerProperties);
        this.explicitKeys = Set.copyOf(explicitKeys);
        this.brokerSettings = List.copyOf(brokerSettings);
        this.autoCreateTopics = autoCreateTopics;
        this.deleteTopicEnable = deleteTopicEnable;
    }

    /** Start-up thread, once the listener is bound: the address clients are told to use. */
    public void advertise(final String host, final int port)
    {
        this.host = host;
        this.port = port;
    }

    public int nodeId()
    {
        return nodeId;
    }

    public String clusterId()
    {
        return clusterId;
    }

    public String host()
    {
        return host;
    }

    public int port()
    {
        return port;
    }

    public TopicRegistry registry()
    {
        return registry;
    }

    public LogConfig brokerDefaults()
    {
        return brokerDefaults;
    }

    /** @return the broker setting's value if the operator set it, else null. */
    public String explicitBrokerValue(final String key)
    {
        return explicitKeys.contains(key) ? brokerProperties.get(key) : null;
    }

    public List<BrokerSetting> brokerSettings()
    {
        return brokerSettings;
    }

    public boolean autoCreateTopics()
    {
        return autoCreateTopics;
    }

    public boolean deleteTopicEnable()
    {
        return deleteTopicEnable;
    }
}
