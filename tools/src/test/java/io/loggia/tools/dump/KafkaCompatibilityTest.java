package io.loggia.tools.dump;

import io.loggia.tools.CommandRun;
import io.loggia.tools.ExitCodes;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.internals.Exit;
import org.apache.kafka.storage.internals.log.LogConfig;
import org.apache.kafka.storage.internals.log.LogSegment;
import org.apache.kafka.tools.DumpLogSegments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.loggia.tools.dump.SampleLog.T0;
import static io.loggia.tools.dump.SampleLog.bytes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A closed Loggia segment must be readable by Kafka's own tools, and a segment written by Kafka's classes must
 * dump with ours: Kafka 4.4.0's {@code kafka-dump-log} ({@link DumpLogSegments}) runs in-process on both, and the
 * two tools must print the same lines.
 */
class KafkaCompatibilityTest
{
    @TempDir
    Path dir;

    @Test
    void kafkasDumpReadsOurClosedSegmentsAndPrintsWhatOursPrints() throws Exception
    {
        final SampleLog sample = SampleLog.writeStandard(dir);
        sample.close();
        for (final long base : new long[] { 0, 11 })
        {
            final String files = sample.logFile(base) + "," + sample.indexFile(base) + "," + sample.timeIndexFile(base);
            final String[] args = { "--files", files, "--deep-iteration", "--print-data-log" };

            final KafkaRun kafka = KafkaRun.dump(args);
            final CommandRun ours = CommandRun.of(prepend("dump", args));

            // Kafka's deep iteration expects the first record at offset 0 of any file, so it reports a later
            // segment's first offset as non-consecutive; nothing else may appear
            assertThat(kafka.err).as(kafka.toString()).isEqualTo(0 == base ? List.of() : List.of(
                "Non-consecutive offsets in " + sample.logFile(base), "  -1 is followed by " + base));
            assertThat(kafka.out).as(kafka.toString())
                .noneMatch(line -> line.contains("isvalid: false") || line.contains("invalid bytes"))
                .filteredOn(line -> line.startsWith("baseOffset: ")).hasSize(sample.inSegment(base).size());
            assertThat(ours.exitCode).as(ours.toString()).isEqualTo(ExitCodes.OK);
            assertThat(comparable(ours.out)).isEqualTo(comparable(kafka.out));
        }
    }

    @Test
    void kafkasIndexVerificationAndSanityCheckAcceptOurIndexes() throws Exception
    {
        final SampleLog sample = SampleLog.writeStandard(dir);
        sample.close();
        final String indexes = sample.indexFile(0) + "," + sample.timeIndexFile(0) + "," +
            sample.indexFile(11) + "," + sample.timeIndexFile(11);

        final KafkaRun verify = KafkaRun.dump("--files", indexes, "--verify-index-only");
        final KafkaRun sanity = KafkaRun.dump("--files", indexes, "--index-sanity-check");

        assertThat(verify.err).as(verify.toString()).isEmpty();
        assertThat(verify.out).as(verify.toString()).allMatch(line -> line.startsWith("Dumping "));
        assertThat(sanity.err).as(sanity.toString()).isEmpty();
        assertThat(sanity.out).filteredOn(line -> line.endsWith(" passed sanity check.")).hasSize(4);
    }

    @Test
    void kafkaSeesTheDamageOursSeesInADamagedSegment() throws Exception
    {
        final SampleLog sample = SampleLog.writeStandard(dir);
        sample.close();
        final SampleLog.Appended damaged = sample.inSegment(0).get(1);
        FileBytes.flipByte(sample.logFile(0), damaged.position() + 70);

        final KafkaRun kafka = KafkaRun.dump("--files", sample.logFile(0).toString());
        final CommandRun ours = CommandRun.of("dump", "--files", sample.logFile(0));

        assertThat(kafka.out).filteredOn(line -> line.endsWith("isvalid: false")).hasSize(1);
        assertThat(ours.exitCode).isEqualTo(ExitCodes.INVALID);
        assertThat(ours.out.stream().filter(line -> line.startsWith("baseOffset: ")))
            .containsExactlyElementsOf(kafka.out.stream().filter(line -> line.startsWith("baseOffset: ")).toList());
    }

