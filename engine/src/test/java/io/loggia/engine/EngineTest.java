package io.loggia.engine;

import io.loggia.engine.log.CleanShutdownMarker;
import io.loggia.engine.log.LogConfig;
import io.loggia.engine.log.LogFiles;
import io.loggia.engine.log.RecoveryReport;
import io.loggia.engine.partition.Partition;
import io.loggia.engine.writer.AppendProxy;
import io.loggia.engine.writer.Caller;
import io.loggia.engine.writer.KafkaErrors;
import io.loggia.engine.writer.PartitionWriter;
import io.loggia.engine.writer.PartitionWriterTestAccess;
import io.loggia.engine.writer.TestBatches;
import io.loggia.engine.writer.WriterCounters;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The engine assembled, its agents driven by hand on the test thread: open, create, append, close, reopen after a
 * clean and an unclean stop, partition admin, several writers.
 */
class EngineTest
{
    @TempDir
    Path logDir;

    private final TestBatches.Errors errors = new TestBatches.Errors();
    private final CachedEpochClock clock = new CachedEpochClock();
    private final List<RecoveryReport> reports = new ArrayList<>();

    private Engine open(final int writers) throws IOException
    {
        clock.update(1_000_000);
        final EngineConfig config = new EngineConfig()
            .logDir(logDir)
            .numWriterThreads(writers)
            .segmentPrepareBytes(1024 * 1024)
            .logDefaults(TestBatches.config(LogConfig.SEGMENT_BYTES, Integer.toString(4 * 1024 * 1024)));
        return Engine.open(config, errors, new EngineListener()
        {
            public void onPartitionLoaded(final Partition partition, final RecoveryReport report)
            {
                final RecoveryReport copy = new RecoveryReport();
                copy.topicPartition = report.topicPartition;
                copy.cleanShutdown = report.cleanShutdown;
                copy.segmentsRecovered = report.segmentsRecovered;
                copy.logEndOffset = report.logEndOffset;
                copy.truncated = report.truncated;
                copy.truncatedAtZeroTail = report.truncatedAtZeroTail;
                reports.add(copy);
            }
        }, clock);
    }

    /** Drive every agent once. */
    private static int work(final Engine engine)
    {
        int work = 0;
        for (int i = 0; i < engine.writerCount(); i++)
        {
            work += engine.writer(i).doWork();
        }
        return work + engine.housekeeper().doWork();
    }

