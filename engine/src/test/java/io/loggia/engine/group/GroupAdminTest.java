package io.loggia.engine.group;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.loggia.engine.group.GroupHarness.commit;
import static io.loggia.engine.group.GroupHarness.fetch;
import static io.loggia.engine.group.GroupHarness.join;
import static io.loggia.engine.group.GroupHarness.subscription;
import static org.assertj.core.api.Assertions.assertThat;

class GroupAdminTest
{
    @TempDir
    Path dir;

    private GroupHarness harness;

    @AfterEach
    void close()
    {
        harness.close();
    }

    private static DescribeGroupsOp describe(final int version, final String... groups)
    {
        final DescribeGroupsOp op = new DescribeGroupsOp();
        op.apiVersion = (short)version;
        for (final String group : groups)
        {
            op.groups.add(new DescribeGroupsOp.Group(group));
        }
        return op;
    }

    private static DeleteGroupsOp delete(final String... groups)
    {
        final DeleteGroupsOp op = new DeleteGroupsOp();
        for (final String group : groups)
        {
            op.groups.add(new DeleteGroupsOp.Group(group));
        }
        return op;
    }

    private static OffsetDeleteOp offsetDelete(final String group, final Object... topicPartitions)
    {
        final OffsetDeleteOp op = new OffsetDeleteOp();
        op.groupId = group;
        for (int i = 0; i < topicPartitions.length; i += 2)
        {
            op.partitions.add(
                new OffsetDeleteOp.Partition((String)topicPartitions[i], (Integer)topicPartitions[i + 1]));
        }
        return op;
    }

    @Test
    void listGroupsWithStateAndTypeFilters()
    {
        harness = GroupHarness.active(dir);
        harness.stableGroup("stable", 1);
        harness.call(join("completing", ""));
        harness.call(commit("offsets-only", "", -1, "t", 0, 1L));

        final ListGroupsOp all = harness.call(new ListGroupsOp());
        assertThat(all.errorCode).isEqualTo(GroupErrors.NONE);
        assertThat(all.groups).containsExactly(
            new ListGroupsOp.Group("completing", "consumer", "CompletingRebalance", "classic"),
            new ListGroupsOp.Group("offsets-only", "", "Empty", "classic"),
            new ListGroupsOp.Group("stable", "consumer", "Stable", "classic"));

        final ListGroupsOp byState = new ListGroupsOp();
        byState.statesFilter.add("stable");
        byState.statesFilter.add("EMPTY");
        assertThat(harness.call(byState).groups).extracting(ListGroupsOp.Group::groupId)
            .containsExactly("offsets-only", "stable");

        final ListGroupsOp consumerType = new ListGroupsOp();
        consumerType.typesFilter.add("consumer");
        assertThat(harness.call(consumerType).groups).isEmpty();
        final ListGroupsOp classicType = new ListGroupsOp();
        classicType.typesFilter.add("Classic");
        assertThat(harness.call(classicType).groups).hasSize(3);
    }

    @Test
    void describeShowsMembersWithMetadataAndAssignmentWhileStable()
    {
        harness = GroupHarness.active(dir);
        final List<JoinGroupOp> joins = harness.stableGroup("g", 2);
        harness.call(join("completing", ""));
        final DescribeGroupsOp op = harness.call(describe(5, "g", "completing", "missing", ""));

        final DescribeGroupsOp.Group stable = op.groups.get(0);
        assertThat(stable.errorCode).isEqualTo(GroupErrors.NONE);
        assertThat(stable.state).isEqualTo("Stable");
        assertThat(stable.protocolType).isEqualTo("consumer");
        assertThat(stable.protocolData).isEqualTo("range");
        assertThat(stable.members).extracting(DescribeGroupsOp.Member::memberId)
            .containsExactlyInAnyOrder(joins.get(0).responseMemberId, joins.get(1).responseMemberId);
        final DescribeGroupsOp.Member leader = stable.members.stream()
            .filter(m -> m.memberId().equals(joins.get(0).responseMemberId)).findFirst().orElseThrow();
        assertThat(leader.metadata()).isEqualTo(subscription("orders"));
        assertThat(new String(leader.assignment(), StandardCharsets.UTF_8)).isEqualTo("assignment-0");
        assertThat(leader.clientId()).isEqualTo("client");
        assertThat(leader.clientHost()).isEqualTo("/127.0.0.1");

        final DescribeGroupsOp.Group completing = op.groups.get(1);
        assertThat(completing.state).isEqualTo("CompletingRebalance");
        assertThat(completing.protocolData).isEmpty();
        assertThat(completing.members).hasSize(1);
        assertThat(completing.members.get(0).metadata()).isEmpty();

        assertThat(op.groups.get(2).errorCode).isEqualTo(GroupErrors.NONE);
        assertThat(op.groups.get(2).state).isEqualTo("Dead");
        assertThat(op.groups.get(3).state).isEqualTo("Dead");

        final DescribeGroupsOp v6 = harness.call(describe(6, "missing"));
        assertThat(v6.groups.get(0).errorCode).isEqualTo(GroupErrors.GROUP_ID_NOT_FOUND);
        assertThat(v6.groups.get(0).errorMessage).isEqualTo("Group missing not found.");
    }

