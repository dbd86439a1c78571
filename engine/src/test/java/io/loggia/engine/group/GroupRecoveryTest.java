package io.loggia.engine.group;

import io.loggia.engine.log.LogFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.loggia.engine.group.GroupHarness.commit;
import static io.loggia.engine.group.GroupHarness.fetch;
import static io.loggia.engine.group.GroupHarness.heartbeat;
import static io.loggia.engine.group.GroupHarness.join;
import static io.loggia.engine.group.GroupHarness.sync;
import static org.assertj.core.api.Assertions.assertThat;

/** Groups and offsets come back from the real {@code __consumer_offsets} logs after a restart or a crash. */
class GroupRecoveryTest
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

    private DescribeGroupsOp.Group describe(final String group)
    {
        final DescribeGroupsOp op = new DescribeGroupsOp();
        op.apiVersion = 5;
        op.groups.add(new DescribeGroupsOp.Group(group));
        return harness.call(op).groups.get(0);
    }

    @Test
    void groupsOffsetsAndDeletionsSurviveARestart()
    {
        harness = GroupHarness.active(dir, Map.of(), 4);
        final List<JoinGroupOp> joins = harness.stableGroup("stable", 2);
        final String leader = joins.get(0).responseMemberId;
        final String follower = joins.get(1).responseMemberId;
        harness.call(commit("stable", leader, 1, "orders", 0, 10L, "orders", 1, 11L));
        harness.call(commit("stable", leader, 1, "orders", 0, 12L));
        harness.call(commit("simple", "", -1, "t", 0, 5L, "t", 1, 6L));
        final OffsetDeleteOp offsetDelete = new OffsetDeleteOp();
        offsetDelete.groupId = "simple";
        offsetDelete.partitions.add(new OffsetDeleteOp.Partition("t", 1));
        harness.call(offsetDelete);
        harness.call(commit("deleted", "", -1, "t", 0, 1L));
        final DeleteGroupsOp delete = new DeleteGroupsOp();
        delete.groups.add(new DeleteGroupsOp.Group("deleted"));
        harness.call(delete);
        final JoinGroupOp left = harness.call(join("left", ""));
        harness.call(GroupHarness.leave("left", left.responseMemberId));

        harness.restart();

        final DescribeGroupsOp.Group stable = describe("stable");
        assertThat(stable.state).isEqualTo("Stable");
        assertThat(stable.protocolData).isEqualTo("range");
        assertThat(stable.members).extracting(DescribeGroupsOp.Member::memberId)
            .containsExactlyInAnyOrder(leader, follower);
        assertThat(stable.members).extracting(m -> new String(m.assignment(), StandardCharsets.UTF_8))
            .containsExactlyInAnyOrder("assignment-0", "assignment-1");
        assertThat(harness.call(fetch("stable")).groups.get(0).partitions)
            .extracting(p -> p.topic + "-" + p.partition + "@" + p.offset)
            .containsExactly("orders-0@12", "orders-1@11");
        assertThat(harness.call(fetch("simple")).groups.get(0).partitions)
            .extracting(p -> p.topic + "-" + p.partition + "@" + p.offset).containsExactly("t-0@5");
        assertThat(harness.call(fetch("deleted")).groups.get(0).partitions).isEmpty();
        final DescribeGroupsOp.Group emptied = describe("left");
        assertThat(emptied.state).isEqualTo("Empty");
        assertThat(harness.call(new ListGroupsOp()).groups).extracting(ListGroupsOp.Group::groupId)
            .containsExactly("left", "simple", "stable");

        // the members carry on: same ids, same generation; the leader is still the leader
        assertThat(harness.call(heartbeat("stable", leader, 1)).errorCode).isEqualTo(GroupErrors.NONE);
        assertThat(harness.call(heartbeat("stable", follower, 1)).errorCode).isEqualTo(GroupErrors.NONE);
        assertThat(harness.call(sync("stable", follower, 1)).assignment).isEqualTo(bytes("assignment-1"));
        final JoinGroupOp rejoin = join("stable", leader);
        harness.send(rejoin);
        harness.cycle();
        assertThat(harness.call(join("stable", follower)).generationId).isEqualTo(2);
        assertThat(rejoin.leaderId).isEqualTo(leader);
    }

    @Test
    void membersThatDoNotComeBackAfterARestartTimeOut()
    {
        harness = GroupHarness.active(dir);
        final List<JoinGroupOp> joins = harness.stableGroup("g", 2);
        final String alive = joins.get(0).responseMemberId;
        harness.restart();
        for (int i = 0; i < 4; i++)
        {
            harness.advance(3_000);
            harness.call(heartbeat("g", alive, 1));
        }
        assertThat(harness.call(heartbeat("g", alive, 1)).errorCode).isEqualTo(GroupErrors.REBALANCE_IN_PROGRESS);
        assertThat(harness.call(join("g", alive)).members).hasSize(1);
    }

    @Test
    void staticMemberRejoinsAfterABrokerRestartWithoutRebalance()
    {
        harness = GroupHarness.active(dir);
        final JoinGroupOp a = harness.call(join("g", "", "i-a", "range"));
        harness.call(sync("g", a.responseMemberId, 1, a.responseMemberId, bytes("mine")));
        harness.restart();

        final JoinGroupOp rejoin = harness.call(join("g", "", "i-a", "range"));
        assertThat(rejoin.errorCode).isEqualTo(GroupErrors.NONE);
        assertThat(rejoin.generationId).isEqualTo(1);
        assertThat(harness.call(sync("g", rejoin.responseMemberId, 1)).assignment).isEqualTo(bytes("mine"));
        final HeartbeatOp old = heartbeat("g", a.responseMemberId, 1);
        old.groupInstanceId = "i-a";
        assertThat(harness.call(old).errorCode).isEqualTo(GroupErrors.FENCED_INSTANCE_ID);
        // and the takeover itself survives the next restart
        harness.restart();
        final HeartbeatOp current = heartbeat("g", rejoin.responseMemberId, 1);
        current.groupInstanceId = "i-a";
        assertThat(harness.call(current).errorCode).isEqualTo(GroupErrors.NONE);
    }

    @Test
    void batchCutOffMidWayByACrashIsDroppedAndEverythingBeforeItKept()
    {
        harness = GroupHarness.active(dir, Map.of(), 1);
        harness.call(commit("g", "", -1, "orders", 0, 1L));
        harness.call(commit("g", "", -1, "orders", 0, 2L, "orders", 1, 20L));
        harness.call(commit("g", "", -1, "orders", 0, 3L, "orders", 1, 30L));
        final int lastBatch = harness.log.appended.get(harness.log.appended.size() - 1).batch().length;

        // the crash tore the last batch: only its first half reached the disk
        harness.reopen(() -> cutActiveSegment(lastBatch / 2));
        harness.start();

        assertThat(harness.call(fetch("g")).groups.get(0).partitions)
            .extracting(p -> p.topic + "-" + p.partition + "@" + p.offset).containsExactly("orders-0@2", "orders-1@20");
        // the log goes on from the cut
        harness.call(commit("g", "", -1, "orders", 0, 4L));
        harness.restart();
        assertThat(harness.call(fetch("g", "orders", 0)).groups.get(0).partitions.get(0).offset).isEqualTo(4);
    }

    @Test
    void garbageAfterTheLastBatchIsIgnored()
    {
        harness = GroupHarness.active(dir, Map.of(), 1);
        harness.call(commit("g", "", -1, "orders", 0, 7L));
        harness.reopen(() -> appendToActiveSegment(new byte[]{0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 9, 1, 2, 3}));
        harness.start();
        assertThat(harness.call(fetch("g", "orders", 0)).groups.get(0).partitions.get(0).offset).isEqualTo(7);
    }

    @Test
    void partitionStillLoadingAnswersLoadInProgress()
    {
        harness = GroupHarness.active(dir, Map.of(GroupConfig.OFFSETS_LOAD_BUFFER_SIZE, "1"), 1);
        for (int i = 0; i < 20; i++)
        {
            harness.call(commit("g", "", -1, "orders", 0, (long)i));
        }
        harness.reopen(null);
        harness.coordinator.onStart();
        harness.coordinator.doWork();
        assertThat(harness.coordinator.isActive()).isFalse();
        assertThat(harness.proxy.isAvailable()).isTrue();
        final JoinGroupOp join = harness.call(join("g", ""));
        assertThat(join.errorCode).isEqualTo(GroupErrors.COORDINATOR_LOAD_IN_PROGRESS);
        assertThat(harness.call(fetch("g")).groups.get(0).errorCode)
            .isEqualTo(GroupErrors.COORDINATOR_LOAD_IN_PROGRESS);
        assertThat(harness.call(new ListGroupsOp()).errorCode).isEqualTo(GroupErrors.COORDINATOR_LOAD_IN_PROGRESS);
        harness.start();
        assertThat(harness.call(fetch("g", "orders", 0)).groups.get(0).partitions.get(0).offset).isEqualTo(19);
    }

    private Path activeSegment()
    {
        final Path partitionDir = dir.resolve(GroupConfig.OFFSETS_TOPIC + "-0");
        try (Stream<Path> files = Files.list(partitionDir))
        {
            return files.filter(f -> f.toString().endsWith(LogFiles.LOG_SUFFIX)).max(Path::compareTo).orElseThrow();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private void cutActiveSegment(final int bytes)
    {
        try (FileChannel channel = FileChannel.open(activeSegment(), StandardOpenOption.WRITE))
        {
            channel.truncate(channel.size() - bytes);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private void appendToActiveSegment(final byte[] garbage)
    {
        try (FileChannel channel = FileChannel.open(activeSegment(), StandardOpenOption.WRITE))
        {
            channel.write(ByteBuffer.wrap(garbage), channel.size());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
