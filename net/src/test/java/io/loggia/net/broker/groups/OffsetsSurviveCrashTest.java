package io.loggia.net.broker.groups;

import io.loggia.net.broker.BrokerProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static io.loggia.net.broker.groups.GroupClients.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Committed offsets and group metadata live in {@code __consumer_offsets}: a broker process killed with SIGKILL
 * (nothing flushed, no clean-shutdown marker) and restarted on the same directory answers OffsetFetch with every
 * offset acknowledged before the kill, and a member of the group resumes from them.
 */
class OffsetsSurviveCrashTest
{
    private static final String TOPIC = "ledger";
    private static final int PARTITIONS = 3;

    @TempDir
    Path dir;

    @Test
    void committedOffsetsSurviveKillNine() throws Exception
    {
        final Map<String, String> settings = new HashMap<>(GroupClients.BROKER_SETTINGS);
        final Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
        try (BrokerProcess broker = BrokerProcess.start(dir, settings))
        {
            try (Admin admin = admin(broker.bootstrapServers());
                KafkaProducer<String, String> producer = GroupClients.producer(broker.bootstrapServers()))
            {
                GroupClients.createTopic(admin, TOPIC, PARTITIONS);
                GroupClients.produce(producer, TOPIC, PARTITIONS, 20, "r");
            }
            final KafkaConsumer<String, String> consumer =
                GroupClients.consumer(broker.bootstrapServers(), "survivors", Map.of());
            consumer.subscribe(List.of(TOPIC));
            CommittedOffsetsTest.poll(consumer, PARTITIONS * 20);
            for (int round = 1; round <= 5; round++)
            {
                for (int partition = 0; partition < PARTITIONS; partition++)
                {
                    committed.put(new TopicPartition(TOPIC, partition),
                        new OffsetAndMetadata(round * 3L + partition, "round " + round));
                }
                consumer.commitSync(committed);
            }
            broker.kill();
            // the member dies with the broker: no LeaveGroup reaches anyone
            consumer.close(Duration.ZERO);
        }

        try (BrokerProcess restarted = BrokerProcess.start(dir, settings);
            Admin admin = admin(restarted.bootstrapServers()))
        {
            assertThat(GroupClients.get(admin.listConsumerGroupOffsets("survivors").partitionsToOffsetAndMetadata()))
                .isEqualTo(committed);
            try (KafkaConsumer<String, String> consumer =
                GroupClients.consumer(restarted.bootstrapServers(), "survivors", Map.of()))
            {
                assertThat(consumer.committed(committed.keySet())).isEqualTo(committed);
                consumer.subscribe(List.of(TOPIC));
                final Map<Integer, List<Long>> offsets =
                    CommittedOffsetsTest.offsetsByPartition(CommittedOffsetsTest.poll(consumer, 5 + 4 + 3));
                for (int partition = 0; partition < PARTITIONS; partition++)
                {
                    assertThat(offsets.get(partition)).as("partition " + partition).startsWith(15L + partition);
                }
            }
            restarted.terminate();
            assertThat(restarted.await(30_000).exitCode()).isZero();
        }
    }

    @Test
    void aLiveGroupCarriesOnAcrossKillNineWithoutLosingRecords() throws Exception
    {
        final int port = freePort();
        final Map<String, String> settings = new HashMap<>(GroupClients.BROKER_SETTINGS);
        settings.put("listeners", "PLAINTEXT://127.0.0.1:" + port);
        final String bootstrap = "127.0.0.1:" + port;
        final DeliveryLog log = new DeliveryLog();
        final List<String> sent = new ArrayList<>();
        final Map<String, Object> consumerSettings = Map.of(
            // longer than the broker takes to come back, so the members survive the outage
            ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 20_000,
            ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 100);
        BrokerProcess broker = BrokerProcess.start(dir, settings);
        try (Admin admin = admin(bootstrap))
        {
            GroupClients.createTopic(admin, TOPIC, PARTITIONS);
        }
        try (MemberThread one = new MemberThread("one", log,
                () -> GroupClients.consumer(bootstrap, "carry-on", consumerSettings), TOPIC);
            MemberThread two = new MemberThread("two", log,
                () -> GroupClients.consumer(bootstrap, "carry-on", consumerSettings), TOPIC))
        {
            try (KafkaProducer<String, String> producer = GroupClients.producer(bootstrap))
            {
                sent.addAll(GroupClients.produce(producer, TOPIC, PARTITIONS, 20, "before"));
            }
            await(() -> log.values().containsAll(sent) && one.generation() == two.generation() &&
                one.assignment().size() + two.assignment().size() == PARTITIONS, "a settled group and every record");
            final int generation = one.generation();

            broker.kill();
            broker = BrokerProcess.start(dir, settings);
            try (KafkaProducer<String, String> producer = GroupClients.producer(bootstrap))
            {
                sent.addAll(GroupClients.produce(producer, TOPIC, PARTITIONS, 20, "after"));
            }
            await(() -> log.values().containsAll(sent), "every record, from before and after the crash");
            assertThat(log.violations()).isEmpty();
            assertThat(one.errors()).isEmpty();
            assertThat(two.errors()).isEmpty();
            // The group is loaded back at its generation, but a member whose heartbeat or commit failed during
            // the outage in a way the client treats as fatal to its membership may rejoin (one CI run on a loaded
            // machine saw generation 3 after 2; quiet and busy local runs stay at 2). What must hold is that no
            // record is lost and no member fails; a move is printed with the client's reason from the broker log.
            final BrokerProcess restarted = broker;
            if (one.generation() != generation || two.generation() != generation)
            {
                System.out.println("generation moved from " + generation + " to " + one.generation() + "/" +
                    two.generation() + " across the crash; broker log:\n" + restarted.stderr());
            }
            assertThat(one.generation()).isGreaterThanOrEqualTo(generation);
            assertThat(two.generation()).isGreaterThanOrEqualTo(generation);
        }
        finally
        {
            broker.close();
        }
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }

    private static Admin admin(final String bootstrap)
    {
        final Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        return Admin.create(properties);
    }
}
