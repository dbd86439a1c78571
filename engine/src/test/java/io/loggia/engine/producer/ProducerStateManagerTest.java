package io.loggia.engine.producer;

import io.loggia.codec.record.RecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;

import static io.loggia.engine.producer.ProducerStateManager.DUPLICATE;
import static io.loggia.engine.producer.ProducerStateManager.INVALID_PRODUCER_EPOCH;
import static io.loggia.engine.producer.ProducerStateManager.OK;
import static io.loggia.engine.producer.ProducerStateManager.OUT_OF_ORDER_SEQUENCE;
import static io.loggia.engine.producer.ProducerStateManager.TRANSACTIONS_UNSUPPORTED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The idempotence rules, batch by batch, on a real log: what {@link ProducerStateManager#check} answers and
 * what the log holds afterwards.
 */
class ProducerStateManagerTest
{
    private static final long PID = 4_000L;
    private static final short EPOCH = 3;

    @TempDir
    Path logDir;

    private TestPartition partition;

    @BeforeEach
    void open() throws IOException
    {
        partition = TestPartition.open(logDir, 1024 * 1024);
    }

    @AfterEach
    void close()
    {
        partition.close();
        assertThat(partition.errors.seen).isEmpty();
    }

    @Test
    void unknownProducerIsAcceptedWithAnySequence()
    {
        // KIP-360: a producer whose state expired (or was never seen here) keeps going without an error
        assertThat(partition.produce(PID, EPOCH, 17, 3, 1_000)).isEqualTo(OK);
        assertThat(partition.produce(PID + 1, (short)0, 0, 1, 1_000)).isEqualTo(OK);
        assertThat(partition.producers.producerCount()).isEqualTo(2);
        assertThat(partition.producers.lastSequence(PID)).isEqualTo(19);
        assertThat(partition.producers.producerEpoch(PID)).isEqualTo(EPOCH);
        assertThat(partition.producers.lastSequence(PID + 2)).isEqualTo(RecordBatch.NO_SEQUENCE);
        assertThat(partition.producers.producerEpoch(PID + 2)).isEqualTo(RecordBatch.NO_PRODUCER_EPOCH);
    }

    @Test
    void consecutiveSequencesAreAccepted()
    {
        int sequence = 0;
        for (int i = 1; i <= 20; i++)
        {
            assertThat(partition.produce(PID, EPOCH, sequence, i, 1_000 + i)).isEqualTo(OK);
            sequence += i;
        }
        assertThat(partition.producers.lastSequence(PID)).isEqualTo(sequence - 1);
        assertThat(partition.log.logEndOffset()).isEqualTo(sequence);
    }

    @Test
    void eachOfTheLastFiveBatchesIsADuplicate()
    {
        final long[] first = new long[8];
        final long[] last = new long[8];
        final long[] timestamps = new long[8];
        int sequence = 0;
        for (int i = 0; i < 8; i++)
        {
            assertThat(partition.produce(PID, EPOCH, sequence, 2 + i, 5_000 + 10 * i)).isEqualTo(OK);
            first[i] = partition.info.firstOffset;
            last[i] = partition.info.lastOffset;
            timestamps[i] = partition.info.maxTimestamp;
            sequence += 2 + i;
        }
        final long logEnd = partition.log.logEndOffset();
        int base = 0;
        for (int i = 0; i < 8; i++)
        {
            final int code = partition.produce(PID, EPOCH, base, 2 + i, 5_000 + 10 * i);
            if (i < 3)
            {
                assertThat(code).as("batch %d is older than the last five", i).isEqualTo(OUT_OF_ORDER_SEQUENCE);
            }
            else
            {
                assertThat(code).as("batch %d", i).isEqualTo(DUPLICATE);
                assertThat(partition.duplicate.firstOffset).isEqualTo(first[i]);
                assertThat(partition.duplicate.lastOffset).isEqualTo(last[i]);
                assertThat(partition.duplicate.timestamp).isEqualTo(timestamps[i]);
            }
            base += 2 + i;
        }
        assertThat(partition.log.logEndOffset()).as("nothing appended twice").isEqualTo(logEnd);
        assertThat(partition.produce(PID, EPOCH, sequence, 1, 9_000)).isEqualTo(OK);
    }

    @Test
    void sixthOldestBatchRetriedIsOutOfOrder()
    {
        for (int i = 0; i < 6; i++)
        {
            assertThat(partition.produce(PID, EPOCH, i * 10, 10, 1_000)).isEqualTo(OK);
        }
        assertThat(partition.produce(PID, EPOCH, 0, 10, 1_000)).isEqualTo(OUT_OF_ORDER_SEQUENCE);
        assertThat(partition.duplicate.firstOffset).isEqualTo(-1);
        assertThat(partition.produce(PID, EPOCH, 10, 10, 1_000)).isEqualTo(DUPLICATE);
        assertThat(partition.duplicate.firstOffset).isEqualTo(10);
    }

    @Test
    void gapsAndPartialOverlapsAreOutOfOrder()
    {
        assertThat(partition.produce(PID, EPOCH, 0, 5, 1_000)).isEqualTo(OK);
        assertThat(partition.produce(PID, EPOCH, 6, 5, 1_000)).as("gap of one").isEqualTo(OUT_OF_ORDER_SEQUENCE);
        assertThat(partition.produce(PID, EPOCH, 4, 5, 1_000)).as("overlap").isEqualTo(OUT_OF_ORDER_SEQUENCE);
        assertThat(partition.produce(PID, EPOCH, 0, 4, 1_000)).as("same base, other last")
            .isEqualTo(OUT_OF_ORDER_SEQUENCE);
        assertThat(partition.produce(PID, EPOCH, 5, 1, 1_000)).isEqualTo(OK);
        assertThat(partition.log.logEndOffset()).isEqualTo(6);
    }

    @Test
    void olderEpochIsFenced()
    {
        assertThat(partition.produce(PID, EPOCH, 0, 5, 1_000)).isEqualTo(OK);
        assertThat(partition.produce(PID, (short)(EPOCH - 1), 5, 1, 1_000)).isEqualTo(INVALID_PRODUCER_EPOCH);
        assertThat(partition.produce(PID, (short)(EPOCH - 1), 0, 5, 1_000)).as("even a retry")
            .isEqualTo(INVALID_PRODUCER_EPOCH);
        assertThat(partition.producers.producerEpoch(PID)).isEqualTo(EPOCH);
    }

    @Test
    void newerEpochRestartsSequencesAtZero()
    {
        assertThat(partition.produce(PID, EPOCH, 0, 5, 1_000)).isEqualTo(OK);
        assertThat(partition.produce(PID, (short)(EPOCH + 1), 5, 1, 1_000)).isEqualTo(OUT_OF_ORDER_SEQUENCE);
        assertThat(partition.producers.producerEpoch(PID)).as("a refused bump changes nothing").isEqualTo(EPOCH);
        assertThat(partition.produce(PID, (short)(EPOCH + 1), 0, 2, 1_000)).isEqualTo(OK);
        assertThat(partition.producers.producerEpoch(PID)).isEqualTo((short)(EPOCH + 1));
        assertThat(partition.producers.entry(PID).batchCount()).as("old epoch's batches forgotten").isEqualTo(1);
        assertThat(partition.produce(PID, EPOCH, 0, 5, 1_000)).as("old epoch now fenced")
            .isEqualTo(INVALID_PRODUCER_EPOCH);
        assertThat(partition.produce(PID, (short)(EPOCH + 1), 0, 2, 1_000)).isEqualTo(DUPLICATE);
        assertThat(partition.produce(PID, (short)(EPOCH + 1), 2, 1, 1_000)).isEqualTo(OK);
        assertThat(partition.produce(PID, (short)(EPOCH + 5), 0, 1, 1_000)).as("epochs may skip").isEqualTo(OK);
    }

    @Test
    void sequencesWrapAtIntegerMaxValue()
    {
        final int nearEnd = Integer.MAX_VALUE - 4;
        assertThat(partition.produce(PID, EPOCH, nearEnd, 5, 1_000)).isEqualTo(OK);
        assertThat(partition.producers.lastSequence(PID)).isEqualTo(Integer.MAX_VALUE);
        assertThat(partition.produce(PID, EPOCH, 1, 1, 1_000)).isEqualTo(OUT_OF_ORDER_SEQUENCE);
        assertThat(partition.produce(PID, EPOCH, 0, 3, 1_000)).isEqualTo(OK);
        assertThat(partition.produce(PID, EPOCH, nearEnd, 5, 1_000)).isEqualTo(DUPLICATE);

        // a batch that spans the wrap: base MAX_VALUE - 1, last 1
        final long other = PID + 1;
        assertThat(partition.produce(other, EPOCH, Integer.MAX_VALUE - 1, 4, 1_000)).isEqualTo(OK);
        assertThat(partition.producers.lastSequence(other)).isEqualTo(1);
        assertThat(partition.produce(other, EPOCH, Integer.MAX_VALUE - 1, 4, 1_000)).isEqualTo(DUPLICATE);
        assertThat(partition.produce(other, EPOCH, 2, 1, 1_000)).isEqualTo(OK);
    }

    @Test
    void transactionalBatchesAreRefused()
    {
        assertThat(partition.produce(PID, EPOCH, 0, 2, 1_000, true)).isEqualTo(TRANSACTIONS_UNSUPPORTED);
        assertThat(partition.produce(PID, EPOCH, 0, 2, 1_000)).isEqualTo(OK);
        assertThat(partition.produce(PID, EPOCH, 2, 2, 1_000, true)).isEqualTo(TRANSACTIONS_UNSUPPORTED);
        assertThat(partition.log.logEndOffset()).isEqualTo(2);
        assertThat(ProducerStateManager.kafkaErrorCode(TRANSACTIONS_UNSUPPORTED)).isEqualTo((short)43);
    }

    @Test
    void batchesWithoutProducerIdAreNotTracked()
    {
        partition.appendPlain(3, 1_000);
        assertThat(partition.producers.check(
            RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH, RecordBatch.NO_SEQUENCE, RecordBatch.NO_SEQUENCE,
            false, partition.duplicate)).isEqualTo(OK);
        assertThat(partition.producers.producerCount()).isZero();
    }

    @Test
    void kafkaErrorCodes()
    {
        assertThat(ProducerStateManager.kafkaErrorCode(OK)).isEqualTo((short)0);
        assertThat(ProducerStateManager.kafkaErrorCode(DUPLICATE)).isEqualTo((short)0);
        assertThat(ProducerStateManager.kafkaErrorCode(OUT_OF_ORDER_SEQUENCE)).isEqualTo((short)45);
        assertThat(ProducerStateManager.kafkaErrorCode(INVALID_PRODUCER_EPOCH)).isEqualTo((short)47);
        assertThat(ProducerStateManager.kafkaErrorCode(ProducerStateManager.UNKNOWN_PRODUCER_ID)).isEqualTo((short)59);
    }

    @Test
    void producersExpireAfterTheirLastBatch() throws IOException
    {
        final long expiration = TestPartition.EXPIRATION_MS;
        assertThat(partition.produce(PID, EPOCH, 0, 1, 10_000)).isEqualTo(OK);
        assertThat(partition.produce(PID + 1, EPOCH, 0, 1, 20_000)).isEqualTo(OK);
        assertThat(partition.produce(PID, EPOCH, 1, 1, 15_000)).isEqualTo(OK);

        // measured from the max timestamp of the last batch, like Kafka, not from the largest one seen
        assertThat(partition.producers.removeExpired(15_000 + expiration - 1)).isZero();
        assertThat(partition.producers.removeExpired(15_000 + expiration)).isEqualTo(1);
        assertThat(partition.producers.producerCount()).isEqualTo(1);
        assertThat(partition.produce(PID, EPOCH, 500, 1, 30_000)).as("expired: any sequence").isEqualTo(OK);

        // the snapshot holds both; a load long after drops the one that expired by then
        partition.producers.takeSnapshot(partition.log.logEndOffset());
        partition.nowMs = 20_000 + expiration;
        partition.reopen();
        assertThat(partition.report.producersExpired).isEqualTo(1);
        assertThat(partition.producers.producerCount()).isEqualTo(1);
        assertThat(partition.producers.lastSequence(PID)).isEqualTo(500);
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 100, 5_000 })
    void manyProducersSurviveSnapshotAndReplay(final int producerCount) throws IOException
    {
        for (int round = 0; round < 3; round++)
        {
            for (int p = 0; p < producerCount; p++)
            {
                assertThat(partition.produce(p, (short)(p % 3), round, 1, 2_000 + round)).isEqualTo(OK);
            }
            if (round == 1)
            {
                partition.producers.takeSnapshot(partition.log.logEndOffset());
            }
        }
        partition.reopen();
        assertThat(partition.report.snapshotOffset).isEqualTo(2L * producerCount);
        assertThat(partition.report.producerBatchesReplayed).isEqualTo(producerCount);
        assertThat(partition.producers.producerCount()).isEqualTo(producerCount);
        for (int p = 0; p < producerCount; p++)
        {
            final ProducerEntry entry = partition.producers.entry(p);
            assertThat(entry.batchCount()).isEqualTo(3);
            assertThat(entry.lastSequence()).isEqualTo(2);
            assertThat(entry.epoch()).isEqualTo((short)(p % 3));
            assertThat(entry.firstOffset(0)).isEqualTo(p);
            assertThat(entry.lastOffset(2)).isEqualTo(2L * producerCount + p);
        }
        assertThat(partition.produce(7 % producerCount, (short)(7 % producerCount % 3), 0, 1, 2_000))
            .isEqualTo(DUPLICATE);
    }
}
