package io.loggia.engine.group;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.loggia.engine.group.GroupHarness.commit;
import static io.loggia.engine.group.GroupHarness.fetch;
import static io.loggia.engine.group.GroupHarness.join;
import static org.assertj.core.api.Assertions.assertThat;

class OffsetCommitTest
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
    void commitIsAnsweredOnlyOnceItsRecordIsInTheLog()
    {
        harness = GroupHarness.active(dir);
        final List<JoinGroupOp> joins = harness.stableGroup("g", 1);
        final String member = joins.get(0).responseMemberId;
        final OffsetCommitOp op = commit("g", member, 1, "orders", 0, 42L, "orders", 1, 7L);
        harness.send(op);
        harness.coordinator.doWork();
        harness.collect();
        assertThat(harness.isAnswered(op)).isFalse();
        assertThat(harness.log.pendingOffers()).isEqualTo(1);
        // not yet visible either
        assertThat(harness.call(fetch("g", "orders", 0)).groups.get(0).partitions.get(0).offset).isEqualTo(-1);

        harness.cycle();
        assertThat(harness.isAnswered(op)).isTrue();
        assertThat(op.partitions).extracting(p -> p.errorCode).containsOnly(GroupErrors.NONE);
        final OffsetFetchOp.Partition fetched = harness.call(fetch("g", "orders", 0)).groups.get(0).partitions.get(0);
        assertThat(fetched.offset).isEqualTo(42);
        assertThat(fetched.metadata).isEqualTo("m");
        assertThat(fetched.errorCode).isEqualTo(GroupErrors.NONE);
        // one batch with both records, in the group's partition
        final OffsetsLogFixture.Offered batch = harness.log.appended.get(harness.log.appended.size() - 1);
        assertThat(batch.partition()).isEqualTo(GroupConfig.partitionFor("g", harness.partitions));
    }

    @Test
    void commitWithAStaleGenerationOrUnknownMemberIsRefused()
    {
        harness = GroupHarness.active(dir);
        final String member = harness.stableGroup("g", 1).get(0).responseMemberId;
        assertThat(harness.call(commit("g", member, 0, "orders", 0, 1L)).partitions.get(0).errorCode)
            .isEqualTo(GroupErrors.ILLEGAL_GENERATION);
        assertThat(harness.call(commit("g", "stranger", 1, "orders", 0, 1L)).partitions.get(0).errorCode)
            .isEqualTo(GroupErrors.UNKNOWN_MEMBER_ID);
        // without member id and generation only an empty group takes commits
        assertThat(harness.call(commit("g", "", -1, "orders", 0, 1L)).partitions.get(0).errorCode)
            .isEqualTo(GroupErrors.UNKNOWN_MEMBER_ID);
        // a generation of a group this coordinator does not have
        assertThat(harness.call(commit("nogroup", "m", 3, "orders", 0, 1L)).partitions.get(0).errorCode)
            .isEqualTo(GroupErrors.ILLEGAL_GENERATION);
        assertThat(harness.call(commit("x".repeat(GroupConfig.MAX_GROUP_ID_LENGTH + 1), "", -1, "orders", 0, 1L))
            .partitions.get(0).errorCode).isEqualTo(GroupErrors.INVALID_GROUP_ID);
    }

    @Test
    void commitDuringCompletingRebalanceIsToldToRejoin()
    {
        harness = GroupHarness.active(dir);
        final JoinGroupOp join = harness.call(join("g", ""));
        assertThat(harness.call(commit("g", join.responseMemberId, 1, "orders", 0, 1L)).partitions.get(0).errorCode)
            .isEqualTo(GroupErrors.REBALANCE_IN_PROGRESS);
    }

    @Test
    void tooLargeMetadataAndUnknownPartitionsFailAloneTheRestIsStored()
    {
        harness = GroupHarness.active(dir, Map.of(GroupConfig.OFFSET_METADATA_MAX_BYTES, "10"), 3);
        final OffsetCommitOp op = commit("g", "", -1, "orders", 0, 5L, "orders", 1, 6L, "gone", 0, 7L);
        op.partitions.get(1).metadata = "x".repeat(11);
        op.partitions.get(2).errorCode = GroupErrors.UNKNOWN_TOPIC_OR_PARTITION;
        harness.call(op);
        assertThat(op.partitions).extracting(p -> p.errorCode).containsExactly(
            GroupErrors.NONE, GroupErrors.OFFSET_METADATA_TOO_LARGE, GroupErrors.UNKNOWN_TOPIC_OR_PARTITION);
        final OffsetFetchOp fetched = harness.call(fetch("g"));
        assertThat(fetched.groups.get(0).partitions).extracting(p -> p.topic + "-" + p.partition + "@" + p.offset)
            .containsExactly("orders-0@5");

        final OffsetCommitOp nothingValid = commit("g", "", -1, "orders", 0, 9L);
        nothingValid.partitions.get(0).metadata = "y".repeat(11);
        final int appends = harness.log.appended.size();
        harness.call(nothingValid);
        assertThat(harness.log.appended).hasSize(appends);
    }

    @Test
    void simpleConsumerCommitsCreateAnOffsetsOnlyGroup()
    {
        harness = GroupHarness.active(dir);
        final OffsetCommitOp op = harness.call(commit("standalone", "", -1, "orders", 3, 100L));
        assertThat(op.partitions.get(0).errorCode).isEqualTo(GroupErrors.NONE);
        final ListGroupsOp list = harness.call(new ListGroupsOp());
        assertThat(list.groups).containsExactly(new ListGroupsOp.Group("standalone", "", "Empty", "classic"));
        // committing again with the empty group id works too (Kafka allows it for commits and fetches)
        assertThat(harness.call(commit("", "", -1, "orders", 0, 1L)).partitions.get(0).errorCode)
            .isEqualTo(GroupErrors.NONE);
        assertThat(harness.call(fetch("", "orders", 0)).groups.get(0).partitions.get(0).offset).isEqualTo(1);
    }

    @Test
    void failedAppendFailsTheCommitAndNothingIsApplied()
    {
        harness = GroupHarness.active(dir);
        harness.log.failNext(1, GroupErrors.MESSAGE_TOO_LARGE);
        final OffsetCommitOp op = harness.call(commit("g", "", -1, "orders", 0, 5L));
        assertThat(op.partitions.get(0).errorCode).isEqualTo(GroupErrors.INVALID_COMMIT_OFFSET_SIZE);
        harness.log.failNext(1, GroupErrors.KAFKA_STORAGE_ERROR);
        assertThat(harness.call(commit("g", "", -1, "orders", 0, 6L)).partitions.get(0).errorCode)
            .isEqualTo(GroupErrors.NOT_COORDINATOR);
        assertThat(harness.call(fetch("g", "orders", 0)).groups.get(0).partitions.get(0).offset).isEqualTo(-1);
    }

    @Test
    void backPressuredBatchesWaitAndKeepTheirOrder()
    {
        harness = GroupHarness.active(dir);
        harness.log.capacity(1);
        final OffsetCommitOp first = commit("g", "", -1, "orders", 0, 1L);
        final OffsetCommitOp second = commit("g", "", -1, "orders", 0, 2L);
        final OffsetCommitOp third = commit("g", "", -1, "orders", 0, 3L);
        harness.send(first);
        harness.send(second);
        harness.send(third);
        harness.coordinator.doWork();
        assertThat(harness.log.pendingOffers()).isEqualTo(1);
        assertThat(harness.coordinator.outstandingAppends()).isEqualTo(3);
        for (int i = 0; i < 5; i++)
        {
            harness.cycle();
        }
        assertThat(harness.responses).containsSubsequence(first, second, third);
        assertThat(harness.call(fetch("g", "orders", 0)).groups.get(0).partitions.get(0).offset).isEqualTo(3);
        assertThat(harness.coordinator.outstandingAppends()).isZero();
    }

    @Test
    void fetchOfAllOffsetsAndOfSeveralGroups()
    {
        harness = GroupHarness.active(dir);
        harness.call(commit("a", "", -1, "t2", 1, 21L, "t1", 0, 10L, "t2", 0, 20L));
        harness.call(commit("b", "", -1, "t1", 0, 99L));

        final OffsetFetchOp all = harness.call(fetch("a"));
        assertThat(all.groups.get(0).partitions).extracting(p -> p.topic + "-" + p.partition + "@" + p.offset)
            .containsExactly("t1-0@10", "t2-0@20", "t2-1@21");

        final OffsetFetchOp multi = new OffsetFetchOp();
        multi.groups.add(new OffsetFetchOp.Group("a", List.of(new OffsetFetchOp.Partition("t1", 0),
            new OffsetFetchOp.Partition("t1", 5))));
        multi.groups.add(new OffsetFetchOp.Group("b", null));
        multi.groups.add(new OffsetFetchOp.Group("missing", null));
        multi.groups.add(new OffsetFetchOp.Group("x".repeat(GroupConfig.MAX_GROUP_ID_LENGTH + 1), null));
        harness.call(multi);
        assertThat(multi.groups.get(0).partitions).extracting(p -> p.offset).containsExactly(10L, -1L);
        assertThat(multi.groups.get(0).partitions.get(1).metadata).isEmpty();
        assertThat(multi.groups.get(1).partitions).extracting(p -> p.offset).containsExactly(99L);
        assertThat(multi.groups.get(2).errorCode).isEqualTo(GroupErrors.NONE);
        assertThat(multi.groups.get(2).partitions).isEmpty();
        assertThat(multi.groups.get(3).errorCode).isEqualTo(GroupErrors.INVALID_GROUP_ID);
    }

    @Test
    void requireStableReportsACommitStillBeingWritten()
    {
        harness = GroupHarness.active(dir);
        harness.call(commit("g", "", -1, "orders", 0, 1L));
        harness.send(commit("g", "", -1, "orders", 0, 2L));
        harness.coordinator.doWork();

        final OffsetFetchOp stable = fetch("g", "orders", 0, "orders", 1);
        stable.requireStable = true;
        harness.send(stable);
        harness.coordinator.doWork();
        harness.collect();
        assertThat(stable.groups.get(0).partitions.get(0).errorCode).isEqualTo(GroupErrors.UNSTABLE_OFFSET_COMMIT);
        assertThat(stable.groups.get(0).partitions.get(1).errorCode).isEqualTo(GroupErrors.NONE);

        final OffsetFetchOp relaxed = fetch("g", "orders", 0);
        harness.send(relaxed);
        harness.coordinator.doWork();
        harness.collect();
        assertThat(relaxed.groups.get(0).partitions.get(0).offset).isEqualTo(1);

        harness.cycle();
        final OffsetFetchOp after = fetch("g", "orders", 0);
        after.requireStable = true;
        assertThat(harness.call(after).groups.get(0).partitions.get(0).offset).isEqualTo(2);
    }

    @Test
    void commitWithItsOwnRetentionIsWrittenAsAnExpiringValue()
    {
        harness = GroupHarness.active(dir);
        final OffsetCommitOp op = commit("g", "", -1, "orders", 0, 5L);
        op.retentionTimeMs = 60_000;
        harness.call(op);
        final byte[] batch = harness.log.appended.get(harness.log.appended.size() - 1).batch();
        final List<GroupRecordsTest.Decoded> records = GroupRecordsTest.decodeBatch(batch);
        assertThat(records).hasSize(1);
        assertThat(records.get(0).value()).isEqualTo(
            new CommittedOffset(5, -1, "m", GroupHarness.T0, GroupHarness.T0 + 60_000));
    }
}
