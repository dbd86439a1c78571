package io.loggia.net.broker.admin;

import io.loggia.engine.log.LogConfig;
import io.loggia.engine.topic.TopicConfigCatalog;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Topic and broker configs as DescribeConfigs (and CreateTopics v5+) report them: every Kafka topic config with
 * its value in effect and where it comes from.
 * <pre>
 *   topic config set on the topic              value = override             source TOPIC_CONFIG (1)
 *   broker key set in server.properties        value = broker's             source STATIC_BROKER_CONFIG (4)
 *   otherwise                                  value = default              source DEFAULT_CONFIG (5)
 * </pre>
 * An override shows as it was given; otherwise, for the configs Loggia applies, the value is read from the topic's
 * effective {@link LogConfig}, so it is the value the log runs with. Synonyms, when asked for, list the same
 * chain: topic override, broker keys, default.
 */
final class ConfigsDescriber
{
    static final byte TOPIC_CONFIG = 1;
    static final byte STATIC_BROKER_CONFIG = 4;
    static final byte DEFAULT_CONFIG = 5;

    /**
     * A config described.
     *
     * @param synonyms name, value and source of each, highest precedence first.
     */
    record Described(String name, String value, byte source, boolean readOnly, byte type, List<Synonym> synonyms)
    {
    }

    record Synonym(String name, String value, byte source)
    {
    }

    private ConfigsDescriber()
    {
    }

    /**
     * @param overrides the topic's overrides.
     * @param config    the topic's effective config.
     * @param keys      the names asked for, null for all.
     */
    static List<Described> topic(
        final Map<String, String> overrides, final LogConfig config, final Collection<String> keys,
        final AdminContext context)
    {
        final Map<String, String> effective = config.toProperties();
        final List<Described> described = new ArrayList<>();
        for (final TopicConfigCatalog.Entry entry : TopicConfigCatalog.entries())
        {
            final String name = entry.name();
            if (null != keys && !keys.contains(name))
            {
                continue;
            }
            final List<Synonym> synonyms = new ArrayList<>(3);
            final String override = overrides.get(name);
            if (null != override)
            {
                synonyms.add(new Synonym(name, override, TOPIC_CONFIG));
            }
            String brokerValue = null;
            for (final String brokerKey : entry.brokerKeys())
            {
                final String value = context.explicitBrokerValue(brokerKey);
                if (null != value)
                {
                    synonyms.add(new Synonym(brokerKey, value, STATIC_BROKER_CONFIG));
                    if (null == brokerValue)
                    {
                        brokerValue = value;
                    }
                }
            }
            synonyms.add(new Synonym(entry.brokerKeys().isEmpty() ? name : entry.brokerKeys().get(0),
                entry.kafkaDefault(), DEFAULT_CONFIG));

            final byte source = null != override ? TOPIC_CONFIG :
                null != brokerValue ? STATIC_BROKER_CONFIG : DEFAULT_CONFIG;
            final String value;
            if (null != override)
            {
                value = override;
            }
            else if (entry.applied())
            {
                // what the log runs with: log.retention.hours=1 shows as retention.ms=3600000, as in Kafka
                value = effective.get(name);
            }
            else
            {
                value = null != brokerValue ? brokerValue : entry.kafkaDefault();
            }
            described.add(new Described(name, value, source, false, entry.type(), synonyms));
        }
        return described;
    }

    /** This broker's settings: read-only (no dynamic broker configs), static if set, else defaults. */
    static List<Described> broker(final Collection<String> keys, final AdminContext context)
    {
        final List<Described> described = new ArrayList<>();
        for (final AdminContext.BrokerSetting setting : context.brokerSettings())
        {
            if (null != keys && !keys.contains(setting.name()))
            {
                continue;
            }
            final byte source = setting.explicit() ? STATIC_BROKER_CONFIG : DEFAULT_CONFIG;
            described.add(new Described(setting.name(), setting.value(), source, true, setting.type(),
                List.of(new Synonym(setting.name(), setting.value(), source))));
        }
        return described;
    }

    static List<DescribeConfigsResponseData.DescribeConfigsResourceResult> describeConfigs(
        final List<Described> described, final boolean includeSynonyms, final short version)
    {
        final List<DescribeConfigsResponseData.DescribeConfigsResourceResult> results =
            new ArrayList<>(described.size());
        for (final Described config : described)
        {
            final DescribeConfigsResponseData.DescribeConfigsResourceResult result =
                new DescribeConfigsResponseData.DescribeConfigsResourceResult()
                    .setName(config.name())
                    .setValue(config.value())
                    .setReadOnly(config.readOnly())
                    .setIsSensitive(false)
                    .setConfigSource(config.source());
            if (version >= 3)
            {
                result.setConfigType(config.type());
            }
            if (includeSynonyms)
            {
                for (final Synonym synonym : config.synonyms())
                {
                    result.synonyms().add(new DescribeConfigsResponseData.DescribeConfigsSynonym()
                        .setName(synonym.name())
                        .setValue(synonym.value())
                        .setSource(synonym.source()));
                }
            }
            results.add(result);
        }
        return results;
    }

    static List<CreateTopicsResponseData.CreatableTopicConfigs> createTopicConfigs(final List<Described> described)
    {
        final List<CreateTopicsResponseData.CreatableTopicConfigs> configs = new ArrayList<>(described.size());
        for (final Described config : described)
        {
            configs.add(new CreateTopicsResponseData.CreatableTopicConfigs()
                .setName(config.name())
                .setValue(config.value())
                .setReadOnly(config.readOnly())
                .setConfigSource(config.source())
                .setIsSensitive(false));
        }
        return configs;
    }
}
