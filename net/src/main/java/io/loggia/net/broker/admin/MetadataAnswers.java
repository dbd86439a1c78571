package io.loggia.net.broker.admin;

import io.loggia.engine.log.TopicNames;
import io.loggia.engine.partition.Partition;
import io.loggia.engine.topic.CreateTopicsOp;
import io.loggia.engine.topic.Topic;
import io.loggia.engine.topic.TopicErrors;
import io.loggia.engine.topic.TopicRegistry;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Metadata v0..v13 from the topic registry: this broker is the only broker, the controller, and the leader and
 * only in-sync replica of every partition.
 * <pre>
 *   requested topic           found                        not found
 *   by name                   topic, id, partitions        invalid name: INVALID_TOPIC_EXCEPTION (17)
 *                                                          auto-creation allowed: created (the answer waits for
 *                                                            the controller up to 2 s), LEADER_NOT_AVAILABLE (5)
 *                                                            if it could not be created by then
 *                                                          else UNKNOWN_TOPIC_OR_PARTITION (3)
 *   by id (v10+, id not zero) topic                        UNKNOWN_TOPIC_ID (100)
 *   none (v0: empty, v1+: null)                            every topic, __consumer_offsets marked internal
 * </pre>
 * Auto-creation needs {@code auto.create.topics.enable} and, from v4, the request's
 * {@code allow_auto_topic_creation}; internal topic names are never auto-created.
 */
final class MetadataAnswers
{
    /**
     * How long a Metadata answer waits for its auto-creations: a topic of the default partition count is created
     * well within it, and a client whose creation waits (behind other admin work) gets LEADER_NOT_AVAILABLE and
     * asks again, as Kafka's clients do after an auto-creation.
     */
    static final int AUTO_CREATE_WAIT_MS = 2_000;

    private MetadataAnswers()
    {
    }

    /** @return the topics to create before answering, or null if none. */
    static CreateTopicsOp autoCreations(
        final MetadataRequestData request, final short version, final AdminContext context)
    {
        final List<MetadataRequestData.MetadataRequestTopic> topics = request.topics();
        final boolean allowed = context.autoCreateTopics() && (version < 4 || request.allowAutoTopicCreation());
        if (!allowed || null == topics)
        {
            return null;
        }
        final Set<String> names = new LinkedHashSet<>();
        final TopicRegistry registry = context.registry();
        for (final MetadataRequestData.MetadataRequestTopic topic : topics)
        {
            final String name = topic.name();
            if (version >= 10 && !Uuid.ZERO_UUID.equals(topic.topicId()))
            {
                continue;
            }
            if (null != name && TopicNames.VALID == TopicNames.validate(name) && !Topic.isInternal(name) &&
                null == registry.topic(name))
            {
                names.add(name);
            }
        }
        if (names.isEmpty())
        {
            return null;
        }
        final CreateTopicsOp op = new CreateTopicsOp();
        op.timeoutMs = AUTO_CREATE_WAIT_MS;
        for (final String name : names)
        {
            op.add(name);
        }
        return op;
    }

