package io.loggia.net.broker.groups;

import io.loggia.net.broker.BrokerFixture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.GroupSubscribedToTopicException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.loggia.net.broker.groups.GroupClients.await;
import static io.loggia.net.broker.groups.GroupClients.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The AdminClient's consumer group calls against the broker: listConsumerGroups, describeConsumerGroups,
 * listConsumerGroupOffsets, deleteConsumerGroupOffsets and deleteConsumerGroups, on a live group with members
 * and on groups that only hold offsets.
 */
class GroupAdminClientTest
{
    private static final String TOPIC = "audit";
    private static final String OTHER_TOPIC = "audit-other";

    @TempDir
    static Path dir;

    private static BrokerFixture broker;
    private static Admin admin;

    @BeforeAll
    static void start() throws Exception
    {
        broker = GroupClients.startBroker(dir);
        admin = broker.admin();
        GroupClients.createTopic(admin, TOPIC, 3);
        GroupClients.createTopic(admin, OTHER_TOPIC, 1);
        try (KafkaProducer<String, String> producer = GroupClients.producer(broker.bootstrapServers()))
        {
            GroupClients.produce(producer, TOPIC, 3, 4, "r");
        }
    }

    @AfterAll
    static void stop()
    {
        broker.close();
        assertThat(broker.broker().errorCount()).isZero();
    }

