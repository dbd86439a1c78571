package io.loggia.net.broker.groups;

import io.loggia.net.broker.BrokerFixture;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static io.loggia.net.broker.groups.GroupClients.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code auto.offset.reset} for a group without a committed offset: earliest starts at the log start, latest at
 * the log end (only records produced after the join arrive), none fails the poll with
 * NoOffsetForPartitionException; with a committed offset, none resumes from it.
 */
class AutoOffsetResetTest
{
    private static final String TOPIC = "resets";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);

    @TempDir
    static Path dir;

    private static BrokerFixture broker;
    private static KafkaProducer<String, String> producer;

    @BeforeAll
    static void start() throws Exception
    {
        broker = GroupClients.startBroker(dir);
        GroupClients.createTopic(broker.admin(), TOPIC, 1);
        producer = GroupClients.producer(broker.bootstrapServers());
        GroupClients.produce(producer, TOPIC, 1, 5, "old");
    }

    @AfterAll
    static void stop()
    {
        producer.close();
        broker.close();
        assertThat(broker.broker().errorCount()).isZero();
    }

    @Test
    void earliestStartsAtTheLogStart()
    {
        try (KafkaConsumer<String, String> consumer = consumer("earliest-group", "earliest"))
        {
            consumer.subscribe(List.of(TOPIC));
            assertThat(CommittedOffsetsTest.offsetsByPartition(CommittedOffsetsTest.poll(consumer, 5)).get(0))
                .startsWith(0L, 1L, 2L, 3L, 4L);
        }
    }

    @Test
    void latestStartsAtTheLogEnd() throws Exception
    {
        try (KafkaConsumer<String, String> consumer = consumer("latest-group", "latest"))
        {
            consumer.subscribe(List.of(TOPIC));
            await(() ->
            {
                consumer.poll(Duration.ofMillis(20));
                return consumer.assignment().contains(PARTITION);
            }, "the partition to be assigned");
            final long start = consumer.position(PARTITION);
            final long end = GroupClients.get(broker.admin().listOffsets(
                Map.of(PARTITION, OffsetSpec.latest())).partitionResult(PARTITION))
                .offset();
            assertThat(start).isEqualTo(end);
            GroupClients.produce(producer, TOPIC, 1, 3, "new-" + start);
            final List<ConsumerRecord<String, String>> records =
                CommittedOffsetsTest.poll(consumer, 3);
            assertThat(records).extracting(ConsumerRecord::offset).containsExactly(start, start + 1, start + 2);
            assertThat(records).allMatch(record -> record.value().startsWith("new-"));
        }
    }

    @Test
    void noneFailsThePollWithoutACommittedOffset()
    {
        try (KafkaConsumer<String, String> consumer = consumer("none-group", "none"))
        {
            consumer.subscribe(List.of(TOPIC));
            final AtomicReference<NoOffsetForPartitionException> failure = new AtomicReference<>();
            await(() ->
            {
                try
                {
                    consumer.poll(Duration.ofMillis(20));
                    return false;
                }
                catch (final NoOffsetForPartitionException ex)
                {
                    failure.set(ex);
                    return true;
                }
            }, "NoOffsetForPartitionException");
            assertThat(failure.get().partitions()).containsExactly(PARTITION);
        }
    }

    @Test
    void noneResumesFromACommittedOffset()
    {
        try (KafkaConsumer<String, String> committer = consumer("none-committed", "earliest"))
        {
            committer.commitSync(Map.of(PARTITION, new OffsetAndMetadata(3)));
        }
        try (KafkaConsumer<String, String> consumer = consumer("none-committed", "none"))
        {
            consumer.subscribe(List.of(TOPIC));
            assertThat(CommittedOffsetsTest.offsetsByPartition(CommittedOffsetsTest.poll(consumer, 2)).get(0))
                .startsWith(3L, 4L);
        }
    }

    private static KafkaConsumer<String, String> consumer(final String group, final String reset)
    {
        return GroupClients.consumer(broker.bootstrapServers(), group,
            Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, reset));
    }
}
