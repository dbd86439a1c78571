package io.loggia.engine.producer;

import io.loggia.codec.record.BatchBuilder;
import io.loggia.engine.log.LogCodes;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

import static io.loggia.engine.producer.ProducerStateManager.DUPLICATE;
import static io.loggia.engine.producer.ProducerStateManager.INVALID_PRODUCER_EPOCH;
import static io.loggia.engine.producer.ProducerStateManager.OK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Snapshots on disk, loading, fallback from damaged snapshots, and the state after log truncation, on real
 * logs in temporary directories.
 */
class ProducerSnapshotTest
{
    private static final int PRODUCERS = 6;

    @TempDir
    Path logDir;

    @TempDir
    Path scratchRoot;

    private TestPartition partition;
    private final int[] nextSequence = new int[PRODUCERS];

    @BeforeEach
    void open() throws IOException
    {
        // small segments: replays cross several
        partition = TestPartition.open(logDir, 4096);
    }

    @AfterEach
    void close()
    {
        partition.close();
    }

    @Test
    void snapshotFileIsNamedByOffsetAndOnlyTheNewestTwoAreKept() throws IOException
    {
        final long[] taken = new long[4];
        for (int i = 0; i < taken.length; i++)
        {
            produceRound(3);
            taken[i] = partition.log.logEndOffset();
            partition.producers.takeSnapshot(taken[i]);
        }
        assertThat(snapshotFiles()).containsExactly(
            String.format("%020d.snapshot", taken[2]), String.format("%020d.snapshot", taken[3]));
        assertThat(partition.producers.snapshotOffsets()).containsExactly(taken[2], taken[3]);
        assertThat(partition.producers.latestSnapshotOffset()).isEqualTo(taken[3]);

        final String before = fingerprint();
        partition.reopen();
        assertThat(partition.report.snapshotOffset).isEqualTo(taken[3]);
        assertThat(partition.report.batchesReplayed).isZero();
        assertThat(fingerprint()).isEqualTo(before);
        assertThat(partition.errors.seen).isEmpty();
    }

    @Test
    void loadReplaysTheBatchesAfterTheSnapshot() throws IOException
    {
        produceRound(4);
        final long snapshot = partition.log.logEndOffset();
        partition.producers.takeSnapshot(snapshot);
        produceRound(5);
        partition.appendPlain(3, 7_000);
        produceRound(2);
        final String before = fingerprint();

        partition.reopen();
        assertThat(partition.log.segments().length).as("replay crosses segments").isGreaterThan(1);
        assertThat(partition.report.snapshotOffset).isEqualTo(snapshot);
        assertThat(partition.report.replayFromOffset).isEqualTo(snapshot);
        assertThat(partition.report.replayToOffset).isEqualTo(partition.log.logEndOffset());
        assertThat(partition.report.producerBatchesReplayed).isEqualTo(7L * PRODUCERS);
        assertThat(partition.report.batchesReplayed).isEqualTo(7L * PRODUCERS + 1);
        assertThat(fingerprint()).isEqualTo(before);
    }