    @Test
    void deleteGroupsRemovesEmptyGroupsAndTheirOffsets()
    {
        harness = GroupHarness.active(dir, Map.of(), 5);
        harness.call(commit("empty-1", "", -1, "t", 0, 1L, "t", 1, 2L));
        harness.call(commit("empty-2", "", -1, "t", 0, 3L));
        harness.stableGroup("busy", 1);

        final int appends = harness.log.appended.size();
        final DeleteGroupsOp op = delete("empty-1", "busy", "missing", "empty-2");
        harness.send(op);
        harness.coordinator.doWork();
        harness.collect();
        assertThat(harness.isAnswered(op)).isFalse();
        harness.cycle();
        assertThat(op.groups).extracting(g -> g.errorCode).containsExactly(
            GroupErrors.NONE, GroupErrors.NON_EMPTY_GROUP, GroupErrors.GROUP_ID_NOT_FOUND, GroupErrors.NONE);
        final int partitions = GroupConfig.partitionFor("empty-1", 5) == GroupConfig.partitionFor("empty-2", 5) ? 1 : 2;
        assertThat(harness.log.appended).hasSize(appends + partitions);

        assertThat(harness.call(fetch("empty-1")).groups.get(0).partitions).isEmpty();
        assertThat(harness.call(new ListGroupsOp()).groups).extracting(ListGroupsOp.Group::groupId)
            .containsExactly("busy");
        assertThat(harness.call(delete("empty-1")).groups.get(0).errorCode).isEqualTo(GroupErrors.GROUP_ID_NOT_FOUND);
    }

