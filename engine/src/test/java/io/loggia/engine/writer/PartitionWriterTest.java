package io.loggia.engine.writer;

import io.loggia.engine.log.LogCodes;
import io.loggia.engine.log.LogConfig;
import io.loggia.engine.log.PartitionLog;
import io.loggia.engine.log.ReadResult;
import io.loggia.engine.partition.Partition;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The writer driven by hand: acks, errors, back-pressure on both rings, durable mode, fetch-waiter signals,
 * the writable-limit stall and the commands.
 */
class PartitionWriterTest
{
    @TempDir
    Path logDir;

    @Test
    void acksZeroOneAndAllCompleteAsAsked() throws Exception
    {
        final WriterHarness harness = new WriterHarness(logDir, 1 << 20, false);
        final Partition partition = harness.createPartition("orders", 0, TestBatches.config());
        final WriterHarness.TestCaller caller = harness.caller(3, 64 * 1024);

        assertThat(caller.offer(partition, 101, 0, TestBatches.batch(1, 50, 1_000, 1))).isEqualTo(AppendProxy.OFFERED);
        assertThat(caller.offer(partition, 102, 1, TestBatches.batch(2, 50, 1_000, 2))).isEqualTo(AppendProxy.OFFERED);
        assertThat(caller.offer(partition, 103, -1, TestBatches.batch(3, 50, 1_000, 3))).isEqualTo(AppendProxy.OFFERED);
        caller.caller.appendProxy().wakeWriters();
        assertThat(harness.writerWake.wakes.get()).isEqualTo(1);

        harness.doWork();
        caller.poll();

        assertThat(caller.completions).containsExactly(
            new WriterHarness.Completion(102, partition.id(), KafkaErrors.NONE, 1, -1, 0),
            new WriterHarness.Completion(103, partition.id(), KafkaErrors.NONE, 3, -1, 0));
        assertThat(caller.wake.wakes.get()).as("one wake per duty cycle").isEqualTo(1);
        assertThat(partition.log().logEndOffset()).isEqualTo(6);
        assertThat(partition.log().highWatermark()).isEqualTo(6);
        assertThat(harness.writer.counters().get(WriterCounters.APPENDS)).isEqualTo(3);
        assertThat(harness.errors.seen).isEmpty();
    }

    @Test
    void logAppendTimeComesBackInTheCompletion() throws Exception
    {
        final WriterHarness harness = new WriterHarness(logDir, 1 << 20, false);
        final Partition partition = harness.createPartition(
            "stamped", 0, TestBatches.config(LogConfig.MESSAGE_TIMESTAMP_TYPE, "LogAppendTime"));
        final WriterHarness.TestCaller caller = harness.caller(0, 64 * 1024);
        harness.clock.update(1_700_000_000_000L);

        caller.offer(partition, 7, 1, TestBatches.batch(2, 10, 5, 0));
        harness.doWork();
        caller.poll();

        assertThat(caller.last().logAppendTime()).isEqualTo(1_700_000_000_000L);
    }

    @Test
    void unknownPartitionAndOversizedBatchesAreAnsweredWithKafkaErrors() throws Exception
    {
        final WriterHarness harness = new WriterHarness(logDir, 1 << 20, false);
        final Partition small = harness.createPartition("small", 0, TestBatches.config(
            LogConfig.MAX_MESSAGE_BYTES, "1000"));
        final Partition tiny = harness.createPartition("tiny", 0, TestBatches.config(
            LogConfig.SEGMENT_BYTES, "4096", LogConfig.MAX_MESSAGE_BYTES, "100000"));
        final WriterHarness.TestCaller caller = harness.caller(1, 64 * 1024);
        final UnsafeBuffer big = TestBatches.batch(4, 1_500, 1_000, 0);

        caller.caller.appendProxy().offer(0, 1, 999, (short)1, big, 0, big.capacity());
        caller.offer(small, 2, -1, big);
        caller.offer(tiny, 3, 1, big);
        caller.offer(small, 4, 0, big);
        harness.doWork();
        caller.poll();

        assertThat(caller.completions).extracting(WriterHarness.Completion::errorCode).containsExactly(
            KafkaErrors.UNKNOWN_TOPIC_OR_PARTITION, KafkaErrors.MESSAGE_TOO_LARGE, KafkaErrors.RECORD_LIST_TOO_LARGE);
        assertThat(caller.completions).extracting(WriterHarness.Completion::baseOffset).containsOnly(-1L);
        assertThat(small.log().logEndOffset()).isZero();
        assertThat(harness.writer.counters().get(WriterCounters.APPEND_ERRORS)).isEqualTo(4);
    }

