package io.loggia.net.group;

import io.loggia.engine.group.GroupErrors;
import io.loggia.engine.group.OffsetCommitOp;
import io.loggia.engine.group.OffsetDeleteOp;
import io.loggia.engine.group.OffsetFetchOp;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OffsetCommit v2-v10, OffsetFetch v1-v10 and OffsetDelete v0 between kafka-clients' messages and the
 * coordinator's ops. The broker's topic registry ({@link TopicLookup}) is asked here, on the network thread:
 * a partition the broker does not have is answered UNKNOWN_TOPIC_OR_PARTITION (an unknown topic id at v10,
 * UNKNOWN_TOPIC_ID) and the coordinator leaves it alone. Topic ids (v10, KIP-516) become names on the way in
 * and names become ids on the way out; offsets are stored by topic name, as Kafka's records are.
 * <pre>
 *   OffsetFetch    v1      one group, its topics; group errors go into every partition (no top-level error)
 *                  v2-v7   one group; null topics = all offsets; top-level error; leader epoch from v5
 *                  v8-v10  several groups (KIP-709), each with its error; topic ids at v10
 * </pre>
 */
final class OffsetCodecs
{
    private OffsetCodecs()
    {
    }

    // ---------------------------------------------------------------------------------------------------------
    // OffsetCommit
    // ---------------------------------------------------------------------------------------------------------

    static OffsetCommitOp offsetCommit(final OffsetCommitRequestData request, final short version,
        final TopicLookup topics)
    {
        final OffsetCommitOp op = new OffsetCommitOp();
        op.groupId = request.groupId();
        op.generationId = request.generationIdOrMemberEpoch();
        op.memberId = MembershipCodecs.nonNull(request.memberId());
        op.groupInstanceId = version >= 7 ? request.groupInstanceId() : null;
        op.retentionTimeMs = version <= 4 ? request.retentionTimeMs() : -1;
        for (final OffsetCommitRequestData.OffsetCommitRequestTopic topic : request.topics())
        {
            final String name = version >= 10 ? topics.topicName(topic.topicId()) : topic.name();
            final int partitionCount = null == name ? TopicLookup.UNKNOWN_TOPIC : topics.partitionCount(name);
            for (final OffsetCommitRequestData.OffsetCommitRequestPartition partition : topic.partitions())
            {
                final OffsetCommitOp.Partition committed = new OffsetCommitOp.Partition(
                    name, partition.partitionIndex(), partition.committedOffset(), partition.committedMetadata());
                committed.leaderEpoch = version >= 6 ? partition.committedLeaderEpoch() : -1;
                committed.errorCode = partitionError(name, partitionCount, partition.partitionIndex());
                op.partitions.add(committed);
            }
        }
        return op;
    }

    static OffsetCommitResponseData offsetCommitResponse(
        final OffsetCommitOp op, final OffsetCommitRequestData request, final short version)
    {
        final List<OffsetCommitResponseData.OffsetCommitResponseTopic> topics =
            new ArrayList<>(request.topics().size());
        int index = 0;
        for (final OffsetCommitRequestData.OffsetCommitRequestTopic topic : request.topics())
        {
            final List<OffsetCommitResponseData.OffsetCommitResponsePartition> partitions =
                new ArrayList<>(topic.partitions().size());
            for (int i = 0; i < topic.partitions().size(); i++)
            {
                final OffsetCommitOp.Partition committed = op.partitions.get(index++);
                partitions.add(new OffsetCommitResponseData.OffsetCommitResponsePartition()
                    .setPartitionIndex(committed.partition)
                    .setErrorCode(committed.errorCode));
            }
            final OffsetCommitResponseData.OffsetCommitResponseTopic responseTopic =
                new OffsetCommitResponseData.OffsetCommitResponseTopic().setPartitions(partitions);
            if (version >= 10)
            {
                responseTopic.setTopicId(topic.topicId());
            }
            else
            {
                responseTopic.setName(topic.name());
            }
            topics.add(responseTopic);
        }
        return new OffsetCommitResponseData().setThrottleTimeMs(0).setTopics(topics);
    }

    // ---------------------------------------------------------------------------------------------------------
    // OffsetFetch
    // ---------------------------------------------------------------------------------------------------------