    @Test
    void listAndDescribeALiveGroup() throws Exception
    {
        final DeliveryLog log = new DeliveryLog();
        try (MemberThread one = new MemberThread("one", log, () -> GroupClients.consumer(broker.bootstrapServers(),
                "live", Map.of(ConsumerConfig.CLIENT_ID_CONFIG, "client-one")), TOPIC);
            MemberThread two = new MemberThread("two", log, () -> GroupClients.consumer(broker.bootstrapServers(),
                "live", Map.of(ConsumerConfig.CLIENT_ID_CONFIG, "client-two")), TOPIC))
        {
            await(() -> one.assignment().size() + two.assignment().size() == 3 &&
                !one.assignment().isEmpty() && !two.assignment().isEmpty() && one.generation() == two.generation(),
                "two members sharing three partitions");

            final Map<String, ConsumerGroupListing> listed = listings();
            assertThat(listed).containsKey("live");
            assertThat(listed.get("live").groupState()).contains(GroupState.STABLE);
            assertThat(listed.get("live").type()).contains(GroupType.CLASSIC);
            assertThat(listed.get("live").isSimpleConsumerGroup()).isFalse();
            final GroupListing group = get(admin.listGroups().all()).stream()
                .filter(listing -> listing.groupId().equals("live")).findFirst().orElseThrow();
            assertThat(group.protocol()).isEqualTo("consumer");

            final ConsumerGroupDescription description =
                get(admin.describeConsumerGroups(List.of("live")).describedGroups().get("live"));
            assertThat(description.groupState()).isEqualTo(GroupState.STABLE);
            assertThat(description.partitionAssignor()).isEqualTo("range");
            assertThat(description.isSimpleConsumerGroup()).isFalse();
            assertThat(description.coordinator().id()).isEqualTo(1);
            assertThat(description.members()).hasSize(2);
            final Set<TopicPartition> assigned = new HashSet<>();
            final Set<String> clientIds = new HashSet<>();
            for (final MemberDescription member : description.members())
            {
                assigned.addAll(member.assignment().topicPartitions());
                clientIds.add(member.clientId());
                assertThat(member.consumerId()).startsWith(member.clientId() + '-');
            }
            assertThat(clientIds).containsExactlyInAnyOrder("client-one", "client-two");
            assertThat(assigned).containsExactlyInAnyOrder(
                new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1), new TopicPartition(TOPIC, 2));

            // members commit what they consume
            await(() -> log.values().size() == 12, "every record consumed");
            await(() -> committed("live").size() == 3, "three committed offsets");
            assertThat(committed("live")).containsOnly(
                Map.entry(new TopicPartition(TOPIC, 0), 4L),
                Map.entry(new TopicPartition(TOPIC, 1), 4L),
                Map.entry(new TopicPartition(TOPIC, 2), 4L));

            final ExecutionException busy = (ExecutionException)thrown(() ->
                admin.deleteConsumerGroups(List.of("live")).all().get(30, TimeUnit.SECONDS));
            assertThat(busy.getCause()).isInstanceOf(GroupNotEmptyException.class);
            final ExecutionException subscribed = (ExecutionException)thrown(() ->
                admin.deleteConsumerGroupOffsets("live", Set.of(new TopicPartition(TOPIC, 0))).all()
                    .get(30, TimeUnit.SECONDS));
            assertThat(subscribed.getCause()).isInstanceOf(GroupSubscribedToTopicException.class);
        }
        await(() -> stateOf("live") == GroupState.EMPTY, "the group to be empty once its members left");
        get(admin.deleteConsumerGroups(List.of("live")).all());
        assertThat(listings()).doesNotContainKey("live");
        final ExecutionException gone = (ExecutionException)thrown(() ->
            admin.describeConsumerGroups(List.of("live")).all().get(30, TimeUnit.SECONDS));
        assertThat(gone.getCause()).isInstanceOf(GroupIdNotFoundException.class);
        assertThat(committed("live")).isEmpty();
    }

    @Test
    void offsetsOfAGroupWithoutMembers() throws Exception
    {
        try (KafkaConsumer<String, String> consumer =
            GroupClients.consumer(broker.bootstrapServers(), "keeper", Map.of()))
        {
            consumer.commitSync(Map.of(
                new TopicPartition(TOPIC, 0), new OffsetAndMetadata(1, "a"),
                new TopicPartition(TOPIC, 2), new OffsetAndMetadata(3, "b"),
                new TopicPartition(OTHER_TOPIC, 0), new OffsetAndMetadata(0)));
        }
        assertThat(listings()).containsKey("keeper");
        final ConsumerGroupDescription description =
            get(admin.describeConsumerGroups(List.of("keeper")).describedGroups().get("keeper"));
        assertThat(description.groupState()).isEqualTo(GroupState.EMPTY);
        assertThat(description.members()).isEmpty();
        assertThat(get(admin.listConsumerGroupOffsets("keeper").partitionsToOffsetAndMetadata())).containsOnly(
            Map.entry(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(1, "a")),
            Map.entry(new TopicPartition(TOPIC, 2), new OffsetAndMetadata(3, "b")),
            Map.entry(new TopicPartition(OTHER_TOPIC, 0), new OffsetAndMetadata(0)));

        get(admin.deleteConsumerGroupOffsets("keeper",
            Set.of(new TopicPartition(TOPIC, 2), new TopicPartition(OTHER_TOPIC, 0))).all());
        assertThat(committed("keeper")).containsOnly(Map.entry(new TopicPartition(TOPIC, 0), 1L));

        get(admin.deleteConsumerGroups(List.of("keeper")).all());
        assertThat(committed("keeper")).isEmpty();
        assertThat(listings()).doesNotContainKey("keeper");
        final ExecutionException again = (ExecutionException)thrown(() ->
            admin.deleteConsumerGroups(List.of("keeper")).all().get(30, TimeUnit.SECONDS));
        assertThat(again.getCause()).isInstanceOf(GroupIdNotFoundException.class);
    }

    @Test
    void listFiltersByState() throws Exception
    {
        try (KafkaConsumer<String, String> consumer =
            GroupClients.consumer(broker.bootstrapServers(), "filtered", Map.of()))
        {
            consumer.commitSync(Map.of(new TopicPartition(TOPIC, 1), new OffsetAndMetadata(2)));
        }
        final Set<String> empty = new HashSet<>();
        for (final GroupListing listing : get(admin.listGroups(
            ListGroupsOptions.forConsumerGroups()
                .inGroupStates(Set.of(GroupState.EMPTY))).all()))
        {
            empty.add(listing.groupId());
        }
        assertThat(empty).contains("filtered");
        final Set<String> stable = new HashSet<>();
        for (final GroupListing listing : get(admin.listGroups(
            ListGroupsOptions.forConsumerGroups()
                .inGroupStates(Set.of(GroupState.STABLE))).all()))
        {
            stable.add(listing.groupId());
        }
        assertThat(stable).doesNotContain("filtered");
        assertThatThrownBy(() -> get(admin.deleteConsumerGroups(List.of("never-existed")).all()))
            .hasCauseInstanceOf(GroupIdNotFoundException.class);
    }

    private static Map<String, ConsumerGroupListing> listings() throws Exception
    {
        final Map<String, ConsumerGroupListing> listings = new HashMap<>();
        for (final ConsumerGroupListing listing : get(admin.listConsumerGroups().all()))
        {
            listings.put(listing.groupId(), listing);
        }
        return listings;
    }

    private static GroupState stateOf(final String group)
    {
        try
        {
            return get(admin.describeConsumerGroups(List.of(group)).describedGroups().get(group)).groupState();
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static Map<TopicPartition, Long> committed(final String group)
    {
        final Map<TopicPartition, Long> offsets = new HashMap<>();
        try
        {
            get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata())
                .forEach((partition, offset) -> offsets.put(partition, offset.offset()));
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
        return offsets;
    }

    private static Throwable thrown(final GroupBadInputTest.ThrowingRunnable runnable)
    {
        return GroupBadInputTest.catchThrown(runnable);
    }
}
