package io.loggia.net.broker.groups;

import io.loggia.net.broker.BrokerFixture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Brokers, clients and waits for the consumer group tests: a broker whose group timeouts suit tests (sessions
 * down to 500 ms, no initial rebalance delay), consumers that heartbeat every 100 ms, and condition waits with
 * deadlines instead of sleeps.
 */
final class GroupClients
{
    static final long DEADLINE_MS = 30_000;
    /** Session timeout of the test consumers: short, so a dead member is noticed in about a second. */
    static final int SESSION_TIMEOUT_MS = 1_500;
    /**
     * Broker settings for group tests: Kafka's lower bound on sessions (6 s) lowered so members can use short
     * sessions; the test defaults already set group.initial.rebalance.delay.ms=0.
     */
    static final Map<String, String> BROKER_SETTINGS = Map.of(
        "group.min.session.timeout.ms", "500",
        "group.initial.rebalance.delay.ms", "0");

    private GroupClients()
    {
    }

    static BrokerFixture startBroker(final Path dir) throws Exception
    {
        return BrokerFixture.start(dir, BROKER_SETTINGS);
    }

    static BrokerFixture startBroker(final Path dir, final Map<String, String> overrides) throws Exception
    {
        final Map<String, String> settings = new HashMap<>(BROKER_SETTINGS);
        settings.putAll(overrides);
        return BrokerFixture.start(dir, settings);
    }

    static void createTopic(final Admin admin, final String topic, final int partitions) throws Exception
    {
        get(admin.createTopics(List.of(new NewTopic(topic, partitions, (short)1))).all());
    }

    /** Consumer settings: manual commits, short session and heartbeat, and the given overrides on top. */
    static Properties consumerProperties(
        final String bootstrap, final String groupId, final Map<String, Object> overrides)
    {
        final Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_TIMEOUT_MS);
        properties.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 100);
        properties.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 20_000);
        properties.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 20_000);
        properties.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        properties.put(ConsumerConfig.RETRY_BACKOFF_MS_CONFIG, 20);
        properties.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 1_000);
        properties.putAll(overrides);
        return properties;
    }

    static KafkaConsumer<String, String> consumer(
        final String bootstrap, final String groupId, final Map<String, Object> overrides)
    {
        return new KafkaConsumer<>(consumerProperties(bootstrap, groupId, overrides),
            new StringDeserializer(), new StringDeserializer());
    }

    static KafkaProducer<String, String> producer(final String bootstrap)
    {
        final Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 20_000);
        return new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
    }

    /**
     * Produces {@code perPartition} records into each partition, values {@code <prefix>-<partition>-<i>}, and
     * waits for every acknowledgement.
     *
     * @return the values sent.
     */
    static List<String> produce(
        final KafkaProducer<String, String> producer,
        final String topic,
        final int partitions,
        final int perPartition,
        final String prefix) throws Exception
    {
        final List<String> values = new ArrayList<>(partitions * perPartition);
        final List<Future<RecordMetadata>> sent = new ArrayList<>(partitions * perPartition);
        for (int i = 0; i < perPartition; i++)
        {
            for (int partition = 0; partition < partitions; partition++)
            {
                final String value = prefix + '-' + partition + '-' + i;
                values.add(value);
                sent.add(producer.send(new ProducerRecord<>(topic, partition, null, value)));
            }
        }
        for (final Future<RecordMetadata> future : sent)
        {
            future.get(DEADLINE_MS, TimeUnit.MILLISECONDS);
        }
        return values;
    }

    static <T> T get(final KafkaFuture<T> future) throws Exception
    {
        return future.get(DEADLINE_MS, TimeUnit.MILLISECONDS);
    }

    /** Waits until {@code condition} holds; fails with {@code what} after {@link #DEADLINE_MS}. */
    static void await(final BooleanSupplier condition, final String what)
    {
        await(condition, DEADLINE_MS, () -> what);
    }

    static void await(final BooleanSupplier condition, final long timeoutMs, final Supplier<String> what)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what.get());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }
}
