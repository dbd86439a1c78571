package io.loggia.net.group;

import io.loggia.codec.wire.ApiKeys;
import io.loggia.engine.group.GroupErrors;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every group API at every version kafka-clients 4.x, librdkafka and kafkajs send: requests written by
 * kafka-clients' *RequestData at the version decode, and the responses, written at the version, parse back
 * with kafka-clients' *ResponseData and say what the coordinator decided.
 */
class GroupApisTest
{
    private static final Uuid ORDERS_ID = Uuid.fromString("MyOrdersTopicIdAAAAAAA");
    private static final byte[] SUBSCRIPTION = {0, 0, 0, 0, 0, 1, 0, 6, 'o', 'r', 'd', 'e', 'r', 's', -1, -1, -1, -1};

    @TempDir
    Path dir;

    private GroupApisHarness harness;

    @AfterEach
    void close()
    {
        harness.close();
    }

    private void start()
    {
        harness = new GroupApisHarness(dir);
        harness.topics.add("orders", 3, ORDERS_ID);
    }

    private static JoinGroupRequestData joinRequest(final String group, final String memberId)
    {
        final JoinGroupRequestData.JoinGroupRequestProtocolCollection protocols =
            new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(SUBSCRIPTION));
        return new JoinGroupRequestData()
            .setGroupId(group)
            .setSessionTimeoutMs(10_000)
            .setRebalanceTimeoutMs(30_000)
            .setMemberId(memberId)
            .setProtocolType("consumer")
            .setProtocols(protocols);
    }

    private JoinGroupResponseData join(final String group, final short version)
    {
        JoinGroupResponseData response = harness.call(ApiKeys.JOIN_GROUP, joinRequest(group, ""), version,
            JoinGroupResponseData::new);
        if (response.errorCode() == GroupErrors.MEMBER_ID_REQUIRED)
        {
            assertThat(version).isGreaterThanOrEqualTo((short)4);
            response = harness.call(ApiKeys.JOIN_GROUP, joinRequest(group, response.memberId()), version,
                JoinGroupResponseData::new);
        }
        return response;
    }

    /** A stable one-member group; returns the member id. */
    private String stable(final String group)
    {
        final JoinGroupResponseData join = join(group, (short)9);
        final SyncGroupRequestData sync = new SyncGroupRequestData().setGroupId(group).setGenerationId(1)
            .setMemberId(join.memberId()).setAssignments(List.of(new SyncGroupRequestData.SyncGroupRequestAssignment()
                .setMemberId(join.memberId()).setAssignment(new byte[]{1, 2})));
        assertThat(harness.call(ApiKeys.SYNC_GROUP, sync, (short)5, SyncGroupResponseData::new).errorCode())
            .isEqualTo(GroupErrors.NONE);
        return join.memberId();
    }

    @Test
    void findCoordinatorAtEveryVersion()
    {
        harness = new GroupApisHarness(dir, false, 1024);
        final FindCoordinatorResponseData early = harness.call(ApiKeys.FIND_COORDINATOR,
            new FindCoordinatorRequestData().setKey("g"), (short)0, FindCoordinatorResponseData::new);
        assertThat(early.errorCode()).isEqualTo(GroupErrors.COORDINATOR_NOT_AVAILABLE);
        assertThat(early.nodeId()).isEqualTo(-1);
        // the request asked for __consumer_offsets; the coordinator has it created and loads it
        harness.runUntil(harness.coordinator::isActive);
        assertThat(harness.log.createRequests()).isEqualTo(1);

        for (short version = 0; version <= 6; version++)
        {
            final FindCoordinatorRequestData request = new FindCoordinatorRequestData();
            if (version < 4)
            {
                request.setKey("g");
            }
            else
            {
                request.setCoordinatorKeys(List.of("g1", "g2"));
            }
            final FindCoordinatorResponseData response =
                harness.call(ApiKeys.FIND_COORDINATOR, request, version, FindCoordinatorResponseData::new);
            if (version < 4)
            {
                assertThat(response.errorCode()).as("v%d", version).isEqualTo(GroupErrors.NONE);
                assertThat(response.nodeId()).isEqualTo(7);
                assertThat(response.host()).isEqualTo("broker.example");
                assertThat(response.port()).isEqualTo(9092);
            }
            else
            {
                assertThat(response.coordinators()).extracting(FindCoordinatorResponseData.Coordinator::key)
                    .containsExactly("g1", "g2");
                assertThat(response.coordinators()).allSatisfy(c ->
                {
                    assertThat(c.errorCode()).isEqualTo(GroupErrors.NONE);
                    assertThat(c.nodeId()).isEqualTo(7);
                    assertThat(c.port()).isEqualTo(9092);
                });
            }

            if (version >= 1)
            {
                final FindCoordinatorRequestData transaction = new FindCoordinatorRequestData().setKeyType((byte)1);
                if (version < 4)
                {
                    transaction.setKey("tx");
                }
                else
                {
                    transaction.setCoordinatorKeys(List.of("tx"));
                }
                final FindCoordinatorResponseData refused =
                    harness.call(ApiKeys.FIND_COORDINATOR, transaction, version, FindCoordinatorResponseData::new);
                final short error = version < 4 ? refused.errorCode() : refused.coordinators().get(0).errorCode();
                final String message =
                    version < 4 ? refused.errorMessage() : refused.coordinators().get(0).errorMessage();
                assertThat(error).isEqualTo(GroupErrors.COORDINATOR_NOT_AVAILABLE);
                assertThat(message).contains("transactions");
            }
        }
        final FindCoordinatorResponseData unknownType = harness.call(ApiKeys.FIND_COORDINATOR,
            new FindCoordinatorRequestData().setKeyType((byte)9).setCoordinatorKeys(List.of("x")), (short)6,
            FindCoordinatorResponseData::new);
        assertThat(unknownType.coordinators().get(0).errorCode()).isEqualTo(GroupErrors.INVALID_REQUEST);
    }

    @Test
    void joinGroupAtEveryVersion()
    {
        start();
        for (short version = 0; version <= 9; version++)
        {
            final String group = "join-v" + version;
            final JoinGroupRequestData request = joinRequest(group, "");
            if (version >= 8)
            {
                request.setReason("testing");
            }
            JoinGroupResponseData response =
                harness.call(ApiKeys.JOIN_GROUP, request, version, JoinGroupResponseData::new);
            if (version >= 4)
            {
                assertThat(response.errorCode()).as("v%d", version).isEqualTo(GroupErrors.MEMBER_ID_REQUIRED);
                assertThat(response.memberId()).startsWith("test-client-");
                assertThat(response.generationId()).isEqualTo(-1);
                response = harness.call(ApiKeys.JOIN_GROUP, joinRequest(group, response.memberId()), version,
                    JoinGroupResponseData::new);
            }
            assertThat(response.errorCode()).as("v%d", version).isEqualTo(GroupErrors.NONE);
            assertThat(response.generationId()).isEqualTo(1);
            assertThat(response.protocolName()).isEqualTo("range");
            assertThat(response.leader()).isEqualTo(response.memberId());
            assertThat(response.protocolType()).isEqualTo(version >= 7 ? "consumer" : null);
            assertThat(response.members()).hasSize(1);
            assertThat(response.members().get(0).memberId()).isEqualTo(response.memberId());
            assertThat(response.members().get(0).metadata()).isEqualTo(SUBSCRIPTION);
            assertThat(response.skipAssignment()).isFalse();
        }

        // errors keep the version's shape: a null protocol name is "" before v7
        final JoinGroupResponseData unknown = harness.call(ApiKeys.JOIN_GROUP, joinRequest("nogroup", "someone"),
            (short)6, JoinGroupResponseData::new);
        assertThat(unknown.errorCode()).isEqualTo(GroupErrors.UNKNOWN_MEMBER_ID);
        assertThat(unknown.protocolName()).isEmpty();
        assertThat(unknown.memberId()).isEqualTo("someone");
        final JoinGroupResponseData invalid = harness.call(ApiKeys.JOIN_GROUP, joinRequest("", ""), (short)9,
            JoinGroupResponseData::new);
        assertThat(invalid.errorCode()).isEqualTo(GroupErrors.INVALID_GROUP_ID);
        assertThat(invalid.protocolName()).isNull();
    }

    @Test
    void staticMemberJoinsAtVersionFiveAndUp()
    {
        start();
        for (short version = 5; version <= 9; version++)
        {
            final String group = "static-v" + version;
            final JoinGroupRequestData request = joinRequest(group, "").setGroupInstanceId("instance-1");
            final JoinGroupResponseData response =
                harness.call(ApiKeys.JOIN_GROUP, request, version, JoinGroupResponseData::new);
            assertThat(response.errorCode()).as("v%d", version).isEqualTo(GroupErrors.NONE);
            assertThat(response.memberId()).startsWith("instance-1-");
            assertThat(response.members().get(0).groupInstanceId()).isEqualTo("instance-1");
        }
    }

    @Test
    void syncGroupAtEveryVersion()
    {
        start();
        for (short version = 0; version <= 5; version++)
        {
            final String group = "sync-v" + version;
            final JoinGroupResponseData join = join(group, (short)9);
            final SyncGroupRequestData request = new SyncGroupRequestData()
                .setGroupId(group)
                .setGenerationId(join.generationId())
                .setMemberId(join.memberId())
                .setAssignments(List.of(new SyncGroupRequestData.SyncGroupRequestAssignment()
                    .setMemberId(join.memberId()).setAssignment(new byte[]{9, 8, 7})));
            if (version >= 5)
            {
                request.setProtocolType("consumer").setProtocolName("range");
            }
            final SyncGroupResponseData response =
                harness.call(ApiKeys.SYNC_GROUP, request, version, SyncGroupResponseData::new);
            assertThat(response.errorCode()).as("v%d", version).isEqualTo(GroupErrors.NONE);
            assertThat(response.assignment()).containsExactly(9, 8, 7);
            assertThat(response.protocolType()).isEqualTo(version >= 5 ? "consumer" : null);
            assertThat(response.protocolName()).isEqualTo(version >= 5 ? "range" : null);

            final SyncGroupResponseData stale = harness.call(ApiKeys.SYNC_GROUP,
                request.duplicate().setGenerationId(5), version, SyncGroupResponseData::new);
            assertThat(stale.errorCode()).isEqualTo(GroupErrors.ILLEGAL_GENERATION);
            assertThat(stale.assignment()).isEmpty();
        }
    }

    @Test
    void heartbeatAtEveryVersion()
    {
        start();
        final String member = stable("hb");
        for (short version = 0; version <= 4; version++)
        {
            final HeartbeatRequestData request =
                new HeartbeatRequestData().setGroupId("hb").setGenerationId(1).setMemberId(member);
            assertThat(harness.call(ApiKeys.HEARTBEAT, request, version, HeartbeatResponseData::new).errorCode())
                .as("v%d", version).isEqualTo(GroupErrors.NONE);
            assertThat(harness.call(ApiKeys.HEARTBEAT, request.duplicate().setMemberId("nobody"), version,
                HeartbeatResponseData::new).errorCode()).isEqualTo(GroupErrors.UNKNOWN_MEMBER_ID);
        }
    }

    @Test
    void leaveGroupAtEveryVersion()
    {
        start();
        for (short version = 0; version <= 5; version++)
        {
            final String group = "leave-v" + version;
            final String member = stable(group);
            final LeaveGroupRequestData request = new LeaveGroupRequestData().setGroupId(group);
            if (version < 3)
            {
                request.setMemberId(member);
            }
            else
            {
                final LeaveGroupRequestData.MemberIdentity identity =
                    new LeaveGroupRequestData.MemberIdentity().setMemberId(member);
                if (version >= 5)
                {
                    identity.setReason("closing");
                }
                request.setMembers(List.of(identity, new LeaveGroupRequestData.MemberIdentity().setMemberId("x")));
            }
            final LeaveGroupResponseData response =
                harness.call(ApiKeys.LEAVE_GROUP, request, version, LeaveGroupResponseData::new);
            assertThat(response.errorCode()).as("v%d", version).isEqualTo(GroupErrors.NONE);
            if (version >= 3)
            {
                assertThat(response.members()).extracting(LeaveGroupResponseData.MemberResponse::errorCode)
                    .containsExactly(GroupErrors.NONE, GroupErrors.UNKNOWN_MEMBER_ID);
            }
            else
            {
                assertThat(harness.call(ApiKeys.LEAVE_GROUP, request, version, LeaveGroupResponseData::new)
                    .errorCode()).isEqualTo(GroupErrors.UNKNOWN_MEMBER_ID);
            }
        }
    }

    private static OffsetCommitRequestData commitRequest(final String group, final short version)
    {
        final OffsetCommitRequestData.OffsetCommitRequestTopic orders =
            new OffsetCommitRequestData.OffsetCommitRequestTopic().setPartitions(List.of(
                new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(100)
                    .setCommittedLeaderEpoch(version >= 6 ? 4 : -1).setCommittedMetadata("meta"),
                new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(1).setCommittedOffset(101)
                    .setCommittedMetadata(null),
                new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(7).setCommittedOffset(1)));
        final OffsetCommitRequestData.OffsetCommitRequestTopic missing =
            new OffsetCommitRequestData.OffsetCommitRequestTopic().setPartitions(List.of(
                new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(1)));
        if (version >= 10)
        {
            orders.setTopicId(ORDERS_ID);
            missing.setTopicId(Uuid.randomUuid());
        }
        else
        {
            orders.setName("orders");
            missing.setName("missing");
        }
        return new OffsetCommitRequestData().setGroupId(group).setGenerationIdOrMemberEpoch(-1).setMemberId("")
            .setTopics(List.of(orders, missing));
    }

    @Test
    void offsetCommitAtEveryVersion()
    {
        start();
        for (short version = 2; version <= 10; version++)
        {
            final String group = "commit-v" + version;
            final OffsetCommitResponseData response = harness.call(ApiKeys.OFFSET_COMMIT,
                commitRequest(group, version), version, OffsetCommitResponseData::new);
            assertThat(response.topics()).hasSize(2);
            final OffsetCommitResponseData.OffsetCommitResponseTopic orders = response.topics().get(0);
            if (version >= 10)
            {
                assertThat(orders.topicId()).isEqualTo(ORDERS_ID);
            }
            else
            {
                assertThat(orders.name()).isEqualTo("orders");
            }
            assertThat(orders.partitions())
                .extracting(OffsetCommitResponseData.OffsetCommitResponsePartition::errorCode)
                .as("v%d", version)
                .containsExactly(GroupErrors.NONE, GroupErrors.NONE, GroupErrors.UNKNOWN_TOPIC_OR_PARTITION);
            assertThat(response.topics().get(1).partitions().get(0).errorCode())
                .isEqualTo(version >= 10 ? GroupErrors.UNKNOWN_TOPIC_ID : GroupErrors.UNKNOWN_TOPIC_OR_PARTITION);

            final OffsetFetchResponseData fetched = harness.call(ApiKeys.OFFSET_FETCH, new OffsetFetchRequestData()
                .setGroupId(group).setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopic()
                    .setName("orders").setPartitionIndexes(List.of(0, 1)))), (short)7, OffsetFetchResponseData::new);
            final List<OffsetFetchResponseData.OffsetFetchResponsePartition> partitions =
                fetched.topics().get(0).partitions();
            assertThat(partitions.get(0).committedOffset()).isEqualTo(100);
            assertThat(partitions.get(0).committedLeaderEpoch()).isEqualTo(version >= 6 ? 4 : -1);
            assertThat(partitions.get(0).metadata()).isEqualTo("meta");
            assertThat(partitions.get(1).committedOffset()).isEqualTo(101);
            assertThat(partitions.get(1).metadata()).isEmpty();
        }
    }

    @Test
    void offsetCommitByAMemberAndWithAStaleGeneration()
    {
        start();
        final String member = stable("members");
        final OffsetCommitRequestData request = commitRequest("members", (short)9)
            .setGenerationIdOrMemberEpoch(1).setMemberId(member);
        final OffsetCommitResponseData ok =
            harness.call(ApiKeys.OFFSET_COMMIT, request, (short)9, OffsetCommitResponseData::new);
        assertThat(ok.topics().get(0).partitions().get(0).errorCode()).isEqualTo(GroupErrors.NONE);
        final OffsetCommitResponseData stale = harness.call(ApiKeys.OFFSET_COMMIT,
            request.duplicate().setGenerationIdOrMemberEpoch(0), (short)9, OffsetCommitResponseData::new);
        assertThat(stale.topics().get(0).partitions().get(0).errorCode()).isEqualTo(GroupErrors.ILLEGAL_GENERATION);
        // the unknown partition keeps its own error
        assertThat(stale.topics().get(0).partitions().get(2).errorCode())
            .isEqualTo(GroupErrors.UNKNOWN_TOPIC_OR_PARTITION);
    }

    @Test
    void offsetFetchAtEveryVersion()
    {
        start();
        harness.call(ApiKeys.OFFSET_COMMIT, commitRequest("fetch", (short)9), (short)9, OffsetCommitResponseData::new);
        for (short version = 1; version <= 7; version++)
        {
            final OffsetFetchRequestData request = new OffsetFetchRequestData().setGroupId("fetch")
                .setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopic().setName("orders")
                    .setPartitionIndexes(List.of(1, 0, 2))));
            final OffsetFetchResponseData response =
                harness.call(ApiKeys.OFFSET_FETCH, request, version, OffsetFetchResponseData::new);
            assertThat(response.errorCode()).isEqualTo(GroupErrors.NONE);
            assertThat(response.topics().get(0).partitions())
                .extracting(OffsetFetchResponseData.OffsetFetchResponsePartition::committedOffset)
                .as("v%d", version).containsExactly(101L, 100L, -1L);
            assertThat(response.topics().get(0).partitions().get(1).committedLeaderEpoch())
                .isEqualTo(version >= 5 ? 4 : -1);
            if (version >= 2)
            {
                final OffsetFetchResponseData all = harness.call(ApiKeys.OFFSET_FETCH,
                    new OffsetFetchRequestData().setGroupId("fetch").setTopics(null), version,
                    OffsetFetchResponseData::new);
                assertThat(all.topics()).hasSize(1);
                assertThat(all.topics().get(0).partitions())
                    .extracting(OffsetFetchResponseData.OffsetFetchResponsePartition::partitionIndex)
                    .containsExactly(0, 1);
            }
        }
        // a group error: top-level from v2, in every partition at v1
        final OffsetFetchRequestData invalid = new OffsetFetchRequestData().setGroupId("x".repeat(2000))
            .setTopics(List.of(new OffsetFetchRequestData.OffsetFetchRequestTopic().setName("orders")
                .setPartitionIndexes(List.of(0))));
        assertThat(harness.call(ApiKeys.OFFSET_FETCH, invalid, (short)1, OffsetFetchResponseData::new).topics().get(0)
            .partitions().get(0).errorCode()).isEqualTo(GroupErrors.INVALID_GROUP_ID);
        assertThat(harness.call(ApiKeys.OFFSET_FETCH, invalid, (short)6, OffsetFetchResponseData::new).errorCode())
            .isEqualTo(GroupErrors.INVALID_GROUP_ID);

        for (short version = 8; version <= 10; version++)
        {
            final OffsetFetchRequestData.OffsetFetchRequestTopics topic =
                new OffsetFetchRequestData.OffsetFetchRequestTopics().setPartitionIndexes(List.of(0, 1));
            final OffsetFetchRequestData.OffsetFetchRequestTopics unknown =
                new OffsetFetchRequestData.OffsetFetchRequestTopics().setPartitionIndexes(List.of(0));
            if (version >= 10)
            {
                topic.setTopicId(ORDERS_ID);
                unknown.setTopicId(Uuid.randomUuid());
            }
            else
            {
                topic.setName("orders");
                unknown.setName("unknown");
            }
            final OffsetFetchRequestData request = new OffsetFetchRequestData().setRequireStable(true).setGroups(
                List.of(new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("fetch")
                    .setTopics(List.of(topic, unknown)),
                new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("fetch").setTopics(null),
                new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("").setTopics(null)));
            final OffsetFetchResponseData response =
                harness.call(ApiKeys.OFFSET_FETCH, request, version, OffsetFetchResponseData::new);
            assertThat(response.groups()).hasSize(3);
            final OffsetFetchResponseData.OffsetFetchResponseGroup requested = response.groups().get(0);
            assertThat(requested.errorCode()).isEqualTo(GroupErrors.NONE);
            assertThat(requested.topics().get(0).partitions())
                .extracting(OffsetFetchResponseData.OffsetFetchResponsePartitions::committedOffset)
                .as("v%d", version).containsExactly(100L, 101L);
            assertThat(requested.topics().get(1).partitions().get(0).errorCode())
                .isEqualTo(version >= 10 ? GroupErrors.UNKNOWN_TOPIC_ID : GroupErrors.NONE);
            if (version >= 10)
            {
                assertThat(requested.topics().get(0).topicId()).isEqualTo(ORDERS_ID);
                assertThat(response.groups().get(1).topics().get(0).topicId()).isEqualTo(ORDERS_ID);
            }
            else
            {
                assertThat(requested.topics().get(0).name()).isEqualTo("orders");
                assertThat(response.groups().get(1).topics().get(0).name()).isEqualTo("orders");
            }
            assertThat(response.groups().get(1).topics().get(0).partitions()).hasSize(2);
            assertThat(response.groups().get(2).topics()).isEmpty();
        }
    }

    @Test
    void listDescribeAndDeleteGroupsAtEveryVersion()
    {
        start();
        final String member = stable("described");
        harness.call(ApiKeys.OFFSET_COMMIT, commitRequest("empty", (short)9), (short)9, OffsetCommitResponseData::new);

        for (short version = 0; version <= 5; version++)
        {
            final ListGroupsRequestData request = new ListGroupsRequestData();
            if (version >= 4)
            {
                request.setStatesFilter(List.of("Stable"));
            }
            if (version >= 5)
            {
                request.setTypesFilter(List.of("classic"));
            }
            final ListGroupsResponseData response =
                harness.call(ApiKeys.LIST_GROUPS, request, version, ListGroupsResponseData::new);
            assertThat(response.errorCode()).isEqualTo(GroupErrors.NONE);
            if (version >= 4)
            {
                assertThat(response.groups()).extracting(ListGroupsResponseData.ListedGroup::groupId)
                    .containsExactly("described");
                assertThat(response.groups().get(0).groupState()).isEqualTo("Stable");
                assertThat(response.groups().get(0).groupType()).isEqualTo(version >= 5 ? "classic" : "");
            }
            else
            {
                assertThat(response.groups()).extracting(ListGroupsResponseData.ListedGroup::groupId)
                    .containsExactly("described", "empty");
                assertThat(response.groups()).extracting(ListGroupsResponseData.ListedGroup::protocolType)
                    .containsExactly("consumer", "");
            }
        }

        for (short version = 0; version <= 6; version++)
        {
            final DescribeGroupsRequestData request =
                new DescribeGroupsRequestData().setGroups(List.of("described", "missing"));
            if (version >= 3)
            {
                request.setIncludeAuthorizedOperations(true);
            }
            final DescribeGroupsResponseData response =
                harness.call(ApiKeys.DESCRIBE_GROUPS, request, version, DescribeGroupsResponseData::new);
            final DescribeGroupsResponseData.DescribedGroup described = response.groups().get(0);
            assertThat(described.errorCode()).as("v%d", version).isEqualTo(GroupErrors.NONE);
            assertThat(described.groupState()).isEqualTo("Stable");
            assertThat(described.protocolType()).isEqualTo("consumer");
            assertThat(described.protocolData()).isEqualTo("range");
            assertThat(described.members()).hasSize(1);
            assertThat(described.members().get(0).memberId()).isEqualTo(member);
            assertThat(described.members().get(0).clientId()).isEqualTo("test-client");
            assertThat(described.members().get(0).clientHost()).isEqualTo("/127.0.0.1");
            assertThat(described.members().get(0).memberMetadata()).isEqualTo(SUBSCRIPTION);
            assertThat(described.members().get(0).memberAssignment()).containsExactly(1, 2);
            assertThat(described.authorizedOperations())
                .isEqualTo(version >= 3 ? AdminCodecs.GROUP_OPERATIONS : Integer.MIN_VALUE);
            final DescribeGroupsResponseData.DescribedGroup missing = response.groups().get(1);
            assertThat(missing.groupState()).isEqualTo("Dead");
            assertThat(missing.errorCode()).isEqualTo(version >= 6 ? GroupErrors.GROUP_ID_NOT_FOUND : GroupErrors.NONE);
            assertThat(missing.errorMessage()).isEqualTo(version >= 6 ? "Group missing not found." : null);
        }

        for (short version = 0; version <= 3; version++)
        {
            final String group = "delete-v" + version;
            harness.call(ApiKeys.OFFSET_COMMIT, commitRequest(group, (short)9), (short)9,
                OffsetCommitResponseData::new);
            final DeleteGroupsResponseData response = harness.call(ApiKeys.DELETE_GROUPS,
                new DeleteGroupsRequestData().setGroupsNames(List.of(group, "described", "missing")), version,
                DeleteGroupsResponseData::new);
            assertThat(response.results().find(group).errorCode()).as("v%d", version).isEqualTo(GroupErrors.NONE);
            assertThat(response.results().find("described").errorCode()).isEqualTo(GroupErrors.NON_EMPTY_GROUP);
            assertThat(response.results().find("missing").errorCode()).isEqualTo(GroupErrors.GROUP_ID_NOT_FOUND);
        }
    }

    @Test
    void offsetDelete()
    {
        start();
        harness.call(ApiKeys.OFFSET_COMMIT, commitRequest("od", (short)9), (short)9, OffsetCommitResponseData::new);
        final OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection topics =
            new OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection();
        topics.add(new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName("orders").setPartitions(List.of(
            new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(0),
            new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(9))));
        topics.add(new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName("missing").setPartitions(List.of(
            new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(0))));
        final OffsetDeleteResponseData response = harness.call(ApiKeys.OFFSET_DELETE,
            new OffsetDeleteRequestData().setGroupId("od").setTopics(topics), (short)0, OffsetDeleteResponseData::new);
        assertThat(response.errorCode()).isEqualTo(GroupErrors.NONE);
        assertThat(response.topics().find("orders").partitions().find(0).errorCode()).isEqualTo(GroupErrors.NONE);
        assertThat(response.topics().find("orders").partitions().find(9).errorCode())
            .isEqualTo(GroupErrors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(response.topics().find("missing").partitions().find(0).errorCode())
            .isEqualTo(GroupErrors.UNKNOWN_TOPIC_OR_PARTITION);

        final OffsetDeleteResponseData noGroup = harness.call(ApiKeys.OFFSET_DELETE,
            new OffsetDeleteRequestData().setGroupId("nogroup").setTopics(topics), (short)0,
            OffsetDeleteResponseData::new);
        assertThat(noGroup.errorCode()).isEqualTo(GroupErrors.GROUP_ID_NOT_FOUND);
        assertThat(noGroup.topics()).isEmpty();
    }

    @Test
    void supportedVersionsAreWithinKafkasAndOthersAreNotHandled()
    {
        start();
        final List<ApiVersionsResponseData.ApiVersion> versions = GroupApis.supportedVersions();
        assertThat(versions).extracting(ApiVersionsResponseData.ApiVersion::apiKey).containsExactly(
            (short)8, (short)9, (short)10, (short)11, (short)12, (short)13, (short)14, (short)15, (short)16,
            (short)42, (short)47);
        for (final ApiVersionsResponseData.ApiVersion version : versions)
        {
            final org.apache.kafka.common.protocol.ApiKeys kafka =
                org.apache.kafka.common.protocol.ApiKeys.forId(version.apiKey());
            assertThat(version.minVersion()).isGreaterThanOrEqualTo(kafka.oldestVersion());
            assertThat(version.maxVersion()).isEqualTo(kafka.latestVersion());
        }
        final ByteBuffer empty = ByteBuffer.allocate(0);
        assertThat(harness.apis.handle(ApiKeys.JOIN_GROUP, (short)10, empty, null, null)).isFalse();
        assertThat(harness.apis.handle(ApiKeys.OFFSET_COMMIT, (short)1, empty, null, null)).isFalse();
        assertThat(harness.apis.handle(ApiKeys.PRODUCE, (short)9, empty, null, null)).isFalse();
        assertThat(GroupApis.isGroupApi(ApiKeys.METADATA)).isFalse();
        assertThat(GroupApis.isGroupApi(ApiKeys.OFFSET_DELETE)).isTrue();
    }

    @Test
    void fullCommandQueueIsAnsweredAtOnceWithCoordinatorNotAvailable()
    {
        harness = new GroupApisHarness(dir, true, 2);
        final HeartbeatRequestData request = new HeartbeatRequestData().setGroupId("g").setMemberId("m");
        final GroupApisHarness.Reply first = harness.send(ApiKeys.HEARTBEAT, request, (short)4);
        harness.send(ApiKeys.HEARTBEAT, request, (short)4);
        final GroupApisHarness.Reply third = harness.send(ApiKeys.HEARTBEAT, request, (short)4);
        assertThat(third.body).isNotNull();
        assertThat(first.body).isNull();
        assertThat(harness.response(third, (short)4, HeartbeatResponseData::new).errorCode())
            .isEqualTo(GroupErrors.COORDINATOR_NOT_AVAILABLE);
        assertThat(harness.response(first, (short)4, HeartbeatResponseData::new).errorCode())
            .isEqualTo(GroupErrors.UNKNOWN_MEMBER_ID);
        assertThat(new String(SUBSCRIPTION, 8, 6, StandardCharsets.US_ASCII)).isEqualTo("orders");
    }
}
