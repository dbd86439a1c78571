package io.loggia.net.broker.data;

import io.loggia.codec.wire.ApiKeys;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fetch requests on a raw socket, responses parsed by kafka-clients: whole batches from the one holding the
 * fetch offset, KIP-74, OFFSET_OUT_OF_RANGE with the partition's offsets, fetch sessions refused the way Kafka
 * refuses unknown ones, every version, and the long poll completed by an append rather than by its timer.
 */
class RawFetchTest
{
    static final int LONG_WAIT_MS = 10_000;

    @TempDir
    static Path dir;
    static DataPathTestBroker broker;
    static final AtomicInteger TOPICS = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception
    {
        broker = new DataPathTestBroker(dir);
    }

    @AfterAll
    static void stop()
    {
        broker.close();
        assertThat(broker.errors).isEmpty();
    }

    static String newTopic(final Map<String, String> configs)
    {
        final String topic = "raw-fetch-" + TOPICS.incrementAndGet();
        broker.createTopic(topic, 2, configs);
        return topic;
    }

    static void produce(final String topic, final int partition, final MemoryRecords records) throws Exception
    {
        try (RawKafkaClient client = new RawKafkaClient(broker.address()))
        {
            final short error = client.produce(9, RawKafkaClient.produceRequest((short)1, topic, null, partition,
                records)).responses().iterator().next().partitionResponses().get(0).errorCode();
            assertThat(error).isEqualTo(DataErrors.NONE);
        }
    }

    static FetchResponseData.PartitionData only(final FetchResponseData response)
    {
        assertThat(response.errorCode()).isEqualTo(DataErrors.NONE);
        assertThat(response.responses()).hasSize(1);
        assertThat(response.responses().get(0).partitions()).hasSize(1);
        return response.responses().get(0).partitions().get(0);
    }

    static List<RecordBatch> batches(final FetchResponseData.PartitionData partition)
    {
        final List<RecordBatch> batches = new ArrayList<>();
        ((MemoryRecords)partition.records()).batches().forEach(batches::add);
        return batches;
    }

    @Test
    void aFetchInsideABatchGetsTheWholeBatch() throws Exception
    {
        final String topic = newTopic(Map.of());
        produce(topic, 0, Batches.plain(10));
        produce(topic, 0, Batches.plain(2));
        try (RawKafkaClient client = new RawKafkaClient(broker.address()))
        {
            final FetchResponseData.PartitionData partition = only(client.fetch(12,
                RawKafkaClient.fetchRequest(topic, null, 0, 5, 1 << 20, 0, 1)));
            assertThat(partition.errorCode()).isEqualTo(DataErrors.NONE);
            assertThat(partition.highWatermark()).isEqualTo(12);
            assertThat(partition.lastStableOffset()).isEqualTo(12);
            assertThat(partition.logStartOffset()).isZero();
            final List<RecordBatch> batches = batches(partition);
            assertThat(batches).hasSize(2);
            assertThat(batches.get(0).baseOffset()).isZero();
            assertThat(batches.get(0).lastOffset()).isEqualTo(9);
            assertThat(batches.get(1).baseOffset()).isEqualTo(10);
            batches.forEach(RecordBatch::ensureValid);
        }
    }

    @Test
    void offsetOutOfRangeCarriesTheHighWatermarkAndLogStart() throws Exception
    {
        final String topic = newTopic(Map.of());
        produce(topic, 0, Batches.plain(4));
        try (RawKafkaClient client = new RawKafkaClient(broker.address()))
        {
            final FetchResponseData.PartitionData partition = only(client.fetch(18,
                RawKafkaClient.fetchRequest(topic, broker.topics.topic(topic).id(), 0, 100, 1 << 20, 0, 1)));
            assertThat(partition.errorCode()).isEqualTo(DataErrors.OFFSET_OUT_OF_RANGE);
            assertThat(partition.highWatermark()).isEqualTo(4);
            assertThat(partition.logStartOffset()).isZero();
            assertThat(batches(partition)).isEmpty();
            // at the end is not out of range: nothing yet
            final FetchResponseData.PartitionData atEnd = only(client.fetch(18,
                RawKafkaClient.fetchRequest(topic, broker.topics.topic(topic).id(), 0, 4, 1 << 20, 0, 1)));
            assertThat(atEnd.errorCode()).isEqualTo(DataErrors.NONE);
            assertThat(batches(atEnd)).isEmpty();
        }
    }

