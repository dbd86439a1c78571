package io.loggia.net.broker.data;

import io.loggia.codec.wire.ApiKeys;
import io.loggia.engine.partition.Partition;
import io.loggia.net.broker.BrokerFixture;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A real consumer against the data path: a long poll completed by an append, a record larger than every fetch
 * limit (KIP-74), a seek into the middle of a batch, read_committed, and an out-of-range position.
 */
class ConsumerFetchTest
{
    static final int MAX_WAIT_MS = 10_000;

    @TempDir
    static Path dir;
    static BrokerFixture broker;
    static final AtomicInteger TOPICS = new AtomicInteger();

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

    static String newTopic(final Map<String, String> configs) throws Exception
    {
        final String topic = "consumer-fetch-" + TOPICS.incrementAndGet();
        FixtureTopics.create(broker, topic, 1, configs);
        return topic;
    }

    @Test
    void aWaitingFetchReturnsAnAppendedRecordLongBeforeMaxWait() throws Exception
    {
        final String topic = newTopic(Map.of());
        final Partition partition = FixtureTopics.partition(broker, topic, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(broker.bootstrapServers(), Map.of(
            ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, MAX_WAIT_MS,
            ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1));
            KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrapServers(), Map.of(
                ProducerConfig.ACKS_CONFIG, "1", ProducerConfig.LINGER_MS_CONFIG, 0)))
        {
            producer.partitionsFor(topic);
            Clients.assignFrom(consumer, topic, 1, 0);
            final CompletableFuture<Long> received = CompletableFuture.supplyAsync(() ->
            {
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (System.nanoTime() - deadline < 0)
                {
                    final ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofSeconds(30));
                    if (!records.isEmpty())
                    {
                        return System.nanoTime();
                    }
                }
                return -1L;
            });
            // a parked fetch registers as a waiter on the partition
            Clients.await(() -> 0 != partition.fetchWaiters(), "the consumer's fetch to park");
            final long appended = System.nanoTime();
            producer.send(new ProducerRecord<>(topic, Batches.bytes("k"), Batches.bytes("v"))).get();
            final long arrived = received.get(30, TimeUnit.SECONDS);
            assertThat(arrived).isPositive();
            // the fetch would have answered empty at MAX_WAIT_MS; the append answered it
            assertThat(arrived - appended).isLessThan(TimeUnit.MILLISECONDS.toNanos(MAX_WAIT_MS));
            // the consumer has its next fetch parked; closing would wait for it
            consumer.close(CloseOptions.timeout(Duration.ZERO));
        }
    }

    @Test
    void aRecordLargerThanEveryFetchLimitStillArrives() throws Exception
    {
        final String topic = newTopic(Map.of("max.message.bytes", "600000"));
        final byte[] big = new byte[300_000];
        for (int i = 0; i < big.length; i++)
        {
            big[i] = (byte)(i * 13);
        }
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrapServers(), Map.of(
            ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1_000_000)))
        {
            producer.send(new ProducerRecord<>(topic, Batches.bytes("big"), big)).get();
            producer.send(new ProducerRecord<>(topic, Batches.bytes("small"), Batches.bytes("after"))).get();
        }
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(broker.bootstrapServers(), Map.of(
            ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1024,
            ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 1024)))
        {
            Clients.assignFrom(consumer, topic, 1, 0);
            final List<ConsumerRecord<byte[], byte[]>> records = Clients.pollRecords(consumer, 2);
            assertThat(records.get(0).value()).isEqualTo(big);
            assertThat(records.get(1).value()).isEqualTo(Batches.bytes("after"));
        }
    }

    @Test
    void aSeekIntoABatchStartsAtTheRecordAsked() throws Exception
    {
        final String topic = newTopic(Map.of());
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrapServers(), Map.of(
            ProducerConfig.LINGER_MS_CONFIG, 1000, ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20)))
        {
            for (int i = 0; i < 10; i++)
            {
                producer.send(new ProducerRecord<>(topic, 0, Batches.bytes("k" + i), Batches.bytes("v" + i)));
            }
            producer.flush();
        }
        assertThat(FixtureTopics.partition(broker, topic, 0).log().logEndOffset()).isEqualTo(10);
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(broker.bootstrapServers(), Map.of(
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")))
        {
            Clients.assignFrom(consumer, topic, 1, 6);
            final List<ConsumerRecord<byte[], byte[]>> records = Clients.pollRecords(consumer, 4);
            assertThat(records).extracting(ConsumerRecord::offset).containsExactly(6L, 7L, 8L, 9L);
            assertThat(records.get(0).value()).isEqualTo(Batches.bytes("v6"));
        }
    }

    @Test
    void anOutOfRangePositionIsReportedOrResetByPolicy() throws Exception
    {
        final String topic = newTopic(Map.of());
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrapServers(), Map.of()))
        {
            producer.send(new ProducerRecord<>(topic, Batches.bytes("k"), Batches.bytes("v"))).get();
        }
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(broker.bootstrapServers(), Map.of()))
        {
            Clients.assignFrom(consumer, topic, 1, 50);
            assertThatThrownBy(() -> Clients.pollRecords(consumer, 1)).isInstanceOf(OffsetOutOfRangeException.class);
        }
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(broker.bootstrapServers(), Map.of(
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")))
        {
            Clients.assignFrom(consumer, topic, 1, 50);
            final List<ConsumerRecord<byte[], byte[]>> records = Clients.pollRecords(consumer, 1);
            assertThat(records.get(0).offset()).isZero();
            assertThat(consumer.position(new TopicPartition(topic, 0))).isEqualTo(1);
        }
    }

    @Test
    void aFetchParkedOnADeletedTopicAnswersAtOnce() throws Exception
    {
        final String topic = newTopic(Map.of());
        final Partition partition = FixtureTopics.partition(broker, topic, 0);
        try (RawKafkaClient client = new RawKafkaClient(broker.broker().localAddress()))
        {
            final int correlationId = client.send(ApiKeys.FETCH, 12,
                RawKafkaClient.fetchRequest(topic, null, 0, 0, 1 << 20, MAX_WAIT_MS, 1));
            final long sent = System.nanoTime();
            Clients.await(() -> 0 != partition.fetchWaiters(), "the fetch to park");
            broker.admin().deleteTopics(List.of(topic)).all().get();
            final FetchResponseData response = new FetchResponseData(new ByteBufferAccessor(
                client.receive(ApiKeys.responseHeaderVersion(ApiKeys.FETCH, 12), correlationId)), (short)12);
            assertThat(System.nanoTime() - sent).isLessThan(TimeUnit.MILLISECONDS.toNanos(MAX_WAIT_MS));
            assertThat(response.responses().get(0).partitions().get(0).errorCode())
                .isEqualTo(DataErrors.UNKNOWN_TOPIC_OR_PARTITION);
        }
    }
}
