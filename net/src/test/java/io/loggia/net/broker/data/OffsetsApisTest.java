package io.loggia.net.broker.data;

import io.loggia.codec.wire.ApiKeys;
import io.loggia.net.broker.BrokerFixture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ListOffsets through a real admin client and consumer (earliest, latest, by timestamp, max timestamp, earliest
 * local, latest tiered) and on a raw socket at its oldest and newest versions; OffsetForLeaderEpoch on a raw
 * socket.
 */
class OffsetsApisTest
{
    @TempDir
    static Path dir;
    static BrokerFixture broker;
    static final AtomicInteger TOPICS = new AtomicInteger();

    /** Three batches of two records: timestamps 1000/1001, 5000/5001 (the largest), 3000/3001. */
    static String topicWithTimestamps() throws Exception
    {
        final String topic = "offsets-" + TOPICS.incrementAndGet();
        FixtureTopics.create(broker, topic, 1, Map.of());
        try (RawKafkaClient client = new RawKafkaClient(broker.broker().localAddress()))
        {
            for (final long base : new long[] {1000, 5000, 3000})
            {
                final MemoryRecords records = MemoryRecords.withRecords(Compression.NONE,
                    new SimpleRecord(base, Batches.bytes("k"), Batches.bytes("a")),
                    new SimpleRecord(base + 1, Batches.bytes("k"), Batches.bytes("b")));
                assertThat(client.produce(9, RawKafkaClient.produceRequest((short)1, topic, null, 0, records))
                    .responses().iterator().next().partitionResponses().get(0).errorCode()).isZero();
            }
        }
        return topic;
    }

    @BeforeAll
    static void start() throws Exception
    {
        broker = BrokerFixture.start(dir);
    }

    @AfterAll
    static void stop()
    {
        final long errors = broker.broker().errorCount();
        broker.close();
        assertThat(errors).isZero();
    }

    @Test
    void adminListOffsetsForEverySpec() throws Exception
    {
        final String topic = topicWithTimestamps();
        final TopicPartition partition = new TopicPartition(topic, 0);
        try (Admin admin = Admin.create(broker.clientProperties()))
        {
            assertThat(offset(admin, partition, OffsetSpec.earliest()).offset()).isZero();
            assertThat(offset(admin, partition, OffsetSpec.latest()).offset()).isEqualTo(6);
            assertThat(offset(admin, partition, OffsetSpec.earliestLocal()).offset()).isZero();
            assertThat(offset(admin, partition, OffsetSpec.latestTiered()).offset()).isEqualTo(-1);
            final ListOffsetsResult.ListOffsetsResultInfo max = offset(admin, partition, OffsetSpec.maxTimestamp());
            assertThat(max.offset()).isEqualTo(2);
            assertThat(max.timestamp()).isEqualTo(5001);
            assertThat(max.leaderEpoch()).contains(0);
            final ListOffsetsResult.ListOffsetsResultInfo at = offset(admin, partition, OffsetSpec.forTimestamp(2000));
            assertThat(at.offset()).isEqualTo(2);
            assertThat(at.timestamp()).isEqualTo(5001);
            assertThat(offset(admin, partition, OffsetSpec.forTimestamp(999)).offset()).isZero();
            assertThat(offset(admin, partition, OffsetSpec.forTimestamp(6000)).offset()).isEqualTo(-1);
        }
    }

    static ListOffsetsResult.ListOffsetsResultInfo offset(
        final Admin admin, final TopicPartition partition, final OffsetSpec spec) throws Exception
    {
        return admin.listOffsets(Map.of(partition, spec)).partitionResult(partition).get();
    }

