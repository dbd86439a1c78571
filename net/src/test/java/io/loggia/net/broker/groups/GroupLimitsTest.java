package io.loggia.net.broker.groups;

import io.loggia.net.broker.BrokerFixture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.GroupMaxSizeReachedException;
import org.apache.kafka.common.errors.InvalidSessionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.loggia.net.broker.groups.GroupClients.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The broker's limits on members, as a real consumer meets them: a session timeout outside
 * [group.min.session.timeout.ms, group.max.session.timeout.ms] fails the consumer with
 * InvalidSessionTimeoutException, and a member beyond group.max.size with GroupMaxSizeReachedException, while the
 * members already in keep their partitions.
 */
class GroupLimitsTest
{
    private static final String TOPIC = "limited";

    @TempDir
    static Path dir;

    private static BrokerFixture broker;

    @BeforeAll
    static void start() throws Exception
    {
        broker = BrokerFixture.start(dir, Map.of(
            "group.min.session.timeout.ms", "1000",
            "group.max.session.timeout.ms", "30000",
            "group.max.size", "2"));
        GroupClients.createTopic(broker.admin(), TOPIC, 4);
    }

    @AfterAll
    static void stop()
    {
        broker.close();
        assertThat(broker.broker().errorCount()).isZero();
    }

    @Test
    void aSessionTimeoutOutsideTheBrokersBoundsFailsTheConsumer()
    {
        for (final int sessionTimeoutMs : new int[]{999, 30_001})
        {
            try (KafkaConsumer<String, String> consumer = GroupClients.consumer(broker.bootstrapServers(),
                "sessions", Map.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, sessionTimeoutMs)))
            {
                consumer.subscribe(List.of(TOPIC));
                assertThatThrownBy(() -> pollUntilFailure(consumer)).as("session %d ms", sessionTimeoutMs)
                    .isInstanceOf(InvalidSessionTimeoutException.class);
            }
        }
    }

    @Test
    void aMemberBeyondTheGroupsMaximumSizeIsRefused() throws Exception
    {
        final DeliveryLog log = new DeliveryLog();
        try (MemberThread one = member("one", log); MemberThread two = member("two", log))
        {
            await(() -> one.assignment().size() == 2 && two.assignment().size() == 2, "two members in the group");
            try (KafkaConsumer<String, String> third =
                GroupClients.consumer(broker.bootstrapServers(), "capped", Map.of()))
            {
                third.subscribe(List.of(TOPIC));
                assertThatThrownBy(() -> pollUntilFailure(third)).isInstanceOf(GroupMaxSizeReachedException.class);
            }
            await(() -> one.assignment().size() == 2 && two.assignment().size() == 2 &&
                one.generation() == two.generation(), "the two members to keep sharing the partitions");
            assertThat(one.errors()).isEmpty();
            assertThat(two.errors()).isEmpty();
        }
    }

    private static MemberThread member(final String name, final DeliveryLog log)
    {
        return new MemberThread(name, log, () -> GroupClients.consumer(broker.bootstrapServers(), "capped", Map.of()),
            TOPIC);
    }

    private static void pollUntilFailure(final KafkaConsumer<String, String> consumer)
    {
        final long deadlineNs = System.nanoTime() + GroupClients.DEADLINE_MS * 1_000_000L;
        while (System.nanoTime() - deadlineNs < 0)
        {
            consumer.poll(Duration.ofMillis(20));
        }
    }
}
