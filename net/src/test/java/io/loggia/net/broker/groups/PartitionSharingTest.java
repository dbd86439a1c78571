package io.loggia.net.broker.groups;

import io.loggia.net.broker.BrokerFixture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.loggia.net.broker.groups.GroupClients.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three real consumers share a six-partition topic through the broker's group coordinator, with the eager range
 * assignor and with the cooperative-sticky one: every partition is owned by exactly one member; when a member
 * leaves and when one joins, the group rebalances and every record produced across the changes is consumed,
 * again only where at-least-once allows it (a rebalance between, and no commit covering it before).
 */
class PartitionSharingTest
{
    private static final String TOPIC = "shared";
    private static final int PARTITIONS = 6;
    private static final int PER_PARTITION = 50;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(classes = {RangeAssignor.class, CooperativeStickyAssignor.class})
    void everyPartitionHasOneOwnerAndNoRecordIsLostAcrossMembershipChanges(final Class<?> assignor)
        throws Exception
    {
        final String group = "sharing-" + assignor.getSimpleName();
        final DeliveryLog log = new DeliveryLog();
        final List<MemberThread> members = new ArrayList<>();
        try (BrokerFixture broker = GroupClients.startBroker(dir);
            KafkaProducer<String, String> producer = GroupClients.producer(broker.bootstrapServers()))
        {
            GroupClients.createTopic(broker.admin(), TOPIC, PARTITIONS);
            final Map<String, Object> settings = Map.of(
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, assignor.getName());
            final List<String> sent = new ArrayList<>(
                GroupClients.produce(producer, TOPIC, PARTITIONS, PER_PARTITION, "before"));
            for (int i = 0; i < 3; i++)
            {
                members.add(member(broker, group, "m" + i, settings, log));
            }
            awaitBalanced(members, 2);
            awaitConsumed(log, sent);

            // the first member (the leader, as it joined first) leaves while records are arriving: its partitions
            // move to the other two, one of which leads the next generation
            sent.addAll(GroupClients.produce(producer, TOPIC, PARTITIONS, PER_PARTITION, "leave"));
            final MemberThread leaving = members.remove(0);
            leaving.close();
            sent.addAll(GroupClients.produce(producer, TOPIC, PARTITIONS, PER_PARTITION, "after-leave"));
            awaitBalanced(members, 3);
            awaitConsumed(log, sent);

            // a member joins while records are arriving: it takes two partitions
            sent.addAll(GroupClients.produce(producer, TOPIC, PARTITIONS, PER_PARTITION, "join"));
            members.add(member(broker, group, "m3", settings, log));
            sent.addAll(GroupClients.produce(producer, TOPIC, PARTITIONS, PER_PARTITION, "after-join"));
            awaitBalanced(members, 2);
            awaitConsumed(log, sent);

            assertThat(log.violations()).isEmpty();
            assertThat(log.values()).containsExactlyInAnyOrderElementsOf(sent);
            assertThat(leaving.errors()).isEmpty();
            for (final MemberThread member : members)
            {
                member.close();
                assertThat(member.errors()).as(member.name()).isEmpty();
            }
            assertThat(broker.broker().errorCount()).isZero();
        }
        finally
        {
            for (final MemberThread member : members)
            {
                member.close();
            }
        }
    }

    private static MemberThread member(
        final BrokerFixture broker,
        final String group,
        final String name,
        final Map<String, Object> settings,
        final DeliveryLog log)
    {
        return new MemberThread(name, log, () -> GroupClients.consumer(broker.bootstrapServers(), group, settings),
            TOPIC);
    }

    /** Every member owns {@code each} partitions and together they own each partition once. */
    private static void awaitBalanced(final List<MemberThread> members, final int each)
    {
        await(() ->
        {
            final Set<TopicPartition> owned = new HashSet<>();
            int total = 0;
            for (final MemberThread member : members)
            {
                final Set<TopicPartition> assignment = member.assignment();
                if (assignment.size() != each)
                {
                    return false;
                }
                owned.addAll(assignment);
                total += assignment.size();
            }
            return total == PARTITIONS && owned.size() == PARTITIONS;
        }, GroupClients.DEADLINE_MS, () -> "each of " + members.size() + " members to own " + each +
            " partitions: " + describe(members));
    }

    private static void awaitConsumed(final DeliveryLog log, final List<String> sent)
    {
        await(() -> log.values().containsAll(sent), GroupClients.DEADLINE_MS,
            () -> "every record consumed; missing " + missing(log, sent));
    }

    private static List<String> missing(final DeliveryLog log, final List<String> sent)
    {
        final Set<String> seen = log.values();
        final List<String> missing = new ArrayList<>();
        for (final String value : sent)
        {
            if (!seen.contains(value))
            {
                missing.add(value);
            }
        }
        return missing.size() > 20 ? missing.subList(0, 20) : missing;
    }

    private static String describe(final List<MemberThread> members)
    {
        final StringBuilder text = new StringBuilder();
        for (final MemberThread member : members)
        {
            text.append(member.name()).append('=').append(member.assignment()).append(' ');
        }
        return text.toString();
    }
}
