package io.loggia.engine.group;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static io.loggia.engine.group.GroupHarness.heartbeat;
import static io.loggia.engine.group.GroupHarness.join;
import static io.loggia.engine.group.GroupHarness.subscription;
import static org.assertj.core.api.Assertions.assertThat;

class JoinGroupTest
{
    @TempDir
    Path dir;

    private GroupHarness harness;

    @AfterEach
    void close()
    {
        harness.close();
    }

    @Test
    void firstJoinAtV4NeedsAMemberIdThenJoinsWithIt()
    {
        harness = GroupHarness.active(dir);
        final JoinGroupOp first = join("g", "");
        first.requireKnownMemberId = true;
        harness.call(first);
        assertThat(first.errorCode).isEqualTo(GroupErrors.MEMBER_ID_REQUIRED);
        assertThat(first.responseMemberId).startsWith("client-");
        assertThat(first.generationId).isEqualTo(-1);
        assertThat(first.protocolName).isNull();

        final JoinGroupOp second = join("g", first.responseMemberId);
        second.requireKnownMemberId = true;
        harness.call(second);
        assertThat(second.errorCode).isEqualTo(GroupErrors.NONE);
        assertThat(second.responseMemberId).isEqualTo(first.responseMemberId);
        assertThat(second.generationId).isEqualTo(1);
        assertThat(second.leaderId).isEqualTo(second.responseMemberId);
        assertThat(second.protocolName).isEqualTo("range");
        assertThat(second.responseProtocolType).isEqualTo("consumer");
        assertThat(second.members).extracting(JoinGroupOp.Member::memberId).containsExactly(second.responseMemberId);
        assertThat(second.members.get(0).metadata()).isEqualTo(subscription("orders"));
    }

    @Test
    void pendingMemberThatNeverComesBackIsForgottenAfterItsSessionTimeout()
    {
        harness = GroupHarness.active(dir);
        final JoinGroupOp stable = harness.call(join("g", ""));
        final JoinGroupOp pending = join("g", "");
        pending.requireKnownMemberId = true;
        harness.call(pending);
        assertThat(pending.errorCode).isEqualTo(GroupErrors.MEMBER_ID_REQUIRED);

        harness.advance(GroupHarness.SESSION_MS + 1);
        final JoinGroupOp late = join("g", pending.responseMemberId);
        harness.call(late);
        // the pending id was dropped: a group that has moved on does not know it
        assertThat(late.errorCode).isEqualTo(GroupErrors.UNKNOWN_MEMBER_ID);
        assertThat(stable.errorCode).isEqualTo(GroupErrors.NONE);
    }

    @Test
    void invalidGroupIdsAreRefused()
    {
        harness = GroupHarness.active(dir);
        assertThat(harness.call(join("", "")).errorCode).isEqualTo(GroupErrors.INVALID_GROUP_ID);
        assertThat(harness.call(join(null, "")).errorCode).isEqualTo(GroupErrors.INVALID_GROUP_ID);
        assertThat(harness.call(join("x".repeat(GroupConfig.MAX_GROUP_ID_LENGTH + 1), "")).errorCode)
            .isEqualTo(GroupErrors.INVALID_GROUP_ID);
        assertThat(harness.call(join("x".repeat(GroupConfig.MAX_GROUP_ID_LENGTH), "")).errorCode)
            .isEqualTo(GroupErrors.NONE);
    }

    @Test
    void sessionTimeoutOutsideTheBrokerBoundsIsRefused()
    {
        harness = GroupHarness.active(dir);
        final JoinGroupOp tooShort = join("g", "");
        tooShort.sessionTimeoutMs = GroupConfig.DEFAULT_GROUP_MIN_SESSION_TIMEOUT_MS - 1;
        assertThat(harness.call(tooShort).errorCode).isEqualTo(GroupErrors.INVALID_SESSION_TIMEOUT);
        final JoinGroupOp tooLong = join("g", "");
        tooLong.sessionTimeoutMs = GroupConfig.DEFAULT_GROUP_MAX_SESSION_TIMEOUT_MS + 1;
        assertThat(harness.call(tooLong).errorCode).isEqualTo(GroupErrors.INVALID_SESSION_TIMEOUT);
    }

    @Test
    void knownMemberIdForAGroupThatDoesNotExistIsUnknown()
    {
        harness = GroupHarness.active(dir);
        final JoinGroupOp op = harness.call(join("g", "client-123"));
        assertThat(op.errorCode).isEqualTo(GroupErrors.UNKNOWN_MEMBER_ID);
        assertThat(op.responseMemberId).isEqualTo("client-123");
        assertThat(op.generationId).isEqualTo(-1);
    }

    @Test
    void memberWithAnotherProtocolTypeOrNoCommonProtocolIsInconsistent()
    {
        harness = GroupHarness.active(dir);
        harness.call(join("g", "", null, "range", "roundrobin"));

        final JoinGroupOp otherType = join("g", "");
        otherType.protocolType = "connect";
        assertThat(harness.call(otherType).errorCode).isEqualTo(GroupErrors.INCONSISTENT_GROUP_PROTOCOL);
        assertThat(harness.call(join("g", "", null, "sticky")).errorCode)
            .isEqualTo(GroupErrors.INCONSISTENT_GROUP_PROTOCOL);

        final JoinGroupOp noProtocols = join("other", "", null);
        assertThat(harness.call(noProtocols).errorCode).isEqualTo(GroupErrors.INCONSISTENT_GROUP_PROTOCOL);
    }

