package io.loggia.net.broker.data;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Real kafka-clients producers and consumers for the data path tests, and condition waits with deadlines. */
final class Clients
{
    static final long DEADLINE_MS = 30_000;

    private Clients()
    {
    }

    static KafkaProducer<byte[], byte[]> producer(final String bootstrap, final Map<String, Object> overrides)
    {
        final Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 20_000);
        properties.putAll(overrides);
        return new KafkaProducer<>(properties);
    }

    static KafkaConsumer<byte[], byte[]> consumer(final String bootstrap, final Map<String, Object> overrides)
    {
        final Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        properties.put(ConsumerConfig.CHECK_CRCS_CONFIG, true);
        properties.putAll(overrides);
        return new KafkaConsumer<>(properties);
    }

    /** assign() every partition of the topic and seek() each to {@code offset}. */
    static void assignFrom(
        final KafkaConsumer<byte[], byte[]> consumer, final String topic, final int partitions, final long offset)
    {
        final List<TopicPartition> assigned = new ArrayList<>();
        for (int i = 0; i < partitions; i++)
        {
            assigned.add(new TopicPartition(topic, i));
        }
        consumer.assign(assigned);
        for (final TopicPartition partition : assigned)
        {
            consumer.seek(partition, offset);
        }
    }

    /** Polls until {@code count} records arrived; fails after {@link #DEADLINE_MS}. */
    static List<ConsumerRecord<byte[], byte[]>> pollRecords(
        final KafkaConsumer<byte[], byte[]> consumer, final int count)
    {
        final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        final long deadlineNs = System.nanoTime() + DEADLINE_MS * 1_000_000L;
        while (records.size() < count)
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError("received " + records.size() + " of " + count + " records");
            }
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }

    /** Records by partition, in the order received. */
    static Map<Integer, List<ConsumerRecord<byte[], byte[]>>> byPartition(
        final List<ConsumerRecord<byte[], byte[]>> records)
    {
        final Map<Integer, List<ConsumerRecord<byte[], byte[]>>> map = new HashMap<>();
        for (final ConsumerRecord<byte[], byte[]> record : records)
        {
            map.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(record);
        }
        return map;
    }

    static void await(final BooleanSupplier condition, final String what)
    {
        final long deadlineNs = System.nanoTime() + DEADLINE_MS * 1_000_000L;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }
}