    @Test
    void consumerBeginningEndAndOffsetsForTimes() throws Exception
    {
        final String topic = topicWithTimestamps();
        final TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(broker.bootstrapServers(), Map.of()))
        {
            assertThat(consumer.beginningOffsets(List.of(partition))).containsEntry(partition, 0L);
            assertThat(consumer.endOffsets(List.of(partition))).containsEntry(partition, 6L);
            final OffsetAndTimestamp found = consumer.offsetsForTimes(Map.of(partition, 4000L)).get(partition);
            assertThat(found.offset()).isEqualTo(2);
            assertThat(found.timestamp()).isEqualTo(5001);
            assertThat(consumer.offsetsForTimes(Map.of(partition, 9000L)).get(partition)).isNull();

            consumer.assign(List.of(partition));
            consumer.seekToEnd(List.of(partition));
            assertThat(consumer.position(partition)).isEqualTo(6);
            consumer.seekToBeginning(List.of(partition));
            assertThat(consumer.position(partition)).isZero();
        }
    }

    @Test
    void rawListOffsetsAtTheOldestAndNewestVersions() throws Exception
    {
        final String topic = topicWithTimestamps();
        try (RawKafkaClient client = new RawKafkaClient(broker.broker().localAddress()))
        {
            for (final int version : new int[] {1, 4, 11})
            {
                final ListOffsetsRequestData request = new ListOffsetsRequestData().setReplicaId(-1).setTopics(List.of(
                    new ListOffsetsRequestData.ListOffsetsTopic().setName(topic).setPartitions(List.of(
                        new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0).setTimestamp(-1),
                        new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0).setTimestamp(3000),
                        new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(4).setTimestamp(-2)))));
                final ListOffsetsResponseData response = new ListOffsetsResponseData(new ByteBufferAccessor(
                    client.request(ApiKeys.LIST_OFFSETS, version, request)), (short)version);
                final List<ListOffsetsResponseData.ListOffsetsPartitionResponse> partitions =
                    response.topics().get(0).partitions();
                assertThat(partitions.get(0).offset()).as("v" + version).isEqualTo(6);
                assertThat(partitions.get(0).timestamp()).isEqualTo(-1);
                assertThat(partitions.get(1).offset()).isEqualTo(2);
                assertThat(partitions.get(1).timestamp()).isEqualTo(5001);
                assertThat(partitions.get(2).errorCode()).isEqualTo(DataErrors.UNKNOWN_TOPIC_OR_PARTITION);
                if (version >= 4)
                {
                    assertThat(partitions.get(0).leaderEpoch()).isZero();
                }
            }
            final ListOffsetsRequestData fenced = new ListOffsetsRequestData().setReplicaId(-1).setTopics(List.of(
                new ListOffsetsRequestData.ListOffsetsTopic().setName(topic).setPartitions(List.of(
                    new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0).setTimestamp(-1)
                        .setCurrentLeaderEpoch(3)))));
            final ListOffsetsResponseData response = new ListOffsetsResponseData(new ByteBufferAccessor(
                client.request(ApiKeys.LIST_OFFSETS, 11, fenced)), (short)11);
            assertThat(response.topics().get(0).partitions().get(0).errorCode())
                .isEqualTo(DataErrors.UNKNOWN_LEADER_EPOCH);
        }
    }

    @Test
    void offsetForLeaderEpochAnswersTheLogEndForTheCurrentEpoch() throws Exception
    {
        final String topic = topicWithTimestamps();
        try (RawKafkaClient client = new RawKafkaClient(broker.broker().localAddress()))
        {
            for (final int version : new int[] {2, 3, 4})
            {
                final OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection topics =
                    new OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection();
                topics.add(new OffsetForLeaderEpochRequestData.OffsetForLeaderTopic().setTopic(topic).setPartitions(
                    List.of(
                        new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition().setPartition(0)
                            .setLeaderEpoch(0).setCurrentLeaderEpoch(0),
                        new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition().setPartition(0)
                            .setLeaderEpoch(1).setCurrentLeaderEpoch(-1),
                        new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition().setPartition(0)
                            .setLeaderEpoch(0).setCurrentLeaderEpoch(2),
                        new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition().setPartition(9)
                            .setLeaderEpoch(0))));
                final OffsetForLeaderEpochResponseData response = new OffsetForLeaderEpochResponseData(
                    new ByteBufferAccessor(client.request(ApiKeys.OFFSET_FOR_LEADER_EPOCH, version,
                        new OffsetForLeaderEpochRequestData().setReplicaId(-1).setTopics(topics))), (short)version);
                final List<OffsetForLeaderEpochResponseData.EpochEndOffset> partitions =
                    response.topics().iterator().next().partitions();
                assertThat(partitions.get(0).errorCode()).as("v" + version).isZero();
                assertThat(partitions.get(0).leaderEpoch()).isZero();
                assertThat(partitions.get(0).endOffset()).isEqualTo(6);
                assertThat(partitions.get(1).leaderEpoch()).isEqualTo(-1);
                assertThat(partitions.get(1).endOffset()).isEqualTo(-1);
                assertThat(partitions.get(2).errorCode()).isEqualTo(DataErrors.UNKNOWN_LEADER_EPOCH);
                assertThat(partitions.get(3).errorCode()).isEqualTo(DataErrors.UNKNOWN_TOPIC_OR_PARTITION);
            }
        }
    }
}
