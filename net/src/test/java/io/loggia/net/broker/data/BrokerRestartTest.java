package io.loggia.net.broker.data;

import io.loggia.net.broker.BrokerProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of a real broker process under load from an idempotent producer, then a restart on the same log dir
 * and port: every acknowledged record is intact, the producer carries on without being told, and no record is
 * stored twice (the producer's retries of batches in flight at the kill are recognised as duplicates, or were
 * never stored).
 */
class BrokerRestartTest
{
    static final String TOPIC = "restart";
    static final int PARTITIONS = 2;
    static final int BEFORE_KILL = 3_000;
    static final int TOTAL = 6_000;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedRecordSurvivesAKillAndIdempotenceHoldsAcrossTheRestart() throws Exception
    {
        final int port;
        try (ServerSocket probe = new ServerSocket(0))
        {
            port = probe.getLocalPort();
        }
        final Map<String, String> overrides = Map.of("listeners", "PLAINTEXT://127.0.0.1:" + port);
        final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        final AtomicReference<Exception> failure = new AtomicReference<>();

        BrokerProcess broker = BrokerProcess.start(dir, overrides);
        try
        {
            final Properties adminProperties = new Properties();
            adminProperties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            try (Admin admin = Admin.create(adminProperties))
            {
                admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short)1))).all().get();
            }
            try (KafkaProducer<byte[], byte[]> producer = Clients.producer(broker.bootstrapServers(), Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200,
                ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 200,
                ProducerConfig.BATCH_SIZE_CONFIG, 2048)))
            {
                for (int i = 0; i < TOTAL; i++)
                {
                    if (BEFORE_KILL == i)
                    {
                        // the kill lands while batches are in flight and more wait in the accumulator
                        Clients.await(() -> acknowledged.size() >= BEFORE_KILL / 2, "acks before the kill");
                        broker.kill();
                        broker = BrokerProcess.start(dir, overrides);
                    }
                    final String value = "record-" + i;
                    final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
                    producer.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, null, bytes), (metadata, exception) ->
                        {
                        if (null == exception)
                        {
                            acknowledged.add(value);
                        }
                        else
                        {
                            failure.compareAndSet(null, exception);
                        }
                    });
                }
                producer.flush();
            }
            assertThat(failure.get()).isNull();
            assertThat(acknowledged).hasSize(TOTAL);

            final Map<String, Integer> stored = new HashMap<>();
            try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(broker.bootstrapServers(), Map.of()))
            {
                Clients.assignFrom(consumer, TOPIC, PARTITIONS, 0);
                final List<ConsumerRecord<byte[], byte[]>> records = Clients.pollRecords(consumer, TOTAL);
                final Map<Integer, Integer> lastIndex = new HashMap<>();
                for (final ConsumerRecord<byte[], byte[]> record : records)
                {
                    final String value = new String(record.value(), StandardCharsets.UTF_8);
                    stored.merge(value, 1, Integer::sum);
                    final int index = Integer.parseInt(value.substring("record-".length()));
                    assertThat(index % PARTITIONS).isEqualTo(record.partition());
                    assertThat(index).as("order in partition %d", record.partition())
                        .isGreaterThan(lastIndex.getOrDefault(record.partition(), -1));
                    lastIndex.put(record.partition(), index);
                }
                assertThat(records).hasSize(TOTAL);
                long end = 0;
                for (final long offset : consumer.endOffsets(consumer.assignment()).values())
                {
                    end += offset;
                }
                assertThat(end).as("records stored").isEqualTo(TOTAL);
            }
            assertThat(stored.keySet()).isEqualTo(acknowledged);
            assertThat(stored.values()).allMatch(count -> count == 1);
        }
        finally
        {
            broker.close();
        }
    }
}
