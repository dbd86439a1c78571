package io.loggia.perf.jmh;

import io.loggia.engine.Engine;
import io.loggia.engine.EngineConfig;
import io.loggia.engine.EngineThreads;
import io.loggia.engine.housekeeping.HousekeeperCounters;
import io.loggia.engine.log.LogSegment;
import io.loggia.engine.partition.Partition;
import io.loggia.engine.writer.AppendCompletionAdapter;
import io.loggia.engine.writer.AppendCompletionHandler;
import io.loggia.engine.writer.AppendProxy;
import io.loggia.engine.writer.Caller;
import io.loggia.engine.writer.KafkaErrors;
import org.agrona.concurrent.UnsafeBuffer;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Appending into a fresh sparse segment, where every page costs a fault, a zero-fill and a block allocation,
 * with the housekeeper preparing space ahead of the writer three ways:
 * <ul>
 *     <li>{@code native}: fallocate + MADV_POPULATE_WRITE in a window ahead of the write position, the writable
 *     limit gating the writer (the design);</li>
 *     <li>{@code java}: no native calls, the housekeeper pre-touches pages ahead with atomic adds of zero and the
 *     writer may write to the capacity (the fallback);</li>
 *     <li>{@code off}: {@code loggia.segment.prepare.bytes=0}, the writer faults every page itself.</li>
 * </ul>
 * Two patterns, each a single shot per iteration, through the same path as {@link AppendPathBenchmark} (16 KiB
 * batches of 1 KiB records, acks=1, writer and housekeeper on their own threads):
 * <ul>
 *     <li>{@code sustained}: 128 MiB into a brand-new partition: the housekeeper must keep up with the writer,
 *     so this is the rate at which fresh space can be made at all;</li>
 *     <li>{@code burst}: 8 MiB after a pause in which the housekeeper prepared its window (16 MiB), as when a
 *     producer's burst follows a quiet spell: what the writer sees when preparation is off its path.</li>
 * </ul>
 * The score is the time of a shot; the draft converts it to GB/s.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 10)
@Measurement(iterations = 20)
@Fork(value = 1, jvmArgsAppend = {
    "-Xmx1g", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED" })
@State(Scope.Thread)
public class PretouchBenchmark
{
    static final int SUSTAINED_BYTES = 128 * 1024 * 1024;
    static final int BURST_BYTES = 8 * 1024 * 1024;
    static final long WINDOW_BYTES = 16L * 1024 * 1024;
    static final long WAIT_NS = TimeUnit.SECONDS.toNanos(60);

    @Param({"native", "java", "off"})
    public String housekeeper;

    @Param({"sustained", "burst"})
    public String pattern;

    private Path logDir;
    private Engine engine;
    private EngineThreads threads;
    private Partition partition;
    private int generation;
    private AppendProxy proxy;
    private AppendCompletionAdapter adapter;
    private UnsafeBuffer batch;
    private int batchSize;
    private long inFlight;
    private long touchedAtStart;
    private final AppendCompletionHandler handler =
        (correlation, partitionId, errorCode, baseOffset, logAppendTime, logStartOffset) ->
        {
            if (KafkaErrors.NONE != errorCode)
            {
                throw new IllegalStateException("append failed: " + KafkaErrors.name(errorCode));
            }
            inFlight--;
        };

    @Setup(Level.Trial)
    public void setUp() throws Exception
    {
        batch = new UnsafeBuffer(ByteBuffer.allocateDirect(2 * AppendPathBenchmark.BATCH_BYTES));
        batchSize = AppendPathBenchmark.buildBatch(batch, 1024);
        logDir = Files.createTempDirectory("pretouch-bench");
        final EngineConfig config = new EngineConfig().segmentPrepareBytes(WINDOW_BYTES);
        if ("java".equals(housekeeper))
        {
            config.housekeeperNative(false);
        }
        else if ("off".equals(housekeeper))
        {
            config.segmentPrepareBytes(0);
        }
        engine = AppendPathBenchmark.openEngine(logDir, config);
        threads = EngineThreads.start(engine, Throwable::printStackTrace);
        if ("native".equals(housekeeper))
        {
            AppendPathBenchmark.awaitNative(engine);
        }
        final Caller caller = engine.registerCaller(() -> {});
        proxy = caller.appendProxy();
        adapter = caller.completionAdapter();
        newPartition();
    }

    @Setup(Level.Iteration)
    public void prepare() throws Exception
    {
        if ("sustained".equals(pattern))
        {
            final Partition old = partition;
            final boolean[] deleted = new boolean[1];
            engine.deletePartition(old, (p, error, value) ->
            {
                synchronized (deleted)
                {
                    deleted[0] = true;
                }
            });
            final long deadline = System.nanoTime() + WAIT_NS;
            while (!isSet(deleted))
            {
                check(deadline, "delete");
                LockSupport.parkNanos(100_000);
            }
            newPartition();
        }
        awaitPrepared();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        threads.close();
        AppendPathBenchmark.deleteRecursively(logDir);
    }

    @Benchmark
    public long append()
    {
        final long bytes = "sustained".equals(pattern) ? SUSTAINED_BYTES : BURST_BYTES;
        long written = 0;
        while (written < bytes)
        {
            while (AppendProxy.OFFERED != proxy.offer(0, inFlight, partition.id(), (short)1, batch, 0, batchSize))
            {
                proxy.wakeWriters();
                adapter.poll(handler, Integer.MAX_VALUE);
            }
            inFlight++;
            written += batchSize;
            proxy.wakeWriters();
            adapter.poll(handler, Integer.MAX_VALUE);
        }
        final long deadline = System.nanoTime() + WAIT_NS;
        while (inFlight > 0)
        {
            adapter.poll(handler, Integer.MAX_VALUE);
            check(deadline, "acks");
        }
        return written;
    }

    private void newPartition()
    {
        partition = engine.createPartition("pretouch", null, generation++, AppendPathBenchmark.segmentConfig())
            .partition();
        touchedAtStart = engine.housekeeper().counters().get(HousekeeperCounters.TOUCHED_BYTES);
    }

    /** Wait until the housekeeper has prepared the next burst's space (native, java); nothing to wait for off. */
    private void awaitPrepared()
    {
        final long deadline = System.nanoTime() + WAIT_NS;
        final LogSegment segment = partition.log().activeSegment();
        if ("native".equals(housekeeper))
        {
            while (segment.writableLimit() < Math.min(segment.capacity(), segment.size() + WINDOW_BYTES - 4096))
            {
                check(deadline, "window");
                LockSupport.parkNanos(100_000);
            }
        }
        else if ("java".equals(housekeeper))
        {
            while (engine.housekeeper().counters().get(HousekeeperCounters.TOUCHED_BYTES) - touchedAtStart <
                segment.size() + WINDOW_BYTES - 2 * 1024 * 1024)
            {
                check(deadline, "touch");
                LockSupport.parkNanos(100_000);
            }
        }
    }

    private static boolean isSet(final boolean[] flag)
    {
        synchronized (flag)
        {
            return flag[0];
        }
    }

    private static void check(final long deadline, final String what)
    {
        if (System.nanoTime() - deadline > 0)
        {
            throw new IllegalStateException("timed out waiting for " + what);
        }
    }
}
