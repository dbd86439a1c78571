package io.loggia.net.broker.admin;

import io.loggia.engine.log.TopicNames;
import io.loggia.engine.topic.AlterConfigsOp;
import io.loggia.engine.topic.Topic;
import io.loggia.engine.topic.TopicErrors;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * DescribeConfigs v1..v4 (answered on the network thread from the registry), IncrementalAlterConfigs v0..v1 and
 * AlterConfigs v0..v2 (topic changes go to the controller).
 * <pre>
 *   resource type     describe                                   alter
 *   TOPIC (2)         every topic config, value and source       the controller applies it
 *   BROKER (4)        this node's settings, read-only; "" = none  INVALID_REQUEST: no dynamic broker configs
 *   others            INVALID_REQUEST                            INVALID_REQUEST
 * </pre>
 * A resource named twice in one alter request is answered once, with INVALID_REQUEST, and nothing of it changes,
 * as Kafka does: kafka-clients reads the answer into a map by resource and fails on a resource answered twice.
 */
final class ConfigCodecs
{
    static final byte TOPIC = 2;
    static final byte BROKER = 4;

    /** One resource of an alter request: sent to the controller as {@code entry}, or refused here. */
    static final class AlterResult
    {
        final byte resourceType;
        final String resourceName;
        final AlterConfigsOp.Entry entry;
        final short errorCode;
        final String errorMessage;

        AlterResult(final byte resourceType, final String resourceName, final AlterConfigsOp.Entry entry,
            final short errorCode, final String errorMessage)
        {
            this.resourceType = resourceType;
            this.resourceName = resourceName;
            this.entry = entry;
            this.errorCode = errorCode;
            this.errorMessage = errorMessage;
        }

        short errorCode()
        {
            return null != entry ? entry.errorCode : errorCode;
        }

        String errorMessage()
        {
            return null != entry ? entry.errorMessage : errorMessage;
        }
    }

    private ConfigCodecs()
    {
    }

