package io.loggia.net.broker.groups;

import io.loggia.codec.wire.ApiKeys;
import io.loggia.net.broker.BrokerFixture;
import io.loggia.net.broker.WireClient;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidGroupIdException;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.Errors;
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
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Requests a well-behaved client does not send, answered with Kafka's error codes and the connection kept:
 * OffsetCommit for an unknown topic or partition, from a stale generation or an unknown member, with metadata
 * over {@code offset.metadata.max.bytes}; group ids that are empty or longer than the broker takes.
 */
class GroupBadInputTest
{
    private static final String TOPIC = "accounts";
    private static final short COMMIT_VERSION = 9;
    private static final short COMMIT_TOPIC_ID_VERSION = 10;
    private static final String TOO_LONG = "g".repeat(1025);

    @TempDir
    static Path dir;

    private static BrokerFixture broker;

    @BeforeAll
    static void start() throws Exception
    {
        broker = GroupClients.startBroker(dir);
        GroupClients.createTopic(broker.admin(), TOPIC, 2);
        // as clients do before their first group request: FindCoordinator has __consumer_offsets created
        try (WireClient client = new WireClient(RawMember.address(broker.bootstrapServers())))
        {
            RawMember.awaitCoordinator(client, "any");
        }
    }

    @AfterAll
    static void stop()
    {
        broker.close();
        assertThat(broker.broker().errorCount()).isZero();
    }

