package io.loggia.net.broker.data;

import io.loggia.net.broker.BrokerFixture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real kafka-clients producers (acks 0, 1 and all; idempotence on and off; every compression codec) write keyed
 * records with headers; a consumer using assign() and seek() reads every one back, byte for byte, in the
 * partition the producer chose and in the order it was sent.
 */
class ClientRoundTripTest
{
    static final int PARTITIONS = 3;
    static final int RECORDS = 300;

    @TempDir
    static Path dir;
    static BrokerFixture broker;

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

    @ParameterizedTest(name = "acks={0} idempotence={1} compression={2}")
    @CsvSource({
        "all, true, none",
        "all, true, gzip",
        "all, true, snappy",
        "all, true, lz4",
        "all, true, zstd",
        "1, false, none",
        "1, false, zstd",
        "all, false, lz4",
        "0, false, none",
        "0, false, snappy",
    })
    void everyRecordComesBackByteForByteInThePartitionAndOrderTheClientChose(
        final String acks, final boolean idempotence, final String compression) throws Exception
    {
        final String topic = "round-trip-" + acks + "-" + idempotence + "-" + compression;
        FixtureTopics.create(broker, topic, PARTITIONS, Map.of());

        final List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();
        final List<Future<RecordMetadata>> acknowledged = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrapServers(), Map.of(
            ProducerConfig.ACKS_CONFIG, acks,
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, idempotence,
            ProducerConfig.COMPRESSION_TYPE_CONFIG, compression,
            ProducerConfig.BATCH_SIZE_CONFIG, 4096)))
        {
            for (int i = 0; i < RECORDS; i++)
            {
                final byte[] key = ("key-" + (i % 17)).getBytes(StandardCharsets.UTF_8);
                final byte[] value = value(i);
                final List<Header> headers = List.of(
                    new RecordHeader("index", Integer.toString(i).getBytes(StandardCharsets.UTF_8)),
                    new RecordHeader("empty", new byte[0]));
                final ProducerRecord<byte[], byte[]> record =
                    new ProducerRecord<>(topic, null, 1_700_000_000_000L + i, key, value, headers);
                sent.add(record);
                acknowledged.add(producer.send(record));
            }
            producer.flush();
        }
        final Map<Integer, List<Integer>> sentByPartition = new HashMap<>();
        for (int i = 0; i < RECORDS; i++)
        {
            final RecordMetadata metadata = acknowledged.get(i).get();
            sentByPartition.computeIfAbsent(metadata.partition(), p -> new ArrayList<>()).add(i);
            if (!"0".equals(acks))
            {
                assertThat(metadata.offset()).isGreaterThanOrEqualTo(0);
            }
        }

        try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(broker.bootstrapServers(), Map.of()))
        {
            Clients.assignFrom(consumer, topic, PARTITIONS, 0);
            final List<ConsumerRecord<byte[], byte[]>> received = Clients.pollRecords(consumer, RECORDS);
            assertThat(received).hasSize(RECORDS);
            final Map<Integer, List<ConsumerRecord<byte[], byte[]>>> byPartition = Clients.byPartition(received);
            assertThat(byPartition.keySet()).isEqualTo(sentByPartition.keySet());
            for (final Map.Entry<Integer, List<Integer>> entry : sentByPartition.entrySet())
            {
                final List<ConsumerRecord<byte[], byte[]>> records = byPartition.get(entry.getKey());
                final List<Integer> indexes = entry.getValue();
                assertThat(records).hasSameSizeAs(indexes);
                for (int j = 0; j < indexes.size(); j++)
                {
                    final ProducerRecord<byte[], byte[]> expected = sent.get(indexes.get(j));
                    final ConsumerRecord<byte[], byte[]> actual = records.get(j);
                    assertThat(actual.offset()).isEqualTo(j);
                    assertThat(actual.key()).isEqualTo(expected.key());
                    assertThat(actual.value()).isEqualTo(expected.value());
                    assertThat(actual.timestamp()).isEqualTo(expected.timestamp());
                    final Header[] headers = actual.headers().toArray();
                    assertThat(headers).hasSize(2);
                    assertThat(headers[0].key()).isEqualTo("index");
                    assertThat(headers[0].value()).isEqualTo(expected.headers().lastHeader("index").value());
                    assertThat(headers[1].key()).isEqualTo("empty");
                    assertThat(headers[1].value()).isEmpty();
                }
            }
        }
    }

    static byte[] value(final int i)
    {
        final byte[] value = new byte[50 + (i * 37) % 400];
        for (int j = 0; j < value.length; j++)
        {
            value[j] = (byte)(i * 31 + j * 7);
        }
        return value;
    }
}
