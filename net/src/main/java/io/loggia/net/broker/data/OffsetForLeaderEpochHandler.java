package io.loggia.net.broker.data;

import io.loggia.engine.log.PartitionLog;
import io.loggia.engine.partition.Partition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderPartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopic;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult;
import org.apache.kafka.common.protocol.Readable;

/**
 * OffsetForLeaderEpoch v2..v4, which consumers send after a leader change to detect log truncation. On one node
 * every partition has had one leader epoch, the current one, since its log started, so Kafka's leader-epoch
 * cache holds one entry (current epoch, log start offset) and its lookup becomes:
 * <pre>
 *   requested epoch                       answer (leader_epoch, end_offset)
 *   ------------------------------------  ---------------------------------
 *   == current                            (current, log end offset)
 *   -1 (undefined) or > current           (-1, -1)   UNDEFINED: no such epoch
 *   < current, not -1                     (requested, log start offset): the next epoch starts there
 * </pre>
 * current_leader_epoch, if sent: older than the partition's: FENCED_LEADER_EPOCH (74); newer:
 * UNKNOWN_LEADER_EPOCH (75). Unknown or closed partitions: UNKNOWN_TOPIC_OR_PARTITION (3), (-1, -1).
 * <p>
 * Owned by one network thread.
 */
final class OffsetForLeaderEpochHandler
{
    static final int UNDEFINED_EPOCH = -1;
    static final long UNDEFINED_EPOCH_OFFSET = -1L;

    private final TopicLookup topics;

    OffsetForLeaderEpochHandler(final TopicLookup topics)
    {
        this.topics = topics;
    }

    OffsetForLeaderEpochResponseData handle(final Readable body, final short version)
    {
        final OffsetForLeaderEpochRequestData request = new OffsetForLeaderEpochRequestData(body, version);
        final OffsetForLeaderEpochResponseData response = new OffsetForLeaderEpochResponseData().setThrottleTimeMs(0);
        for (final OffsetForLeaderTopic topic : request.topics())
        {
            final OffsetForLeaderTopicResult result = new OffsetForLeaderTopicResult().setTopic(topic.topic());
            for (final OffsetForLeaderPartition requested : topic.partitions())
            {
                result.partitions().add(answer(topic.topic(), requested));
            }
            response.topics().add(result);
        }
        return response;
    }

    private EpochEndOffset answer(final String topic, final OffsetForLeaderPartition requested)
    {
        final EpochEndOffset answer = new EpochEndOffset()
            .setPartition(requested.partition())
            .setLeaderEpoch(UNDEFINED_EPOCH)
            .setEndOffset(UNDEFINED_EPOCH_OFFSET);
        final Partition partition = topics.partition(topic, requested.partition());
        if (null == partition || !partition.isOpen())
        {
            return answer.setErrorCode(DataErrors.UNKNOWN_TOPIC_OR_PARTITION);
        }
        final int current = partition.leaderEpoch();
        final short epochError = LeaderEpochs.check(requested.currentLeaderEpoch(), current);
        if (DataErrors.NONE != epochError)
        {
            return answer.setErrorCode(epochError);
        }
        answer.setErrorCode(DataErrors.NONE);
        final int epoch = requested.leaderEpoch();
        final PartitionLog log = partition.log();
        if (epoch == current)
        {
            return answer.setLeaderEpoch(current).setEndOffset(log.logEndOffset());
        }
        if (UNDEFINED_EPOCH == epoch || epoch > current)
        {
            return answer;
        }
        return answer.setLeaderEpoch(epoch).setEndOffset(log.logStartOffset());
    }
}