    @Test
    void protocolIsChosenByTheMembersVotesAmongThoseAllSupport()
    {
        harness = GroupHarness.active(dir);
        final JoinGroupOp a = join("g", "", null, "sticky", "range", "roundrobin");
        final JoinGroupOp b = join("g", "", null, "roundrobin", "range");
        final JoinGroupOp c = join("g", "", null, "roundrobin", "sticky", "range");
        harness.send(a);
        harness.send(b);
        harness.send(c);
        harness.cycle();
        // candidates: range, roundrobin (sticky is not supported by b); votes: a range, b roundrobin, c roundrobin
        assertThat(a.protocolName).isEqualTo("roundrobin");
        assertThat(b.protocolName).isEqualTo("roundrobin");
        assertThat(c.generationId).isEqualTo(1);
    }

    @Test
    void groupMaxSizeRefusesNewMembersBeyondIt()
    {
        harness = GroupHarness.active(dir, Map.of(GroupConfig.GROUP_MAX_SIZE, "2"), 3);
        final JoinGroupOp a = join("g", "");
        final JoinGroupOp b = join("g", "");
        final JoinGroupOp c = join("g", "");
        harness.send(a);
        harness.send(b);
        harness.send(c);
        harness.cycle();
        assertThat(a.errorCode).isEqualTo(GroupErrors.NONE);
        assertThat(b.errorCode).isEqualTo(GroupErrors.NONE);
        assertThat(c.errorCode).isEqualTo(GroupErrors.GROUP_MAX_SIZE_REACHED);
        assertThat(c.responseMemberId).isEmpty();
        assertThat(a.members.size() + b.members.size()).isEqualTo(2);

        // a stable full group still refuses a newcomer, but takes its own members back
        assertThat(harness.call(join("g", "")).errorCode).isEqualTo(GroupErrors.GROUP_MAX_SIZE_REACHED);
    }

    @Test
    void initialRebalanceDelayWaitsForMoreMembersAndIsExtendedByEachNewOne()
    {
        harness = GroupHarness.active(dir, Map.of(GroupConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "3000"), 3);
        final JoinGroupOp a = join("g", "");
        harness.send(a);
        harness.cycle();
        assertThat(harness.isAnswered(a)).isFalse();

        harness.advance(2000);
        final JoinGroupOp b = join("g", "");
        harness.send(b);
        harness.cycle();
        harness.advance(1000);
        // the first delay ended with a new member in it: one more delay
        assertThat(harness.isAnswered(a)).isFalse();
        harness.advance(2999);
        assertThat(harness.isAnswered(a)).isFalse();
        harness.advance(1);
        assertThat(harness.isAnswered(a)).isTrue();
        assertThat(harness.isAnswered(b)).isTrue();
        assertThat(a.generationId).isEqualTo(1);
        assertThat(a.members.size() + b.members.size()).isEqualTo(2);
    }

    @Test
    void initialDelayNeverRunsPastTheRebalanceTimeout()
    {
        harness = GroupHarness.active(dir, Map.of(GroupConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "3000"), 3);
        final JoinGroupOp first = join("g", "");
        first.rebalanceTimeoutMs = 5000;
        harness.send(first);
        harness.cycle();
        for (int i = 0; i < 5; i++)
        {
            harness.send(join("g", ""));
            harness.advance(1000);
        }
        // 3000 initial + at most 2000 more (rebalance timeout 5000), however many keep joining
        assertThat(harness.isAnswered(first)).isTrue();
        assertThat(first.generationId).isEqualTo(1);
    }

    @Test
    void rejoinWithSameMetadataInStableGroupReturnsCurrentGenerationWithoutRebalance()
    {
        harness = GroupHarness.active(dir);
        final var joins = harness.stableGroup("g", 2);
        final JoinGroupOp follower = joins.get(1);
        final JoinGroupOp again = harness.call(join("g", follower.responseMemberId));
        assertThat(again.errorCode).isEqualTo(GroupErrors.NONE);
        assertThat(again.generationId).isEqualTo(follower.generationId);
        assertThat(again.members).isEmpty();
        assertThat(harness.call(heartbeat("g", follower.responseMemberId, again.generationId)).errorCode)
            .isEqualTo(GroupErrors.NONE);
    }

    @Test
    void joinOnAGroupWhosePartitionIsNotLoadedOrTopicMissingIsRetriable()
    {
        harness = new GroupHarness(dir, Map.of(), 3);
        harness.log.autoCreate(false);
        harness.coordinator.onStart();
        final JoinGroupOp op = harness.call(join("g", ""));
        assertThat(op.errorCode).isEqualTo(GroupErrors.COORDINATOR_NOT_AVAILABLE);
        // the request asked for the offsets topic, once
        harness.cycle();
        assertThat(harness.log.createRequests()).isEqualTo(1);
        assertThat(harness.log.createdWith()).containsEntry("cleanup.policy", "compact")
            .containsEntry("segment.bytes", Integer.toString(GroupConfig.DEFAULT_OFFSETS_TOPIC_SEGMENT_BYTES));
        assertThat(harness.proxy.isAvailable()).isFalse();

        harness.log.open(3);
        harness.start();
        assertThat(harness.proxy.isAvailable()).isTrue();
        assertThat(harness.call(join("g", "")).errorCode).isEqualTo(GroupErrors.NONE);
    }
}