    static OffsetFetchOp offsetFetch(final OffsetFetchRequestData request, final short version,
        final TopicLookup topics)
    {
        final OffsetFetchOp op = new OffsetFetchOp();
        op.requireStable = version >= 7 && request.requireStable();
        if (version <= 7)
        {
            List<OffsetFetchOp.Partition> partitions = null;
            if (null != request.topics())
            {
                partitions = new ArrayList<>();
                for (final OffsetFetchRequestData.OffsetFetchRequestTopic topic : request.topics())
                {
                    for (final Integer partition : topic.partitionIndexes())
                    {
                        partitions.add(new OffsetFetchOp.Partition(topic.name(), partition));
                    }
                }
            }
            op.groups.add(new OffsetFetchOp.Group(request.groupId(), partitions));
            return op;
        }
        for (final OffsetFetchRequestData.OffsetFetchRequestGroup group : request.groups())
        {
            List<OffsetFetchOp.Partition> partitions = null;
            if (null != group.topics())
            {
                partitions = new ArrayList<>();
                for (final OffsetFetchRequestData.OffsetFetchRequestTopics topic : group.topics())
                {
                    final String name = version >= 10 ? topics.topicName(topic.topicId()) : topic.name();
                    for (final Integer partition : topic.partitionIndexes())
                    {
                        final OffsetFetchOp.Partition fetched = new OffsetFetchOp.Partition(name, partition);
                        if (null == name)
                        {
                            fetched.errorCode = GroupErrors.UNKNOWN_TOPIC_ID;
                        }
                        partitions.add(fetched);
                    }
                }
            }
            op.groups.add(new OffsetFetchOp.Group(group.groupId(), partitions));
        }
        return op;
    }

    static OffsetFetchResponseData offsetFetchResponse(
        final OffsetFetchOp op, final OffsetFetchRequestData request, final short version, final TopicLookup topics)
    {
        final OffsetFetchResponseData response = new OffsetFetchResponseData().setThrottleTimeMs(0);
        if (version <= 7)
        {
            final OffsetFetchOp.Group group = op.groups.get(0);
            final short groupError = group.errorCode;
            final List<OffsetFetchResponseData.OffsetFetchResponseTopic> responseTopics = new ArrayList<>();
            if (groupError == GroupErrors.NONE || version < 2)
            {
                for (final Map.Entry<String, List<OffsetFetchOp.Partition>> topic : byTopic(group, request).entrySet())
                {
                    final List<OffsetFetchResponseData.OffsetFetchResponsePartition> partitions = new ArrayList<>();
                    for (final OffsetFetchOp.Partition partition : topic.getValue())
                    {
                        final boolean failed = groupError != GroupErrors.NONE;
                        partitions.add(new OffsetFetchResponseData.OffsetFetchResponsePartition()
                            .setPartitionIndex(partition.partition)
                            .setCommittedOffset(failed ? -1 : partition.offset)
                            .setCommittedLeaderEpoch(failed ? -1 : partition.leaderEpoch)
                            .setMetadata(failed ? "" : partition.metadata)
                            // v0-v1 have no group error: each partition carries it
                            .setErrorCode(failed ? groupError : partition.errorCode));
                    }
                    responseTopics.add(new OffsetFetchResponseData.OffsetFetchResponseTopic()
                        .setName(topic.getKey())
                        .setPartitions(partitions));
                }
            }
            return response.setTopics(responseTopics).setErrorCode(groupError);
        }

        final List<OffsetFetchResponseData.OffsetFetchResponseGroup> groups = new ArrayList<>(op.groups.size());
        for (int g = 0; g < op.groups.size(); g++)
        {
            final OffsetFetchOp.Group group = op.groups.get(g);
            final List<OffsetFetchResponseData.OffsetFetchResponseTopics> responseTopics = new ArrayList<>();
            if (group.errorCode == GroupErrors.NONE)
            {
                final OffsetFetchRequestData.OffsetFetchRequestGroup requested = request.groups().get(g);
                if (null != requested.topics())
                {
                    int index = 0;
                    for (final OffsetFetchRequestData.OffsetFetchRequestTopics topic : requested.topics())
                    {
                        final List<OffsetFetchResponseData.OffsetFetchResponsePartitions> partitions =
                            new ArrayList<>(topic.partitionIndexes().size());
                        for (int i = 0; i < topic.partitionIndexes().size(); i++)
                        {
                            partitions.add(partitionOf(group.partitions.get(index++)));
                        }
                        responseTopics.add(topicOf(version, topic.name(), topic.topicId(), partitions));
                    }
                }
                else
                {
                    for (final Map.Entry<String, List<OffsetFetchOp.Partition>> topic : byTopic(group, null).entrySet())
                    {
                        final Uuid topicId = version >= 10 ? topics.topicId(topic.getKey()) : Uuid.ZERO_UUID;
                        if (version >= 10 && Uuid.ZERO_UUID.equals(topicId))
                        {
                            // a v10 client names topics by id only: offsets of a topic without one are not shown
                            continue;
                        }
                        final List<OffsetFetchResponseData.OffsetFetchResponsePartitions> partitions =
                            new ArrayList<>(topic.getValue().size());
                        for (final OffsetFetchOp.Partition partition : topic.getValue())
                        {
                            partitions.add(partitionOf(partition));
                        }
                        responseTopics.add(topicOf(version, topic.getKey(), topicId, partitions));
                    }
                }
            }
            groups.add(new OffsetFetchResponseData.OffsetFetchResponseGroup()
                .setGroupId(group.groupId)
                .setErrorCode(group.errorCode)
                .setTopics(responseTopics));
        }
        return response.setGroups(groups);
    }