    @Test
    void fullAppendRingPushesBackAndLosesNothing() throws Exception
    {
        final WriterHarness harness = new WriterHarness(logDir, 64 * 1024, false);
        final Partition partition = harness.createPartition("orders", 0, TestBatches.config());
        final WriterHarness.TestCaller caller = harness.caller(0, 1 << 20);
        final int total = 400;
        int next = 0;
        int backPressured = 0;
        while (next < total)
        {
            final int result = caller.offer(partition, next, 1, TestBatches.batch(1, 900, 1_000, next));
            if (AppendProxy.BACK_PRESSURED == result)
            {
                backPressured++;
                harness.doWork();
                caller.poll();
                continue;
            }
            assertThat(result).isEqualTo(AppendProxy.OFFERED);
            next++;
        }
        harness.drain();
        caller.poll();

        assertThat(backPressured).isPositive();
        assertThat(caller.completions).hasSize(total);
        for (int i = 0; i < total; i++)
        {
            final WriterHarness.Completion completion = caller.completions.get(i);
            assertThat(completion.correlation()).isEqualTo(i);
            assertThat(completion.baseOffset()).isEqualTo(i);
        }
        assertThat(tagsInLog(partition.log())).containsExactlyElementsOf(sequence(total));
    }

    @Test
    void fullCompletionRingParksCompletionsAndStopsTheRingUntilItDrains() throws Exception
    {
        final WriterHarness harness = new WriterHarness(logDir, 1 << 20, false);
        final Partition first = harness.createPartition("first", 0, TestBatches.config());
        final Partition second = harness.createPartition("second", 0, TestBatches.config());
        final WriterHarness.TestCaller caller = harness.caller(5, 4096);
        final int total = 300;
        for (int i = 0; i < total; i++)
        {
            caller.offer(0 == (i & 1) ? first : second, i, 1, TestBatches.batch(1, 20, 1_000, i));
        }
        harness.doWork();
        assertThat(harness.writer.counters().get(WriterCounters.COMPLETIONS_BACK_PRESSURED)).isPositive();
        assertThat(first.log().logEndOffset() + second.log().logEndOffset()).isEqualTo(total);

        for (int i = total; i < total + 10; i++)
        {
            caller.offer(first, i, 1, TestBatches.batch(1, 20, 1_000, i));
        }
        harness.doWork();
        assertThat(first.log().logEndOffset()).as("no append is read while completions wait").isEqualTo(total / 2);
        final int writerWakes = harness.writerWake.wakes.get();
        caller.poll();
        assertThat(harness.writerWake.wakes.get()).as("a drained caller wakes the blocked writer").isGreaterThan(writerWakes);

        int rounds = 0;
        while (caller.completions.size() < total + 10)
        {
            caller.poll();
            harness.doWork();
            assertThat(++rounds).isLessThan(1_000);
        }
        final List<Long> correlations = new ArrayList<>();
        long lastFirst = -1;
        long lastSecond = -1;
        for (final WriterHarness.Completion completion : caller.completions)
        {
            assertThat(completion.errorCode()).isEqualTo(KafkaErrors.NONE);
            correlations.add(completion.correlation());
            if (completion.partitionId() == first.id())
            {
                assertThat(completion.baseOffset()).isGreaterThan(lastFirst);
                lastFirst = completion.baseOffset();
            }
            else
            {
                assertThat(completion.baseOffset()).isGreaterThan(lastSecond);
                lastSecond = completion.baseOffset();
            }
        }
        assertThat(correlations).containsExactlyInAnyOrderElementsOf(sequence(total + 10));
        assertThat(first.log().logEndOffset()).isEqualTo(total / 2 + 10);
    }

