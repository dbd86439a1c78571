package io.loggia.net.broker.groups;

import io.loggia.net.broker.BrokerFixture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Resuming from committed offsets with real consumers: offsets committed with commitSync and commitAsync are
 * what the group's next member starts from; a member that consumed without committing leaves its records to
 * the next one.
 */
class CommittedOffsetsTest
{
    private static final String TOPIC = "orders";
    private static final int PARTITIONS = 2;

    @TempDir
    static Path dir;

    private static BrokerFixture broker;
    private static KafkaProducer<String, String> producer;

    @BeforeAll
    static void start() throws Exception
    {
        broker = GroupClients.startBroker(dir);
        GroupClients.createTopic(broker.admin(), TOPIC, PARTITIONS);
        producer = GroupClients.producer(broker.bootstrapServers());
        GroupClients.produce(producer, TOPIC, PARTITIONS, 10, "r");
    }

    @AfterAll
    static void stop()
    {
        producer.close();
        broker.close();
        assertThat(broker.broker().errorCount()).isZero();
    }

    @Test
    void commitSyncIsWhereTheNextMemberStarts() throws Exception
    {
        try (KafkaConsumer<String, String> consumer = consumer("sync"))
        {
            consumer.subscribe(List.of(TOPIC));
            final List<ConsumerRecord<String, String>> records = poll(consumer, 2 * 10);
            assertThat(records).hasSize(20);
            consumer.commitSync(Map.of(
                new TopicPartition(TOPIC, 0), new OffsetAndMetadata(4, "four"),
                new TopicPartition(TOPIC, 1), new OffsetAndMetadata(7)));
            assertThat(consumer.committed(Set.of(new TopicPartition(TOPIC, 0))))
                .containsEntry(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(4, "four"));
        }
        try (KafkaConsumer<String, String> next = consumer("sync"))
        {
            next.subscribe(List.of(TOPIC));
            final Map<Integer, List<Long>> offsets = offsetsByPartition(poll(next, 6 + 3));
            assertThat(offsets.get(0)).containsExactly(4L, 5L, 6L, 7L, 8L, 9L);
            assertThat(offsets.get(1)).containsExactly(7L, 8L, 9L);
        }
    }

    @Test
    void commitAsyncCompletesAndIsWhereTheNextMemberStarts() throws Exception
    {
        try (KafkaConsumer<String, String> consumer = consumer("async"))
        {
            consumer.subscribe(List.of(TOPIC));
            final List<ConsumerRecord<String, String>> records = poll(consumer, 20);
            final Map<TopicPartition, OffsetAndMetadata> offsets = Map.of(
                new TopicPartition(TOPIC, 0), new OffsetAndMetadata(9),
                new TopicPartition(TOPIC, 1), new OffsetAndMetadata(2, "two"));
            assertThat(records).hasSize(20);
            final CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> done = new CompletableFuture<>();
            consumer.commitAsync(offsets, (committed, error) ->
            {
                if (null == error)
                {
                    done.complete(committed);
                }
                else
                {
                    done.completeExceptionally(error);
                }
            });
            final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GroupClients.DEADLINE_MS);
            while (!done.isDone() && System.nanoTime() < deadlineNs)
            {
                // the callback runs inside poll
                consumer.poll(Duration.ofMillis(20));
            }
            assertThat(done.get(1, TimeUnit.SECONDS)).isEqualTo(offsets);
        }
        try (KafkaConsumer<String, String> next = consumer("async"))
        {
            next.subscribe(List.of(TOPIC));
            final Map<Integer, List<Long>> offsets = offsetsByPartition(poll(next, 1 + 8));
            assertThat(offsets.get(0)).containsExactly(9L);
            assertThat(offsets.get(1)).containsExactly(2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        }
    }