    static DescribeConfigsResponseData describe(
        final DescribeConfigsRequestData request, final short version, final AdminContext context)
    {
        final DescribeConfigsResponseData response = new DescribeConfigsResponseData().setThrottleTimeMs(0);
        for (final DescribeConfigsRequestData.DescribeConfigsResource resource : request.resources())
        {
            final DescribeConfigsResponseData.DescribeConfigsResult result =
                new DescribeConfigsResponseData.DescribeConfigsResult()
                    .setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName())
                    .setErrorCode(TopicErrors.NONE);
            final String name = resource.resourceName();
            if (TOPIC == resource.resourceType())
            {
                final Topic topic = context.registry().topic(name);
                if (TopicNames.VALID != TopicNames.validate(name))
                {
                    result.setErrorCode(TopicErrors.INVALID_TOPIC_EXCEPTION)
                        .setErrorMessage("Topic name '" + name + "' is illegal.");
                }
                else if (null == topic)
                {
                    result.setErrorCode(TopicErrors.UNKNOWN_TOPIC_OR_PARTITION)
                        .setErrorMessage("The topic '" + name + "' does not exist.");
                }
                else
                {
                    result.setConfigs(ConfigsDescriber.describeConfigs(ConfigsDescriber.topic(
                        topic.overrides(), topic.config(), resource.configurationKeys(), context),
                        request.includeSynonyms(), version));
                }
            }
            else if (BROKER == resource.resourceType())
            {
                if (name.isEmpty())
                {
                    result.setConfigs(new ArrayList<>());
                }
                else if (!name.equals(Integer.toString(context.nodeId())))
                {
                    result.setErrorCode(TopicErrors.INVALID_REQUEST).setErrorMessage(
                        "Unexpected broker id, expected " + context.nodeId() + " or empty string, but received " +
                        name);
                }
                else
                {
                    result.setConfigs(ConfigsDescriber.describeConfigs(ConfigsDescriber.broker(
                        resource.configurationKeys(), context), request.includeSynonyms(), version));
                }
            }
            else
            {
                result.setErrorCode(TopicErrors.INVALID_REQUEST)
                    .setErrorMessage("Unsupported resource type: " + resource.resourceType());
            }
            response.results().add(result);
        }
        return response;
    }

    static List<AlterResult> incrementalAlter(
        final IncrementalAlterConfigsRequestData request, final AlterConfigsOp op, final AdminContext context)
    {
        op.validateOnly = request.validateOnly();
        final List<AlterResult> results = new ArrayList<>();
        final Map<String, Integer> named = new HashMap<>();
        for (final IncrementalAlterConfigsRequestData.AlterConfigsResource resource : request.resources())
        {
            named.merge(key(resource.resourceType(), resource.resourceName()), 1, Integer::sum);
        }
        final Set<String> answered = new HashSet<>();
        for (final IncrementalAlterConfigsRequestData.AlterConfigsResource resource : request.resources())
        {
            if (isDuplicate(resource.resourceType(), resource.resourceName(), named, answered, results))
            {
                continue;
            }
            final AlterResult refused = refuse(resource.resourceType(), resource.resourceName(), context);
            if (null != refused)
            {
                results.add(refused);
                continue;
            }
            final AlterConfigsOp.Entry entry = op.add(resource.resourceName());
            for (final IncrementalAlterConfigsRequestData.AlterableConfig config : resource.configs())
            {
                entry.changes.add(new AlterConfigsOp.Change(config.name(), config.configOperation(), config.value()));
            }
            results.add(new AlterResult(TOPIC, resource.resourceName(), entry, TopicErrors.NONE, null));
        }
        return results;
    }

    static List<AlterResult> alter(
        final AlterConfigsRequestData request, final AlterConfigsOp op, final AdminContext context)
    {
        op.validateOnly = request.validateOnly();
        op.replace = true;
        final List<AlterResult> results = new ArrayList<>();
        final Map<String, Integer> named = new HashMap<>();
        for (final AlterConfigsRequestData.AlterConfigsResource resource : request.resources())
        {
            named.merge(key(resource.resourceType(), resource.resourceName()), 1, Integer::sum);
        }
        final Set<String> answered = new HashSet<>();
        for (final AlterConfigsRequestData.AlterConfigsResource resource : request.resources())
        {
            if (isDuplicate(resource.resourceType(), resource.resourceName(), named, answered, results))
            {
                continue;
            }
            final AlterResult refused = refuse(resource.resourceType(), resource.resourceName(), context);
            if (null != refused)
            {
                results.add(refused);
                continue;
            }
            final AlterConfigsOp.Entry entry = op.add(resource.resourceName());
            for (final AlterConfigsRequestData.AlterableConfig config : resource.configs())
            {
                entry.changes.add(new AlterConfigsOp.Change(config.name(), AlterConfigsOp.SET, config.value()));
            }
            results.add(new AlterResult(TOPIC, resource.resourceName(), entry, TopicErrors.NONE, null));
        }
        return results;
    }

    private static String key(final byte type, final String name)
    {
        return type + ":" + name;
    }

    /**
     * Whether the resource is named more than once in the request; its first occurrence then adds the one
     * INVALID_REQUEST answer, later ones add nothing.
     */
    private static boolean isDuplicate(
        final byte type,
        final String name,
        final Map<String, Integer> named,
        final Set<String> answered,
        final List<AlterResult> results)
    {
        final String key = key(type, name);
        if (named.get(key) < 2)
        {
            return false;
        }
        if (answered.add(key))
        {
            results.add(new AlterResult(type, name, null, TopicErrors.INVALID_REQUEST, "Duplicate resource."));
        }
        return true;
    }

    private static AlterResult refuse(final byte type, final String name, final AdminContext context)
    {
        if (BROKER == type)
        {
            return new AlterResult(type, name, null, TopicErrors.INVALID_REQUEST, "Loggia has no dynamic broker " +
                "configs: set the settings of node " + context.nodeId() + " in its server.properties and restart it.");
        }
        if (TOPIC != type)
        {
            return new AlterResult(type, name, null, TopicErrors.INVALID_REQUEST, "Unsupported resource type: " + type);
        }
        return null;
    }

    static IncrementalAlterConfigsResponseData incrementalAlterResponse(final List<AlterResult> results)
    {
        final IncrementalAlterConfigsResponseData response = new IncrementalAlterConfigsResponseData()
            .setThrottleTimeMs(0);
        for (final AlterResult result : results)
        {
            response.responses().add(new IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse()
                .setResourceType(result.resourceType)
                .setResourceName(result.resourceName)
                .setErrorCode(result.errorCode())
                .setErrorMessage(result.errorMessage()));
        }
        return response;
    }

    static AlterConfigsResponseData alterResponse(final List<AlterResult> results)
    {
        final AlterConfigsResponseData response = new AlterConfigsResponseData().setThrottleTimeMs(0);
        for (final AlterResult result : results)
        {
            response.responses().add(new AlterConfigsResponseData.AlterConfigsResourceResponse()
                .setResourceType(result.resourceType)
                .setResourceName(result.resourceName)
                .setErrorCode(result.errorCode())
                .setErrorMessage(result.errorMessage()));
        }
        return response;
    }
}