    @Test
    void kip74ABatchLargerThanTheLimitsStillComesWhole() throws Exception
    {
        final String topic = newTopic(Map.of("max.message.bytes", "400000"));
        final byte[] big = new byte[200_000];
        big[123] = 7;
        produce(topic, 0, MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(Batches.TIMESTAMP, big)));
        produce(topic, 1, Batches.plain(3));
        final FetchRequestData.FetchTopic fetchTopic = new FetchRequestData.FetchTopic().setTopic(topic)
            .setPartitions(List.of(
                new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(0).setPartitionMaxBytes(1024),
                new FetchRequestData.FetchPartition().setPartition(1).setFetchOffset(0).setPartitionMaxBytes(1024)));
        final FetchRequestData request = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(1)
            .setMaxBytes(1024).setSessionEpoch(-1).setTopics(List.of(fetchTopic));
        try (RawKafkaClient client = new RawKafkaClient(broker.address()))
        {
            final FetchResponseData response = client.fetch(12, request);
            final List<FetchResponseData.PartitionData> partitions = response.responses().get(0).partitions();
            final List<RecordBatch> first = batches(partitions.get(0));
            assertThat(first).hasSize(1);
            assertThat(first.get(0).sizeInBytes()).isGreaterThan(200_000);
            assertThat(first.get(0).iterator().next().value().get(123)).isEqualTo((byte)7);
            // the response's max_bytes is spent: the next partition waits for the next fetch
            assertThat(batches(partitions.get(1))).isEmpty();
            assertThat(partitions.get(1).highWatermark()).isEqualTo(3);

            final FetchResponseData.PartitionData alone = only(client.fetch(12,
                RawKafkaClient.fetchRequest(topic, null, 1, 0, 1, 0, 1)));
            assertThat(batches(alone)).hasSize(1);
        }
    }

    @Test
    void everyVersionFromFourToEighteenReadsTheRecords() throws Exception
    {
        final String topic = newTopic(Map.of());
        final UUID id = broker.topics.topic(topic).id();
        produce(topic, 1, Batches.plain(3));
        try (RawKafkaClient client = new RawKafkaClient(broker.address()))
        {
            for (int version = 4; version <= 18; version++)
            {
                final FetchResponseData response = client.fetch(version,
                    RawKafkaClient.fetchRequest(topic, version >= 13 ? id : null, 1, 1, 1 << 20, 0, 1));
                final FetchResponseData.PartitionData partition = only(response);
                assertThat(partition.errorCode()).as("v" + version).isEqualTo(DataErrors.NONE);
                assertThat(partition.highWatermark()).as("v" + version).isEqualTo(3);
                assertThat(batches(partition)).as("v" + version).hasSize(1);
                if (version >= 7)
                {
                    assertThat(response.sessionId()).isZero();
                }
                if (version >= 11)
                {
                    assertThat(partition.preferredReadReplica()).isEqualTo(-1);
                }
                assertThat(partition.abortedTransactions()).isNull();
            }
        }
    }

    @Test
    void readCommittedSeesTheHighWatermarkAsLastStableOffsetAndNoAbortedTransactions() throws Exception
    {
        final String topic = newTopic(Map.of());
        produce(topic, 0, Batches.plain(2));
        try (RawKafkaClient client = new RawKafkaClient(broker.address()))
        {
            final FetchResponseData.PartitionData partition = only(client.fetch(12,
                RawKafkaClient.fetchRequest(topic, null, 0, 0, 1 << 20, 0, 1).setIsolationLevel((byte)1)));
            assertThat(partition.lastStableOffset()).isEqualTo(2);
            assertThat(partition.abortedTransactions()).isEmpty();
            assertThat(batches(partition)).hasSize(1);
        }
    }

    @Test
    void noIncrementalSessionsExist() throws Exception
    {
        final String topic = newTopic(Map.of());
        produce(topic, 0, Batches.plain(1));
        try (RawKafkaClient client = new RawKafkaClient(broker.address()))
        {
            final FetchResponseData created = client.fetch(12,
                RawKafkaClient.fetchRequest(topic, null, 0, 0, 1 << 20, 0, 1).setSessionId(0).setSessionEpoch(0));
            assertThat(created.sessionId()).isZero();
            assertThat(batches(only(created))).hasSize(1);

            final FetchResponseData incremental = client.fetch(12,
                RawKafkaClient.fetchRequest(topic, null, 0, 0, 1 << 20, 0, 1).setSessionId(77).setSessionEpoch(3));
            assertThat(incremental.errorCode()).isEqualTo(DataErrors.FETCH_SESSION_ID_NOT_FOUND);
            assertThat(incremental.sessionId()).isZero();
            assertThat(incremental.responses()).isEmpty();

            final FetchResponseData closing = client.fetch(12,
                RawKafkaClient.fetchRequest(topic, null, 0, 0, 1 << 20, 0, 1).setSessionId(77).setSessionEpoch(-1));
            assertThat(batches(only(closing))).hasSize(1);
        }
    }

    @Test
    void unknownTopicsAndIdsAnswerAtOnce() throws Exception
    {
        try (RawKafkaClient client = new RawKafkaClient(broker.address()))
        {
            final long start = System.nanoTime();
            final FetchResponseData.PartitionData byName = only(client.fetch(12,
                RawKafkaClient.fetchRequest("no-such-topic", null, 0, 0, 1 << 20, LONG_WAIT_MS, 1)));
            assertThat(byName.errorCode()).isEqualTo(DataErrors.UNKNOWN_TOPIC_OR_PARTITION);
            assertThat(byName.highWatermark()).isEqualTo(-1);
            final FetchResponseData byId = client.fetch(13,
                RawKafkaClient.fetchRequest("", UUID.randomUUID(), 0, 0, 1 << 20, LONG_WAIT_MS, 1));
            assertThat(only(byId).errorCode()).isEqualTo(DataErrors.UNKNOWN_TOPIC_ID);
            assertThat(System.nanoTime() - start).isLessThan(TimeUnit.MILLISECONDS.toNanos(LONG_WAIT_MS));
        }
    }

    @Test
    void aParkedFetchAnswersWhenItsWaitEndsWithoutData() throws Exception
    {
        final String topic = newTopic(Map.of());
        try (RawKafkaClient client = new RawKafkaClient(broker.address()))
        {
            final long start = System.nanoTime();
            final FetchResponseData.PartitionData partition = only(client.fetch(12,
                RawKafkaClient.fetchRequest(topic, null, 0, 0, 1 << 20, 300, 1)));
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(250));
            assertThat(partition.errorCode()).isEqualTo(DataErrors.NONE);
            assertThat(batches(partition)).isEmpty();
        }
    }

    @Test
    void anAppendCompletesAParkedFetchLongBeforeItsMaxWait() throws Exception
    {
        final String topic = newTopic(Map.of());
        final DataPathHandlers handlers = broker.handlers.get(0);
        try (RawKafkaClient consumer = new RawKafkaClient(broker.address()))
        {
            final int correlationId = consumer.send(ApiKeys.FETCH, 12,
                RawKafkaClient.fetchRequest(topic, null, 0, 0, 1 << 20, LONG_WAIT_MS, 1));
            final long sent = System.nanoTime();
            Clients.await(() -> handlers.parkedFetchCount() == 1, "the fetch to park");
            produce(topic, 0, Batches.plain(2));
            final FetchResponseData response = new FetchResponseData(new ByteBufferAccessor(
                consumer.receive(ApiKeys.responseHeaderVersion(ApiKeys.FETCH, 12), correlationId)), (short)12);
            final long elapsed = System.nanoTime() - sent;
            assertThat(elapsed).isLessThan(TimeUnit.MILLISECONDS.toNanos(LONG_WAIT_MS));
            assertThat(batches(only(response))).hasSize(1);
            assertThat(handlers.parkedFetchCount()).isZero();
        }
    }

    @Test
    void aParkedFetchWaitsUntilMinBytesAccumulate() throws Exception
    {
        final String topic = newTopic(Map.of());
        final DataPathHandlers handlers = broker.handlers.get(0);
        final int batchBytes = Batches.plain(5).sizeInBytes();
        try (RawKafkaClient consumer = new RawKafkaClient(broker.address()))
        {
            final int correlationId = consumer.send(ApiKeys.FETCH, 12,
                RawKafkaClient.fetchRequest(topic, null, 0, 0, 1 << 20, LONG_WAIT_MS, batchBytes + 1));
            final long sent = System.nanoTime();
            Clients.await(() -> handlers.parkedFetchCount() == 1, "the fetch to park");
            produce(topic, 0, Batches.plain(5));
            // one batch is not enough: the fetch stays parked
            Clients.await(() -> broker.partition(topic, 0).log().highWatermark() == 5, "the first append");
            assertThat(handlers.parkedFetchCount()).isEqualTo(1);
            produce(topic, 0, Batches.plain(5));
            final FetchResponseData response = new FetchResponseData(new ByteBufferAccessor(
                consumer.receive(ApiKeys.responseHeaderVersion(ApiKeys.FETCH, 12), correlationId)), (short)12);
            assertThat(System.nanoTime() - sent).isLessThan(TimeUnit.MILLISECONDS.toNanos(LONG_WAIT_MS));
            assertThat(batches(only(response))).hasSize(2);
        }
    }

    @Test
    void aClosedConnectionForgetsItsParkedFetch() throws Exception
    {
        final String topic = newTopic(Map.of());
        final DataPathHandlers handlers = broker.handlers.get(0);
        try (RawKafkaClient consumer = new RawKafkaClient(broker.address()))
        {
            consumer.send(ApiKeys.FETCH, 12, RawKafkaClient.fetchRequest(topic, null, 0, 0, 1 << 20, LONG_WAIT_MS, 1));
            Clients.await(() -> handlers.parkedFetchCount() == 1, "the fetch to park");
        }
        Clients.await(() -> handlers.parkedFetchCount() == 0, "the parked fetch to go");
        produce(topic, 0, Batches.plain(1));
    }
}
