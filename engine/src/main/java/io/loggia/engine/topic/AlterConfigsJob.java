package io.loggia.engine.topic;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Applies an {@link AlterConfigsOp} in one step. Per topic: compute the new overrides (incremental SET, DELETE,
 * APPEND, SUBTRACT, or a whole replacement), check them against the catalog and the log's parser, write them
 * durably, publish the topic with its new config, and hand each partition's config change to the
 * {@link WriterCommandBacklog}; writers switch between appends. The answer does not wait for the writers, as
 * Kafka answers once the change is recorded.
 */
final class AlterConfigsJob extends ControllerJob
{
    private static final System.Logger LOG = System.getLogger(AlterConfigsJob.class.getName());

    private final ControllerState state;
    private final AlterConfigsOp alterOp;

    AlterConfigsJob(final ControllerState state, final AlterConfigsOp op)
    {
        super(op);
        this.state = state;
        this.alterOp = op;
    }

    int step(final long nowNs, final long stopNs)
    {
        for (final AlterConfigsOp.Entry entry : alterOp.topics)
        {
            if (TopicErrors.NONE == entry.errorCode)
            {
                alter(entry);
            }
        }
        done();
        return 1;
    }

    boolean names(final Set<String> names)
    {
        for (final AlterConfigsOp.Entry entry : alterOp.topics)
        {
            names.add(entry.topic);
        }
        return true;
    }

    private void alter(final AlterConfigsOp.Entry entry)
    {
        final Topic topic = state.registry.topic(entry.topic);
        if (null == topic)
        {
            entry.fail(TopicErrors.UNKNOWN_TOPIC_OR_PARTITION, "The topic '" + entry.topic + "' does not exist.");
            return;
        }
        final Map<String, String> overrides = alterOp.replace ? new TreeMap<>() : new TreeMap<>(topic.overrides());
        final Set<String> seen = new HashSet<>();
        for (final AlterConfigsOp.Change change : entry.changes)
        {
            if (!seen.add(change.name()))
            {
                entry.fail(TopicErrors.INVALID_REQUEST, "Error due to duplicate config keys: " + change.name());
                return;
            }
            final TopicConfigCatalog.Entry known = TopicConfigCatalog.entry(change.name());
            if (null == known)
            {
                entry.fail(TopicErrors.INVALID_CONFIG, "Unknown topic config name: " + change.name());
                return;
            }
            final String error = apply(overrides, known, change);
            if (null != error)
            {
                entry.fail(TopicErrors.INVALID_CONFIG, error);
                return;
            }
        }
        final TopicConfigCatalog.Resolved resolved = TopicConfigCatalog.resolve(overrides, state.brokerDefaults);
        if (!resolved.isValid())
        {
            entry.fail(TopicErrors.INVALID_CONFIG, resolved.error());
            return;
        }
        if (alterOp.validateOnly || overrides.equals(topic.overrides()))
        {
            return;
        }
        try
        {
            state.configStore.write(topic.name(), overrides);
        }
        catch (final IOException ex)
        {
            state.errorHandler.onError(ex);
            entry.fail(TopicErrors.KAFKA_STORAGE_ERROR, "writing the configs of " + topic.name() + ": " + ex);
            return;
        }
        final Topic changed = topic.withConfig(overrides, resolved.config());
        state.registry.put(changed);
        if (!resolved.config().equals(topic.config()))
        {
            for (int i = 0; i < changed.partitionCount(); i++)
            {
                state.backlog.updateConfig(changed.partition(i), resolved.config());
            }
        }
        LOG.log(System.Logger.Level.INFO, "topic {0} configs now {1}", topic.name(), overrides);
    }

    /** @return null if applied, else why the change is invalid. */
    private static String apply(
        final Map<String, String> overrides, final TopicConfigCatalog.Entry known, final AlterConfigsOp.Change change)
    {
        final String name = change.name();
        switch (change.operation())
        {
            case AlterConfigsOp.SET:
            {
                final String error = TopicConfigCatalog.check(name, change.value());
                if (null != error)
                {
                    return error;
                }
                overrides.put(name, change.value());
                return null;
            }
            case AlterConfigsOp.DELETE:
                overrides.remove(name);
                return null;
            case AlterConfigsOp.APPEND:
            case AlterConfigsOp.SUBTRACT:
            {
                if (!known.isList())
                {
                    return "Config value " + (AlterConfigsOp.APPEND == change.operation() ? "append" : "subtract") +
                        " is not allowed for config key " + name;
                }
                final List<String> values = new ArrayList<>(split(overrides.getOrDefault(name, known.kafkaDefault())));
                for (final String value : split(null == change.value() ? "" : change.value()))
                {
                    if (AlterConfigsOp.APPEND == change.operation())
                    {
                        if (!values.contains(value))
                        {
                            values.add(value);
                        }
                    }
                    else
                    {
                        values.remove(value);
                    }
                }
                overrides.put(name, String.join(",", values));
                return null;
            }
            default:
                return "Unknown config operation " + change.operation() + " for config key " + name;
        }
    }

    private static List<String> split(final String list)
    {
        final List<String> values = new ArrayList<>();
        for (final String value : Arrays.asList(list.split(",")))
        {
            if (!value.trim().isEmpty())
            {
                values.add(value.trim());
            }
        }
        return values;
    }
}
