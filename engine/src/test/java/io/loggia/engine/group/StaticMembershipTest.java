package io.loggia.engine.group;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static io.loggia.engine.group.GroupHarness.heartbeat;
import static io.loggia.engine.group.GroupHarness.join;
import static io.loggia.engine.group.GroupHarness.leave;
import static io.loggia.engine.group.GroupHarness.sync;
import static org.assertj.core.api.Assertions.assertThat;

class StaticMembershipTest
{
    private static final String LEADER = "i-leader";
    private static final String FOLLOWER = "i-follower";

    @TempDir
    Path dir;

    private GroupHarness harness;
    private String leaderId;
    private String followerId;

    @AfterEach
    void close()
    {
        harness.close();
    }

    private static byte[] bytes(final String value)
    {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** A stable generation 2 of two static members; the leader joined first. */
    private void stableStaticGroup()
    {
        harness = GroupHarness.active(dir);
        final JoinGroupOp a = harness.call(join("g", "", LEADER, "range"));
        final JoinGroupOp b = join("g", "", FOLLOWER, "range");
        harness.send(b);
        harness.cycle();
        final JoinGroupOp aAgain = harness.call(join("g", a.responseMemberId, LEADER, "range"));
        assertThat(b.generationId).isEqualTo(2);
        leaderId = aAgain.leaderId;
        followerId = b.responseMemberId;
        assertThat(leaderId).isEqualTo(a.responseMemberId).startsWith(LEADER + "-");
        final SyncGroupOp follower = sync("g", followerId, 2);
        harness.send(follower);
        harness.call(sync("g", leaderId, 2, leaderId, bytes("leader-part"), followerId, bytes("follower-part")));
        assertThat(follower.assignment).isEqualTo(bytes("follower-part"));
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 20, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aRebalanceTimeoutOfZeroWithStaticMembersAwayDoesNotKeepTheCoordinatorThread()
    {
        // found by the protocol fuzzer: the join wait for static members that did not rejoin re-armed itself at
        // now + 0 and fired again inside the same timer poll, forever, on the broker's shared thread
        stableStaticGroup();
        final JoinGroupOp restarted = join("g", "", FOLLOWER, "range");
        restarted.rebalanceTimeoutMs = 0;
        harness.call(restarted);
        assertThat(restarted.errorCode).isEqualTo(GroupErrors.NONE);
        assertThat(harness.call(leave("g", leaderId)).errorCode).isEqualTo(GroupErrors.NONE);
        harness.advance(1);
        harness.advance(GroupMembership.STATIC_REJOIN_WAIT_MIN_MS);

        // the static member that stayed away is still a member: its rejoin completes the next generation
        final JoinGroupOp rejoin = join("g", restarted.responseMemberId, FOLLOWER, "range");
        rejoin.rebalanceTimeoutMs = 0;
        harness.call(rejoin);
        assertThat(rejoin.errorCode).isEqualTo(GroupErrors.NONE);
        assertThat(rejoin.generationId).isEqualTo(3);
    }

    @Test
    void restartedStaticMemberRejoinsWithoutRebalanceAndTheOldIdIsFenced()
    {
        stableStaticGroup();
        // the follower restarts: it has no member id, only its instance id
        final JoinGroupOp rejoin = harness.call(join("g", "", FOLLOWER, "range"));
        assertThat(rejoin.errorCode).isEqualTo(GroupErrors.NONE);
        assertThat(rejoin.responseMemberId).isNotEqualTo(followerId).startsWith(FOLLOWER + "-");
        assertThat(rejoin.generationId).isEqualTo(2);
        assertThat(rejoin.leaderId).isEqualTo(leaderId);
        assertThat(rejoin.members).isEmpty();
        assertThat(rejoin.skipAssignment).isFalse();

        // no rebalance: the other member's heartbeat is fine, the new id gets the previous assignment
        assertThat(harness.call(heartbeat("g", leaderId, 2)).errorCode).isEqualTo(GroupErrors.NONE);
        final SyncGroupOp sync = harness.call(sync("g", rejoin.responseMemberId, 2));
        assertThat(sync.errorCode).isEqualTo(GroupErrors.NONE);
        assertThat(sync.assignment).isEqualTo(bytes("follower-part"));

        // the old incarnation is fenced
        final HeartbeatOp stale = heartbeat("g", followerId, 2);
        stale.groupInstanceId = FOLLOWER;
        assertThat(harness.call(stale).errorCode).isEqualTo(GroupErrors.FENCED_INSTANCE_ID);
        final OffsetCommitOp staleCommit = GroupHarness.commit("g", followerId, 2, "orders", 0, 5L);
        staleCommit.groupInstanceId = FOLLOWER;
        assertThat(harness.call(staleCommit).partitions.get(0).errorCode).isEqualTo(GroupErrors.FENCED_INSTANCE_ID);
        final SyncGroupOp staleSync = sync("g", followerId, 2);
        staleSync.groupInstanceId = FOLLOWER;
        assertThat(harness.call(staleSync).errorCode).isEqualTo(GroupErrors.FENCED_INSTANCE_ID);
    }

    @Test
    void restartedStaticLeaderAtV9IsToldToSkipTheAssignment()
    {
        stableStaticGroup();
        final JoinGroupOp rejoin = harness.call(join("g", "", LEADER, "range"));
        assertThat(rejoin.errorCode).isEqualTo(GroupErrors.NONE);
        assertThat(rejoin.leaderId).isEqualTo(rejoin.responseMemberId);
        assertThat(rejoin.skipAssignment).isTrue();
        assertThat(rejoin.members).hasSize(2);
        assertThat(harness.call(heartbeat("g", followerId, 2)).errorCode).isEqualTo(GroupErrors.NONE);
    }

    @Test
    void restartedStaticLeaderBeforeV9IsGivenTheOldLeaderIdSoItDoesNotAssign()
    {
        stableStaticGroup();
        final JoinGroupOp rejoin = join("g", "", LEADER, "range");
        rejoin.supportsSkipAssignment = false;
        harness.call(rejoin);
        assertThat(rejoin.errorCode).isEqualTo(GroupErrors.NONE);
        assertThat(rejoin.leaderId).isEqualTo(leaderId).isNotEqualTo(rejoin.responseMemberId);
        assertThat(rejoin.members).isEmpty();
        final SyncGroupOp sync = harness.call(sync("g", rejoin.responseMemberId, 2));
        assertThat(sync.assignment).isEqualTo(bytes("leader-part"));
    }

    @Test
    void staticRejoinThatKeepsTheChosenProtocolDoesNotRebalance()
    {
        stableStaticGroup();
        final JoinGroupOp rejoin = harness.call(join("g", "", FOLLOWER, "roundrobin", "range"));
        assertThat(rejoin.generationId).isEqualTo(2);
        assertThat(rejoin.protocolName).isEqualTo("range");
        assertThat(harness.call(heartbeat("g", leaderId, 2)).errorCode).isEqualTo(GroupErrors.NONE);
    }

    @Test
    void staticRejoinThatChangesTheChosenProtocolRebalances()
    {
        harness = GroupHarness.active(dir);
        final JoinGroupOp first = harness.call(join("g", "", LEADER, "range", "roundrobin"));
        harness.call(sync("g", first.responseMemberId, 1, first.responseMemberId, bytes("x")));
        assertThat(first.protocolName).isEqualTo("range");
        final JoinGroupOp rejoin = harness.call(join("g", "", LEADER, "roundrobin", "range"));
        assertThat(rejoin.generationId).isEqualTo(2);
        assertThat(rejoin.protocolName).isEqualTo("roundrobin");
        assertThat(rejoin.leaderId).isEqualTo(rejoin.responseMemberId);
    }

    @Test
    void storingTheRejoinFailsAndUndoesTheTakeover()
    {
        stableStaticGroup();
        harness.log.failNext(1, GroupErrors.NOT_LEADER_OR_FOLLOWER);
        final JoinGroupOp rejoin = harness.call(join("g", "", FOLLOWER, "range"));
        assertThat(rejoin.errorCode).isEqualTo(GroupErrors.NOT_COORDINATOR);
        assertThat(rejoin.responseMemberId).isEmpty();
        // the old id is still the member
        assertThat(harness.call(heartbeat("g", followerId, 2)).errorCode).isEqualTo(GroupErrors.NONE);
    }

    @Test
    void oldIncarnationWaitingInAJoinIsFencedWhenTheNewOneArrives()
    {
        harness = GroupHarness.active(dir, Map.of(GroupConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "3000"), 3);
        final JoinGroupOp first = join("g", "", "i-1", "range");
        harness.send(first);
        harness.cycle();
        assertThat(harness.isAnswered(first)).isFalse();
        final JoinGroupOp second = join("g", "", "i-1", "range");
        harness.send(second);
        harness.cycle();
        assertThat(first.errorCode).isEqualTo(GroupErrors.FENCED_INSTANCE_ID);
        harness.advance(3000);
        assertThat(second.errorCode).isEqualTo(GroupErrors.NONE);
        assertThat(second.members).extracting(JoinGroupOp.Member::memberId).containsExactly(second.responseMemberId);
    }

    @Test
    void staticMemberCanBeRemovedByItsInstanceIdAlone()
    {
        stableStaticGroup();
        final LeaveGroupOp op = new LeaveGroupOp();
        op.groupId = "g";
        op.members.add(new LeaveGroupOp.Member("", FOLLOWER));
        op.members.add(new LeaveGroupOp.Member("", "i-unknown"));
        harness.call(op);
        assertThat(op.members).extracting(m -> m.errorCode)
            .containsExactly(GroupErrors.NONE, GroupErrors.UNKNOWN_MEMBER_ID);
        assertThat(harness.call(heartbeat("g", leaderId, 2)).errorCode).isEqualTo(GroupErrors.REBALANCE_IN_PROGRESS);

        // a leave naming a static member with a stale member id is fenced
        final LeaveGroupOp stale = new LeaveGroupOp();
        stale.groupId = "g";
        stale.members.add(new LeaveGroupOp.Member("old-id", LEADER));
        harness.call(stale);
        assertThat(stale.members.get(0).errorCode).isEqualTo(GroupErrors.FENCED_INSTANCE_ID);
    }

    @Test
    void staticMemberThatKeepsHeartbeatingStaysThroughARebalanceItMisses()
    {
        stableStaticGroup();
        final JoinGroupOp newcomer = join("g", "");
        harness.send(newcomer);
        harness.send(join("g", leaderId, LEADER, "range"));
        harness.cycle();
        for (int elapsed = 0; elapsed < GroupHarness.REBALANCE_MS; elapsed += 5000)
        {
            assertThat(harness.call(heartbeat("g", followerId, 2)).errorCode)
                .isEqualTo(GroupErrors.REBALANCE_IN_PROGRESS);
            harness.advance(5000);
        }
        // the follower never rejoined but, being static, is a member of the new generation
        assertThat(harness.isAnswered(newcomer)).isTrue();
        assertThat(newcomer.generationId).isEqualTo(3);
        final DescribeGroupsOp describe = new DescribeGroupsOp();
        describe.groups.add(new DescribeGroupsOp.Group("g"));
        harness.call(describe);
        assertThat(describe.groups.get(0).members).extracting(DescribeGroupsOp.Member::memberId).contains(followerId);
    }
}
