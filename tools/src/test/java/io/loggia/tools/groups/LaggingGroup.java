package io.loggia.tools.groups;

import io.loggia.net.broker.BrokerFixture;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A broker with a group whose lag is known, for the tests of {@code loggia groups} and Kafka's
 * kafka-consumer-groups. Topic {@value #TOPIC} has three partitions of ten records each; the records of
 * partition 1 were created {@link #AGE_MS} before the start. Group {@value #GROUP} has one live member owning all
 * three and has committed:
 * <pre>
 *   events-0   10   caught up
 *   events-1    5   5 records behind; the record at offset 5 is AGE_MS old
 *   events-2    -   nothing committed
 *   archive-0   4   not subscribed (nobody owns it), 6 behind
 * </pre>
 */
final class LaggingGroup implements AutoCloseable
{
    static final String TOPIC = "events";
    static final String OTHER_TOPIC = "archive";
    static final String GROUP = "billing";
    static final String CLIENT_ID = "billing-client";
    static final long AGE_MS = 30_000;

    final BrokerFixture broker;
    final KafkaConsumer<String, String> member;
    /** Timestamp of the record at events-1 offset 0; the one at offset i has this plus i. */
    final long oldTimestamp;

    private LaggingGroup(final BrokerFixture broker, final KafkaConsumer<String, String> member, final long old)
    {
        this.broker = broker;
        this.member = member;
        this.oldTimestamp = old;
    }

    static LaggingGroup start(final Path dir) throws Exception
    {
        final BrokerFixture broker = BrokerFixture.start(dir);
        broker.admin().createTopics(List.of(new NewTopic(TOPIC, 3, (short)1), new NewTopic(OTHER_TOPIC, 1, (short)1)))
            .all().get(30, TimeUnit.SECONDS);
        final Properties producerProperties = broker.clientProperties();
        producerProperties.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        final long old = System.currentTimeMillis() - AGE_MS;
        try (KafkaProducer<String, String> producer =
            new KafkaProducer<>(producerProperties, new StringSerializer(), new StringSerializer()))
        {
            for (int i = 0; i < 10; i++)
            {
                producer.send(new ProducerRecord<>(TOPIC, 0, null, "p0-" + i));
                producer.send(new ProducerRecord<>(TOPIC, 1, old + i, null, "p1-" + i));
                producer.send(new ProducerRecord<>(TOPIC, 2, null, "p2-" + i));
                producer.send(new ProducerRecord<>(OTHER_TOPIC, 0, null, "a-" + i));
            }
            producer.flush();
        }

        final Properties consumerProperties = broker.clientProperties();
        consumerProperties.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        consumerProperties.put(ConsumerConfig.CLIENT_ID_CONFIG, CLIENT_ID);
        consumerProperties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerProperties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        final KafkaConsumer<String, String> member =
            new KafkaConsumer<>(consumerProperties, new StringDeserializer(), new StringDeserializer());
        member.subscribe(List.of(TOPIC));
        await(() ->
        {
            member.poll(Duration.ofMillis(20));
            return member.assignment().size() == 3;
        }, "the member to own every partition");
        member.commitSync(Map.of(
            new TopicPartition(TOPIC, 0), new OffsetAndMetadata(10),
            new TopicPartition(TOPIC, 1), new OffsetAndMetadata(5),
            new TopicPartition(OTHER_TOPIC, 0), new OffsetAndMetadata(4)));
        return new LaggingGroup(broker, member, old);
    }

    String bootstrap()
    {
        return broker.bootstrapServers();
    }

    static void await(final BooleanSupplier condition, final String what)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    public void close()
    {
        member.close(Duration.ofSeconds(5));
        broker.close();
    }
}
