package io.loggia.tools.groups;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Collects what {@code loggia groups --describe} shows for one group, from the broker:
 * <pre>
 *   DescribeGroups      state, members, each member's assignment (consumer protocol)
 *   OffsetFetch         committed offsets
 *   ListOffsets latest  log end offsets (high watermarks) of every partition owned or committed
 *   Fetch               for each partition with lag: the record at the committed offset, for its timestamp
 * </pre>
 * Rows: every partition a member owns, then every partition with a committed offset that nobody owns, sorted
 * by topic and partition.
 */
final class GroupLagReader
{
    /** A group's state and rows. */
    record GroupReport(String group, GroupState state, int members, List<PartitionLag> rows)
    {
    }

    /** The group does not exist (or is dead). */
    static final class NoSuchGroupException extends Exception
    {
        private static final long serialVersionUID = 1L;

        NoSuchGroupException(final String group)
        {
            super("consumer group '" + group + "' does not exist");
        }
    }

    private static final Comparator<TopicPartition> BY_TOPIC_AND_PARTITION =
        Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    private final Admin admin;
    private final String bootstrapServer;
    private final int timeoutMs;

    GroupLagReader(final Admin admin, final String bootstrapServer, final int timeoutMs)
    {
        this.admin = admin;
        this.bootstrapServer = bootstrapServer;
        this.timeoutMs = timeoutMs;
    }

    GroupReport describe(final String group)
        throws NoSuchGroupException, ExecutionException, TimeoutException, InterruptedException
    {
        final ConsumerGroupDescription description;
        try
        {
            description = get(admin.describeConsumerGroups(List.of(group)).describedGroups().get(group));
        }
        catch (final ExecutionException ex)
        {
            if (ex.getCause() instanceof GroupIdNotFoundException)
            {
                throw new NoSuchGroupException(group);
            }
            throw ex;
        }
        if (description.groupState() == GroupState.DEAD)
        {
            throw new NoSuchGroupException(group);
        }
        final Map<TopicPartition, OffsetAndMetadata> committed =
            get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());

        final Map<TopicPartition, MemberDescription> owners = new TreeMap<>(BY_TOPIC_AND_PARTITION);
        for (final MemberDescription member : description.members())
        {
            for (final TopicPartition partition : member.assignment().topicPartitions())
            {
                owners.put(partition, member);
            }
        }
        final Map<TopicPartition, Long> logEnds = logEnds(owners, committed);

        final List<PartitionLag> rows = new ArrayList<>();
        for (final Map.Entry<TopicPartition, MemberDescription> owned : owners.entrySet())
        {
            final MemberDescription member = owned.getValue();
            rows.add(row(group, owned.getKey(), committed, logEnds, member.consumerId(), member.host(),
                member.clientId()));
        }
        final Map<TopicPartition, OffsetAndMetadata> unowned = new TreeMap<>(BY_TOPIC_AND_PARTITION);
        committed.forEach((partition, offset) ->
        {
            if (!owners.containsKey(partition))
            {
                unowned.put(partition, offset);
            }
        });
        for (final TopicPartition partition : unowned.keySet())
        {
            rows.add(row(group, partition, committed, logEnds, null, null, null));
        }
        return new GroupReport(group, description.groupState(), description.members().size(), withLagTimes(rows));
    }

    private static PartitionLag row(
        final String group,
        final TopicPartition partition,
        final Map<TopicPartition, OffsetAndMetadata> committed,
        final Map<TopicPartition, Long> logEnds,
        final String consumerId,
        final String host,
        final String clientId)
    {
        final OffsetAndMetadata offset = committed.get(partition);
        return new PartitionLag(group, partition.topic(), partition.partition(),
            null == offset ? PartitionLag.UNKNOWN : offset.offset(),
            logEnds.getOrDefault(partition, PartitionLag.UNKNOWN),
            PartitionLag.UNKNOWN, consumerId, host, clientId);
    }

    /** Log end offsets; a partition the broker does not have (a deleted topic) is left out. */
    private Map<TopicPartition, Long> logEnds(
        final Map<TopicPartition, MemberDescription> owners, final Map<TopicPartition, OffsetAndMetadata> committed)
        throws InterruptedException, TimeoutException
    {
        final Map<TopicPartition, OffsetSpec> wanted = new HashMap<>();
        owners.keySet().forEach(partition -> wanted.put(partition, OffsetSpec.latest()));
        committed.keySet().forEach(partition -> wanted.put(partition, OffsetSpec.latest()));
        final Map<TopicPartition, Long> logEnds = new HashMap<>();
        if (wanted.isEmpty())
        {
            return logEnds;
        }
        final ListOffsetsResult result = admin.listOffsets(wanted);
        for (final TopicPartition partition : wanted.keySet())
        {
            try
            {
                logEnds.put(partition, get(result.partitionResult(partition)).offset());
            }
            catch (final ExecutionException ex)
            {
                // no such partition any more: its row shows "-"
            }
        }
        return logEnds;
    }

    /** Reads the record at the committed offset of every partition with lag, for its age. */
    private List<PartitionLag> withLagTimes(final List<PartitionLag> rows)
    {
        final Map<TopicPartition, Long> lagging = new HashMap<>();
        for (final PartitionLag row : rows)
        {
            if (row.hasLag() && row.lag() > 0)
            {
                lagging.put(new TopicPartition(row.topic(), row.partition()), row.committed());
            }
        }
        final Map<TopicPartition, OldestUnconsumedRecords.Sample> samples =
            OldestUnconsumedRecords.read(bootstrapServer, lagging, timeoutMs);
        final List<PartitionLag> timed = new ArrayList<>(rows.size());
        for (final PartitionLag row : rows)
        {
            final OldestUnconsumedRecords.Sample sample = samples.get(new TopicPartition(row.topic(), row.partition()));
            timed.add(null == sample ? row : row.withLagTime(sample.ageMs()));
        }
        return timed;
    }

    private <T> T get(final KafkaFuture<T> future) throws ExecutionException, TimeoutException, InterruptedException
    {
        return future.get(timeoutMs, TimeUnit.MILLISECONDS);
    }
}
