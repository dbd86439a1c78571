package io.loggia.engine.writer;

import io.loggia.engine.log.LogConfig;
import io.loggia.engine.partition.Partition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Idempotent producers through the writer: retries answered with their original offsets and error 0, gaps,
 * fenced epochs, transactional batches and multi-batch regions refused with Kafka's codes, snapshots at rolls.
 */
class IdempotentAppendTest
{
    private static final long PRODUCER = 4_000L;

    @TempDir
    Path logDir;

    @Test
    void retriesGetTheirOriginalOffsetsAndErrorsFollowKafka() throws Exception
    {
        final WriterHarness harness = new WriterHarness(logDir, 1 << 20, false);
        final Partition partition = harness.createPartition("orders", 0, TestBatches.config());
        final WriterHarness.TestCaller caller = harness.caller(0, 64 * 1024);

        caller.offer(partition, 1, -1, TestBatches.batch(3, 20, 1_000, 1, PRODUCER, (short)0, 0));
        caller.offer(partition, 2, 1, TestBatches.batch(2, 20, 1_000, 2, PRODUCER, (short)0, 3));
        caller.offer(partition, 3, 1, TestBatches.batch(3, 20, 1_000, 1, PRODUCER, (short)0, 0));
        caller.offer(partition, 4, -1, TestBatches.batch(2, 20, 1_000, 2, PRODUCER, (short)0, 3));
        caller.offer(partition, 5, 1, TestBatches.batch(1, 20, 1_000, 5, PRODUCER, (short)0, 9));
        caller.offer(partition, 6, 1, TestBatches.batch(1, 20, 1_000, 6, PRODUCER, (short)1, 0));
        caller.offer(partition, 7, 1, TestBatches.batch(1, 20, 1_000, 7, PRODUCER, (short)0, 6));
        caller.offer(partition, 8, 1, TestBatches.batch(1, 20, 1_000, 8, PRODUCER + 1, (short)0, 0, true));
        caller.offer(partition, 9, 1, TestBatches.concat(
            TestBatches.batch(1, 20, 1_000, 9, PRODUCER + 2, (short)0, 0),
            TestBatches.batch(1, 20, 1_000, 9, PRODUCER + 2, (short)0, 1)));
        caller.offer(partition, 10, 1, TestBatches.batch(1, 20, 1_000, 10));
        harness.doWork();
        caller.poll();

        assertThat(caller.completions).extracting(c -> c.correlation() + ":" + c.errorCode() + "@" + c.baseOffset())
            .containsExactlyInAnyOrder(
                "1:0@0",
                "2:0@3",
                "3:0@0",
                "4:0@3",
                "5:" + KafkaErrors.OUT_OF_ORDER_SEQUENCE_NUMBER + "@-1",
                "6:0@5",
                "7:" + KafkaErrors.INVALID_PRODUCER_EPOCH + "@-1",
                "8:" + KafkaErrors.UNSUPPORTED_FOR_MESSAGE_FORMAT + "@-1",
                "9:" + KafkaErrors.INVALID_RECORD + "@-1",
                "10:0@6");
        assertThat(partition.log().logEndOffset()).isEqualTo(7);
        assertThat(harness.writer.counters().get(WriterCounters.DUPLICATES)).isEqualTo(2);
        assertThat(harness.errors.seen).isEmpty();
    }

    @Test
    void aRollAndACloseLeaveProducerSnapshots() throws Exception
    {
        final WriterHarness harness = new WriterHarness(logDir, 1 << 20, false);
        final Partition partition = harness.createPartition("orders", 0, TestBatches.config(
            LogConfig.SEGMENT_BYTES, "1024"));
        final WriterHarness.TestCaller caller = harness.caller(0, 64 * 1024);
        for (int i = 0; i < 6; i++)
        {
            caller.offer(partition, i, 1, TestBatches.batch(1, 300, 1_000, i, PRODUCER, (short)0, i));
        }
        harness.drain();
        assertThat(partition.log().segments().length).isGreaterThan(1);
        assertThat(partition.producerState().latestSnapshotOffset()).isPositive();

        harness.writer.closeNow();
        assertThat(partition.producerState().latestSnapshotOffset()).isEqualTo(6);
        try (var files = Files.list(partition.log().dir()))
        {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".snapshot"))).isNotEmpty();
        }
    }
}