    @Test
    void offsetDeleteRemovesOffsetsTheGroupDoesNotConsume()
    {
        harness = GroupHarness.active(dir);
        final List<JoinGroupOp> joins = harness.stableGroup("g", 1);
        final String member = joins.get(0).responseMemberId;
        harness.call(commit("g", member, 1, "orders", 0, 1L, "old-topic", 0, 2L, "old-topic", 1, 3L));

        final OffsetDeleteOp op = offsetDelete("g", "orders", 0, "old-topic", 0, "never-committed", 0, "gone", 0);
        op.partitions.get(3).errorCode = GroupErrors.UNKNOWN_TOPIC_OR_PARTITION;
        harness.call(op);
        assertThat(op.errorCode).isEqualTo(GroupErrors.NONE);
        assertThat(op.partitions).extracting(p -> p.errorCode).containsExactly(GroupErrors.GROUP_SUBSCRIBED_TO_TOPIC,
            GroupErrors.NONE, GroupErrors.NONE, GroupErrors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(harness.call(fetch("g")).groups.get(0).partitions)
            .extracting(p -> p.topic + "-" + p.partition).containsExactly("old-topic-1", "orders-0");

        assertThat(harness.call(offsetDelete("missing", "t", 0)).errorCode).isEqualTo(GroupErrors.GROUP_ID_NOT_FOUND);
        assertThat(harness.call(offsetDelete("", "t", 0)).errorCode).isEqualTo(GroupErrors.INVALID_GROUP_ID);

        // an empty group may delete anything
        harness.call(commit("standalone", "", -1, "orders", 0, 5L));
        assertThat(harness.call(offsetDelete("standalone", "orders", 0)).partitions.get(0).errorCode)
            .isEqualTo(GroupErrors.NONE);
        assertThat(harness.call(fetch("standalone")).groups.get(0).partitions).isEmpty();
    }

    @Test
    void offsetDeleteOnANonConsumerGroupWithMembersIsRefused()
    {
        harness = GroupHarness.active(dir);
        final JoinGroupOp connect = join("workers", "");
        connect.protocolType = "connect";
        harness.call(connect);
        final OffsetDeleteOp op = harness.call(offsetDelete("workers", "t", 0));
        assertThat(op.errorCode).isEqualTo(GroupErrors.NON_EMPTY_GROUP);
    }

    @Test
    void deletedTopicsTakeTheirOffsetsWithThem()
    {
        harness = GroupHarness.active(dir);
        harness.call(commit("a", "", -1, "gone", 0, 1L, "gone", 1, 2L, "kept", 0, 3L));
        harness.call(commit("b", "", -1, "gone", 0, 4L));
        final int appends = harness.log.appended.size();
        final TopicsDeletedOp op = new TopicsDeletedOp();
        op.topics.add("gone");
        op.topics.add("never-committed");
        harness.call(op);
        assertThat(op.errorCode).isEqualTo(GroupErrors.NONE);
        assertThat(op.offsetsRemoved).isEqualTo(3);
        assertThat(harness.log.appended.size() - appends).isBetween(1, 2);
        assertThat(harness.call(fetch("a")).groups.get(0).partitions).extracting(p -> p.topic).containsExactly("kept");
        assertThat(harness.call(fetch("b")).groups.get(0).partitions).isEmpty();
        harness.restart();
        assertThat(harness.call(fetch("a")).groups.get(0).partitions).extracting(p -> p.topic).containsExactly("kept");
        assertThat(harness.call(fetch("b")).groups.get(0).partitions).isEmpty();
    }

    @Test
    void offsetsOfAnEmptyGroupExpireAfterTheRetentionAndTheGroupGoes()
    {
        harness = GroupHarness.active(dir, Map.of(
            GroupConfig.OFFSETS_RETENTION_MS, "100000",
            GroupConfig.OFFSETS_RETENTION_CHECK_INTERVAL_MS, "10000"), 3);
        final List<JoinGroupOp> joins = harness.stableGroup("g", 1);
        final String member = joins.get(0).responseMemberId;
        harness.call(commit("g", member, 1, "orders", 0, 1L));
        harness.call(commit("standalone", "", -1, "orders", 0, 1L));
        for (int i = 0; i < 10; i++)
        {
            harness.call(GroupHarness.heartbeat("g", member, 1));
            harness.advance(5_000);
        }
        harness.call(commit("standalone", "", -1, "orders", 1, 1L));
        harness.call(GroupHarness.leave("g", member));

        // standalone: orders-0 committed at 0 expires at 100 s; orders-1 at 150 s
        // g: empty since 50 s, its offsets expire at 150 s although committed at 0
        harness.advance(60_000);
        assertThat(harness.call(fetch("standalone")).groups.get(0).partitions)
            .extracting(p -> p.partition).containsExactly(1);
        assertThat(harness.call(fetch("g")).groups.get(0).partitions).hasSize(1);

        harness.advance(50_000);
        assertThat(harness.call(fetch("g")).groups.get(0).partitions).isEmpty();
        assertThat(harness.call(new ListGroupsOp()).groups).isEmpty();
        assertThat(harness.coordinator.groupCount()).isZero();
    }

    @Test
    void stableConsumerGroupKeepsOffsetsOfSubscribedTopicsOnly()
    {
        harness = GroupHarness.active(dir, Map.of(
            GroupConfig.OFFSETS_RETENTION_MS, "100000",
            GroupConfig.OFFSETS_RETENTION_CHECK_INTERVAL_MS, "10000"), 3);
        final String member = harness.stableGroup("g", 1).get(0).responseMemberId;
        harness.call(commit("g", member, 1, "orders", 0, 1L, "unsubscribed", 0, 1L));
        for (int i = 0; i < 12; i++)
        {
            harness.call(GroupHarness.heartbeat("g", member, 1));
            harness.advance(9_000);
        }
        assertThat(harness.call(fetch("g")).groups.get(0).partitions).extracting(p -> p.topic)
            .containsExactly("orders");
    }
}