    private static List<Short> appendAndAwait(
        final Engine engine, final Caller caller, final Partition partition, final int count, final int acks)
    {
        final List<Short> errorCodes = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final UnsafeBuffer batch = TestBatches.batch(2, 100, 1_000, i);
            assertThat(caller.appendProxy().offer(partition.writerIndex(), i, partition.id(), (short)acks, batch, 0,
                batch.capacity())).isEqualTo(AppendProxy.OFFERED);
        }
        int rounds = 0;
        while (errorCodes.size() < count)
        {
            work(engine);
            caller.completionAdapter().poll((correlation, partitionId, errorCode, baseOffset, appendTime, start) ->
                errorCodes.add(errorCode), Integer.MAX_VALUE);
            assertThat(++rounds).isLessThan(10_000);
        }
        return errorCodes;
    }

    @Test
    void aCleanShutdownWritesTheMarkerAndTheReopenSkipsTheScan() throws Exception
    {
        final Engine engine = open(1);
        final Engine.Created created = engine.createPartition("orders", UUID.randomUUID(), 0, null);
        assertThat(created.isOk()).isTrue();
        final Partition partition = created.partition();
        final Caller caller = engine.registerCaller(() -> {});
        assertThat(appendAndAwait(engine, caller, partition, 30, -1)).containsOnly(KafkaErrors.NONE);
        engine.close();

        assertThat(CleanShutdownMarker.exists(logDir)).isTrue();
        assertThat(Files.exists(logDir.resolve(LogFiles.RECOVERY_POINT_CHECKPOINT_FILE))).isTrue();
        assertThat(partition.state()).isEqualTo(Partition.CLOSED);
        assertThat(errors.seen).isEmpty();

        final Engine reopened = open(1);
        assertThat(CleanShutdownMarker.exists(logDir)).as("deleted once loaded").isFalse();
        assertThat(reports).hasSize(1);
        assertThat(reports.get(0).cleanShutdown).isTrue();
        assertThat(reports.get(0).segmentsRecovered).isZero();
        final Partition loaded = reopened.partition("orders", 0);
        assertThat(reopened.loadedPartitions()).containsExactly(loaded);
        assertThat(loaded.log().dir()).isEqualTo(logDir.toAbsolutePath().resolve("orders-0"));
        assertThat(loaded.log().logEndOffset()).isEqualTo(60);
        assertThat(loaded.log().highWatermark()).isEqualTo(60);
        assertThat(PartitionWriterTestAccess.tagsInLog(loaded.log())).hasSize(30);

        final Caller again = reopened.registerCaller(() -> {});
        assertThat(appendAndAwait(reopened, again, loaded, 5, 1)).containsOnly(KafkaErrors.NONE);
        assertThat(loaded.log().logEndOffset()).isEqualTo(70);
        reopened.close();
        assertThat(errors.seen).isEmpty();
    }

    @Test
    void anUncleanStopIsRecoveredByTheScan() throws Exception
    {
        final Engine engine = open(1);
        final Partition partition = engine.createPartition("orders", null, 0, null).partition();
        final Caller caller = engine.registerCaller(() -> {});
        assertThat(appendAndAwait(engine, caller, partition, 40, 1)).containsOnly(KafkaErrors.NONE);
        engine.halt();

        final Engine reopened = open(1);
        assertThat(reports).hasSize(1);
        final RecoveryReport report = reports.get(0);
        assertThat(report.cleanShutdown).isFalse();
        assertThat(report.segmentsRecovered).isPositive();
        assertThat(report.logEndOffset).isEqualTo(80);
        final Partition loaded = reopened.partition("orders", 0);
        assertThat(PartitionWriterTestAccess.tagsInLog(loaded.log())).hasSize(40);
        reopened.close();
    }

    @Test
    void idempotentRetriesAreRecognisedAfterACleanAndAnUncleanRestart() throws Exception
    {
        final Engine engine = open(1);
        final Partition partition = engine.createPartition("orders", null, 0, null).partition();
        final Caller caller = engine.registerCaller(() -> {});
        final List<long[]> outcomes = new ArrayList<>();
        for (int sequence = 0; sequence < 5; sequence++)
        {
            outcomes.add(idempotent(engine, caller, partition, sequence));
        }
        assertThat(outcomes.get(4)).containsExactly(KafkaErrors.NONE, 8);
        engine.close();

        final Engine clean = open(1);
        final Partition afterClose = clean.partition("orders", 0);
        final Caller again = clean.registerCaller(() -> {});
        assertThat(idempotent(clean, again, afterClose, 4)).as("retry after a clean restart").containsExactly(0, 8);
        assertThat(idempotent(clean, again, afterClose, 7)).containsExactly(KafkaErrors.OUT_OF_ORDER_SEQUENCE_NUMBER, -1);
        assertThat(idempotent(clean, again, afterClose, 5)).containsExactly(0, 10);
        clean.halt();

        final Engine recovered = open(1);
        final Partition afterCrash = recovered.partition("orders", 0);
        final Caller third = recovered.registerCaller(() -> {});
        assertThat(idempotent(recovered, third, afterCrash, 5)).as("retry after a crash").containsExactly(0, 10);
        assertThat(idempotent(recovered, third, afterCrash, 6)).containsExactly(0, 12);
        recovered.close();
        assertThat(errors.seen).isEmpty();
    }

    /** One idempotent batch of two records with this base sequence; returns {error, base offset}. */
    private static long[] idempotent(final Engine engine, final Caller caller, final Partition partition, final int sequence)
    {
        final UnsafeBuffer batch = TestBatches.batch(2, 50, 1_000, sequence, 77L, (short)0, 2 * sequence);
        assertThat(caller.appendProxy().offer(partition.writerIndex(), sequence, partition.id(), (short)-1, batch, 0,
            batch.capacity())).isEqualTo(AppendProxy.OFFERED);
        final long[] outcome = {Long.MIN_VALUE, 0};
        for (int rounds = 0; Long.MIN_VALUE == outcome[0]; rounds++)
        {
            work(engine);
            caller.completionAdapter().poll((correlation, partitionId, errorCode, baseOffset, appendTime, start) ->
            {
                outcome[0] = errorCode;
                outcome[1] = baseOffset;
            }, 1);
            assertThat(rounds).isLessThan(10_000);
        }
        return outcome;
    }

    @Test
    void partitionsAreCreatedConfiguredAndDeletedThroughTheirWriters() throws Exception
    {
        final Engine engine = open(1);
        final Partition partition = engine.createPartition("events", null, 1, null).partition();
        assertThat(engine.createPartition("events", null, 1, null).errorCode()).isEqualTo(KafkaErrors.TOPIC_ALREADY_EXISTS);
        assertThat(engine.createPartition("bad/name", null, 0, null).errorCode())
            .isEqualTo(KafkaErrors.INVALID_TOPIC_EXCEPTION);
        assertThat(engine.createPartition("events", null, -1, null).errorCode()).isEqualTo(KafkaErrors.INVALID_PARTITIONS);

        final AtomicReference<String> outcome = new AtomicReference<>();
        final LogConfig retained = TestBatches.config(LogConfig.RETENTION_MS, "1000");
        assertThat(engine.updateConfig(partition, retained, (p, error, value) -> outcome.set("config " + error)))
            .isEqualTo(KafkaErrors.NONE);
        work(engine);
        assertThat(outcome.get()).isEqualTo("config 0");
        assertThat(partition.config()).isSameAs(retained);

        final Caller caller = engine.registerCaller(() -> {});
        appendAndAwait(engine, caller, partition, 3, 1);
        final Path dir = partition.log().dir();
        assertThat(engine.deletePartition(partition, (p, error, value) -> outcome.set("deleted " + error)))
            .isEqualTo(KafkaErrors.NONE);
        assertThat(engine.partition("events", 1)).isNull();
        assertThat(engine.deletePartition(partition, null)).isEqualTo(KafkaErrors.UNKNOWN_TOPIC_OR_PARTITION);
        for (int i = 0; i < 10 && !"deleted 0".equals(outcome.get()); i++)
        {
            work(engine);
        }
        assertThat(outcome.get()).isEqualTo("deleted 0");
        assertThat(Files.exists(dir)).isFalse();

        final Partition recreated = engine.createPartition("events", null, 1, null).partition();
        assertThat(recreated.id()).isNotEqualTo(partition.id());
        assertThat(recreated.log().logEndOffset()).isZero();
        engine.close();
        assertThat(errors.seen).isEmpty();
    }

    @Test
    void partitionsSpreadOverWritersAndEachWriterAppendsOnlyItsOwn() throws Exception
    {
        final Engine engine = open(2);
        final List<Partition> partitions = new ArrayList<>();
        for (int i = 0; i < 4; i++)
        {
            partitions.add(engine.createPartition("spread", null, i, null).partition());
        }
        assertThat(partitions).extracting(Partition::writerIndex).containsExactly(0, 1, 0, 1);
        final Caller caller = engine.registerCaller(() -> {});
        for (final Partition partition : partitions)
        {
            assertThat(appendAndAwait(engine, caller, partition, 5, -1)).containsOnly(KafkaErrors.NONE);
        }
        for (int i = 0; i < 2; i++)
        {
            final PartitionWriter writer = engine.writer(i);
            assertThat(writer.counters().get(WriterCounters.APPENDS)).isEqualTo(10);
        }
        for (final Partition partition : partitions)
        {
            assertThat(partition.log().logEndOffset()).isEqualTo(10);
        }
        engine.close();
        assertThat(errors.seen).isEmpty();
    }

    @Test
    void deletesACrashInterruptedAreFinishedAndStrangersAreLeftAlone() throws Exception
    {
        final Path interrupted = Files.createDirectories(logDir.resolve("gone-0.0123456789abcdef-delete"));
        Files.write(interrupted.resolve("00000000000000000000.log"), new byte[1000]);
        final Path stranger = Files.createDirectories(logDir.resolve("not a partition"));
        final Engine engine = open(1);
        for (int i = 0; i < 10 && Files.exists(interrupted); i++)
        {
            work(engine);
        }
        assertThat(Files.exists(interrupted)).isFalse();
        assertThat(Files.exists(stranger)).isTrue();
        assertThat(engine.loadedPartitions()).isEmpty();
        engine.close();
        assertThat(errors.seen).isEmpty();
    }

    @Test
    void aLogDirIsUsedByOneEngineAtATime() throws Exception
    {
        final Engine engine = open(1);
        assertThatThrownBy(() -> open(1)).isInstanceOfAny(IOException.class, RuntimeException.class);
        engine.close();
        open(1).close();
    }

    @Test
    void configKeysFollowKafkasNames()
    {
        final EngineConfig config = EngineConfig.from(java.util.Map.of(
            "log.dirs", "/data/loggia",
            "num.writer.threads", "3",
            "log.segment.bytes", "1048576",
            "loggia.segment.prepare.bytes", "0"));
        assertThat(config.validate().logDir()).isEqualTo(Path.of("/data/loggia"));
        assertThat(config.numWriterThreads()).isEqualTo(3);
        assertThat(config.logDefaults().segmentBytes()).isEqualTo(1048576);
        assertThat(config.segmentPrepareBytes()).isZero();
        assertThatThrownBy(() -> EngineConfig.from(java.util.Map.of("log.dirs", "/a,/b")).validate())
            .hasMessageContaining("one log dir");
    }
}