    @Test
    void commitsForUnknownTopicsAndPartitionsAreRefusedPartitionByPartition() throws Exception
    {
        try (WireClient client = new WireClient(RawMember.address(broker.bootstrapServers())))
        {
            final OffsetCommitResponseData response = client.call(ApiKeys.OFFSET_COMMIT, COMMIT_VERSION,
                new OffsetCommitRequestData()
                    .setGroupId("offsets-only")
                    .setGenerationIdOrMemberEpoch(-1)
                    .setMemberId("")
                    .setTopics(List.of(
                        topic(TOPIC, partition(0, 5, ""), partition(2, 5, "")),
                        topic("no-such-topic", partition(0, 5, "")))),
                OffsetCommitResponseData::new);
            assertThat(errors(response)).containsExactly(
                TOPIC + "-0 NONE",
                TOPIC + "-2 UNKNOWN_TOPIC_OR_PARTITION",
                "no-such-topic-0 UNKNOWN_TOPIC_OR_PARTITION");

            final OffsetCommitResponseData byId = client.call(ApiKeys.OFFSET_COMMIT, COMMIT_TOPIC_ID_VERSION,
                new OffsetCommitRequestData()
                    .setGroupId("offsets-only")
                    .setGenerationIdOrMemberEpoch(-1)
                    .setMemberId("")
                    .setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic()
                        .setTopicId(Uuid.randomUuid())
                        .setPartitions(List.of(partition(0, 5, ""))))),
                OffsetCommitResponseData::new);
            assertThat(Errors.forCode(byId.topics().get(0).partitions().get(0).errorCode()))
                .isEqualTo(Errors.UNKNOWN_TOPIC_ID);
        }
        assertThat(committed("offsets-only")).containsEntry(new TopicPartition(TOPIC, 0), 5L).hasSize(1);
    }

    @Test
    void commitsFromAStaleGenerationOrAnUnknownMemberAreRefused() throws Exception
    {
        try (RawMember member = new RawMember(broker.bootstrapServers(), "generations"))
        {
            assertThat(Errors.forCode(member.join(TOPIC, 10_000, 10_000).errorCode())).isEqualTo(Errors.NONE);
            member.syncAsLeader(List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1)));
            final WireClient client = member.client();

            assertThat(commit(client, "generations", member.generation(), member.memberId(), 7, ""))
                .isEqualTo(Errors.NONE);
            assertThat(commit(client, "generations", member.generation() - 1, member.memberId(), 8, ""))
                .isEqualTo(Errors.ILLEGAL_GENERATION);
            assertThat(commit(client, "generations", member.generation() + 1, member.memberId(), 8, ""))
                .isEqualTo(Errors.ILLEGAL_GENERATION);
            assertThat(commit(client, "generations", member.generation(), "stranger", 8, ""))
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
            assertThat(commit(client, "no-such-group", 3, "stranger", 8, ""))
                .as("a generation for a group that does not exist").isEqualTo(Errors.ILLEGAL_GENERATION);
            assertThat(member.heartbeat()).isEqualTo(Errors.NONE);
        }
        assertThat(committed("generations")).containsEntry(new TopicPartition(TOPIC, 0), 7L);
    }

    @Test
    void metadataLongerThanTheLimitIsRefusedForItsPartitionOnly() throws Exception
    {
        try (WireClient client = new WireClient(RawMember.address(broker.bootstrapServers())))
        {
            final OffsetCommitResponseData response = client.call(ApiKeys.OFFSET_COMMIT, COMMIT_VERSION,
                new OffsetCommitRequestData()
                    .setGroupId("metadata")
                    .setGenerationIdOrMemberEpoch(-1)
                    .setMemberId("")
                    .setTopics(List.of(topic(TOPIC, partition(0, 11, "m".repeat(4096)),
                        partition(1, 12, "m".repeat(4097))))),
                OffsetCommitResponseData::new);
            assertThat(errors(response)).containsExactly(TOPIC + "-0 NONE", TOPIC + "-1 OFFSET_METADATA_TOO_LARGE");
        }
        assertThat(committed("metadata")).containsOnlyKeys(new TopicPartition(TOPIC, 0));
    }

    @Test
    void emptyAndTooLongGroupIdsAreRefusedAndTheConnectionStays() throws Exception
    {
        try (WireClient client = new WireClient(RawMember.address(broker.bootstrapServers())))
        {
            for (final String groupId : new String[]{"", TOO_LONG})
            {
                final JoinGroupRequestData.JoinGroupRequestProtocolCollection protocols =
                    new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
                protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range")
                    .setMetadata(new byte[0]));
                final JoinGroupResponseData join = client.call(ApiKeys.JOIN_GROUP, RawMember.JOIN_VERSION,
                    new JoinGroupRequestData().setGroupId(groupId).setSessionTimeoutMs(10_000)
                        .setRebalanceTimeoutMs(10_000).setMemberId("").setProtocolType("consumer")
                        .setProtocols(protocols),
                    JoinGroupResponseData::new);
                assertThat(Errors.forCode(join.errorCode())).as("JoinGroup '%s'", groupId.length())
                    .isEqualTo(Errors.INVALID_GROUP_ID);
                final HeartbeatResponseData heartbeat = client.call(ApiKeys.HEARTBEAT, RawMember.HEARTBEAT_VERSION,
                    new HeartbeatRequestData().setGroupId(groupId).setGenerationId(1).setMemberId("m"),
                    HeartbeatResponseData::new);
                assertThat(Errors.forCode(heartbeat.errorCode())).isEqualTo(Errors.INVALID_GROUP_ID);
            }
            assertThat(commit(client, TOO_LONG, -1, "", 1, "")).isEqualTo(Errors.INVALID_GROUP_ID);
            final OffsetFetchResponseData fetch = client.call(ApiKeys.OFFSET_FETCH, (short)9,
                new OffsetFetchRequestData().setGroups(List.of(
                    new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId(TOO_LONG).setTopics(null),
                    new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("offsets-only")
                        .setTopics(null))),
                OffsetFetchResponseData::new);
            assertThat(Errors.forCode(fetch.groups().get(0).errorCode())).isEqualTo(Errors.INVALID_GROUP_ID);
            assertThat(Errors.forCode(fetch.groups().get(1).errorCode())).isEqualTo(Errors.NONE);
            final DescribeGroupsResponseData describe = client.call(ApiKeys.DESCRIBE_GROUPS, (short)5,
                new DescribeGroupsRequestData().setGroups(List.of(TOO_LONG)), DescribeGroupsResponseData::new);
            assertThat(Errors.forCode(describe.groups().get(0).errorCode())).isEqualTo(Errors.INVALID_GROUP_ID);
        }

        final ExecutionException describe = (ExecutionException)catchThrown(() ->
            broker.admin().describeConsumerGroups(List.of(TOO_LONG)).all().get());
        assertThat(describe.getCause()).isInstanceOf(InvalidGroupIdException.class);

        try (KafkaConsumer<String, String> consumer =
            GroupClients.consumer(broker.bootstrapServers(), TOO_LONG, Map.of()))
        {
            consumer.subscribe(List.of(TOPIC));
            assertThatThrownBy(() ->
            {
                for (int i = 0; i < 1000; i++)
                {
                    consumer.poll(Duration.ofMillis(20));
                }
            }).isInstanceOf(InvalidGroupIdException.class);
        }
    }

    static Throwable catchThrown(final ThrowingRunnable runnable)
    {
        try
        {
            runnable.run();
            return null;
        }
        catch (final Throwable ex)
        {
            return ex;
        }
    }

    @FunctionalInterface
    interface ThrowingRunnable
    {
        void run() throws Exception;
    }

    private static Errors commit(
        final WireClient client, final String group, final int generation, final String memberId, final long offset,
        final String metadata) throws Exception
    {
        final OffsetCommitResponseData response = client.call(ApiKeys.OFFSET_COMMIT, COMMIT_VERSION,
            new OffsetCommitRequestData()
                .setGroupId(group)
                .setGenerationIdOrMemberEpoch(generation)
                .setMemberId(memberId)
                .setTopics(List.of(topic(TOPIC, partition(0, offset, metadata)))),
            OffsetCommitResponseData::new);
        return Errors.forCode(response.topics().get(0).partitions().get(0).errorCode());
    }

    private static Map<TopicPartition, Long> committed(final String group) throws Exception
    {
        final Map<TopicPartition, Long> offsets = new HashMap<>();
        GroupClients.get(broker.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata())
            .forEach((partition, offset) -> offsets.put(partition, offset.offset()));
        return offsets;
    }

    private static OffsetCommitRequestData.OffsetCommitRequestTopic topic(
        final String name, final OffsetCommitRequestData.OffsetCommitRequestPartition... partitions)
    {
        return new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(name).setPartitions(List.of(partitions));
    }

    private static OffsetCommitRequestData.OffsetCommitRequestPartition partition(
        final int index, final long offset, final String metadata)
    {
        return new OffsetCommitRequestData.OffsetCommitRequestPartition()
            .setPartitionIndex(index)
            .setCommittedOffset(offset)
            .setCommittedMetadata(metadata);
    }

    private static List<String> errors(final OffsetCommitResponseData response)
    {
        final List<String> errors = new ArrayList<>();
        for (final OffsetCommitResponseData.OffsetCommitResponseTopic topic : response.topics())
        {
            for (final OffsetCommitResponseData.OffsetCommitResponsePartition partition : topic.partitions())
            {
                errors.add(topic.name() + '-' + partition.partitionIndex() + ' ' +
                    Errors.forCode(partition.errorCode()).name());
            }
        }
        return errors;
    }
}
