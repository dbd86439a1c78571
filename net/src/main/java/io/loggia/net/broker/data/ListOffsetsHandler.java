package io.loggia.net.broker.data;

import io.loggia.engine.log.PartitionLog;
import io.loggia.engine.log.TimestampLookup;
import io.loggia.engine.partition.Partition;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsPartition;
import org.apache.kafka.common.message.ListOffsetsRequestData.ListOffsetsTopic;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsTopicResponse;
import org.apache.kafka.common.protocol.Readable;

import java.util.ArrayList;

/**
 * ListOffsets v1..v11, answered at once from the partition logs (control-plane style: kafka-clients' message
 * classes). Which offset each target timestamp means, with Kafka's semantics and no tiered storage:
 * <pre>
 *   timestamp              offset                                   timestamp in answer   leader epoch
 *   ---------------------  ---------------------------------------  --------------------  ------------
 *   -2 EARLIEST            log start offset                         -1                    current
 *   -4 EARLIEST_LOCAL      log start offset (all of the log is local)  -1                 current
 *   -1 LATEST              last fetchable offset (below)            -1                    current
 *   -5 LATEST_TIERED       -1: nothing is tiered                    -1                    -1
 *   -3 MAX_TIMESTAMP       first batch holding the largest timestamp  its max timestamp   its epoch
 *   t (any other)          first batch whose max timestamp >= t     its max timestamp     its epoch
 *                          below the last fetchable offset, else -1
 *
 *   last fetchable offset: consumers (replica id < 0): the high watermark (read_uncommitted) or the last stable
 *   offset, equal to it without transactions (read_committed); a replica id >= 0: the log end offset.
 * </pre>
 * Lookups by timestamp are at batch level (the engine's {@code offsetForTimestamp}): the offset is the batch's
 * first offset, raised to the log start offset, and the timestamp its max timestamp.
 * <p>
 * current_leader_epoch (v4+), if the client sent one: older than the partition's: FENCED_LEADER_EPOCH (74);
 * newer: UNKNOWN_LEADER_EPOCH (75). Unknown or closed partitions: UNKNOWN_TOPIC_OR_PARTITION (3).
 * <p>
 * Owned by one network thread.
 */
final class ListOffsetsHandler
{
    static final long LATEST_TIMESTAMP = -1L;
    static final long EARLIEST_TIMESTAMP = -2L;
    static final long MAX_TIMESTAMP = -3L;
    static final long EARLIEST_LOCAL_TIMESTAMP = -4L;
    static final long LATEST_TIERED_TIMESTAMP = -5L;
    /** The first version whose response carries the leader epoch. */
    static final short LEADER_EPOCH_VERSION = 4;

    private final TopicLookup topics;
    private final TimestampLookup lookup = new TimestampLookup();

    ListOffsetsHandler(final TopicLookup topics)
    {
        this.topics = topics;
    }

    ListOffsetsResponseData handle(final Readable body, final short version)
    {
        final ListOffsetsRequestData request = new ListOffsetsRequestData(body, version);
        final boolean consumer = request.replicaId() < 0;
        final ListOffsetsResponseData response = new ListOffsetsResponseData();
        final ArrayList<ListOffsetsTopicResponse> topicResponses = new ArrayList<>(request.topics().size());
        for (final ListOffsetsTopic topic : request.topics())
        {
            final ArrayList<ListOffsetsPartitionResponse> partitions = new ArrayList<>(topic.partitions().size());
            for (final ListOffsetsPartition requested : topic.partitions())
            {
                partitions.add(answer(topic.name(), requested, consumer, version >= LEADER_EPOCH_VERSION));
            }
            topicResponses.add(new ListOffsetsTopicResponse().setName(topic.name()).setPartitions(partitions));
        }
        return response.setThrottleTimeMs(0).setTopics(topicResponses);
    }

    private ListOffsetsPartitionResponse answer(
        final String topic, final ListOffsetsPartition requested, final boolean consumer, final boolean withEpoch)
    {
        final ListOffsetsPartitionResponse response = find(topic, requested, consumer);
        if (!withEpoch)
        {
            // the field does not exist before v4, and kafka-clients refuses to write a value it would drop
            response.setLeaderEpoch(-1);
        }
        return response;
    }

    private ListOffsetsPartitionResponse find(
        final String topic, final ListOffsetsPartition requested, final boolean consumer)
    {
        final ListOffsetsPartitionResponse response = new ListOffsetsPartitionResponse()
            .setPartitionIndex(requested.partitionIndex())
            .setTimestamp(-1)
            .setOffset(-1)
            .setLeaderEpoch(-1);
        final Partition partition = topics.partition(topic, requested.partitionIndex());
        if (null == partition || !partition.isOpen())
        {
            return response.setErrorCode(DataErrors.UNKNOWN_TOPIC_OR_PARTITION);
        }
        final int leaderEpoch = partition.leaderEpoch();
        final short epochError = LeaderEpochs.check(requested.currentLeaderEpoch(), leaderEpoch);
        if (DataErrors.NONE != epochError)
        {
            return response.setErrorCode(epochError);
        }
        final PartitionLog log = partition.log();
        // one node, no transactions: the last stable offset is the high watermark
        final long lastFetchable = consumer ? log.highWatermark() : log.logEndOffset();
        final long target = requested.timestamp();
        response.setErrorCode(DataErrors.NONE);
        if (EARLIEST_TIMESTAMP == target || EARLIEST_LOCAL_TIMESTAMP == target)
        {
            return response.setOffset(log.logStartOffset()).setLeaderEpoch(leaderEpoch);
        }
        if (LATEST_TIMESTAMP == target)
        {
            return response.setOffset(lastFetchable).setLeaderEpoch(leaderEpoch);
        }
        if (LATEST_TIERED_TIMESTAMP == target)
        {
            return response;
        }
        final TimestampLookup lookup = this.lookup;
        final long offset = MAX_TIMESTAMP == target ?
            log.offsetOfMaxTimestamp(lastFetchable, lookup) : log.offsetForTimestamp(target, lastFetchable, lookup);
        if (offset < 0)
        {
            return response;
        }
        return response.setOffset(offset).setTimestamp(lookup.timestamp).setLeaderEpoch(lookup.leaderEpoch);
    }
}
