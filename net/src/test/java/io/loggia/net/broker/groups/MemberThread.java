package io.loggia.net.broker.groups;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One consumer of a group on its own thread: polls, logs every record and assignment into a {@link DeliveryLog},
 * and commits what each poll returned with {@code commitSync} before the next poll (a commit refused because
 * the group is rebalancing is skipped: those records may come again, as Kafka allows). {@link #close()} stops
 * the loop and closes the consumer on its thread, which leaves the group.
 * <p>
 * The test thread reads {@link #assignment()}, {@link #revocations()} and {@link #generation()}; everything
 * else happens on the member's thread.
 */
final class MemberThread implements AutoCloseable
{
    private final String name;
    private final DeliveryLog log;
    private final Thread thread;
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final AtomicInteger revocations = new AtomicInteger();
    private final AtomicInteger failedCommits = new AtomicInteger();
    private volatile Set<TopicPartition> assignment = Set.of();
    private volatile int generation = -1;
    private volatile boolean running = true;

    /**
     * @param name     the member's name in the log.
     * @param log      where deliveries, assignments and commits go.
     * @param consumer makes the consumer (on the member's thread).
     * @param topic    the topic to subscribe to.
     */
    MemberThread(
        final String name,
        final DeliveryLog log,
        final Supplier<KafkaConsumer<String, String>> consumer,
        final String topic)
    {
        this.name = name;
        this.log = log;
        this.thread = new Thread(() -> run(consumer, topic), "member-" + name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    String name()
    {
        return name;
    }

    /** The partitions the member owns now, as of its last poll. */
    Set<TopicPartition> assignment()
    {
        return assignment;
    }

    /** The group generation the member last joined, -1 before it joined. */
    int generation()
    {
        return generation;
    }

    /** How many times partitions were taken away from the member (non-empty revocations). */
    int revocations()
    {
        return revocations.get();
    }

    int failedCommits()
    {
        return failedCommits.get();
    }

    List<Throwable> errors()
    {
        return errors;
    }

    /** Stops polling and closes the consumer: a dynamic member leaves the group. */
    public void close() throws InterruptedException
    {
        running = false;
        thread.join(GroupClients.DEADLINE_MS);
    }

    private void run(final Supplier<KafkaConsumer<String, String>> factory, final String topic)
    {
        final KafkaConsumer<String, String> consumer = factory.get();
        try
        {
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener()
            {
                public void onPartitionsRevoked(final Collection<TopicPartition> partitions)
                {
                    if (!partitions.isEmpty())
                    {
                        revocations.incrementAndGet();
                    }
                }

                public void onPartitionsAssigned(final Collection<TopicPartition> partitions)
                {
                    for (final TopicPartition partition : partitions)
                    {
                        log.assigned(name, partition);
                    }
                }
            });
            while (running)
            {
                final ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(50));
                assignment = Set.copyOf(consumer.assignment());
                generation = consumer.groupMetadata().generationId();
                if (records.isEmpty())
                {
                    continue;
                }
                final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                for (final ConsumerRecord<String, String> record : records)
                {
                    final TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    log.delivered(name, partition, record.offset(), record.value());
                    offsets.put(partition, new OffsetAndMetadata(record.offset() + 1));
                }
                try
                {
                    consumer.commitSync(offsets);
                    offsets.forEach((partition, offset) -> log.committed(name, partition, offset.offset()));
                }
                catch (final CommitFailedException | RebalanceInProgressException ex)
                {
                    failedCommits.incrementAndGet();
                }
            }
        }
        catch (final Throwable ex)
        {
            errors.add(ex);
        }
        finally
        {
            consumer.close(Duration.ofSeconds(10));
        }
    }
}
