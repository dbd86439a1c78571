package io.loggia.engine.housekeeping;

import io.loggia.engine.log.LogConfig;
import io.loggia.engine.log.PartitionLog;
import io.loggia.engine.partition.Partition;
import io.loggia.engine.writer.AppendProxy;
import io.loggia.engine.writer.KafkaErrors;
import io.loggia.engine.writer.PartitionWriterTestAccess;
import io.loggia.engine.writer.TestBatches;
import io.loggia.engine.writer.WriterHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A full disk on a real, small file system: an 8 MiB tmpfs this test mounts (possible as root; elsewhere the
 * test is skipped with the reason). The housekeeper's fallocate meets ENOSPC, the writer fails appends with
 * KAFKA_STORAGE_ERROR instead of faulting, the log stays readable, and appends resume once space returns; the
 * same holds for the index files, whose reachable range is reserved before the writer may append.
 * <p>
 * On tmpfs, fallocate allocates (zeroed) memory pages against the mount's size, where ext4 reserves unwritten
 * extents; both refuse with ENOSPC when the space is not there, which is what the window protocol relies on.
 */
class FullDiskTest
{
    private static final int MIB = 1024 * 1024;

    @TempDir
    Path base;

    private Path mountPoint;
    private boolean mounted;

    @BeforeEach
    void mount() throws Exception
    {
        mountPoint = Files.createDirectories(base.resolve("small"));
        mounted = run("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mountPoint.toString());
        assumeTrue(mounted, "mounting an 8 MiB tmpfs needs root; the full-disk path was not exercised");
    }

    @AfterEach
    void unmount() throws Exception
    {
        if (mounted && !run("umount", mountPoint.toString()))
        {
            run("umount", "-l", mountPoint.toString());
        }
    }

    @Test
    void outOfSpaceFailsAppendsWithStorageErrorUntilSpaceReturns() throws Exception
    {
        final WriterHarness harness = new WriterHarness(mountPoint, 4 * MIB, true);
        final Housekeeper housekeeper = HousekeeperTest.housekeeper(harness, true, MIB);
        housekeeper.loadNative();
        assumeTrue(Housekeeper.NATIVE_READY == housekeeper.nativeState(), "native calls are available on Linux only");
        final Path filler = mountPoint.resolve("filler");
        Files.write(filler, new byte[2 * MIB]);

        // no index entries: index pages are never touched, so nothing but the prepared window is written
        final Partition partition = harness.createPartition("full", 0, TestBatches.config(
            LogConfig.SEGMENT_BYTES, Integer.toString(64 * MIB),
            LogConfig.SEGMENT_INDEX_BYTES, "4096",
            LogConfig.INDEX_INTERVAL_BYTES, Integer.toString(1 << 30)));
        final PartitionLog log = partition.log();
        log.activeSegment().writableLimit(0);
        harness.doWork();
        final WriterHarness.TestCaller caller = harness.caller(0, MIB);

        int offered = 0;
        int rounds = 0;
        while (!partition.space().isStorageFull() ||
            caller.completions.isEmpty() || KafkaErrors.NONE == caller.last().errorCode())
        {
            if (AppendProxy.OFFERED == caller.offer(partition, offered, 1, TestBatches.batch(1, 32 * 1024, 1_000, offered)))
            {
                offered++;
            }
            harness.doWork();
            housekeeper.doWork();
            caller.poll();
            assertThat(++rounds).isLessThan(10_000);
        }
        assertThat(housekeeper.counters().get(HousekeeperCounters.OUT_OF_SPACE)).isPositive();
        final long endWhenFull = log.logEndOffset();
        assertThat(endWhenFull).isGreaterThan(50);
        assertThat(caller.last().errorCode()).isEqualTo(KafkaErrors.KAFKA_STORAGE_ERROR);
        assertThat(PartitionWriterTestAccess.tagsInLog(log)).hasSize((int)endWhenFull);

        Files.delete(filler);
        harness.clock.advance(TimeUnit.SECONDS.toMillis(1));
        final int completionsBefore = caller.completions.size();
        while (caller.completions.size() == completionsBefore || KafkaErrors.NONE != caller.last().errorCode())
        {
            caller.offer(partition, offered++, 1, TestBatches.batch(1, 32 * 1024, 1_000, offered));
            housekeeper.doWork();
            harness.doWork();
            caller.poll();
            assertThat(++rounds).isLessThan(20_000);
        }
        assertThat(partition.space().isStorageFull()).isFalse();
        assertThat(log.logEndOffset()).isGreaterThan(endWhenFull);

        harness.writer.closeNow();
        housekeeper.onClose();
    }

    @Test
    void indexEntriesAreReservedSoAFullDiskFailsAppendsInsteadOfFaultingTheWriter() throws Exception
    {
        final WriterHarness harness = new WriterHarness(mountPoint, 4 * MIB, true);
        final Housekeeper housekeeper = HousekeeperTest.housekeeper(harness, true, MIB);
        housekeeper.loadNative();
        assumeTrue(Housekeeper.NATIVE_READY == housekeeper.nativeState(), "native calls are available on Linux only");

        // an index entry for every batch after the first, into sparse index files mapped 1 MiB each
        final Partition partition = harness.createPartition("full", 0, TestBatches.config(
            LogConfig.SEGMENT_BYTES, Integer.toString(64 * MIB),
            LogConfig.SEGMENT_INDEX_BYTES, Integer.toString(MIB),
            LogConfig.INDEX_INTERVAL_BYTES, "0"));
        final PartitionLog log = partition.log();
        log.activeSegment().writableLimit(0);
        harness.doWork();
        // room for exactly one window of log: without the index reservation the housekeeper would take all of it
        // for the log and the writer's first index entry would touch a page the file system cannot give (SIGBUS)
        final Path filler = mountPoint.resolve("filler");
        Files.write(filler, new byte[(int)(Files.getFileStore(mountPoint).getUsableSpace() - MIB)]);
        final WriterHarness.TestCaller caller = harness.caller(0, MIB);

        int offered = 0;
        int rounds = 0;
        while (caller.completions.size() < 3)
        {
            if (AppendProxy.OFFERED == caller.offer(partition, offered, 1, TestBatches.batch(1, 1024, 1_000, offered)))
            {
                offered++;
            }
            housekeeper.doWork();
            harness.doWork();
            caller.poll();
            assertThat(++rounds).isLessThan(10_000);
        }
        assertThat(partition.space().isStorageFull()).isTrue();
        assertThat(caller.completions).extracting(WriterHarness.Completion::errorCode)
            .containsOnly(KafkaErrors.KAFKA_STORAGE_ERROR);
        assertThat(log.logEndOffset()).isZero();

        Files.delete(filler);
        harness.clock.advance(TimeUnit.SECONDS.toMillis(1));
        final int failed = caller.completions.size();
        while (caller.completions.size() < failed + 200)
        {
            if (AppendProxy.OFFERED == caller.offer(partition, offered, 1, TestBatches.batch(1, 1024, 1_000, offered)))
            {
                offered++;
            }
            housekeeper.doWork();
            harness.doWork();
            caller.poll();
            assertThat(++rounds).isLessThan(20_000);
        }
        assertThat(caller.completions.subList(failed, caller.completions.size()))
            .extracting(WriterHarness.Completion::errorCode).containsOnly(KafkaErrors.NONE);
        assertThat(housekeeper.counters().get(HousekeeperCounters.INDEXES_RESERVED)).isEqualTo(2);
        assertThat(log.activeSegment().offsetIndex().entries()).isGreaterThan(100);
        assertThat(PartitionWriterTestAccess.tagsInLog(log)).hasSize((int)log.logEndOffset());
        assertThat(harness.errors.seen).isEmpty();

        harness.writer.closeNow();
        housekeeper.onClose();
    }

    @Test
    void afterARestartTheLoadedActiveSegmentIsGatedSoAFullDiskFailsAppendsInsteadOfFaultingTheWriter()
        throws Exception
    {
        // an index entry for every batch after the first, into sparse index files mapped 1 MiB each
        final LogConfig config = TestBatches.config(
            LogConfig.SEGMENT_BYTES, Integer.toString(64 * MIB),
            LogConfig.SEGMENT_INDEX_BYTES, Integer.toString(MIB),
            LogConfig.INDEX_INTERVAL_BYTES, "0");
        int offered = appendAndStop(config, 50);

        // the restart: the active segment is loaded with its limit at its capacity
        final WriterHarness harness = new WriterHarness(mountPoint, 4 * MIB, true);
        final Housekeeper housekeeper = HousekeeperTest.housekeeper(harness, true, MIB);
        final Partition partition = harness.createPartition("full", 0, config);
        final PartitionLog log = partition.log();
        assertThat(log.logEndOffset()).isEqualTo(50);
        assertThat(log.activeSegment().writableLimit()).isEqualTo(log.activeSegment().capacity());
        harness.doWork();
        housekeeper.doWork();
        housekeeper.loadNative();
        assumeTrue(Housekeeper.NATIVE_READY == housekeeper.nativeState(), "native calls are available on Linux only");
        housekeeper.doWork();
        assertThat(housekeeper.counters().get(HousekeeperCounters.SEGMENTS_GATED)).isEqualTo(1);
        assertThat(log.activeSegment().writableLimit()).isLessThanOrEqualTo(log.activeSegment().size() + 2L * MIB);

        // nothing left on the disk but what the housekeeper reserved
        final Path filler = mountPoint.resolve("filler");
        fill(filler);
        final WriterHarness.TestCaller caller = harness.caller(0, MIB);
        int rounds = 0;
        while (caller.completions.isEmpty() || KafkaErrors.NONE == caller.last().errorCode())
        {
            if (AppendProxy.OFFERED == caller.offer(partition, offered, 1, TestBatches.batch(1, 1024, 1_000, offered)))
            {
                offered++;
            }
            housekeeper.doWork();
            harness.doWork();
            caller.poll();
            assertThat(++rounds).isLessThan(20_000);
        }
        assertThat(harness.errors.seen).isEmpty();
        assertThat(caller.last().errorCode()).isEqualTo(KafkaErrors.KAFKA_STORAGE_ERROR);
        assertThat(partition.space().isStorageFull()).isTrue();
        final long endWhenFull = log.logEndOffset();
        // the window of a segment holding ~50 KiB is 64 KiB: most of it is written before the disk is full
        assertThat(endWhenFull).as("the reserved window was written").isGreaterThan(50 + 32);
        assertThat(PartitionWriterTestAccess.tagsInLog(log)).hasSize((int)endWhenFull);

        Files.delete(filler);
        harness.clock.advance(TimeUnit.SECONDS.toMillis(1));
        final int failed = caller.completions.size();
        while (caller.completions.size() < failed + 200 || KafkaErrors.NONE != caller.last().errorCode())
        {
            if (AppendProxy.OFFERED == caller.offer(partition, offered, 1, TestBatches.batch(1, 1024, 1_000, offered)))
            {
                offered++;
            }
            housekeeper.doWork();
            harness.doWork();
            caller.poll();
            assertThat(++rounds).isLessThan(40_000);
        }
        assertThat(partition.space().isStorageFull()).isFalse();
        assertThat(log.logEndOffset()).isGreaterThan(endWhenFull);
        assertThat(PartitionWriterTestAccess.tagsInLog(log)).hasSize((int)log.logEndOffset());
        assertThat(harness.errors.seen).isEmpty();

        harness.writer.closeNow();
        housekeeper.onClose();
    }

    /** A first run of the broker: {@code count} batches appended, then a clean shutdown. */
    private int appendAndStop(final LogConfig config, final int count) throws Exception
    {
        final WriterHarness harness = new WriterHarness(mountPoint, 4 * MIB, true);
        final Partition partition = harness.createPartition("full", 0, config);
        final WriterHarness.TestCaller caller = harness.caller(0, MIB);
        int offered = 0;
        while (caller.completions.size() < count)
        {
            if (offered < count &&
                AppendProxy.OFFERED == caller.offer(partition, offered, 1, TestBatches.batch(1, 1024, 1_000, offered)))
            {
                offered++;
            }
            harness.doWork();
            caller.poll();
        }
        assertThat(caller.completions).extracting(WriterHarness.Completion::errorCode).containsOnly(KafkaErrors.NONE);
        harness.writer.closeNow();
        return offered;
    }

    /** Write zeros until the file system refuses: no free block is left. */
    private static void fill(final Path filler) throws Exception
    {
        final ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        try (FileChannel channel = FileChannel.open(filler, StandardOpenOption.CREATE, StandardOpenOption.WRITE))
        {
            while (true)
            {
                chunk.clear();
                channel.write(chunk);
            }
        }
        catch (final IOException expected)
        {
            // ENOSPC: the disk is full
        }
    }

    private static boolean run(final String... command) throws Exception
    {
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(10, TimeUnit.SECONDS) && 0 == process.exitValue();
        }
        catch (final java.io.IOException ex)
        {
            return false;
        }
    }
}
