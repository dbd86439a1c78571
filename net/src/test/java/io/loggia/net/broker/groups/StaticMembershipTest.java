package io.loggia.net.broker.groups;

import io.loggia.net.broker.BrokerFixture;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static io.loggia.net.broker.groups.GroupClients.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Static membership (KIP-345): a consumer with a {@code group.instance.id} that restarts within its session
 * timeout takes its place back without a rebalance: the generation stays, the other member keeps its partitions
 * and is never revoked, and the restarted one gets its old partitions. A dynamic member's restart, for
 * contrast, rebalances.
 */
class StaticMembershipTest
{
    private static final String TOPIC = "static";
    private static final int PARTITIONS = 4;

    @TempDir
    Path dir;

    @Test
    void aStaticMemberRestartedWithinItsSessionCausesNoRebalance() throws Exception
    {
        final String group = "statics";
        final DeliveryLog log = new DeliveryLog();
        try (BrokerFixture broker = GroupClients.startBroker(dir))
        {
            GroupClients.createTopic(broker.admin(), TOPIC, PARTITIONS);
            try (MemberThread a = member(broker, group, "a", log))
            {
                final MemberThread b = member(broker, group, "b", log);
                await(() -> a.assignment().size() == 2 && b.assignment().size() == 2 &&
                    a.generation() == b.generation(), "two static members sharing the partitions");
                final int generation = a.generation();
                final int revocations = a.revocations();
                final Set<TopicPartition> bPartitions = b.assignment();
                assertThat(instanceIds(broker, group)).containsExactly("a", "b");

                // a static member leaves no LeaveGroup when it closes: the group waits for it
                b.close();
                final MemberThread restarted = member(broker, group, "b", log);
                await(() -> restarted.assignment().size() == 2, "the restarted member to get its partitions back");
                assertThat(restarted.assignment()).isEqualTo(bPartitions);
                assertThat(restarted.generation()).isEqualTo(generation);
                assertThat(a.generation()).isEqualTo(generation);
                assertThat(a.revocations()).as("the other member was never revoked").isEqualTo(revocations);
                assertThat(instanceIds(broker, group)).containsExactly("a", "b");
                restarted.close();
                assertThat(restarted.errors()).isEmpty();
            }
            assertThat(broker.broker().errorCount()).isZero();
        }
    }

    @Test
    void aDynamicMemberRestartedRebalances() throws Exception
    {
        final String group = "dynamics";
        final DeliveryLog log = new DeliveryLog();
        try (BrokerFixture broker = GroupClients.startBroker(dir))
        {
            GroupClients.createTopic(broker.admin(), TOPIC, PARTITIONS);
            try (MemberThread a = dynamicMember(broker, group, "a", log))
            {
                final MemberThread b = dynamicMember(broker, group, "b", log);
                await(() -> a.assignment().size() == 2 && b.assignment().size() == 2 &&
                    a.generation() == b.generation(), "two members sharing the partitions");
                final int generation = a.generation();
                b.close();
                final MemberThread restarted = dynamicMember(broker, group, "b", log);
                await(() -> restarted.assignment().size() == 2 && a.assignment().size() == 2 &&
                    a.generation() == restarted.generation(), "the group to settle again");
                assertThat(a.generation()).isGreaterThan(generation);
                restarted.close();
            }
        }
    }

    private static MemberThread member(
        final BrokerFixture broker, final String group, final String instanceId, final DeliveryLog log)
    {
        return new MemberThread(instanceId, log, () -> GroupClients.consumer(broker.bootstrapServers(), group, Map.of(
            ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId,
            // long enough for a restart, which takes a new client about 100 ms here
            ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 20_000)), TOPIC);
    }

    private static MemberThread dynamicMember(
        final BrokerFixture broker, final String group, final String name, final DeliveryLog log)
    {
        return new MemberThread(name, log, () -> GroupClients.consumer(broker.bootstrapServers(), group, Map.of()),
            TOPIC);
    }

    private static Set<String> instanceIds(final BrokerFixture broker, final String group) throws Exception
    {
        final ConsumerGroupDescription description =
            GroupClients.get(broker.admin().describeConsumerGroups(List.of(group)).describedGroups().get(group));
        final Set<String> ids = new TreeSet<>();
        for (final MemberDescription member : description.members())
        {
            final Optional<String> instanceId = member.groupInstanceId();
            ids.add(instanceId.orElse("-"));
        }
        return ids;
    }
}
