package io.loggia.perf.jmh;

import io.loggia.codec.record.BatchBuilder;
import io.loggia.engine.log.AppendInfo;
import io.loggia.engine.log.LogCodes;
import io.loggia.engine.log.LogConfig;
import io.loggia.engine.log.LogConfigParser;
import io.loggia.engine.log.LogLoader;
import io.loggia.engine.log.LogSegment;
import io.loggia.engine.log.PartitionLog;
import io.loggia.engine.log.RecoveryReport;
import io.loggia.engine.log.TopicPartition;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@link PartitionLog#append} of 16 KiB uncompressed batches (100-byte or 1 KiB records) from direct memory,
 * as the writer copies them out of its ring: copy into the segment's mapping, stamp offset and epoch, index
 * every 4 KiB, publish.
 * <p>
 * {@code warm}: the segment (2 GiB - 1, so an iteration never fills it) was written end to end once before
 * measuring and is truncated back to empty before each iteration, so its pages are resident: this is the copy,
 * the way the housekeeper's populated window lets the writer run. {@code cold}: every iteration starts on a
 * fresh sparse segment, so each new page costs a page fault, a zero-fill and a block allocation: the cost the
 * housekeeper exists to take off the writer.
 * <p>
 * The {@code bytes} counter, reported per second, is the append throughput.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 100, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 15, time = 100, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = { "-Xmx1g", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED" })
@State(Scope.Thread)
public class AppendBenchmark
{
    private static final int BATCH_BYTES = 16 * 1024;
    private static final TopicPartition PARTITION = new TopicPartition("bench", 0);
    private static final LogConfig CONFIG = LogConfigParser.parseTopic(
        Map.of(LogConfig.SEGMENT_BYTES, Integer.toString(Integer.MAX_VALUE)), LogConfig.DEFAULTS).config();

    @Param({"100", "1024"})
    public int recordBytes;

    @Param({"warm", "cold"})
    public String file;

    private final AppendInfo info = new AppendInfo();
    private UnsafeBuffer batch;
    private int batchSize;
    private Path root;
    private int generation;
    private PartitionLog log;
    private long resetAt;

    /** Batch bytes appended, reported per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Bytes
    {
        public long bytes;

        @Setup(Level.Iteration)
        public void reset()
        {
            bytes = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        batch = new UnsafeBuffer(ByteBuffer.allocateDirect(2 * BATCH_BYTES));
        final byte[] value = new byte[recordBytes - 10];
        try (BatchBuilder builder = new BatchBuilder())
        {
            builder.wrap(batch, 0);
            long timestamp = 1_700_000_000_000L;
            while (builder.uncompressedSizeInBytes() + recordBytes <= BATCH_BYTES)
            {
                value[0] = (byte)timestamp;
                builder.append(timestamp++, null, value);
            }
            batchSize = builder.build();
        }
        root = Files.createTempDirectory("append-bench");
        openLog();
        if ("warm".equals(file))
        {
            fillOnce();
        }
    }

    @Setup(Level.Iteration)
    public void startIteration() throws IOException
    {
        if ("warm".equals(file))
        {
            truncateToEmpty();
        }
        else
        {
            log.close();
            deleteRecursively(root.resolve("gen" + generation));
            generation++;
            openLog();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        log.close();
        deleteRecursively(root);
    }

    @Benchmark
    public int append(final Bytes bytes)
    {
        final PartitionLog log = this.log;
        if (log.activeSegment().size() > resetAt)
        {
            // never roll into a cold segment mid-measurement; not reached at the iteration times used
            truncateToEmpty();
        }
        final int code = log.append(batch, 0, batchSize, 0, 0, info);
        if (LogCodes.OK != code)
        {
            throw new IllegalStateException(LogCodes.describe(code));
        }
        bytes.bytes += batchSize;
        return code;
    }

    private void openLog() throws IOException
    {
        log = LogLoader.load(root.resolve("gen" + generation), PARTITION, CONFIG, false, 0, 0, 0, 0,
            Throwable::printStackTrace, new RecoveryReport());
        final LogSegment active = log.activeSegment();
        resetAt = active.capacity() - 2L * batchSize;
    }

    private void fillOnce()
    {
        while (log.activeSegment().size() <= resetAt)
        {
            if (LogCodes.OK != log.append(batch, 0, batchSize, 0, 0, info))
            {
                throw new IllegalStateException("append failed");
            }
        }
        truncateToEmpty();
    }

    private void truncateToEmpty()
    {
        log.truncateTo(log.activeSegment().baseOffset(), 0);
    }

    private static void deleteRecursively(final Path dir) throws IOException
    {
        if (!Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
    }
}
