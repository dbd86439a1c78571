package io.loggia.net.broker.groups;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Measures how long a consumer takes to join a group, from any Kafka-protocol broker: each run makes a new consumer
 * in a new group, subscribes to the topic and prints the time to its first assignment and to its first record. The
 * first run in a JVM pays the client's class loading, and on a fresh broker the creation of
 * {@code __consumer_offsets}; later runs show the broker's join path (FindCoordinator, JoinGroup twice for
 * MEMBER_ID_REQUIRED, the initial rebalance delay, SyncGroup, OffsetFetch).
 * <pre>
 *   java -cp net/target/test-classes:kafka-clients-4.4.0.jar:slf4j-api.jar \
 *       io.loggia.net.broker.groups.JoinTimeProbe 127.0.0.1:9092 TOPIC RUNS [consumer.key=value ...]
 * </pre>
 * The topic must hold at least one record. Not a test: a tool kept with the tests that check what it measures
 * ({@code operations-groups.md} has its numbers).
 */
public final class JoinTimeProbe
{
    private JoinTimeProbe()
    {
    }

    public static void main(final String[] args)
    {
        if (args.length < 3)
        {
            System.err.println("usage: JoinTimeProbe BOOTSTRAP TOPIC RUNS [consumer.key=value ...]");
            System.exit(2);
        }
        final int runs = Integer.parseInt(args[2]);
        for (int run = 0; run < runs; run++)
        {
            final Properties properties = new Properties();
            properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
            properties.put(ConsumerConfig.GROUP_ID_CONFIG, "join-time-" + System.nanoTime());
            properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            for (int i = 3; i < args.length; i++)
            {
                final String[] keyValue = args[i].split("=", 2);
                properties.put(keyValue[0], keyValue[1]);
            }
            final long[] assignedNs = {0};
            final long constructNs = System.nanoTime();
            try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer()))
            {
                final long subscribeNs = System.nanoTime();
                consumer.subscribe(List.of(args[1]), new ConsumerRebalanceListener()
                {
                    public void onPartitionsRevoked(final Collection<TopicPartition> partitions)
                    {
                    }

                    public void onPartitionsAssigned(final Collection<TopicPartition> partitions)
                    {
                        if (!partitions.isEmpty() && 0 == assignedNs[0])
                        {
                            assignedNs[0] = System.nanoTime();
                        }
                    }
                });
                long firstRecordNs = 0;
                while (0 == firstRecordNs && System.nanoTime() - subscribeNs < TimeUnit.SECONDS.toNanos(60))
                {
                    if (!consumer.poll(Duration.ofMillis(20)).isEmpty())
                    {
                        firstRecordNs = System.nanoTime();
                    }
                }
                System.out.printf("run %d: new consumer %d ms, subscribe to assignment %d ms, to first record %d ms%n",
                    run, ms(subscribeNs - constructNs), ms(assignedNs[0] - subscribeNs),
                    ms(firstRecordNs - subscribeNs));
            }
        }
    }

    private static long ms(final long ns)
    {
        return TimeUnit.NANOSECONDS.toMillis(ns);
    }
}