    /** The group's partitions by topic, in request order (v1-v7 request topics) or in the result's order. */
    private static Map<String, List<OffsetFetchOp.Partition>> byTopic(
        final OffsetFetchOp.Group group, final OffsetFetchRequestData request)
    {
        final Map<String, List<OffsetFetchOp.Partition>> byTopic = new LinkedHashMap<>();
        if (null != request && null != request.topics())
        {
            int index = 0;
            for (final OffsetFetchRequestData.OffsetFetchRequestTopic topic : request.topics())
            {
                final List<OffsetFetchOp.Partition> partitions =
                    byTopic.computeIfAbsent(topic.name(), t -> new ArrayList<>());
                for (int i = 0; i < topic.partitionIndexes().size(); i++)
                {
                    partitions.add(group.partitions.get(index++));
                }
            }
            return byTopic;
        }
        if (null != group.partitions)
        {
            for (final OffsetFetchOp.Partition partition : group.partitions)
            {
                byTopic.computeIfAbsent(partition.topic, t -> new ArrayList<>()).add(partition);
            }
        }
        return byTopic;
    }

    private static OffsetFetchResponseData.OffsetFetchResponsePartitions partitionOf(
        final OffsetFetchOp.Partition partition)
    {
        return new OffsetFetchResponseData.OffsetFetchResponsePartitions()
            .setPartitionIndex(partition.partition)
            .setCommittedOffset(partition.offset)
            .setCommittedLeaderEpoch(partition.leaderEpoch)
            .setMetadata(partition.metadata)
            .setErrorCode(partition.errorCode);
    }

    private static OffsetFetchResponseData.OffsetFetchResponseTopics topicOf(
        final short version,
        final String name,
        final Uuid topicId,
        final List<OffsetFetchResponseData.OffsetFetchResponsePartitions> partitions)
    {
        final OffsetFetchResponseData.OffsetFetchResponseTopics topic =
            new OffsetFetchResponseData.OffsetFetchResponseTopics().setPartitions(partitions);
        return version >= 10 ? topic.setTopicId(topicId) : topic.setName(name);
    }

    // ---------------------------------------------------------------------------------------------------------
    // OffsetDelete
    // ---------------------------------------------------------------------------------------------------------

    static OffsetDeleteOp offsetDelete(final OffsetDeleteRequestData request, final TopicLookup topics)
    {
        final OffsetDeleteOp op = new OffsetDeleteOp();
        op.groupId = request.groupId();
        for (final OffsetDeleteRequestData.OffsetDeleteRequestTopic topic : request.topics())
        {
            final int partitionCount = topics.partitionCount(topic.name());
            for (final OffsetDeleteRequestData.OffsetDeleteRequestPartition partition : topic.partitions())
            {
                final OffsetDeleteOp.Partition deleted =
                    new OffsetDeleteOp.Partition(topic.name(), partition.partitionIndex());
                deleted.errorCode = partitionError(topic.name(), partitionCount, partition.partitionIndex());
                op.partitions.add(deleted);
            }
        }
        return op;
    }

    static OffsetDeleteResponseData offsetDeleteResponse(final OffsetDeleteOp op, final OffsetDeleteRequestData request)
    {
        final OffsetDeleteResponseData.OffsetDeleteResponseTopicCollection topics =
            new OffsetDeleteResponseData.OffsetDeleteResponseTopicCollection();
        if (op.errorCode == GroupErrors.NONE)
        {
            int index = 0;
            for (final OffsetDeleteRequestData.OffsetDeleteRequestTopic topic : request.topics())
            {
                final OffsetDeleteResponseData.OffsetDeleteResponsePartitionCollection partitions =
                    new OffsetDeleteResponseData.OffsetDeleteResponsePartitionCollection();
                for (int i = 0; i < topic.partitions().size(); i++)
                {
                    final OffsetDeleteOp.Partition deleted = op.partitions.get(index++);
                    partitions.add(new OffsetDeleteResponseData.OffsetDeleteResponsePartition()
                        .setPartitionIndex(deleted.partition)
                        .setErrorCode(deleted.errorCode));
                }
                topics.add(new OffsetDeleteResponseData.OffsetDeleteResponseTopic()
                    .setName(topic.name())
                    .setPartitions(partitions));
            }
        }
        return new OffsetDeleteResponseData().setThrottleTimeMs(0).setErrorCode(op.errorCode).setTopics(topics);
    }

    private static short partitionError(final String topic, final int partitionCount, final int partition)
    {
        if (null == topic)
        {
            return GroupErrors.UNKNOWN_TOPIC_ID;
        }
        return partition < 0 || partition >= partitionCount ? GroupErrors.UNKNOWN_TOPIC_OR_PARTITION : GroupErrors.NONE;
    }
}
