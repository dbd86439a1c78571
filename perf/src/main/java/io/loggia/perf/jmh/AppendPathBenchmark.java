package io.loggia.perf.jmh;

import io.loggia.codec.record.BatchBuilder;
import io.loggia.engine.Engine;
import io.loggia.engine.EngineConfig;
import io.loggia.engine.EngineListener;
import io.loggia.engine.EngineThreads;
import io.loggia.engine.housekeeping.Housekeeper;
import io.loggia.engine.log.LogConfig;
import io.loggia.engine.log.LogConfigParser;
import io.loggia.engine.partition.Partition;
import io.loggia.engine.writer.AppendCompletionAdapter;
import io.loggia.engine.writer.AppendCompletionHandler;
import io.loggia.engine.writer.AppendProxy;
import io.loggia.engine.writer.Caller;
import io.loggia.engine.writer.KafkaErrors;
import org.agrona.concurrent.SystemEpochClock;
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
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * The whole append path across threads: the benchmark thread plays a network thread, offering 16 KiB batches
 * (100-byte or 1 KiB records, uncompressed, from direct memory) through an {@link AppendProxy} into the
 * append ring of a {@code PartitionWriter} running on its own thread (with the housekeeper on a third), and
 * draining acks=1 completions from its completion ring. Each batch is copied into the ring, out of the ring
 * into the segment's mapping, and the ring space is zeroed.
 * <p>
 * The segment (1 GiB) is written end to end once, then truncated back before each iteration through the
 * writer's command queue, so its pages stay resident: warm page cache, the state the housekeeper's window
 * gives the writer. {@code bytes}, reported per second, is the throughput; run with {@code -prof gc}: the
 * allocation rate of every thread is counted, so ~0 B/op covers the writer as well.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 100, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 15, time = 100, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {
    "-Xmx1g", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED" })
@State(Scope.Thread)
public class AppendPathBenchmark
{
    static final int BATCH_BYTES = 16 * 1024;
    static final int SEGMENT_BYTES = 1024 * 1024 * 1024;
    static final long WAIT_NS = TimeUnit.SECONDS.toNanos(60);

    @Param({"100", "1024"})
    public int recordBytes;

    private Path logDir;
    private Engine engine;
    private EngineThreads threads;
    private Partition partition;
    private Caller caller;
    private AppendProxy proxy;
    private AppendCompletionAdapter adapter;
    private UnsafeBuffer batch;
    private int batchSize;
    private long inFlight;
    private final AppendCompletionHandler handler =
        (correlation, partitionId, errorCode, baseOffset, logAppendTime, logStartOffset) ->
        {
            if (KafkaErrors.NONE != errorCode)
            {
                throw new IllegalStateException("append failed: " + KafkaErrors.name(errorCode));
            }
            inFlight--;
        };

    /** Batch bytes acknowledged, reported per second. */
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
    public void setUp() throws Exception
    {
        batch = new UnsafeBuffer(ByteBuffer.allocateDirect(2 * BATCH_BYTES));
        batchSize = buildBatch(batch, recordBytes);
        logDir = Files.createTempDirectory("append-path-bench");
        engine = openEngine(logDir, new EngineConfig());
        threads = EngineThreads.start(engine, Throwable::printStackTrace);
        awaitNative(engine);
        partition = engine.createPartition("bench", null, 0, segmentConfig()).partition();
        caller = engine.registerCaller(() -> {});
        proxy = caller.appendProxy();
        adapter = caller.completionAdapter();
        // one pass over the segment makes every page resident
        final long fill = SEGMENT_BYTES - 64L * BATCH_BYTES;
        while (partition.log().activeSegment().size() < fill)
        {
            offer();
        }
        drain();
    }

    @Setup(Level.Iteration)
    public void rewind()
    {
        drain();
        truncate(engine, partition, 0);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        drain();
        threads.close();
        deleteRecursively(logDir);
    }

    @Benchmark
    public void append(final Bytes bytes)
    {
        offer();
        bytes.bytes += batchSize;
    }

    private void offer()
    {
        while (AppendProxy.OFFERED != proxy.offer(0, inFlight, partition.id(), (short)1, batch, 0, batchSize))
        {
            proxy.wakeWriters();
            adapter.poll(handler, Integer.MAX_VALUE);
        }
        inFlight++;
        proxy.wakeWriters();
        adapter.poll(handler, Integer.MAX_VALUE);
    }

    private void drain()
    {
        final long deadline = System.nanoTime() + WAIT_NS;
        while (inFlight > 0)
        {
            adapter.poll(handler, Integer.MAX_VALUE);
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException(inFlight + " appends unanswered");
            }
        }
    }

    static LogConfig segmentConfig()
    {
        return LogConfigParser.parseTopic(
            Map.of(LogConfig.SEGMENT_BYTES, Integer.toString(SEGMENT_BYTES)), LogConfig.DEFAULTS).config();
    }

    static Engine openEngine(final Path logDir, final EngineConfig config) throws IOException
    {
        return Engine.open(config.logDir(logDir), Throwable::printStackTrace, new EngineListener()
        {
        }, SystemEpochClock.INSTANCE);
    }

    /** Partitions created after this get windows from their first segment on. */
    static void awaitNative(final Engine engine)
    {
        final long deadline = System.nanoTime() + WAIT_NS;
        while (Housekeeper.NATIVE_PENDING == engine.housekeeper().nativeState())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("native calls never loaded");
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    static void truncate(final Engine engine, final Partition partition, final long offset)
    {
        final boolean[] done = new boolean[1];
        final short code = engine.truncateTo(partition, offset, (p, error, value) ->
        {
            synchronized (done)
            {
                done[0] = true;
            }
        });
        if (KafkaErrors.NONE != code)
        {
            throw new IllegalStateException("truncate refused: " + KafkaErrors.name(code));
        }
        final long deadline = System.nanoTime() + WAIT_NS;
        while (true)
        {
            synchronized (done)
            {
                if (done[0])
                {
                    return;
                }
            }
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("truncate not answered");
            }
            LockSupport.parkNanos(100_000);
        }
    }

    /** Fill {@code buffer} with one uncompressed batch of at most 16 KiB; returns its size. */
    static int buildBatch(final UnsafeBuffer buffer, final int recordBytes)
    {
        final byte[] value = new byte[recordBytes - 10];
        try (BatchBuilder builder = new BatchBuilder())
        {
            builder.wrap(buffer, 0);
            long timestamp = 1_700_000_000_000L;
            while (builder.uncompressedSizeInBytes() + recordBytes <= BATCH_BYTES)
            {
                value[0] = (byte)timestamp;
                builder.append(timestamp++, null, value);
            }
            return builder.build();
        }
    }

    static void deleteRecursively(final Path dir) throws IOException
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
