package io.loggia.net.broker.admin;

import io.loggia.engine.topic.CreatePartitionsOp;
import io.loggia.engine.topic.CreateTopicsOp;
import io.loggia.engine.topic.DeleteTopicsOp;
import io.loggia.engine.topic.TopicErrors;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * CreateTopics v2..v7, DeleteTopics v1..v6 and CreatePartitions v0..v3: requests become controller ops, answered
 * ops become responses. What only the request can tell (a name twice in one request, a manual assignment that
 * skips a partition, deletion disabled) is failed here and skipped by the controller.
 */
final class TopicAdminCodecs
{
    private TopicAdminCodecs()
    {
    }

    static CreateTopicsOp createTopics(final CreateTopicsRequestData request)
    {
        final CreateTopicsOp op = new CreateTopicsOp();
        op.validateOnly = request.validateOnly();
        op.timeoutMs = request.timeoutMs();
        final Map<String, Integer> counts = new HashMap<>();
        for (final CreateTopicsRequestData.CreatableTopic topic : request.topics())
        {
            counts.merge(topic.name(), 1, Integer::sum);
        }
        for (final CreateTopicsRequestData.CreatableTopic topic : request.topics())
        {
            final CreateTopicsOp.Entry entry = op.add(topic.name());
            entry.numPartitions = topic.numPartitions();
            entry.replicationFactor = topic.replicationFactor();
            for (final CreateTopicsRequestData.CreatableTopicConfig config : topic.configs())
            {
                entry.configs.put(config.name(), config.value());
            }
            final int assignments = topic.assignments().size();
            final int[][] byPartition = new int[assignments][];
            for (final CreateTopicsRequestData.CreatableReplicaAssignment assignment : topic.assignments())
            {
                final int index = assignment.partitionIndex();
                if (index < 0 || index >= assignments || null != byPartition[index])
                {
                    entry.fail(TopicErrors.INVALID_REPLICA_ASSIGNMENT, "Partitions should be 0-based and " +
                        "consecutive, and each named once; partition " + index + " is not.");
                    break;
                }
                final List<Integer> brokers = assignment.brokerIds();
                final int[] ids = new int[brokers.size()];
                for (int i = 0; i < ids.length; i++)
                {
                    ids[i] = brokers.get(i);
                }
                byPartition[index] = ids;
            }
            if (TopicErrors.NONE == entry.errorCode)
            {
                for (final int[] ids : byPartition)
                {
                    entry.assignments.add(ids);
                }
            }
            if (counts.get(topic.name()) > 1)
            {
                entry.fail(TopicErrors.INVALID_REQUEST,
                    "Create topics request contains multiple entries for the topic " + topic.name() + ".");
            }
        }
        return op;
    }

    static CreateTopicsResponseData createTopicsResponse(
        final CreateTopicsOp op, final short version, final AdminContext context)
    {
        final CreateTopicsResponseData response = new CreateTopicsResponseData().setThrottleTimeMs(0);
        for (final CreateTopicsOp.Entry entry : op.topics)
        {
            final CreateTopicsResponseData.CreatableTopicResult result =
                new CreateTopicsResponseData.CreatableTopicResult()
                    .setName(entry.name)
                    .setErrorCode(entry.errorCode)
                    .setErrorMessage(entry.errorMessage);
            if (version >= 7 && null != entry.topicId)
            {
                result.setTopicId(uuid(entry.topicId));
            }
            if (version >= 5 && TopicErrors.NONE == entry.errorCode)
            {
                result.setNumPartitions(entry.resultPartitions)
                    .setReplicationFactor(entry.resultReplicationFactor)
                    .setConfigs(ConfigsDescriber.createTopicConfigs(ConfigsDescriber.topic(
                        entry.resultOverrides, entry.resultConfig, null, context)));
            }
            response.topics().add(result);
        }
        return response;
    }