    /**
     * @param created the auto-creation the controller answered, or null.
     * @param refused true if the auto-creation could not be handed to the controller.
     */
    static MetadataResponseData answer(
        final MetadataRequestData request,
        final short version,
        final AdminContext context,
        final CreateTopicsOp created,
        final boolean refused)
    {
        final MetadataResponseData response = new MetadataResponseData().setThrottleTimeMs(0);
        final MetadataResponseData.MetadataResponseBroker broker = new MetadataResponseData.MetadataResponseBroker()
            .setNodeId(context.nodeId())
            .setHost(context.host())
            .setPort(context.port());
        response.brokers().add(broker);
        if (version >= 1)
        {
            response.setControllerId(context.nodeId());
        }
        if (version >= 2)
        {
            response.setClusterId(context.clusterId());
        }
        if (version >= 8 && version <= 10)
        {
            response.setClusterAuthorizedOperations(request.includeClusterAuthorizedOperations() ?
                AuthorizedOperations.CLUSTER : AuthorizedOperations.NOT_REQUESTED);
        }
        final boolean topicOperations = version >= 8 && request.includeTopicAuthorizedOperations();
        final TopicRegistry registry = context.registry();
        final List<MetadataRequestData.MetadataRequestTopic> requested = request.topics();
        if (null == requested || (0 == version && requested.isEmpty()))
        {
            for (final Topic topic : registry.topics())
            {
                response.topics().add(topic(topic, version, topicOperations, context.nodeId()));
            }
            return response;
        }
        for (final MetadataRequestData.MetadataRequestTopic wanted : requested)
        {
            final String name = wanted.name();
            if (version >= 10 && !Uuid.ZERO_UUID.equals(wanted.topicId()))
            {
                // a topic asked for by id: clients leave its name null or empty
                final Uuid id = wanted.topicId();
                final Topic topic = registry.topic(id.getMostSignificantBits(), id.getLeastSignificantBits());
                response.topics().add(null != topic ? topic(topic, version, topicOperations, context.nodeId()) :
                    missing(version >= 12 ? null : "", id, TopicErrors.UNKNOWN_TOPIC_ID, version));
                continue;
            }
            final Topic topic = null == name ? null : registry.topic(name);
            if (null != topic)
            {
                response.topics().add(topic(topic, version, topicOperations, context.nodeId()));
            }
            else
            {
                response.topics().add(missing(null == name ? "" : name, Uuid.ZERO_UUID,
                    missingError(name, created, refused), version));
            }
        }
        return response;
    }

    private static short missingError(final String name, final CreateTopicsOp created, final boolean refused)
    {
        if (null == name || TopicNames.VALID != TopicNames.validate(name))
        {
            return TopicErrors.INVALID_TOPIC_EXCEPTION;
        }
        if (refused)
        {
            return TopicErrors.LEADER_NOT_AVAILABLE;
        }
        if (null != created)
        {
            for (final CreateTopicsOp.Entry entry : created.topics)
            {
                if (entry.name.equals(name))
                {
                    // created, then deleted before this answer, or not created yet: the client asks again
                    return TopicErrors.INVALID_TOPIC_EXCEPTION == entry.errorCode ?
                        TopicErrors.INVALID_TOPIC_EXCEPTION : TopicErrors.LEADER_NOT_AVAILABLE;
                }
            }
        }
        return TopicErrors.UNKNOWN_TOPIC_OR_PARTITION;
    }

    private static MetadataResponseData.MetadataResponseTopic missing(
        final String name, final Uuid id, final short errorCode, final short version)
    {
        final MetadataResponseData.MetadataResponseTopic topic = new MetadataResponseData.MetadataResponseTopic()
            .setErrorCode(errorCode)
            .setName(name)
            .setIsInternal(false)
            .setPartitions(Collections.emptyList());
        if (version >= 10)
        {
            topic.setTopicId(id);
        }
        return topic;
    }

    private static MetadataResponseData.MetadataResponseTopic topic(
        final Topic topic, final short version, final boolean topicOperations, final int nodeId)
    {
        final List<Integer> replicas = List.of(nodeId);
        final List<MetadataResponseData.MetadataResponsePartition> partitions =
            new ArrayList<>(topic.partitionCount());
        for (int i = 0; i < topic.partitionCount(); i++)
        {
            final Partition partition = topic.partition(i);
            partitions.add(new MetadataResponseData.MetadataResponsePartition()
                .setErrorCode(TopicErrors.NONE)
                .setPartitionIndex(i)
                .setLeaderId(nodeId)
                .setLeaderEpoch(partition.leaderEpoch())
                .setReplicaNodes(replicas)
                .setIsrNodes(replicas)
                .setOfflineReplicas(Collections.emptyList()));
        }
        final MetadataResponseData.MetadataResponseTopic answer = new MetadataResponseData.MetadataResponseTopic()
            .setErrorCode(TopicErrors.NONE)
            .setName(topic.name())
            .setIsInternal(topic.isInternal())
            .setPartitions(partitions);
        if (version >= 10)
        {
            answer.setTopicId(new Uuid(topic.idMsb(), topic.idLsb()));
        }
        if (version >= 8)
        {
            answer.setTopicAuthorizedOperations(
                topicOperations ? AuthorizedOperations.TOPIC : AuthorizedOperations.NOT_REQUESTED);
        }
        return answer;
    }
}
