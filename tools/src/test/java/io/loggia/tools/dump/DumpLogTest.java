package io.loggia.tools.dump;

import io.loggia.codec.record.CompressionCodec;
import io.loggia.engine.log.LogConfig;
import io.loggia.tools.CommandRun;
import io.loggia.tools.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.loggia.tools.dump.SampleLog.T0;
import static org.assertj.core.api.Assertions.assertThat;

class DumpLogTest
{
    /** Eight unprintable bytes in the ASCII column of a hex dump. */
    private static final String DOTS = "\u00b7".repeat(8);

    @TempDir
    Path dir;

    @Test
    void printsEveryBatchAndRecordOfASealedSegmentWithEveryCodec() throws Exception
    {
        final SampleLog sample = SampleLog.writeStandard(dir);
        sample.close();

        final CommandRun run = CommandRun.of("dump", "--files", sample.logFile(0), "--print-data-log");

        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.err).isEmpty();
        final List<SampleLog.Appended> batches = sample.inSegment(0);
        final List<String> expected = new ArrayList<>(List.of(
            "Dumping " + sample.logFile(0),
            "Log starting offset: 0",
            batchLine(batches.get(0), 3, -1, -1, -1, -1, false, false, T0 + 2),
            "| offset: 0 CreateTime: 1700000000000 keySize: 2 valueSize: 6 sequence: -1 headerKeys: [h1,h2] " +
                "key: k0 payload: value0",
            "| offset: 1 CreateTime: 1700000000001 keySize: -1 valueSize: 6 sequence: -1 headerKeys: [] " +
                "payload: value1",
            "| offset: 2 CreateTime: 1700000000002 keySize: 0 valueSize: 0 sequence: -1 headerKeys: [] " +
                "key:  payload: "));
        final int[] codecs =
        {
            CompressionCodec.GZIP, CompressionCodec.SNAPPY, CompressionCodec.LZ4, CompressionCodec.ZSTD
        };
        for (int i = 0; i < codecs.length; i++)
        {
            final String name = CompressionCodec.name(codecs[i]);
            final long offset = 3 + 2L * i;
            assertThat(batches.get(1 + i).codec()).isEqualTo(codecs[i]);
            expected.add(batchLine(batches.get(1 + i), 2, -1, -1, -1, -1, false, false, T0 + 11 + 2 * i));
            expected.add("| offset: " + offset + " CreateTime: " + (T0 + 10 + 2 * i) + " keySize: " +
                (name.length() + 6) + " valueSize: " + (name.length() + 109) + " sequence: -1 headerKeys: [] key: " +
                name + "-key-0 payload: " + name + " value 0 " + "x".repeat(100));
            expected.add("| offset: " + (offset + 1) + " CreateTime: " + (T0 + 11 + 2 * i) + " keySize: " +
                (name.length() + 6) + " valueSize: -1 sequence: -1 headerKeys: [] key: " + name + "-key-1");
        }
        assertThat(run.out).containsExactlyElementsOf(expected);
    }

    @Test
    void printsProducerStateControlMarkersAndBinaryContent() throws Exception
    {
        final SampleLog sample = SampleLog.writeStandard(dir);
        sample.close();

        final CommandRun run = CommandRun.of("dump", "--files", sample.logFile(11), "--print-data-log");

        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCodes.OK);
        final List<SampleLog.Appended> batches = sample.inSegment(11);
        assertThat(run.out).startsWith(
            "Dumping " + sample.logFile(11),
            "Log starting offset: 11",
            batchLine(
                batches.get(0), 2, 40, 41, SampleLog.PRODUCER_ID, SampleLog.PRODUCER_EPOCH, false, false, T0 + 21),
            "| offset: 11 CreateTime: 1700000000020 keySize: 2 valueSize: 12 sequence: 40 headerKeys: [] " +
                "key: p0 payload: idempotent 0",
            "| offset: 12 CreateTime: 1700000000021 keySize: 2 valueSize: 12 sequence: 41 headerKeys: [] " +
                "key: p1 payload: idempotent 1",
            batchLine(batches.get(1), 1, -1, -1, -1, -1, false, false, T0 + 22),
            "| offset: 13 CreateTime: 1700000000022 keySize: 20 valueSize: 256 sequence: -1 headerKeys: [] " +
                "key: <20 bytes, hex below> payload: <256 bytes, hex below>",
            "|   key 00000000 00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f " + DOTS + " " + DOTS,
            "|   key 00000010 10 11 12 13                                      \u00b7\u00b7\u00b7\u00b7",
            "|   payload 00000000 00 01 02 03 04 05 06 07  08 09 0a 0b 0c 0d 0e 0f " + DOTS + " " + DOTS);
        assertThat(run.out).contains(
            "|   payload 00000040 40 41 42 43 44 45 46 47  48 49 4a 4b 4c 4d 4e 4f @ABCDEFG HIJKLMNO");
        assertThat(run.out).endsWith(
            batchLine(batches.get(2), 2, 0, 1, SampleLog.TXN_PRODUCER_ID, 0, true, false, T0 + 24),
            "| offset: 14 CreateTime: 1700000000023 keySize: 2 valueSize: 16 sequence: 0 headerKeys: [] " +
                "key: t0 payload: in a transaction",
            "| offset: 15 CreateTime: 1700000000024 keySize: 2 valueSize: 10 sequence: 1 headerKeys: [] " +
                "key: t1 payload: also in it",
            batchLine(batches.get(3), 1, -1, -1, SampleLog.TXN_PRODUCER_ID, 0, true, true, T0 + 25),
            "| offset: 16 CreateTime: 1700000000025 keySize: 4 valueSize: 6 sequence: -1 headerKeys: [] " +
                "endTxnMarker: COMMIT coordinatorEpoch: 5");
    }

    @Test
    void shallowDumpPrintsBatchesOnlyAndDeepIterationAddsRecordsWithoutContent() throws Exception
    {
        final SampleLog sample = SampleLog.writeStandard(dir);
        sample.close();

        final CommandRun shallow = CommandRun.of("dump", "--files", sample.logFile(0));
        final CommandRun deep = CommandRun.of("dump", "--files", sample.logFile(0), "--deep-iteration");

        assertThat(shallow.exitCode).isEqualTo(ExitCodes.OK);
        assertThat(shallow.out).hasSize(2 + 5).noneMatch(line -> line.startsWith("|"));
        assertThat(deep.exitCode).isEqualTo(ExitCodes.OK);
        assertThat(deep.out).hasSize(2 + 5 + 11)
            .contains("| offset: 0 CreateTime: 1700000000000 keySize: 2 valueSize: 6 sequence: -1 headerKeys: [h1,h2]")
            .noneMatch(line -> line.contains("payload:"));
    }

    @Test
    void logAppendTimeBatchesShowTheBrokersTimestampOnBatchAndRecords() throws Exception
    {
        final SampleLog sample = SampleLog.open(dir, LogConfig.MESSAGE_TIMESTAMP_TYPE, "LogAppendTime");
        sample.batch().append(42, SampleLog.bytes("a"), SampleLog.bytes("b")).append(43, null, SampleLog.bytes("c"));
        final SampleLog.Appended batch = sample.append();
        sample.close();

        final CommandRun run = CommandRun.of("dump", "--files", sample.logFile(0), "--deep-iteration");

        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.out.get(2)).contains(" position: 0 LogAppendTime: " + T0 + " size: " + batch.size())
            .contains(" isvalid: true");
        assertThat(run.out.subList(3, 5)).containsExactly(
            "| offset: 0 LogAppendTime: " + T0 + " keySize: 1 valueSize: 1 sequence: -1 headerKeys: []",
            "| offset: 1 LogAppendTime: " + T0 + " keySize: -1 valueSize: 1 sequence: -1 headerKeys: []");
    }

    @Test
    void anActiveSegmentEndsCleanlyAtItsZeroTailAndSoDoItsIndexes() throws Exception
    {
        final SampleLog sample = SampleLog.writeStandard(dir);
        try
        {
            final long fileLength = Files.size(sample.logFile(11));
            final int end = sample.inSegment(11).get(3).position() + sample.inSegment(11).get(3).size();

            final CommandRun run = CommandRun.of("dump", "--files",
                sample.logFile(11) + "," + sample.indexFile(11) + "," + sample.timeIndexFile(11));

            assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCodes.OK);
            assertThat(run.err).isEmpty();
            assertThat(run.out).contains(
                "Zero tail: " + (fileLength - end) + " bytes of zeros from position " + end +
                    " to the end (preallocated, not trimmed)",
                "offset: 16 position: 554",
                "timestamp: 1700000000025 offset: 16");
            assertThat(run.out).filteredOn(line -> line.startsWith("Zero tail: ")).hasSize(3);
            assertThat(run.out).filteredOn(line -> line.startsWith("baseOffset: ")).hasSize(4);
        }
        finally
        {
            sample.close();
        }
    }

    @Test
    void maxBytesStopsBeforeTheFirstBatchThatDoesNotFit() throws Exception
    {
        final SampleLog sample = SampleLog.writeStandard(dir);
        sample.close();
        final List<SampleLog.Appended> batches = sample.inSegment(0);
        final int limit = batches.get(2).position() + batches.get(2).size() + 10;

        final CommandRun run = CommandRun.of("dump", "--files", sample.logFile(0), "--max-bytes", limit);
        final CommandRun none = CommandRun.of("dump", "--files=" + sample.logFile(0), "--max-bytes=0");

        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.out).hasSize(2 + 3);
        assertThat(run.out.get(4)).startsWith("baseOffset: 5 lastOffset: 6 ");
        assertThat(none.exitCode).isEqualTo(ExitCodes.OK);
        assertThat(none.out).containsExactly("Dumping " + sample.logFile(0), "Log starting offset: 0");
    }

    @Test
    void anEmptyLogHasNoBatches() throws Exception
    {
        final Path empty = Files.createFile(dir.resolve("00000000000000000042.log"));

        final CommandRun run = CommandRun.of("dump", "--files", empty);

        assertThat(run.exitCode).isEqualTo(ExitCodes.OK);
        assertThat(run.out).containsExactly("Dumping " + empty, "Log starting offset: 42");
    }

    /** The batch line, field by field, as kafka-dump-log prints it. */
    static String batchLine(
        final SampleLog.Appended batch,
        final int count,
        final int baseSequence,
        final int lastSequence,
        final long producerId,
        final int producerEpoch,
        final boolean transactional,
        final boolean control,
        final long maxTimestamp)
    {
        return "baseOffset: " + batch.baseOffset() + " lastOffset: " + batch.lastOffset() + " count: " + count +
            " baseSequence: " + baseSequence + " lastSequence: " + lastSequence + " producerId: " + producerId +
            " producerEpoch: " + producerEpoch + " partitionLeaderEpoch: " + SampleLog.LEADER_EPOCH +
            " isTransactional: " + transactional + " isControl: " + control +
            " deleteHorizonMs: OptionalLong.empty position: " + batch.position() + " CreateTime: " + maxTimestamp +
            " size: " + batch.size() + " magic: 2 compresscodec: " + CompressionCodec.name(batch.codec()) +
            " crc: " + batch.crc() + " isvalid: true";
    }
}