    @Test
    void aMemberClosedWithoutCommittingLeavesItsRecordsToTheNext() throws Exception
    {
        try (KafkaConsumer<String, String> first = consumer("uncommitted"))
        {
            first.subscribe(List.of(TOPIC));
            poll(first, 20);
            first.commitSync(Map.of(
                new TopicPartition(TOPIC, 0), new OffsetAndMetadata(3),
                new TopicPartition(TOPIC, 1), new OffsetAndMetadata(5)));
        }
        try (KafkaConsumer<String, String> second = consumer("uncommitted"))
        {
            second.subscribe(List.of(TOPIC));
            // consumes to the end and closes without a commit
            assertThat(poll(second, 7 + 5)).hasSize(12);
        }
        try (KafkaConsumer<String, String> third = consumer("uncommitted"))
        {
            third.subscribe(List.of(TOPIC));
            final Map<Integer, List<Long>> offsets = offsetsByPartition(poll(third, 7 + 5));
            assertThat(offsets.get(0)).startsWith(3L).hasSize(7);
            assertThat(offsets.get(1)).startsWith(5L).hasSize(5);
            assertThat(third.committed(Set.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1))))
                .containsEntry(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(3))
                .containsEntry(new TopicPartition(TOPIC, 1), new OffsetAndMetadata(5));
        }
    }

    @Test
    void anAutoCommitDuringTheRebalanceIsWhereTheNewOwnerStarts() throws Exception
    {
        final Map<String, Object> autoCommit = Map.of(
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, true,
            // no timed commit within the test: only the one the consumer makes before it rejoins
            ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG, 600_000);
        try (KafkaConsumer<String, String> first = GroupClients.consumer(broker.bootstrapServers(), "auto", autoCommit))
        {
            first.subscribe(List.of(TOPIC));
            assertThat(poll(first, 20)).hasSize(20);
            assertThat(first.committed(Set.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1))).values())
                .allMatch(offset -> null == offset);

            try (KafkaConsumer<String, String> second =
                GroupClients.consumer(broker.bootstrapServers(), "auto", autoCommit))
            {
                second.subscribe(List.of(TOPIC));
                final List<ConsumerRecord<String, String>> redelivered = new ArrayList<>();
                // the first member commits what it consumed while the group prepares the rebalance, then rejoins
                GroupClients.await(() ->
                {
                    first.poll(Duration.ofMillis(10));
                    second.poll(Duration.ofMillis(10)).forEach(redelivered::add);
                    return first.assignment().size() == 1 && second.assignment().size() == 1;
                }, "the two members to share the partitions");
                for (int i = 0; i < 5; i++)
                {
                    second.poll(Duration.ofMillis(20)).forEach(redelivered::add);
                }
                assertThat(redelivered).as("nothing the first member consumed comes again").isEmpty();
                assertThat(second.committed(Set.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1))))
                    .containsEntry(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(10, Optional.of(0), ""))
                    .containsEntry(new TopicPartition(TOPIC, 1), new OffsetAndMetadata(10, Optional.of(0), ""));
            }
        }
    }

    private static KafkaConsumer<String, String> consumer(final String group)
    {
        return GroupClients.consumer(broker.bootstrapServers(), group, Map.of());
    }

    /** Polls until {@code count} records arrived, then once more to see that no more come. */
    static List<ConsumerRecord<String, String>> poll(final KafkaConsumer<String, String> consumer, final int count)
    {
        final List<ConsumerRecord<String, String>> records = new ArrayList<>();
        GroupClients.await(() ->
        {
            consumer.poll(Duration.ofMillis(20)).forEach(records::add);
            return records.size() >= count;
        }, GroupClients.DEADLINE_MS, () -> count + " records, got " + records.size());
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
        return records;
    }

    static Map<Integer, List<Long>> offsetsByPartition(final List<ConsumerRecord<String, String>> records)
    {
        final Map<Integer, List<Long>> offsets = new HashMap<>();
        for (final ConsumerRecord<String, String> record : records)
        {
            offsets.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(record.offset());
        }
        return offsets;
    }
}
