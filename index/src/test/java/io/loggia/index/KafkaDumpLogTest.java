package io.loggia.index;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka's own {@code kafka-dump-log} reads and verifies the indexes of a segment built by Kafka's record builder
 * and indexed the way the Loggia writer does: offset index entries hold the last offset of the batch at their
 * position, time index entries the largest timestamp so far and the last offset of the batch holding it. A
 * second segment indexed with batch base offsets shows that the tool does check.
 */
class KafkaDumpLogTest
{
    private static final long BASE = 1_000L;
    private static final String NAME = "00000000000000001000";
    private static final int INDEX_INTERVAL_BYTES = 4_096;

    @TempDir
    Path dir;

    @Test
    void kafkaDumpLogShouldVerifyIndexesHoldingLastOffsets() throws Exception
    {
        writeSegment(dir, true);

        final String offsets = dumpLog("--files", dir.resolve(NAME + ".index").toString(), "--verify-index-only");
        assertThat(offsets).doesNotContain("Mismatches", "not found", "Exception");
        final String times = dumpLog("--files", dir.resolve(NAME + ".timeindex").toString(), "--verify-index-only");
        assertThat(times).doesNotContain("Mismatches", "not found", "not in order", "Exception");
        final String sanity = dumpLog(
            "--files", dir.resolve(NAME + ".index") + "," + dir.resolve(NAME + ".timeindex"), "--index-sanity-check");
        assertThat(sanity).contains(NAME + ".index passed sanity check", NAME + ".timeindex passed sanity check");

        final String listing = dumpLog("--files", dir.resolve(NAME + ".index").toString());
        try (OffsetIndex index = OffsetIndex.open(dir.resolve(NAME + ".index"), BASE, 0, false))
        {
            assertThat(listing).contains("offset: " + index.offsetAt(0) + " position: " + index.positionAt(0));
        }
    }

    @Test
    void kafkaDumpLogShouldRejectIndexesHoldingBaseOffsets() throws Exception
    {
        writeSegment(dir, false);

        assertThat(dumpLog("--files", dir.resolve(NAME + ".index").toString(), "--verify-index-only"))
            .contains("Mismatches");
        assertThat(dumpLog("--files", dir.resolve(NAME + ".timeindex").toString(), "--verify-index-only"))
            .contains("not found");
    }

    private static void writeSegment(final Path dir, final boolean lastOffsets) throws IOException
    {
        final Random random = new Random(1);
        try (FileChannel log = FileChannel.open(
            dir.resolve(NAME + ".log"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            OffsetIndex offsetIndex = OffsetIndex.open(dir.resolve(NAME + ".index"), BASE, 1 << 20, true);
            TimeIndex timeIndex = TimeIndex.open(dir.resolve(NAME + ".timeindex"), BASE, 1 << 20, true))
        {
            long offset = BASE;
            int position = 0;
            int bytesSinceIndexEntry = 0;
            long maxTimestamp = TimeIndex.NO_TIMESTAMP;
            long offsetOfMaxTimestamp = BASE;
            long clock = 1_700_000_000_000L;
            for (int b = 0; b < 400; b++)
            {
                final MemoryRecordsBuilder builder = MemoryRecords.builder(
                    ByteBuffer.allocate(1 << 16), Compression.NONE, TimestampType.CREATE_TIME, offset);
                final int records = 1 + random.nextInt(20);
                long batchMaxTimestamp = TimeIndex.NO_TIMESTAMP;
                for (int i = 0; i < records; i++)
                {
                    final long timestamp = clock + random.nextInt(1_000) - 300;
                    batchMaxTimestamp = Math.max(batchMaxTimestamp, timestamp);
                    builder.append(timestamp, null, new byte[10 + random.nextInt(300)]);
                }
                clock += 50;

                final MemoryRecords batchRecords = builder.build();
                final RecordBatch batch = batchRecords.batches().iterator().next();
                final long indexedOffset = lastOffsets ? batch.lastOffset() : batch.baseOffset();
                if (batchMaxTimestamp > maxTimestamp)
                {
                    maxTimestamp = batchMaxTimestamp;
                    offsetOfMaxTimestamp = indexedOffset;
                }
                if (bytesSinceIndexEntry > INDEX_INTERVAL_BYTES)
                {
                    assertThat(offsetIndex.append(indexedOffset, position)).isEqualTo(OffsetIndex.APPENDED);
                    assertThat(timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp))
                        .isIn(TimeIndex.APPENDED, TimeIndex.NOT_INCREASING);
                    bytesSinceIndexEntry = 0;
                }

                final ByteBuffer bytes = batchRecords.buffer();
                final int size = bytes.remaining();
                while (bytes.hasRemaining())
                {
                    log.write(bytes);
                }
                bytesSinceIndexEntry += size;
                position += size;
                offset = batch.lastOffset() + 1;
            }

            timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp);
            assertThat(offsetIndex.entries()).isGreaterThan(50);
            assertThat(timeIndex.entries()).isGreaterThan(50);
            assertThat(offsetIndex.sanityCheck(position)).isEqualTo(IndexCheck.OK);
            assertThat(timeIndex.sanityCheck(offset)).isEqualTo(IndexCheck.OK);
            offsetIndex.trimToValidSize();
            timeIndex.trimToValidSize();
        }
    }

    /**
     * Runs the tool in a child JVM: it prints to stdout and may call exit.
     */
    private static String dumpLog(final String... args) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("org.apache.kafka.tools.DumpLogSegments");
        command.addAll(List.of(args));

        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        final String text = new String(output, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(text).isZero();
        return text;
    }
}