    @Test
    void oursReadsASegmentWrittenByKafkasLogSegmentAndPrintsWhatKafkaPrints() throws Exception
    {
        final Path segmentDir = dir.resolve("kafka-0");
        writeKafkaSegment(segmentDir);
        final String files = segmentDir.resolve("00000000000000000000.log") + "," +
            segmentDir.resolve("00000000000000000000.index") + "," +
            segmentDir.resolve("00000000000000000000.timeindex");
        final String[] args = { "--files", files, "--deep-iteration", "--print-data-log" };

        final CommandRun ours = CommandRun.of(prepend("dump", args));
        final KafkaRun kafka = KafkaRun.dump(args);
        final CommandRun sanity = CommandRun.of("dump", "--files", files, "--index-sanity-check");

        assertThat(ours.exitCode).as(ours.toString()).isEqualTo(ExitCodes.OK);
        assertThat(ours.err).isEmpty();
        assertThat(ours.out).filteredOn(line -> line.startsWith("baseOffset: ")).hasSize(9)
            .anyMatch(line -> line.contains(" compresscodec: zstd "))
            .anyMatch(line -> line.contains(" LogAppendTime: " + (T0 + 500) + " "))
            .anyMatch(line -> line.contains(" isControl: true "));
        assertThat(ours.out).contains(
            "| offset: 0 CreateTime: 1700000000000 keySize: 2 valueSize: 6 sequence: -1 headerKeys: [h1,h2] " +
                "key: k0 payload: value0",
            "| offset: 13 CreateTime: 1700000000040 keySize: 4 valueSize: 6 sequence: -1 headerKeys: [] " +
                "endTxnMarker: COMMIT coordinatorEpoch: 9");
        assertThat(kafka.err).as(kafka.toString()).isEmpty();
        assertThat(ours.out).isEqualTo(kafka.out);
        assertThat(sanity.exitCode).as(sanity.toString()).isEqualTo(ExitCodes.OK);
    }