    @Test
    void durableModeAcknowledgesOnlyWhatIsFlushedWithOneFlushPerCycle() throws Exception
    {
        final WriterHarness harness = new WriterHarness(logDir, 1 << 20, false);
        final Partition partition = harness.createPartition("durable", 0, TestBatches.config(
            LogConfig.FLUSH_MESSAGES, "1"));
        final WriterHarness.TestCaller caller = harness.caller(2, 64 * 1024);
        harness.doWork();
        final long flushesBefore = harness.writer.counters().get(WriterCounters.FLUSHES);

        for (int i = 0; i < 5; i++)
        {
            caller.offer(partition, i, 0 == (i & 1) ? 1 : -1, TestBatches.batch(3, 100, 1_000, i));
        }
        caller.offer(partition, 99, 0, TestBatches.batch(3, 100, 1_000, 99));
        harness.doWork();

        final PartitionLog log = partition.log();
        caller.poll();
        assertThat(caller.completions).hasSize(5);
        for (final WriterHarness.Completion completion : caller.completions)
        {
            assertThat(completion.errorCode()).isEqualTo(KafkaErrors.NONE);
            assertThat(log.flushedOffset()).isGreaterThanOrEqualTo(completion.baseOffset() + 3);
        }
        assertThat(harness.writer.counters().get(WriterCounters.FLUSHES) - flushesBefore).isEqualTo(1);
        assertThat(log.highWatermark()).isEqualTo(log.flushedOffset()).isEqualTo(18);
    }

    @Test
    void advancingTheHighWatermarkSignalsRegisteredFetchWaitersOnce() throws Exception
    {
        final WriterHarness harness = new WriterHarness(logDir, 1 << 20, false);
        final Partition partition = harness.createPartition("orders", 0, TestBatches.config());
        final WriterHarness.TestCaller producer = harness.caller(0, 64 * 1024);
        final WriterHarness.TestCaller consumer = harness.caller(9, 64 * 1024);

        assertThat(partition.registerFetchWaiter(9)).isZero();
        assertThat(partition.fetchWaiters()).isEqualTo(1L << 9);
        producer.offer(partition, 1, 1, TestBatches.batch(1, 10, 1_000, 1));
        harness.doWork();

        assertThat(consumer.caller.dataSignal().sequence()).isEqualTo(1);
        assertThat(consumer.wake.wakes.get()).isEqualTo(1);
        assertThat(partition.fetchWaiters()).isZero();

        producer.offer(partition, 2, 1, TestBatches.batch(1, 10, 1_000, 2));
        harness.doWork();
        assertThat(consumer.caller.dataSignal().sequence()).as("registration is one-shot").isEqualTo(1);
        assertThat(partition.registerFetchWaiter(9)).as("the high watermark after registering").isEqualTo(2);
    }

    @Test
    void anAppendPastHalfOfWhatTheLastRaiseGaveWakesTheHousekeeperOncePerRaise() throws Exception
    {
        final WriterHarness harness = new WriterHarness(logDir, 1 << 20, true);
        final Partition partition = harness.createPartition("gated", 0, TestBatches.config());
        final WriterHarness.TestCaller caller = harness.caller(0, 64 * 1024);
        harness.doWork();
        final PartitionLog log = partition.log();
        // the test plays the housekeeper: 64 KiB ahead
        log.activeSegment().writableLimit(64 * 1024);
        final WriterCounters counters = harness.writer.counters();
        int tag = 0;
        while (log.activeSegment().size() < 31 * 1024)
        {
            caller.offer(partition, tag, 1, TestBatches.batch(1, 1000, 1_000, tag++));
            harness.doWork();
        }
        assertThat(counters.get(WriterCounters.LOW_WATER_WAKES)).as("more than half still ahead").isZero();
        final int wakes = harness.housekeeperWake.wakes.get();
        while (log.activeSegment().size() < 40 * 1024)
        {
            caller.offer(partition, tag, 1, TestBatches.batch(1, 1000, 1_000, tag++));
            harness.doWork();
        }
        assertThat(counters.get(WriterCounters.LOW_WATER_WAKES)).isEqualTo(1);
        assertThat(harness.housekeeperWake.wakes.get()).isEqualTo(wakes + 1);

        // a raise to 128 KiB leaves 88 KiB ahead: the next wake comes below 44 KiB ahead
        log.activeSegment().writableLimit(128 * 1024);
        while (log.activeSegment().size() < 80 * 1024)
        {
            caller.offer(partition, tag, 1, TestBatches.batch(1, 1000, 1_000, tag++));
            harness.doWork();
        }
        assertThat(counters.get(WriterCounters.LOW_WATER_WAKES)).isEqualTo(1);
        while (log.activeSegment().size() < 90 * 1024)
        {
            caller.offer(partition, tag, 1, TestBatches.batch(1, 1000, 1_000, tag++));
            harness.doWork();
        }
        assertThat(counters.get(WriterCounters.LOW_WATER_WAKES)).isEqualTo(2);
        assertThat(counters.get(WriterCounters.WRITABLE_LIMIT_WAITS)).isZero();
        caller.poll();
        assertThat(caller.completions).hasSize(tag);
    }