    @Test
    void withoutSnapshotsTheWholeLogIsReplayed() throws IOException
    {
        produceRound(9);
        final String before = fingerprint();
        partition.reopen();
        assertThat(partition.report.snapshotOffset).isEqualTo(-1);
        assertThat(partition.report.replayFromOffset).isZero();
        assertThat(partition.report.producerBatchesReplayed).isEqualTo(9L * PRODUCERS);
        assertThat(fingerprint()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = { "flip", "truncate", "empty", "magic", "version", "offset", "garbage" })
    void damagedNewestSnapshotFallsBackToTheOlderOne(final String damage) throws IOException
    {
        produceRound(3);
        final long older = partition.log.logEndOffset();
        partition.producers.takeSnapshot(older);
        produceRound(3);
        final long newer = partition.log.logEndOffset();
        partition.producers.takeSnapshot(newer);
        produceRound(1);
        final String before = fingerprint();

        damage(ProducerSnapshotFile.file(partition.dir(), newer), damage, new Random(damage.hashCode()));
        partition.reopen();
        assertThat(partition.report.snapshotsCorrupt).isEqualTo(1);
        assertThat(partition.report.corruptReason).startsWith(String.format("%020d.snapshot", newer));
        assertThat(partition.report.snapshotOffset).isEqualTo(older);
        assertThat(fingerprint()).isEqualTo(before);
        assertThat(snapshotFiles()).containsExactly(String.format("%020d.snapshot", older));
    }

    @Test
    void damagedSnapshotsAllFallBackToAFullReplay() throws IOException
    {
        produceRound(3);
        final long older = partition.log.logEndOffset();
        partition.producers.takeSnapshot(older);
        produceRound(3);
        final long newer = partition.log.logEndOffset();
        partition.producers.takeSnapshot(newer);
        final String before = fingerprint();

        damage(ProducerSnapshotFile.file(partition.dir(), newer), "truncate", new Random(1));
        damage(ProducerSnapshotFile.file(partition.dir(), older), "flip", new Random(2));
        partition.reopen();
        assertThat(partition.report.snapshotsCorrupt).isEqualTo(2);
        assertThat(partition.report.snapshotOffset).isEqualTo(-1);
        assertThat(partition.report.producerBatchesReplayed).isEqualTo(6L * PRODUCERS);
        assertThat(fingerprint()).isEqualTo(before);
        assertThat(snapshotFiles()).isEmpty();
    }

    @Test
    void leftoverTemporaryFileIsDeleted() throws IOException
    {
        produceRound(2);
        final long offset = partition.log.logEndOffset();
        partition.producers.takeSnapshot(offset);
        final Path snapshot = ProducerSnapshotFile.file(partition.dir(), offset);
        final Path tmp = snapshot.resolveSibling(snapshot.getFileName() + ".tmp");
        Files.write(tmp, new byte[]{ 1, 2, 3 });
        partition.reopen();
        assertThat(partition.report.temporaryFilesDeleted).isEqualTo(1);
        assertThat(Files.exists(tmp)).isFalse();
        assertThat(partition.report.snapshotOffset).isEqualTo(offset);
    }

    @Test
    void snapshotAboveTheRecoveredLogEndIsDeleted() throws IOException
    {
        produceRound(2);
        final long kept = partition.log.logEndOffset();
        partition.producers.takeSnapshot(kept);
        produceRound(2);
        final long lost = partition.log.logEndOffset();
        partition.producers.takeSnapshot(lost);

        // the log loses its tail (as recovery would cut it) while the snapshot survives
        assertThat(partition.log.truncateTo(kept + 1, partition.nowMs)).isEqualTo(LogCodes.OK);
        final String expected = fullReplayFingerprint();
        partition.reopen();
        assertThat(partition.report.snapshotsOutOfRange).isEqualTo(1);
        assertThat(partition.report.snapshotOffset).isEqualTo(kept);
        assertThat(fingerprint()).isEqualTo(expected);
        assertThat(snapshotFiles()).containsExactly(String.format("%020d.snapshot", kept));
    }

    @Test
    void snapshotsBelowTheLogStartAreDeleted() throws IOException
    {
        produceRound(2);
        final long first = partition.log.logEndOffset();
        partition.producers.takeSnapshot(first);
        produceRound(2);
        final long second = partition.log.logEndOffset();
        partition.producers.takeSnapshot(second);
        produceRound(2);
        partition.log.advanceHighWatermark(partition.log.logEndOffset());
        assertThat(partition.log.deleteRecordsBefore(first + 1, partition.nowMs)).isEqualTo(LogCodes.OK);
        partition.producers.onLogStartOffset(partition.log.logStartOffset());
        assertThat(partition.producers.snapshotOffsets()).containsExactly(second);
        assertThat(snapshotFiles()).containsExactly(String.format("%020d.snapshot", second));

        // producers stay although some of their batches went
        assertThat(partition.producers.producerCount()).isEqualTo(PRODUCERS);
    }

    @Test
    void truncationRebuildsFromTheNewestSnapshotBelow() throws IOException
    {
        produceRound(3);
        final long first = partition.log.logEndOffset();
        partition.producers.takeSnapshot(first);
        produceRound(3);
        final long second = partition.log.logEndOffset();
        partition.producers.takeSnapshot(second);
        produceRound(3);

        final long cut = first + 4;
        assertThat(partition.log.truncateTo(cut, partition.nowMs)).isEqualTo(LogCodes.OK);
        partition.producers.truncateTo(cut);
        assertThat(partition.producers.snapshotOffsets()).containsExactly(first);
        assertThat(fingerprint()).isEqualTo(fullReplayFingerprint());

        // the fourth round's batches of producers 0 and 1 lie below the cut, the others' do not
        assertThat(partition.producers.lastSequence(0)).isEqualTo(6);
        assertThat(partition.producers.lastSequence(1)).isEqualTo(7);
        assertThat(partition.producers.lastSequence(5)).isEqualTo(5);
        assertThat(partition.produce(0, (short)0, nextSequence[0], 1, 1_000))
            .isEqualTo(ProducerStateManager.OUT_OF_ORDER_SEQUENCE);
        assertThat(partition.produce(0, (short)0, 7, 1, 1_000)).isEqualTo(OK);
        assertThat(partition.produce(5, (short)0, 6, 1, 1_000)).isEqualTo(OK);
    }

    @Test
    void truncationNeverRebuildsFromASnapshotBelowTheLogStart() throws IOException
    {
        produceRound(2);
        final long snapshot = partition.log.logEndOffset();
        partition.producers.takeSnapshot(snapshot);
        produceRound(2);
        partition.log.advanceHighWatermark(partition.log.logEndOffset());
        assertThat(partition.log.deleteRecordsBefore(snapshot + 5, partition.nowMs)).isEqualTo(LogCodes.OK);
        produceRound(2);

        // the writer has not told the manager about the new log start yet
        final long cut = partition.log.logEndOffset() - 10;
        assertThat(partition.log.truncateTo(cut, partition.nowMs)).isEqualTo(LogCodes.OK);
        partition.producers.truncateTo(cut);
        assertThat(partition.producers.snapshotOffsets()).isEmpty();
        assertThat(fingerprint()).isEqualTo(fullReplayFingerprint());
    }

    @Test
    void truncationAboveTheStateChangesNothing() throws IOException
    {
        produceRound(2);
        final long end = partition.log.logEndOffset();
        partition.producers.takeSnapshot(end);
        partition.appendPlain(4, 1_000);
        final String before = fingerprint();
        assertThat(partition.log.truncateTo(end + 1, partition.nowMs)).isEqualTo(LogCodes.OK);
        partition.producers.truncateTo(end + 1);
        assertThat(fingerprint()).isEqualTo(before);
        assertThat(partition.producers.snapshotOffsets()).containsExactly(end);
    }

    @Test
    void truncateFullyForgetsEverything() throws IOException
    {
        produceRound(2);
        partition.producers.takeSnapshot(partition.log.logEndOffset());
        final long restart = partition.log.logEndOffset() + 100;
        assertThat(partition.log.truncateFullyAndStartAt(restart, partition.nowMs)).isEqualTo(LogCodes.OK);
        partition.producers.truncateFullyAndStartAt(restart);
        assertThat(partition.producers.producerCount()).isZero();
        assertThat(snapshotFiles()).isEmpty();
        partition.reopen();
        assertThat(partition.producers.producerCount()).isZero();
    }

    @Test
    void controlBatchesFromAKafkaLogMoveTheEpoch() throws IOException
    {
        assertThat(partition.produce(42, (short)1, 0, 3, 1_000)).isEqualTo(OK);
        final BatchBuilder builder = partition.builder;
        final ExpandableArrayBuffer buffer = partition.buffer;
        final int size = builder.wrap(buffer, 0).producer(42, (short)2, -1).transactional(true).control(true)
            .appendEndTxnMarker(2_000, false, 0).build();
        assertThat(partition.log.append(buffer, 0, size, 0, partition.nowMs, partition.info)).isEqualTo(LogCodes.OK);
        partition.reopen();
        assertThat(partition.producers.producerEpoch(42)).isEqualTo((short)2);
        assertThat(partition.producers.entry(42).batchCount()).isZero();
        assertThat(partition.producers.entry(42).lastTimestamp()).isEqualTo(2_000);
        assertThat(partition.produce(42, (short)1, 3, 1, 3_000)).isEqualTo(INVALID_PRODUCER_EPOCH);
        assertThat(partition.produce(42, (short)2, 1, 1, 3_000)).isEqualTo(ProducerStateManager.OUT_OF_ORDER_SEQUENCE);
        assertThat(partition.produce(42, (short)2, 0, 1, 3_000)).isEqualTo(OK);
    }

    @Test
    void snapshotOffsetMustCoverTheState()
    {
        produceRound(1);
        final long end = partition.log.logEndOffset();
        assertThatThrownBy(() -> partition.producers.takeSnapshot(end - 1))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> partition.producers.takeSnapshot(end + 1))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyDamagedByteAndEveryTruncationIsDetected() throws IOException
    {
        produceRound(7);
        final long offset = partition.log.logEndOffset();
        partition.producers.takeSnapshot(offset);
        final byte[] bytes = Files.readAllBytes(ProducerSnapshotFile.file(partition.dir(), offset));
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        assertThat(ProducerSnapshotFile.validate(buffer, bytes.length, offset)).isEqualTo(ProducerSnapshotFile.VALID);
        assertThat(ProducerSnapshotFile.dump(buffer))
            .startsWith("snapshotOffset: " + offset + " version: 1 producers: 6\n")
            .contains("producerId: 5 producerEpoch: 0 lastTimestamp: ");
        assertThat(ProducerSnapshotFile.validate(buffer, bytes.length, offset + 1))
            .isEqualTo(ProducerSnapshotFile.OFFSET_MISMATCH);
        for (int i = 0; i < bytes.length; i++)
        {
            for (int bit = 0; bit < 8; bit++)
            {
                bytes[i] ^= (byte)(1 << bit);
                assertThat(ProducerSnapshotFile.validate(buffer, bytes.length, offset))
                    .as("bit %d of byte %d", bit, i).isNotEqualTo(ProducerSnapshotFile.VALID);
                bytes[i] ^= (byte)(1 << bit);
            }
        }
        for (int length = 0; length < bytes.length; length++)
        {
            assertThat(ProducerSnapshotFile.validate(new UnsafeBuffer(Arrays.copyOf(bytes, length)), length, offset))
                .as("length %d", length).isNotEqualTo(ProducerSnapshotFile.VALID);
        }
    }

    @Test
    void duplicateAnswersSurviveARestart() throws IOException
    {
        for (int i = 0; i < 5; i++)
        {
            assertThat(partition.produce(9, (short)4, 2 * i, 2, 100 + i)).isEqualTo(OK);
        }
        partition.producers.takeSnapshot(partition.log.logEndOffset());
        partition.reopen();
        for (int i = 0; i < 5; i++)
        {
            assertThat(partition.produce(9, (short)4, 2 * i, 2, 100 + i)).isEqualTo(DUPLICATE);
            assertThat(partition.duplicate.firstOffset).isEqualTo(2L * i);
            assertThat(partition.duplicate.lastOffset).isEqualTo(2L * i + 1);
            assertThat(partition.duplicate.timestamp).isEqualTo(101 + i);
        }
    }

    // ------------------------------------------------------------------------------------------------------

    /** {@code rounds} rounds of one batch per producer, of 1 to 3 records. */
    private void produceRound(final int rounds)
    {
        for (int r = 0; r < rounds; r++)
        {
            for (int p = 0; p < PRODUCERS; p++)
            {
                final int records = 1 + (p + r) % 3;
                assertThat(partition.produce(p, (short)0, nextSequence[p], records, 1_000 + r)).isEqualTo(OK);
                nextSequence[p] += records;
            }
        }
    }

    /** Every producer's state, as text. */
    private String fingerprint()
    {
        final StringBuilder builder = new StringBuilder();
        builder.append(partition.producers.producerCount()).append('\n');
        for (long p = 0; p < 64; p++)
        {
            final ProducerEntry entry = partition.producers.entry(p);
            builder.append(null == entry ? "-" : entry.toString()).append('\n');
        }
        return builder.toString();
    }

    /** The state a load without snapshots builds from the log as it is now. */
    private String fullReplayFingerprint() throws IOException
    {
        final ProducerStateManager saved = partition.producers;
        final Path scratch = Files.createTempDirectory(scratchRoot, "replay");
        partition.producers = ProducerStateManager.load(
            scratch, partition.log, TestPartition.EXPIRATION_MS, partition.nowMs, partition.errors,
            new ProducerLoadReport());
        final String replayed = fingerprint();
        partition.producers = saved;
        return replayed;
    }

    private String[] snapshotFiles() throws IOException
    {
        try (Stream<Path> files = Files.list(partition.dir()))
        {
            return files.map(path -> path.getFileName().toString())
                .filter(name -> name.contains(".snapshot"))
                .sorted()
                .toArray(String[]::new);
        }
    }

    static void damage(final Path file, final String how, final Random random) throws IOException
    {
        final byte[] bytes = Files.readAllBytes(file);
        switch (how)
        {
            case "flip":
                bytes[random.nextInt(bytes.length)] ^= (byte)(1 << random.nextInt(8));
                Files.write(file, bytes);
                break;
            case "truncate":
                Files.write(file, Arrays.copyOf(bytes, random.nextInt(bytes.length)));
                break;
            case "empty":
                Files.write(file, new byte[0]);
                break;
            case "magic":
                bytes[0] = 0;
                bytes[1] = 1;
                Files.write(file, bytes);
                break;
            case "version":
                bytes[ProducerSnapshotFile.VERSION_OFFSET + 1] = 2;
                Files.write(file, bytes);
                break;
            case "offset":
                // a whole valid file carrying another offset than its name, as a bad rename would leave
                bytes[ProducerSnapshotFile.SNAPSHOT_OFFSET_OFFSET + 7]++;
                final CRC32C crc = new CRC32C();
                crc.update(bytes, ProducerSnapshotFile.CRC_START, bytes.length - ProducerSnapshotFile.CRC_START);
                new UnsafeBuffer(bytes).putInt(
                    ProducerSnapshotFile.CRC_OFFSET, (int)crc.getValue(), ProducerSnapshotFile.ORDER);
                Files.write(file, bytes);
                break;
            default:
                random.nextBytes(bytes);
                Files.write(file, bytes);
                break;
        }
    }
}