    static DeleteTopicsOp deleteTopics(
        final DeleteTopicsRequestData request, final short version, final AdminContext context)
    {
        final DeleteTopicsOp op = new DeleteTopicsOp();
        op.timeoutMs = request.timeoutMs();
        if (version < 6)
        {
            for (final String name : request.topicNames())
            {
                op.add(name, null);
            }
        }
        else
        {
            for (final DeleteTopicsRequestData.DeleteTopicState topic : request.topics())
            {
                final Uuid id = topic.topicId();
                if (null != topic.name())
                {
                    op.add(topic.name(), null);
                }
                else if (Uuid.ZERO_UUID.equals(id))
                {
                    op.add(null, new UUID(0, 0))
                        .fail(TopicErrors.INVALID_REQUEST, "Neither topic name nor id were specified.");
                }
                else
                {
                    op.add(null, new UUID(id.getMostSignificantBits(), id.getLeastSignificantBits()));
                }
            }
        }
        final Set<String> names = new HashSet<>();
        final Set<String> duplicateNames = new HashSet<>();
        final Set<UUID> ids = new HashSet<>();
        final Set<UUID> duplicateIds = new HashSet<>();
        for (final DeleteTopicsOp.Entry entry : op.topics)
        {
            if (null != entry.name && !names.add(entry.name))
            {
                duplicateNames.add(entry.name);
            }
            if (null == entry.name && null != entry.topicId && !ids.add(entry.topicId))
            {
                duplicateIds.add(entry.topicId);
            }
        }
        for (final DeleteTopicsOp.Entry entry : op.topics)
        {
            if (null != entry.name && duplicateNames.contains(entry.name))
            {
                entry.fail(TopicErrors.INVALID_REQUEST, "Duplicate topic name.");
            }
            else if (null == entry.name && duplicateIds.contains(entry.topicId))
            {
                entry.fail(TopicErrors.INVALID_REQUEST, "Duplicate topic id.");
            }
            else if (!context.deleteTopicEnable())
            {
                entry.fail(TopicErrors.TOPIC_DELETION_DISABLED, "Topic deletion is disabled.");
            }
        }
        return op;
    }

    static DeleteTopicsResponseData deleteTopicsResponse(final DeleteTopicsOp op, final short version)
    {
        final DeleteTopicsResponseData response = new DeleteTopicsResponseData().setThrottleTimeMs(0);
        for (final DeleteTopicsOp.Entry entry : op.topics)
        {
            final DeleteTopicsResponseData.DeletableTopicResult result =
                new DeleteTopicsResponseData.DeletableTopicResult()
                    .setName(version >= 6 || null != entry.resultName ? entry.resultName : "")
                    .setErrorCode(entry.errorCode)
                    .setErrorMessage(entry.errorMessage);
            if (version >= 6)
            {
                result.setTopicId(null == entry.resultTopicId ? Uuid.ZERO_UUID : uuid(entry.resultTopicId));
            }
            response.responses().add(result);
        }
        return response;
    }

    static CreatePartitionsOp createPartitions(final CreatePartitionsRequestData request)
    {
        final CreatePartitionsOp op = new CreatePartitionsOp();
        op.validateOnly = request.validateOnly();
        op.timeoutMs = request.timeoutMs();
        final Map<String, Integer> counts = new HashMap<>();
        for (final CreatePartitionsRequestData.CreatePartitionsTopic topic : request.topics())
        {
            counts.merge(topic.name(), 1, Integer::sum);
        }
        for (final CreatePartitionsRequestData.CreatePartitionsTopic topic : request.topics())
        {
            final CreatePartitionsOp.Entry entry = op.add(topic.name(), topic.count());
            if (null != topic.assignments())
            {
                entry.assignments = new ArrayList<>(topic.assignments().size());
                for (final CreatePartitionsRequestData.CreatePartitionsAssignment assignment : topic.assignments())
                {
                    final int[] ids = new int[assignment.brokerIds().size()];
                    for (int i = 0; i < ids.length; i++)
                    {
                        ids[i] = assignment.brokerIds().get(i);
                    }
                    entry.assignments.add(ids);
                }
            }
            if (counts.get(topic.name()) > 1)
            {
                entry.fail(TopicErrors.INVALID_REQUEST, "Duplicate topic name.");
            }
        }
        return op;
    }

    static CreatePartitionsResponseData createPartitionsResponse(final CreatePartitionsOp op)
    {
        final CreatePartitionsResponseData response = new CreatePartitionsResponseData().setThrottleTimeMs(0);
        for (final CreatePartitionsOp.Entry entry : op.topics)
        {
            response.results().add(new CreatePartitionsResponseData.CreatePartitionsTopicResult()
                .setName(entry.name)
                .setErrorCode(entry.errorCode)
                .setErrorMessage(entry.errorMessage));
        }
        return response;
    }

    static Uuid uuid(final UUID id)
    {
        return new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }
}
