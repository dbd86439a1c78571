package io.loggia.net.broker.groups;

import io.loggia.net.broker.BrokerFixture;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.loggia.net.broker.groups.GroupClients.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Members that stop taking part: one that stops heartbeating is removed by the coordinator when its session
 * timeout passes, and one whose poll loop is stuck leaves when its client's poll timeout passes; either way its
 * partitions move to the members left.
 */
class DeadMemberTest
{
    private static final String TOPIC = "work";
    private static final int PARTITIONS = 4;
    private static final int RAW_SESSION_TIMEOUT_MS = 1_000;

    @TempDir
    static Path dir;

    private static BrokerFixture broker;

    @BeforeAll
    static void start() throws Exception
    {
        broker = GroupClients.startBroker(dir);
        GroupClients.createTopic(broker.admin(), TOPIC, PARTITIONS);
    }

    @AfterAll
    static void stop()
    {
        broker.close();
        assertThat(broker.broker().errorCount()).isZero();
    }

    @Test
    void aMemberThatStopsHeartbeatingIsRemovedAfterItsSessionTimeout() throws Exception
    {
        final String group = "silent";
        final DeliveryLog log = new DeliveryLog();
        try (MemberThread live = new MemberThread("live", log,
                () -> GroupClients.consumer(broker.bootstrapServers(), group, Map.of()), TOPIC);
            RawMember silent = new RawMember(broker.bootstrapServers(), group))
        {
            await(() -> live.assignment().size() == PARTITIONS, "the live member to own every partition");

            final JoinGroupResponseData joined = silent.join(TOPIC, RAW_SESSION_TIMEOUT_MS, 10_000);
            assertThat(Errors.forCode(joined.errorCode())).isEqualTo(Errors.NONE);
            assertThat(joined.leader()).as("the live member still leads").isNotEqualTo(silent.memberId());
            final List<TopicPartition> taken = silent.syncAsFollower();
            final long silentSinceNs = System.nanoTime();
            assertThat(taken).hasSize(PARTITIONS / 2);
            await(() -> live.assignment().size() == PARTITIONS / 2 && live.generation() == silent.generation(),
                "the live member to give up half its partitions");
            assertThat(members(group)).hasSize(2);

            // no heartbeat from here on: the coordinator drops the member at its session timeout
            await(() -> live.assignment().size() == PARTITIONS, "the silent member's partitions to move");
            final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - silentSinceNs);
            assertThat(elapsedMs).as("removed after its session timeout, not before")
                .isGreaterThanOrEqualTo(RAW_SESSION_TIMEOUT_MS - 100);
            assertThat(live.generation()).isEqualTo(silent.generation() + 1);
            assertThat(members(group)).hasSize(1);
            assertThat(silent.heartbeat()).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
            assertThat(live.errors()).isEmpty();
        }
    }

    @Test
    void aMemberWhosePollLoopIsStuckLeavesAndItsPartitionsMove() throws Exception
    {
        final String group = "stuck";
        final DeliveryLog log = new DeliveryLog();
        try (MemberThread live = new MemberThread("live", log,
            () -> GroupClients.consumer(broker.bootstrapServers(), group, Map.of()), TOPIC))
        {
            await(() -> live.assignment().size() == PARTITIONS, "the live member to own every partition");
            final KafkaConsumer<String, String> stuck = GroupClients.consumer(broker.bootstrapServers(), group,
                Map.of(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 1_000));
            try
            {
                stuck.subscribe(List.of(TOPIC));
                await(() ->
                {
                    stuck.poll(Duration.ofMillis(20));
                    return stuck.assignment().size() == PARTITIONS / 2 && live.assignment().size() == PARTITIONS / 2;
                }, "the group to share the partitions");
                final Set<TopicPartition> taken = stuck.assignment();

                // this thread stops polling; the stuck member's heartbeat thread gives up after max.poll.interval.ms
                await(() -> live.assignment().size() == PARTITIONS, "the stuck member's partitions to move");
                assertThat(live.assignment()).containsAll(taken);
                assertThat(members(group)).hasSize(1);
            }
            finally
            {
                stuck.close(Duration.ofSeconds(5));
            }
            assertThat(live.errors()).isEmpty();
        }
    }

    private static Collection<MemberDescription> members(final String group)
        throws Exception
    {
        final ConsumerGroupDescription description =
            GroupClients.get(broker.admin().describeConsumerGroups(List.of(group)).describedGroups().get(group));
        return description.members();
    }
}