    @Test
    void theWriterWaitsAtTheWritableLimitAndFailsOnlyWhenTheDiskIsFull() throws Exception
    {
        final WriterHarness harness = new WriterHarness(logDir, 1 << 20, true);
        final Partition partition = harness.createPartition("gated", 0, TestBatches.config());
        final WriterHarness.TestCaller caller = harness.caller(0, 64 * 1024);
        harness.doWork();
        final PartitionLog log = partition.log();
        // the test plays the housekeeper
        log.activeSegment().writableLimit(0);

        caller.offer(partition, 1, 1, TestBatches.batch(2, 100, 1_000, 1));
        caller.offer(partition, 2, 1, TestBatches.batch(2, 100, 1_000, 2));
        final int housekeeperWakes = harness.housekeeperWake.wakes.get();
        harness.doWork();
        caller.poll();
        assertThat(caller.completions).isEmpty();
        assertThat(harness.ring.size()).as("the append stays in the ring").isPositive();
        assertThat(partition.space().isAwaitingSpace()).isTrue();
        assertThat(harness.housekeeperWake.wakes.get()).isGreaterThan(housekeeperWakes);
        assertThat(harness.writer.counters().get(WriterCounters.WRITABLE_LIMIT_STALLS)).isEqualTo(1);

        log.activeSegment().writableLimit(4096);
        harness.doWork();
        caller.poll();
        assertThat(caller.completions).extracting(WriterHarness.Completion::errorCode)
            .containsExactly(KafkaErrors.NONE, KafkaErrors.NONE);
        assertThat(partition.space().isAwaitingSpace()).isFalse();
        final WriterCounters counters = harness.writer.counters();
        assertThat(counters.get(WriterCounters.WRITABLE_LIMIT_WAITS)).isEqualTo(1);
        assertThat(counters.get(WriterCounters.WRITABLE_LIMIT_WAIT_NS)).isPositive()
            .isEqualTo(counters.get(WriterCounters.WRITABLE_LIMIT_WAIT_MAX_NS));

        log.activeSegment().writableLimit(log.activeSegment().size());
        partition.space().storageFull(true);
        caller.offer(partition, 3, 1, TestBatches.batch(2, 100, 1_000, 3));
        harness.doWork();
        caller.poll();
        assertThat(caller.last().errorCode()).isEqualTo(KafkaErrors.KAFKA_STORAGE_ERROR);
        assertThat(log.logEndOffset()).isEqualTo(4);

        final ReadResult read = new ReadResult();
        assertThat(log.read(0, 1 << 20, log.highWatermark(), true, read)).isEqualTo(LogCodes.OK);
        assertThat(read.lastOffset).isEqualTo(3);
    }

