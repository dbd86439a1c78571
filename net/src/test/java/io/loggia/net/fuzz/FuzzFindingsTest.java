package io.loggia.net.fuzz;

import io.loggia.codec.wire.ApiKeys;
import io.loggia.net.broker.BrokerFixture;
import io.loggia.net.broker.WireClient;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.AlterConfigsResponse;
import org.apache.kafka.common.requests.IncrementalAlterConfigsResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Regression tests for what the protocol fuzzer found, each against a real broker: the request that did the
 * damage, its answer now, and a broker that is still whole (no error counted, another client served).
 */
class FuzzFindingsTest
{
    @TempDir
    static Path dir;

    private static BrokerFixture broker;
    private static WireClient client;

    @BeforeAll
    static void start() throws Exception
    {
        broker = BrokerFixture.start(dir, Map.of());
        client = new WireClient(broker.broker().localAddress());
        broker.admin().createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic("found", 1, (short)1)))
            .all().get(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception
    {
        client.close();
        broker.close();
    }

    /**
     * Found: a CreatePartitions whose count was mutated to a huge value made the controller allocate an array of
     * that size; the OutOfMemoryError killed the shared thread, and with it every network, writer, controller and
     * coordinator agent of the broker. Kafka refuses more than 10,000 new partitions per request.
     */
    @Test
    void aRequestForBillionsOfPartitionsIsRefusedAndTheBrokerLives() throws Exception
    {
        final CreatePartitionsRequestData grow = new CreatePartitionsRequestData().setTimeoutMs(1000);
        grow.topics().add(new CreatePartitionsRequestData.CreatePartitionsTopic().setName("found")
            .setCount(Integer.MAX_VALUE));
        final CreatePartitionsResponseData grown =
            client.call(ApiKeys.CREATE_PARTITIONS, 3, grow, CreatePartitionsResponseData::new);
        assertThat(grown.results().get(0).errorCode()).isEqualTo(Errors.POLICY_VIOLATION.code());

        final CreateTopicsResponseData created = client.call(ApiKeys.CREATE_TOPICS, 7,
            createTopics(false, topic("huge", Integer.MAX_VALUE)), CreateTopicsResponseData::new);
        assertThat(created.topics().find("huge").errorCode()).isEqualTo(Errors.POLICY_VIOLATION.code());
        assertThat(created.topics().find("huge").errorMessage())
            .isEqualTo("Excessively large number of partitions per request.");

        // the limit is on the request: two topics of 6,000 each are refused together, 10,000 in all pass
        final CreateTopicsResponseData twice = client.call(ApiKeys.CREATE_TOPICS, 7,
            createTopics(true, topic("a", 6000), topic("b", 6000)), CreateTopicsResponseData::new);
        assertThat(twice.topics()).extracting(CreateTopicsResponseData.CreatableTopicResult::errorCode)
            .containsOnly(Errors.POLICY_VIOLATION.code());
        final CreateTopicsResponseData limit = client.call(ApiKeys.CREATE_TOPICS, 7,
            createTopics(true, topic("a", 4000), topic("b", 6000)), CreateTopicsResponseData::new);
        assertThat(limit.topics()).extracting(CreateTopicsResponseData.CreatableTopicResult::errorCode)
            .containsOnly(Errors.NONE.code());

        assertThat(broker.broker().topics().topic("found").partitionCount()).isEqualTo(1);
        assertBrokerWhole();
    }

    /**
     * Found: a Produce batch whose records do not parse, under a correct CRC, was stored, and every Fetch of the
     * partition then served a batch consumers fail on ("Error checking for remaining bytes after reading
     * batch"). Kafka's validator walks the records and refuses such batches with INVALID_RECORD.
     */
    @Test
    void aBatchWhoseRecordsDoNotParseIsRefusedUnderAGoodCrc() throws Exception
    {
        final byte[] good = bytes(MemoryRecords.withRecords(Compression.NONE,
            new SimpleRecord(1L, "k".getBytes(StandardCharsets.UTF_8), "value".getBytes(StandardCharsets.UTF_8)),
            new SimpleRecord(2L, "k".getBytes(StandardCharsets.UTF_8), "value".getBytes(StandardCharsets.UTF_8))));

        // the first record's length varint says 2^30 bytes
        final byte[] badLength = good.clone();
        badLength[BatchMutator.RECORDS_OFFSET] = (byte)0xFE;
        final byte[] badLengthWide = new byte[good.length + 4];
        System.arraycopy(good, 0, badLengthWide, 0, BatchMutator.RECORDS_OFFSET);
        System.arraycopy(new byte[]{(byte)0x80, (byte)0x80, (byte)0x80, (byte)0x80, 0x08}, 0, badLengthWide,
            BatchMutator.RECORDS_OFFSET, 5);
        System.arraycopy(good, BatchMutator.RECORDS_OFFSET + 1, badLengthWide, BatchMutator.RECORDS_OFFSET + 5,
            good.length - BatchMutator.RECORDS_OFFSET - 1);
        // one record announced, two present: bytes after the last record
        final byte[] extraBytes = good.clone();
        BatchMutator.putValue(extraBytes, BatchMutator.RECORDS_COUNT_OFFSET, 4, 1);
        BatchMutator.putValue(extraBytes, 23, 4, 0);

        for (final byte[] batch : List.of(badLength, fixLengthAndCrc(badLengthWide), extraBytes))
        {
            final ProduceResponseData.PartitionProduceResponse answer = produce(fixLengthAndCrc(batch));
            assertThat(answer.errorCode()).isEqualTo(Errors.INVALID_RECORD.code());
            assertThat(answer.baseOffset()).isEqualTo(-1);
        }
        assertThat(broker.broker().engine().partition("found", 0).log().logEndOffset()).isZero();
        assertThat(produce(good).errorCode()).isEqualTo(Errors.NONE.code());
        assertBrokerWhole();
    }

    /**
     * Found by the live soak (3,364 "corrupt-compressed-served" verdicts): a compressed batch whose CRC is right
     * over compressed bytes that do not decompress, or whose records do not parse once inflated, was stored, and
     * every consumer of the partition then failed on it. Kafka inflates compressed batches to validate them and
     * refuses such ones; so does Loggia now, with INVALID_RECORD, for every codec.
     */
    @Test
    void aCompressedBatchThatDoesNotInflateIsRefusedUnderAGoodCrc() throws Exception
    {
        final long before = broker.broker().engine().partition("found", 0).log().logEndOffset();
        for (final Compression compression : List.of(Compression.gzip().build(), Compression.snappy().build(),
            Compression.lz4().build(), Compression.zstd().build()))
        {
            final byte[] good = bytes(MemoryRecords.withRecords(compression,
                new SimpleRecord(1L, "k".getBytes(StandardCharsets.UTF_8), "value-1".getBytes(StandardCharsets.UTF_8)),
                new SimpleRecord(2L, "k".getBytes(StandardCharsets.UTF_8), "value-2".getBytes(StandardCharsets.UTF_8))));
            // garble the compressed bytes in the middle, then cut the last bytes off: neither decompresses
            final byte[] garbled = good.clone();
            for (int i = BatchMutator.RECORDS_OFFSET + 2; i < garbled.length - 2; i += 3)
            {
                garbled[i] ^= (byte)0x5A;
            }
            final byte[] cut = java.util.Arrays.copyOf(good, good.length - 4);
            for (final byte[] batch : List.of(garbled, cut))
            {
                final ProduceResponseData.PartitionProduceResponse answer = produce(fixLengthAndCrc(batch));
                assertThat(answer.errorCode()).as(compression.type().name).isEqualTo(Errors.INVALID_RECORD.code());
            }
            assertThat(produce(good).errorCode()).as(compression.type().name).isEqualTo(Errors.NONE.code());
        }
        assertThat(broker.broker().engine().partition("found", 0).log().logEndOffset()).isEqualTo(before + 8);
        assertBrokerWhole();
    }

    /**
     * Found: AlterConfigs and IncrementalAlterConfigs naming one resource twice were answered with two entries for
     * it, which kafka-clients' responses cannot read (an IllegalStateException in {@code errors()}). Kafka answers
     * such a resource once, with INVALID_REQUEST, and changes nothing of it.
     */
    @Test
    void aResourceNamedTwiceIsAnsweredOnceAndLeftAlone() throws Exception
    {
        final AlterConfigsRequestData alter = new AlterConfigsRequestData();
        for (int i = 0; i < 3; i++)
        {
            final AlterConfigsRequestData.AlterConfigsResource resource =
                new AlterConfigsRequestData.AlterConfigsResource().setResourceType((byte)2).setResourceName("found");
            resource.configs().add(new AlterConfigsRequestData.AlterableConfig().setName("retention.ms")
                .setValue("1"));
            alter.resources().add(resource);
        }
        alter.resources().add(new AlterConfigsRequestData.AlterConfigsResource().setResourceType((byte)2)
            .setResourceName("no-such-topic"));
        final AlterConfigsResponseData altered =
            client.call(ApiKeys.ALTER_CONFIGS, 2, alter, AlterConfigsResponseData::new);
        final Map<ConfigResource, org.apache.kafka.common.requests.ApiError> errors =
            new AlterConfigsResponse(altered).errors();
        assertThat(errors).hasSize(2);
        assertThat(errors.get(new ConfigResource(ConfigResource.Type.TOPIC, "found")).error())
            .isEqualTo(Errors.INVALID_REQUEST);
        assertThat(errors.get(new ConfigResource(ConfigResource.Type.TOPIC, "no-such-topic")).error())
            .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);

        final IncrementalAlterConfigsRequestData incremental = new IncrementalAlterConfigsRequestData();
        for (int i = 0; i < 2; i++)
        {
            final IncrementalAlterConfigsRequestData.AlterConfigsResource resource =
                new IncrementalAlterConfigsRequestData.AlterConfigsResource().setResourceType((byte)2)
                    .setResourceName("found");
            resource.configs().add(new IncrementalAlterConfigsRequestData.AlterableConfig().setName("retention.ms")
                .setConfigOperation((byte)0).setValue("1"));
            incremental.resources().add(resource);
        }
        final IncrementalAlterConfigsResponseData answered = client.call(ApiKeys.INCREMENTAL_ALTER_CONFIGS, 1,
            incremental, IncrementalAlterConfigsResponseData::new);
        assertThat(IncrementalAlterConfigsResponse.fromResponseData(answered).values())
            .extracting(org.apache.kafka.common.requests.ApiError::error).containsExactly(Errors.INVALID_REQUEST);

        assertThat(broker.broker().topics().topic("found").overrides()).doesNotContainKey("retention.ms");
        assertBrokerWhole();
    }

    private static CreateTopicsRequestData createTopics(
        final boolean validateOnly, final CreateTopicsRequestData.CreatableTopic... topics)
    {
        final CreateTopicsRequestData request = new CreateTopicsRequestData().setTimeoutMs(1000)
            .setValidateOnly(validateOnly);
        for (final CreateTopicsRequestData.CreatableTopic topic : topics)
        {
            request.topics().add(topic);
        }
        return request;
    }

    private static CreateTopicsRequestData.CreatableTopic topic(final String name, final int partitions)
    {
        return new CreateTopicsRequestData.CreatableTopic().setName(name).setNumPartitions(partitions)
            .setReplicationFactor((short)1);
    }

    private static ProduceResponseData.PartitionProduceResponse produce(final byte[] batch) throws Exception
    {
        final ProduceRequestData request = new ProduceRequestData().setAcks((short)-1).setTimeoutMs(10_000);
        final ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData().setName("found");
        topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0)
            .setRecords(MemoryRecords.readableRecords(ByteBuffer.wrap(batch))));
        request.topicData().add(topic);
        final ProduceResponseData response = client.call(ApiKeys.PRODUCE, 9, request, ProduceResponseData::new);
        return response.responses().iterator().next().partitionResponses().get(0);
    }

    /** The batch with its length field and CRC made right for its bytes. */
    private static byte[] fixLengthAndCrc(final byte[] batch)
    {
        final byte[] fixed = batch.clone();
        BatchMutator.putValue(fixed, BatchMutator.LENGTH_OFFSET, 4, fixed.length - 12);
        final CRC32C crc = new CRC32C();
        crc.update(fixed, BatchMutator.ATTRIBUTES_OFFSET, fixed.length - BatchMutator.ATTRIBUTES_OFFSET);
        BatchMutator.putValue(fixed, BatchMutator.CRC_OFFSET, 4, crc.getValue());
        return fixed;
    }

    private static byte[] bytes(final MemoryRecords records)
    {
        final byte[] bytes = new byte[records.sizeInBytes()];
        records.buffer().duplicate().get(bytes);
        return bytes;
    }

    private static void assertBrokerWhole() throws Exception
    {
        assertThat(broker.broker().errorCount()).isZero();
        try (WireClient other = new WireClient(broker.broker().localAddress()))
        {
            final MetadataResponseData metadata = other.call(ApiKeys.METADATA, 12,
                new MetadataRequestData().setTopics(null), MetadataResponseData::new);
            assertThat(metadata.brokers()).hasSize(1);
        }
    }
}
