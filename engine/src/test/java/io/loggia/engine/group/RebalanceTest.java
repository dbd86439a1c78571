package io.loggia.engine.group;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static io.loggia.engine.group.GroupHarness.heartbeat;
import static io.loggia.engine.group.GroupHarness.join;
import static io.loggia.engine.group.GroupHarness.leave;
import static io.loggia.engine.group.GroupHarness.sync;
import static org.assertj.core.api.Assertions.assertThat;

class RebalanceTest
{
    @TempDir
    Path dir;

    private GroupHarness harness;

    @AfterEach
    void close()
    {
        harness.close();
    }

    private static byte[] bytes(final String value)
    {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void twoMembersRebalanceAndTheLeaderDistributesTheAssignment()
    {
        harness = GroupHarness.active(dir);
        final JoinGroupOp a = harness.call(join("g", ""));
        final String memberA = a.responseMemberId;
        final SyncGroupOp syncA = harness.call(sync("g", memberA, 1, memberA, bytes("a-all")));
        assertThat(syncA.assignment).isEqualTo(bytes("a-all"));
        assertThat(harness.call(heartbeat("g", memberA, 1)).errorCode).isEqualTo(GroupErrors.NONE);

        final JoinGroupOp b = join("g", "");
        harness.send(b);
        harness.cycle();
        assertThat(harness.isAnswered(b)).isFalse();
        // the old member learns of the rebalance from its heartbeat and rejoins
        assertThat(harness.call(heartbeat("g", memberA, 1)).errorCode).isEqualTo(GroupErrors.REBALANCE_IN_PROGRESS);
        final JoinGroupOp a2 = join("g", memberA);
        harness.send(a2);
        harness.cycle();
        assertThat(harness.isAnswered(a2)).isTrue();
        assertThat(harness.isAnswered(b)).isTrue();
        assertThat(a2.generationId).isEqualTo(2);
        assertThat(b.generationId).isEqualTo(2);
        assertThat(a2.leaderId).isEqualTo(memberA);
        assertThat(b.leaderId).isEqualTo(memberA);
        assertThat(a2.members).extracting(JoinGroupOp.Member::memberId)
            .containsExactly(memberA, b.responseMemberId);
        assertThat(b.members).isEmpty();

        // the follower's SyncGroup waits for the leader's
        final SyncGroupOp syncB = sync("g", b.responseMemberId, 2);
        harness.send(syncB);
        harness.cycle();
        assertThat(harness.isAnswered(syncB)).isFalse();
        assertThat(harness.call(heartbeat("g", b.responseMemberId, 2)).errorCode).isEqualTo(GroupErrors.NONE);

        final SyncGroupOp leaderSync = sync("g", memberA, 2, memberA, bytes("a-half"), b.responseMemberId,
            bytes("b-half"));
        harness.send(leaderSync);
        harness.coordinator.doWork();
        // nobody is answered before the assignment is in the log
        assertThat(harness.log.pendingOffers()).isEqualTo(1);
        harness.collect();
        assertThat(harness.isAnswered(leaderSync)).isFalse();
        harness.cycle();
        assertThat(leaderSync.errorCode).isEqualTo(GroupErrors.NONE);
        assertThat(leaderSync.assignment).isEqualTo(bytes("a-half"));
        assertThat(syncB.assignment).isEqualTo(bytes("b-half"));
        assertThat(syncB.responseProtocolType).isEqualTo("consumer");
        assertThat(syncB.responseProtocolName).isEqualTo("range");

        // Stable: a late SyncGroup gets the stored assignment at once
        final SyncGroupOp again = harness.call(sync("g", b.responseMemberId, 2));
        assertThat(again.assignment).isEqualTo(bytes("b-half"));
    }

    @Test
    void syncAndHeartbeatErrors()
    {
        harness = GroupHarness.active(dir);
        final List<JoinGroupOp> joins = harness.stableGroup("g", 2);
        final String leader = joins.get(0).responseMemberId;
        final int generation = joins.get(0).generationId;

        assertThat(harness.call(sync("g", leader, generation + 1)).errorCode).isEqualTo(GroupErrors.ILLEGAL_GENERATION);
        assertThat(harness.call(sync("g", "nobody", generation)).errorCode).isEqualTo(GroupErrors.UNKNOWN_MEMBER_ID);
        assertThat(harness.call(sync("nogroup", leader, generation)).errorCode)
            .isEqualTo(GroupErrors.UNKNOWN_MEMBER_ID);
        final SyncGroupOp wrongProtocol = sync("g", leader, generation);
        wrongProtocol.protocolName = "roundrobin";
        assertThat(harness.call(wrongProtocol).errorCode).isEqualTo(GroupErrors.INCONSISTENT_GROUP_PROTOCOL);
        final SyncGroupOp wrongType = sync("g", leader, generation);
        wrongType.protocolType = "connect";
        assertThat(harness.call(wrongType).errorCode).isEqualTo(GroupErrors.INCONSISTENT_GROUP_PROTOCOL);

        assertThat(harness.call(heartbeat("g", leader, generation - 1)).errorCode)
            .isEqualTo(GroupErrors.ILLEGAL_GENERATION);
        assertThat(harness.call(heartbeat("g", "nobody", generation)).errorCode)
            .isEqualTo(GroupErrors.UNKNOWN_MEMBER_ID);
        assertThat(harness.call(heartbeat("nogroup", leader, generation)).errorCode)
            .isEqualTo(GroupErrors.UNKNOWN_MEMBER_ID);
        assertThat(harness.call(heartbeat("", leader, generation)).errorCode).isEqualTo(GroupErrors.INVALID_GROUP_ID);

        // during PreparingRebalance a SyncGroup is told to rejoin
        harness.send(join("g", ""));
        harness.cycle();
        assertThat(harness.call(sync("g", leader, generation)).errorCode).isEqualTo(GroupErrors.REBALANCE_IN_PROGRESS);
    }

    @Test
    void memberThatStopsHeartbeatingIsEvictedAndTheGroupRebalances()
    {
        harness = GroupHarness.active(dir);
        final List<JoinGroupOp> joins = harness.stableGroup("g", 2);
        final String a = joins.get(0).responseMemberId;
        final String b = joins.get(1).responseMemberId;

        for (int elapsed = 0; elapsed < GroupHarness.SESSION_MS; elapsed += 3000)
        {
            assertThat(harness.call(heartbeat("g", a, 1)).errorCode).isEqualTo(GroupErrors.NONE);
            harness.advance(3000);
        }
        // b's session ran out: removed, rebalance
        assertThat(harness.call(heartbeat("g", b, 1)).errorCode).isEqualTo(GroupErrors.UNKNOWN_MEMBER_ID);
        assertThat(harness.call(heartbeat("g", a, 1)).errorCode).isEqualTo(GroupErrors.REBALANCE_IN_PROGRESS);
        final JoinGroupOp rejoin = harness.call(join("g", a));
        assertThat(rejoin.generationId).isEqualTo(2);
        assertThat(rejoin.members).extracting(JoinGroupOp.Member::memberId).containsExactly(a);
    }

    @Test
    void memberThatDoesNotRejoinWithinTheRebalanceTimeoutIsRemoved()
    {
        harness = GroupHarness.active(dir);
        final List<JoinGroupOp> joins = harness.stableGroup("g", 2);
        final String a = joins.get(0).responseMemberId;
        final String b = joins.get(1).responseMemberId;

        final JoinGroupOp bAgain = join("g", b);
        bAgain.protocolMetadata = new byte[][]{GroupHarness.subscription("orders", "payments")};
        harness.send(bAgain);
        harness.cycle();
        assertThat(harness.isAnswered(bAgain)).isFalse();
        // a keeps heartbeating but never rejoins; b waits in its JoinGroup (never expires meanwhile)
        for (int elapsed = 0; elapsed < GroupHarness.REBALANCE_MS - 3000; elapsed += 3000)
        {
            harness.advance(3000);
            assertThat(harness.call(heartbeat("g", a, 1)).errorCode).isEqualTo(GroupErrors.REBALANCE_IN_PROGRESS);
        }
        assertThat(harness.isAnswered(bAgain)).isFalse();
        harness.advance(3000);
        assertThat(harness.isAnswered(bAgain)).isTrue();
        assertThat(bAgain.generationId).isEqualTo(2);
        assertThat(bAgain.leaderId).isEqualTo(b);
        assertThat(bAgain.members).extracting(JoinGroupOp.Member::memberId).containsExactly(b);
        assertThat(harness.call(heartbeat("g", a, 1)).errorCode).isEqualTo(GroupErrors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void memberThatSendsNoSyncGroupWithinTheRebalanceTimeoutIsRemoved()
    {
        harness = GroupHarness.active(dir);
        final JoinGroupOp a = join("g", "");
        final JoinGroupOp b = join("g", "");
        harness.send(a);
        harness.send(b);
        harness.cycle();
        final JoinGroupOp leader = a.members.isEmpty() ? b : a;
        final JoinGroupOp follower = a.members.isEmpty() ? a : b;
        harness.call(sync("g", leader.responseMemberId, 1, leader.responseMemberId, bytes("x"),
            follower.responseMemberId, bytes("y")));
        for (int elapsed = 0; elapsed < GroupHarness.REBALANCE_MS; elapsed += 3000)
        {
            harness.call(heartbeat("g", leader.responseMemberId, 1));
            harness.call(heartbeat("g", follower.responseMemberId, 1));
            harness.advance(3000);
        }
        // heartbeats alone do not keep a member that never synced
        assertThat(harness.call(heartbeat("g", follower.responseMemberId, 1)).errorCode)
            .isEqualTo(GroupErrors.UNKNOWN_MEMBER_ID);
        assertThat(harness.call(heartbeat("g", leader.responseMemberId, 1)).errorCode)
            .isEqualTo(GroupErrors.REBALANCE_IN_PROGRESS);
    }

    @Test
    void heartbeatDuringRebalanceKeepsTheSessionAndSaysRebalanceInProgress()
    {
        harness = GroupHarness.active(dir);
        final List<JoinGroupOp> joins = harness.stableGroup("g", 2);
        final String a = joins.get(0).responseMemberId;
        final String b = joins.get(1).responseMemberId;
        final JoinGroupOp newcomer = join("g", "");
        harness.send(newcomer);
        final JoinGroupOp aAgain = join("g", a);
        harness.send(aAgain);
        harness.cycle();
        for (int i = 0; i < 5; i++)
        {
            harness.advance(GroupHarness.SESSION_MS / 2);
            assertThat(harness.call(heartbeat("g", b, 1)).errorCode).isEqualTo(GroupErrors.REBALANCE_IN_PROGRESS);
        }
        final JoinGroupOp bAgain = harness.call(join("g", b));
        assertThat(bAgain.generationId).isEqualTo(2);
        assertThat(aAgain.members).hasSize(3);
    }

    @Test
    void leavingMembersTriggerARebalanceAndTheLastOneLeavesTheGroupEmpty()
    {
        harness = GroupHarness.active(dir);
        final List<JoinGroupOp> joins = harness.stableGroup("g", 2);
        final String a = joins.get(0).responseMemberId;
        final String b = joins.get(1).responseMemberId;

        final LeaveGroupOp leaveB = harness.call(leave("g", b));
        assertThat(leaveB.errorCode).isEqualTo(GroupErrors.NONE);
        assertThat(leaveB.members.get(0).errorCode).isEqualTo(GroupErrors.NONE);
        assertThat(harness.call(heartbeat("g", a, 1)).errorCode).isEqualTo(GroupErrors.REBALANCE_IN_PROGRESS);
        final JoinGroupOp aAgain = harness.call(join("g", a));
        assertThat(aAgain.generationId).isEqualTo(2);

        final int appendsBefore = harness.log.appended.size();
        harness.call(leave("g", a));
        // the group completes its rebalance with nobody: Empty at generation 3, stored
        assertThat(harness.log.appended.size()).isEqualTo(appendsBefore + 1);
        final DescribeGroupsOp describe = new DescribeGroupsOp();
        describe.groups.add(new DescribeGroupsOp.Group("g"));
        harness.call(describe);
        assertThat(describe.groups.get(0).state).isEqualTo("Empty");
        assertThat(describe.groups.get(0).members).isEmpty();
    }

    @Test
    void leaveGroupTakesSeveralMembersAndAnswersEachOne()
    {
        harness = GroupHarness.active(dir);
        final List<JoinGroupOp> joins = harness.stableGroup("g", 3);
        final LeaveGroupOp op = harness.call(leave("g", joins.get(1).responseMemberId, "nobody",
            joins.get(2).responseMemberId));
        assertThat(op.errorCode).isEqualTo(GroupErrors.NONE);
        assertThat(op.members).extracting(m -> m.errorCode)
            .containsExactly(GroupErrors.NONE, GroupErrors.UNKNOWN_MEMBER_ID, GroupErrors.NONE);
        final JoinGroupOp rest = harness.call(join("g", joins.get(0).responseMemberId));
        assertThat(rest.members).hasSize(1);

        final LeaveGroupOp unknownGroup = harness.call(leave("nogroup", "x"));
        assertThat(unknownGroup.errorCode).isEqualTo(GroupErrors.NONE);
        assertThat(unknownGroup.members.get(0).errorCode).isEqualTo(GroupErrors.UNKNOWN_MEMBER_ID);
        assertThat(harness.call(leave("", "x")).errorCode).isEqualTo(GroupErrors.INVALID_GROUP_ID);
    }

    @Test
    void pendingMemberMayLeave()
    {
        harness = GroupHarness.active(dir);
        final JoinGroupOp pending = join("g", "");
        pending.requireKnownMemberId = true;
        harness.call(pending);
        final LeaveGroupOp op = harness.call(leave("g", pending.responseMemberId));
        assertThat(op.members.get(0).errorCode).isEqualTo(GroupErrors.NONE);
        assertThat(harness.call(join("g", pending.responseMemberId)).errorCode)
            .isEqualTo(GroupErrors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void assignmentThatCannotBeStoredFailsTheSyncAndRebalances()
    {
        harness = GroupHarness.active(dir);
        final JoinGroupOp a = harness.call(join("g", ""));
        harness.log.failNext(1, GroupErrors.NOT_ENOUGH_REPLICAS);
        final SyncGroupOp sync = harness.call(sync("g", a.responseMemberId, 1, a.responseMemberId, bytes("x")));
        assertThat(sync.errorCode).isEqualTo(GroupErrors.COORDINATOR_NOT_AVAILABLE);
        assertThat(harness.call(heartbeat("g", a.responseMemberId, 1)).errorCode)
            .isEqualTo(GroupErrors.REBALANCE_IN_PROGRESS);
    }

    @Test
    void newMemberThatNeverCompletesItsJoinIsDroppedAfterFiveMinutes()
    {
        harness = GroupHarness.active(dir);
        final List<JoinGroupOp> joins = harness.stableGroup("g", 1);
        final String a = joins.get(0).responseMemberId;
        final JoinGroupOp newcomer = join("g", "");
        newcomer.rebalanceTimeoutMs = 600_000;
        harness.send(newcomer);
        harness.cycle();
        // the old member keeps heartbeating and never rejoins: the join waits for the 10 minute rebalance
        // timeout, but the newcomer's own 5 minutes end first
        for (long elapsed = 0; elapsed <= GroupConfig.NEW_MEMBER_JOIN_TIMEOUT_MS; elapsed += 5000)
        {
            harness.call(heartbeat("g", a, 1));
            harness.advance(5000);
        }
        assertThat(harness.isAnswered(newcomer)).isTrue();
        assertThat(newcomer.errorCode).isEqualTo(GroupErrors.UNKNOWN_MEMBER_ID);
    }
}