    @Test
    void commandsChangeConfigTruncateDeleteRecordsAndCloseOnTheWriterThread() throws Exception
    {
        final WriterHarness harness = new WriterHarness(logDir, 1 << 20, false);
        final Partition partition = harness.createPartition("orders", 0, TestBatches.config(
            LogConfig.SEGMENT_BYTES, "2048"));
        final WriterHarness.TestCaller caller = harness.caller(0, 64 * 1024);
        for (int i = 0; i < 20; i++)
        {
            caller.offer(partition, i, 1, TestBatches.batch(2, 100, 1_000, i));
        }
        harness.drain();
        final PartitionLog log = partition.log();
        assertThat(log.logEndOffset()).isEqualTo(40);
        assertThat(log.segments().length).isGreaterThan(2);

        final AtomicReference<String> outcome = new AtomicReference<>();
        final LogConfig bigger = TestBatches.config(LogConfig.SEGMENT_BYTES, "1048576");
        assertThat(harness.writer.offer(WriterCommand.updateConfig(partition, bigger,
            (p, error, value) -> outcome.set("config " + error)))).isTrue();
        harness.doWork();
        assertThat(outcome.get()).isEqualTo("config 0");
        assertThat(partition.config()).isSameAs(bigger);
        assertThat(log.config()).isSameAs(bigger);

        harness.writer.offer(WriterCommand.deleteRecords(partition, 11, (p, error, value) ->
            outcome.set("deleteRecords " + error + " " + value)));
        harness.doWork();
        assertThat(outcome.get()).isEqualTo("deleteRecords 0 11");

        harness.writer.offer(WriterCommand.deleteRecords(partition, 1_000, (p, error, value) ->
            outcome.set("deleteRecords " + error)));
        harness.doWork();
        assertThat(outcome.get()).isEqualTo("deleteRecords " + KafkaErrors.OFFSET_OUT_OF_RANGE);

        harness.writer.offer(WriterCommand.truncate(partition, 31, (p, error, value) ->
            outcome.set("truncate " + error + " " + value)));
        harness.doWork();
        assertThat(outcome.get()).isEqualTo("truncate 0 30");
        assertThat(log.logEndOffset()).isEqualTo(30);

        caller.offer(partition, 100, 1, TestBatches.batch(2, 100, 1_000, 100));
        harness.doWork();
        caller.poll();
        assertThat(caller.last().baseOffset()).isEqualTo(30);

        harness.writer.offer(WriterCommand.closePartition(partition, (p, error, value) -> outcome.set("close " + error)));
        harness.doWork();
        assertThat(outcome.get()).isEqualTo("close 0");
        assertThat(partition.state()).isEqualTo(Partition.CLOSED);
        assertThat(log.isClosed()).isTrue();
        assertThat(log.flushedOffset()).isEqualTo(32);

        harness.table.remove(partition);
        caller.offer(partition, 101, 1, TestBatches.batch(1, 10, 1_000, 101));
        harness.doWork();
        caller.poll();
        assertThat(caller.last().errorCode()).isEqualTo(KafkaErrors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(harness.errors.seen).isEmpty();
    }

    @Test
    void deletePartitionFailsWaitingAcksRenamesAndRemovesTheDirectory() throws Exception
    {
        final WriterHarness harness = new WriterHarness(logDir, 1 << 20, false);
        final Partition partition = harness.createPartition("doomed", 3, TestBatches.config());
        final WriterHarness.TestCaller caller = harness.caller(0, 64 * 1024);
        caller.offer(partition, 1, 1, TestBatches.batch(2, 100, 1_000, 1));
        harness.doWork();
        final Path dir = partition.log().dir();
        assertThat(Files.isDirectory(dir)).isTrue();

        final AtomicReference<String> outcome = new AtomicReference<>();
        harness.table.remove(partition);
        partition.state(Partition.CLOSING);
        harness.writer.offer(WriterCommand.deletePartition(partition, (p, error, value) -> outcome.set("deleted " + error)));
        caller.offer(partition, 2, 1, TestBatches.batch(2, 100, 1_000, 2));
        harness.doWork();

        assertThat(outcome.get()).isEqualTo("deleted 0");
        assertThat(partition.state()).isEqualTo(Partition.CLOSED);
        assertThat(Files.exists(dir)).isFalse();
        try (var stream = Files.list(logDir))
        {
            assertThat(stream.filter(p -> p.getFileName().toString().startsWith("doomed"))).isEmpty();
        }
        caller.poll();
        assertThat(caller.last().errorCode()).isEqualTo(KafkaErrors.UNKNOWN_TOPIC_OR_PARTITION);
    }

    static List<Long> sequence(final int count)
    {
        final List<Long> values = new ArrayList<>(count);
        for (long i = 0; i < count; i++)
        {
            values.add(i);
        }
        return values;
    }

    /** The tags of every batch in the log, in offset order. */
    static List<Long> tagsInLog(final PartitionLog log)
    {
        final List<Long> tags = new ArrayList<>();
        final ReadResult read = new ReadResult();
        long offset = log.logStartOffset();
        while (offset < log.logEndOffset())
        {
            assertThat(log.read(offset, 1 << 20, Long.MAX_VALUE, true, read)).isEqualTo(LogCodes.OK);
            final UnsafeBuffer buffer = read.segment.buffer();
            int position = (int)read.position;
            final int end = position + read.length;
            while (position < end)
            {
                final int size = 12 + buffer.getInt(position + 8, java.nio.ByteOrder.BIG_ENDIAN);
                assertThat(TestBatches.valid(buffer, position, size)).isTrue();
                tags.add(TestBatches.tagOf(buffer, position));
                position += size;
            }
            offset = read.lastOffset + 1;
        }
        return tags;
    }
}
