package io.loggia.net.broker.data;

import io.loggia.codec.record.RecordBatch;
import io.loggia.codec.wire.ApiKeys;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Produce requests written by hand on a raw socket: every validation rule with Kafka's error code, nothing
 * stored for a refused batch, other partitions and connections unaffected, and a retried duplicate captured
 * from a real idempotent producer answered with its original offset.
 */
class RawProduceTest
{
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
        final String topic = "raw-produce-" + TOPICS.incrementAndGet();
        broker.createTopic(topic, 2, configs);
        return topic;
    }

    static long logEnd(final String topic, final int partition)
    {
        return broker.partition(topic, partition).log().logEndOffset();
    }

    static ProduceResponseData.PartitionProduceResponse only(final ProduceResponseData response)
    {
        assertThat(response.responses()).hasSize(1);
        final ProduceResponseData.TopicProduceResponse topic = response.responses().iterator().next();
        assertThat(topic.partitionResponses()).hasSize(1);
        return topic.partitionResponses().get(0);
    }

    /** Produces to partition 0 of the topic; a refused batch must leave the log empty. */
    static short produceError(final String topic, final MemoryRecords records) throws Exception
    {
        try (RawKafkaClient client = new RawKafkaClient(broker.address()))
        {
            final short error = only(client.produce(9,
                RawKafkaClient.produceRequest((short)1, topic, null, 0, records))).errorCode();
            if (DataErrors.NONE != error)
            {
                assertThat(logEnd(topic, 0)).isZero();
            }
            return error;
        }
    }

    @Test
    void corruptCrcIsRefusedWithCorruptMessageAndTheConnectionCarriesOn() throws Exception
    {
        final String topic = newTopic(Map.of());
        try (RawKafkaClient client = new RawKafkaClient(broker.address());
            RawKafkaClient other = new RawKafkaClient(broker.address()))
        {
            final ProduceResponseData.PartitionProduceResponse refused = only(client.produce(9,
                RawKafkaClient.produceRequest((short)-1, topic, null, 0, Batches.corruptCrc(Batches.plain(3)))));
            assertThat(refused.errorCode()).isEqualTo(DataErrors.CORRUPT_MESSAGE);
            assertThat(refused.baseOffset()).isEqualTo(-1);
            assertThat(logEnd(topic, 0)).isZero();

            final ProduceResponseData.PartitionProduceResponse accepted = only(client.produce(9,
                RawKafkaClient.produceRequest((short)-1, topic, null, 0, Batches.plain(3))));
            assertThat(accepted.errorCode()).isEqualTo(DataErrors.NONE);
            assertThat(accepted.baseOffset()).isZero();
            assertThat(accepted.logStartOffset()).isZero();
            final ProduceResponseData.PartitionProduceResponse fromOther = only(other.produce(9,
                RawKafkaClient.produceRequest((short)1, topic, null, 0, Batches.plain(2))));
            assertThat(fromOther.baseOffset()).isEqualTo(3);
            assertThat(logEnd(topic, 0)).isEqualTo(5);
        }
    }

    @Test
    void kafkasBatchRulesAnswerKafkasErrorsAndStoreNothing() throws Exception
    {
        final MemoryRecords plain = Batches.plain(2);
        assertThat(produceError(newTopic(Map.of()), Batches.concat(plain, Batches.plain(1))))
            .as("two batches").isEqualTo(DataErrors.INVALID_RECORD);
        assertThat(produceError(newTopic(Map.of()), MemoryRecords.withRecords(
            (byte)1, Compression.NONE, new SimpleRecord(Batches.TIMESTAMP, Batches.bytes("k"), Batches.bytes("v")))))
            .as("magic 1").isEqualTo(DataErrors.INVALID_RECORD);
        assertThat(produceError(newTopic(Map.of()), MemoryRecords.withRecords(7L, Compression.NONE,
            new SimpleRecord(Batches.TIMESTAMP, Batches.bytes("k"), Batches.bytes("v")))))
            .as("base offset 7").isEqualTo(DataErrors.INVALID_RECORD);
        assertThat(produceError(newTopic(Map.of()), Batches.withInt(plain, RecordBatch.RECORD_COUNT_OFFSET, 5)))
            .as("record count").isEqualTo(DataErrors.INVALID_RECORD);
        assertThat(produceError(newTopic(Map.of()),
            Batches.withAttributes(plain, RecordBatch.CONTROL_FLAG_MASK)))
            .as("control batch").isEqualTo(DataErrors.INVALID_RECORD);
        assertThat(produceError(newTopic(Map.of()), MemoryRecords.withEndTransactionMarker(
            Batches.TIMESTAMP, 5L, (short)0, new EndTransactionMarker(ControlRecordType.COMMIT, 0))))
            .as("end transaction marker").isEqualTo(DataErrors.INVALID_RECORD);
        assertThat(produceError(newTopic(Map.of()), Batches.withInt(MemoryRecords.withIdempotentRecords(
            Compression.NONE, 42L, (short)0, 0, new SimpleRecord(Batches.TIMESTAMP, Batches.bytes("v"))),
            RecordBatch.BASE_SEQUENCE_OFFSET, -1)))
            .as("producer id with negative sequence").isEqualTo(DataErrors.INVALID_RECORD);
        assertThat(produceError(newTopic(Map.of()), MemoryRecords.withTransactionalRecords(
            Compression.NONE, 43L, (short)0, 0, new SimpleRecord(Batches.TIMESTAMP, Batches.bytes("v")))))
            .as("transactional").isEqualTo(DataErrors.UNSUPPORTED_FOR_MESSAGE_FORMAT);
        assertThat(produceError(newTopic(Map.of("max.message.bytes", "200")), MemoryRecords.withRecords(
            Compression.NONE, new SimpleRecord(Batches.TIMESTAMP, new byte[300]))))
            .as("over max.message.bytes").isEqualTo(DataErrors.MESSAGE_TOO_LARGE);
        assertThat(produceError(newTopic(Map.of("cleanup.policy", "compact")), MemoryRecords.withRecords(
            Compression.NONE, new SimpleRecord(Batches.TIMESTAMP, null, Batches.bytes("v")))))
            .as("compacted topic, no key").isEqualTo(DataErrors.INVALID_RECORD);
        assertThat(produceError(newTopic(Map.of("cleanup.policy", "compact")), plain))
            .as("compacted topic, keys").isEqualTo(DataErrors.NONE);
        final byte[] truncated = Batches.toBytes(plain);
        assertThat(produceError(newTopic(Map.of()),
            Batches.ofBytes(java.util.Arrays.copyOf(truncated, truncated.length - 1))))
            .as("truncated").isEqualTo(DataErrors.INVALID_RECORD);
        assertThat(produceError(newTopic(Map.of()), Batches.withInt(plain, RecordBatch.LENGTH_OFFSET, 10)))
            .as("length below any batch").isEqualTo(DataErrors.CORRUPT_MESSAGE);
    }

    @Test
    void refusedBatchesLeaveTheLogAlone() throws Exception
    {
        final String topic = newTopic(Map.of());
        assertThat(produceError(topic, Batches.concat(Batches.plain(1), Batches.plain(1))))
            .isEqualTo(DataErrors.INVALID_RECORD);
        assertThat(produceError(topic, Batches.withAttributes(Batches.plain(1), RecordBatch.CONTROL_FLAG_MASK)))
            .isEqualTo(DataErrors.INVALID_RECORD);
        assertThat(produceError(topic, Batches.corruptCrc(Batches.plain(1)))).isEqualTo(DataErrors.CORRUPT_MESSAGE);
        assertThat(logEnd(topic, 0)).isZero();
        assertThat(produceError(topic, Batches.plain(1))).isEqualTo(DataErrors.NONE);
        assertThat(logEnd(topic, 0)).isEqualTo(1);
    }

    @Test
    void eachPartitionOfARequestGetsItsOwnOutcome() throws Exception
    {
        final String topic = newTopic(Map.of());
        final ProduceRequestData.TopicProduceData data = new ProduceRequestData.TopicProduceData()
            .setName(topic)
            .setPartitionData(List.of(
                new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(Batches.plain(4)),
                new ProduceRequestData.PartitionProduceData().setIndex(1)
                    .setRecords(Batches.corruptCrc(Batches.plain(1))),
                new ProduceRequestData.PartitionProduceData().setIndex(7).setRecords(Batches.plain(1))));
        final ProduceRequestData.TopicProduceData unknown = new ProduceRequestData.TopicProduceData()
            .setName("no-such-topic")
            .setPartitionData(List.of(
                new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(Batches.plain(1))));
        final ProduceRequestData.TopicProduceDataCollection topics =
            new ProduceRequestData.TopicProduceDataCollection();
        topics.add(data);
        topics.add(unknown);
        try (RawKafkaClient client = new RawKafkaClient(broker.address()))
        {
            final ProduceResponseData response = client.produce(8,
                new ProduceRequestData().setAcks((short)1).setTimeoutMs(1000).setTopicData(topics));
            final List<ProduceResponseData.TopicProduceResponse> responses = List.copyOf(response.responses());
            assertThat(responses).hasSize(2);
            assertThat(responses.get(0).name()).isEqualTo(topic);
            final List<ProduceResponseData.PartitionProduceResponse> partitions = responses.get(0).partitionResponses();
            assertThat(partitions).extracting(ProduceResponseData.PartitionProduceResponse::index)
                .containsExactly(0, 1, 7);
            assertThat(partitions).extracting(ProduceResponseData.PartitionProduceResponse::errorCode)
                .containsExactly(DataErrors.NONE, DataErrors.CORRUPT_MESSAGE, DataErrors.UNKNOWN_TOPIC_OR_PARTITION);
            assertThat(partitions.get(0).baseOffset()).isZero();
            assertThat(responses.get(1).name()).isEqualTo("no-such-topic");
            assertThat(responses.get(1).partitionResponses().get(0).errorCode())
                .isEqualTo(DataErrors.UNKNOWN_TOPIC_OR_PARTITION);
        }
        assertThat(logEnd(topic, 0)).isEqualTo(4);
        assertThat(logEnd(topic, 1)).isZero();
    }

    @Test
    void invalidRequiredAcksRefusesEveryPartition() throws Exception
    {
        final String topic = newTopic(Map.of());
        try (RawKafkaClient client = new RawKafkaClient(broker.address()))
        {
            final ProduceResponseData.PartitionProduceResponse partition = only(client.produce(9,
                RawKafkaClient.produceRequest((short)2, topic, null, 0, Batches.plain(1))));
            assertThat(partition.errorCode()).isEqualTo(DataErrors.INVALID_REQUIRED_ACKS);
        }
        assertThat(logEnd(topic, 0)).isZero();
    }

    @Test
    void topicIdsFromV13AndUnknownIds() throws Exception
    {
        final String topic = newTopic(Map.of());
        final UUID id = broker.topics.topic(topic).id();
        try (RawKafkaClient client = new RawKafkaClient(broker.address()))
        {
            final ProduceResponseData.PartitionProduceResponse ok = only(client.produce(13,
                RawKafkaClient.produceRequest((short)1, "", id, 1, Batches.plain(2))));
            assertThat(ok.errorCode()).isEqualTo(DataErrors.NONE);
            assertThat(ok.index()).isEqualTo(1);
            final ProduceResponseData.PartitionProduceResponse unknownId = only(client.produce(13,
                RawKafkaClient.produceRequest((short)1, "", UUID.randomUUID(), 0, Batches.plain(1))));
            assertThat(unknownId.errorCode()).isEqualTo(DataErrors.UNKNOWN_TOPIC_ID);
            final ProduceResponseData.PartitionProduceResponse unknownPartition = only(client.produce(13,
                RawKafkaClient.produceRequest((short)1, "", id, 9, Batches.plain(1))));
            assertThat(unknownPartition.errorCode()).isEqualTo(DataErrors.UNKNOWN_TOPIC_OR_PARTITION);
        }
        assertThat(logEnd(topic, 1)).isEqualTo(2);
    }

    @Test
    void everyVersionFromThreeToThirteenRoundTrips() throws Exception
    {
        final String topic = newTopic(Map.of());
        final UUID id = broker.topics.topic(topic).id();
        try (RawKafkaClient client = new RawKafkaClient(broker.address()))
        {
            long expected = 0;
            for (int version = 3; version <= 13; version++)
            {
                final ProduceResponseData.PartitionProduceResponse partition = only(client.produce(version,
                    RawKafkaClient.produceRequest((short)-1, topic, version >= 13 ? id : null, 0, Batches.plain(3))));
                assertThat(partition.errorCode()).as("v" + version).isEqualTo(DataErrors.NONE);
                assertThat(partition.baseOffset()).as("v" + version).isEqualTo(expected);
                assertThat(partition.logAppendTimeMs()).isEqualTo(-1);
                expected += 3;
            }
        }
        assertThat(logEnd(topic, 0)).isEqualTo(33);
    }

    @Test
    void acksZeroRefusalsAreSilentAndTheConnectionCarriesOn() throws Exception
    {
        final String topic = newTopic(Map.of());
        try (RawKafkaClient client = new RawKafkaClient(broker.address()))
        {
            client.send(ApiKeys.PRODUCE, 9,
                RawKafkaClient.produceRequest((short)0, topic, null, 0, Batches.corruptCrc(Batches.plain(1))));
            client.send(ApiKeys.PRODUCE, 9, RawKafkaClient.produceRequest((short)0, topic, null, 0, Batches.plain(2)));
            final ProduceResponseData.PartitionProduceResponse answered = only(client.produce(9,
                RawKafkaClient.produceRequest((short)1, topic, null, 0, Batches.plain(1))));
            assertThat(answered.errorCode()).isEqualTo(DataErrors.NONE);
            assertThat(answered.baseOffset()).isEqualTo(2);
        }
    }

    @Test
    void malformedBodyClosesThatConnectionOnly() throws Exception
    {
        final String topic = newTopic(Map.of());
        try (RawKafkaClient bad = new RawKafkaClient(broker.address());
            RawKafkaClient good = new RawKafkaClient(broker.address()))
        {
            // a header, then a body cut short after acks
            final ByteBuffer frame = ByteBuffer.allocate(4 + 10 + 2 + 2);
            frame.putInt(14).putShort((short)ApiKeys.PRODUCE).putShort((short)7).putInt(99).putShort((short)0)
                .putShort((short)-1).putShort((short)1);
            bad.sendFrame(frame.array());
            assertThat(bad.isClosedByBroker()).isTrue();
            assertThat(only(good.produce(9, RawKafkaClient.produceRequest((short)1, topic, null, 0,
                Batches.plain(1)))).errorCode()).isEqualTo(DataErrors.NONE);
        }
    }

    @Test
    void aRetriedDuplicateGetsItsOriginalOffsetAndIsNotStoredTwice() throws Exception
    {
        final String topic = newTopic(Map.of());
        broker.tappedProduceFrames.clear();
        broker.produceTap = frame -> true;
        final RecordMetadata first;
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrap(), Map.of(
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)))
        {
            producer.send(new ProducerRecord<>(topic, 0, Batches.bytes("k0"), Batches.bytes("v0"))).get();
            first = producer.send(new ProducerRecord<>(topic, 0, Batches.bytes("k1"), Batches.bytes("v1"))).get();
            producer.send(new ProducerRecord<>(topic, 0, Batches.bytes("k2"), Batches.bytes("v2"))).get();
        }
        finally
        {
            broker.produceTap = null;
        }
        assertThat(first.offset()).isEqualTo(1);
        assertThat(broker.tappedProduceFrames).hasSize(3);
        assertThat(logEnd(topic, 0)).isEqualTo(3);

        final byte[] frame = broker.tappedProduceFrames.get(1);
        final ByteBuffer view = ByteBuffer.wrap(frame);
        final short version = view.getShort(6);
        final int correlationId = view.getInt(8);
        try (RawKafkaClient client = new RawKafkaClient(broker.address()))
        {
            for (int retry = 0; retry < 2; retry++)
            {
                client.sendFrame(frame);
                final ProduceResponseData response = new ProduceResponseData(
                    new org.apache.kafka.common.protocol.ByteBufferAccessor(client.receive(
                        ApiKeys.responseHeaderVersion(ApiKeys.PRODUCE, version), correlationId)), version);
                final ProduceResponseData.PartitionProduceResponse partition = only(response);
                assertThat(partition.errorCode()).isEqualTo(DataErrors.NONE);
                assertThat(partition.baseOffset()).isEqualTo(1);
            }
        }
        assertThat(logEnd(topic, 0)).isEqualTo(3);
    }
}
