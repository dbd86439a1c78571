package io.loggia.net.broker;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole broker with real clients in each threading mode: an idempotent producer (InitProducerId, Metadata,
 * Produce), a consumer in a group (FindCoordinator creating __consumer_offsets, JoinGroup, SyncGroup, Fetch,
 * OffsetCommit), then committed offsets surviving a restart.
 */
class ThreadingModesTest
{
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"shared, 1, 1", "shared, 2, 2", "dedicated, 3, 2"})
    void produceConsumeAndCommitAcrossARestart(final String mode, final int networkThreads, final int writers)
        throws Exception
    {
        try (BrokerFixture broker = BrokerFixture.start(dir, Map.of(
            "loggia.threading.mode", mode,
            "num.network.threads", Integer.toString(networkThreads),
            "num.writer.threads", Integer.toString(writers))))
        {
            broker.admin().createTopics(List.of(new NewTopic("events", 4, (short)1))).all().get(30, TimeUnit.SECONDS);
            final Properties producerProperties = broker.clientProperties();
            producerProperties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            producerProperties.put(ProducerConfig.LINGER_MS_CONFIG, "1");
            try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(producerProperties, new StringSerializer(), new StringSerializer()))
            {
                final List<Future<RecordMetadata>> sent = new ArrayList<>();
                for (int i = 0; i < 200; i++)
                {
                    sent.add(producer.send(new ProducerRecord<>("events", Integer.toString(i), "value-" + i)));
                }
                for (final Future<RecordMetadata> future : sent)
                {
                    future.get(30, TimeUnit.SECONDS);
                }
            }

            assertThat(consume(broker, 200)).hasSize(200);
            broker.restart();
            // committed: a consumer of the same group finds nothing left
            producerProperties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(producerProperties, new StringSerializer(), new StringSerializer()))
            {
                producer.send(new ProducerRecord<>("events", "late", "after-restart")).get(30, TimeUnit.SECONDS);
            }
            assertThat(consume(broker, 1)).containsExactly("after-restart");
            assertThat(broker.broker().errorCount()).isZero();
        }
    }

    private static Set<String> consume(final BrokerFixture broker, final int expected)
    {
        final Properties properties = broker.clientProperties();
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "readers");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        final Set<String> values = new HashSet<>();
        try (KafkaConsumer<String, String> consumer =
            new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer()))
        {
            consumer.subscribe(List.of("events"));
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (values.size() < expected && System.nanoTime() < deadline)
            {
                for (final ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200)))
                {
                    values.add(record.value());
                }
            }
            consumer.commitSync(Duration.ofSeconds(30));
        }
        return values;
    }
}