    /**
     * Nine batches through Kafka's own LogSegment: every codec, headers, producer ids, a transaction,
     * LogAppendTime.
     */
    private static void writeKafkaSegment(final Path segmentDir) throws Exception
    {
        java.nio.file.Files.createDirectories(segmentDir);
        final LogConfig config = new LogConfig(Map.of("index.interval.bytes", "64", "segment.bytes", "1048576"));
        final LogSegment segment = LogSegment.open(segmentDir.toFile(), 0, config, Time.SYSTEM, 0, false);
        try
        {
            final Header[] headers = { new RecordHeader("h1", bytes("x")), new RecordHeader("h2", null) };
            append(segment, MemoryRecords.withRecords(0, Compression.NONE,
                new SimpleRecord(T0, bytes("k0"), bytes("value0"), headers),
                new SimpleRecord(T0 + 1, null, bytes("value1")),
                new SimpleRecord(T0 + 2, new byte[0], new byte[0])));
            final Compression[] codecs =
            {
                Compression.gzip().build(), Compression.snappy().build(), Compression.lz4().build(),
                Compression.zstd().build()
            };
            long offset = 3;
            for (int i = 0; i < codecs.length; i++)
            {
                append(segment, MemoryRecords.withRecords(offset, codecs[i],
                    new SimpleRecord(T0 + 10 + i, bytes("key" + i), bytes("value " + i + " " + "y".repeat(200))),
                    new SimpleRecord(T0 + 20 + i, bytes("other" + i), null)));
                offset += 2;
            }
            append(segment, MemoryRecords.withIdempotentRecords(offset, Compression.NONE, 77L, (short)2, 500, 4,
                new SimpleRecord(T0 + 30, bytes("idem"), bytes("potent"))));
            offset += 1;
            append(segment, MemoryRecords.withTransactionalRecords(offset, Compression.NONE, 88L, (short)1, 0, 4,
                new SimpleRecord(T0 + 31, bytes("tx"), bytes("in flight"))));
            offset += 1;
            append(segment, MemoryRecords.withEndTransactionMarker(offset, T0 + 40, 4, 88L, (short)1,
                new EndTransactionMarker(ControlRecordType.COMMIT, 9)));
            offset += 1;
            final MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(1024),
                RecordBatch.CURRENT_MAGIC_VALUE, Compression.NONE, TimestampType.LOG_APPEND_TIME, offset, T0 + 500);
            builder.append(T0 + 41, bytes("late"), bytes("stamped by the broker"));
            append(segment, builder.build());
            segment.onBecomeInactiveSegment();
        }
        finally
        {
            segment.close();
        }
    }

    private static void append(final LogSegment segment, final MemoryRecords records) throws Exception
    {
        long lastOffset = -1;
        for (final RecordBatch batch : records.batches())
        {
            lastOffset = batch.lastOffset();
        }
        segment.append(lastOffset, records);
    }

    /**
     * Lines both tools print alike: Kafka prints binary content raw (its line breaks split lines), ours as a hex
     * dump, so record lines with binary content are compared up to their key, and Kafka's fragments and our
     * hex lines are left out.
     */
    private static List<String> comparable(final List<String> lines)
    {
        final List<String> result = new ArrayList<>();
        boolean binaryFollows = false;
        for (final String line : lines)
        {
            if (line.startsWith("|   "))
            {
                continue;
            }
            if (line.startsWith("| offset: "))
            {
                binaryFollows = line.contains("bytes, hex below>");
                final int key = line.indexOf(" key: ");
                result.add(key > 0 && (binaryFollows || !line.matches("\\p{Print}*")) ? line.substring(0, key) : line);
            }
            else if (line.startsWith("baseOffset: ") || line.startsWith("Dumping ") ||
                line.startsWith("Log starting offset: ") || line.startsWith("offset: ") ||
                line.startsWith("timestamp: "))
            {
                result.add(line);
            }
        }
        return result;
    }

    private static Object[] prepend(final String first, final String... rest)
    {
        final Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    /** Kafka's kafka-dump-log run in this JVM with System.out and System.err captured; Exit cannot end the JVM. */
    private record KafkaRun(List<String> out, List<String> err)
    {
        static synchronized KafkaRun dump(final String... args) throws Exception
        {
            final PrintStream originalOut = System.out;
            final PrintStream originalErr = System.err;
            final ByteArrayOutputStream out = new ByteArrayOutputStream();
            final ByteArrayOutputStream err = new ByteArrayOutputStream();
            Exit.setExitProcedure((status, message) ->
            {
                throw new IllegalStateException("kafka-dump-log tried to exit with " + status + ": " + message);
            });
            try (PrintStream capturedOut = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream capturedErr = new PrintStream(err, true, StandardCharsets.UTF_8))
            {
                System.setOut(capturedOut);
                System.setErr(capturedErr);
                DumpLogSegments.main(args);
            }
            finally
            {
                System.setOut(originalOut);
                System.setErr(originalErr);
                Exit.resetExitProcedure();
            }
            return new KafkaRun(lines(out), lines(err));
        }

        private static List<String> lines(final ByteArrayOutputStream stream)
        {
            final String text = stream.toString(StandardCharsets.UTF_8);
            return text.isEmpty() ? List.of() : Arrays.asList(text.split("\\R"));
        }

        public String toString()
        {
            return "--- kafka out\n" + String.join("\n", out) + "\n--- kafka err\n" + String.join("\n", err);
        }
    }
}
