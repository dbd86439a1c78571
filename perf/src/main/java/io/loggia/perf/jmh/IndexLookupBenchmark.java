package io.loggia.perf.jmh;

import io.loggia.index.OffsetIndex;
import io.loggia.index.TimeIndex;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Lookups in a full, sealed 10 MiB offset index (1,310,720 entries) and time index (873,813 entries), opened
 * read-only as a fetch finds them. Targets come from an inline xorshift generator so that no target array
 * competes with the index for cache.
 * <p>
 * {@code gaps}: how far apart consecutive entries are. {@code realistic}: every entry covers ~1.3 KiB of log
 * (a full 10 MiB index must fit a segment of at most 2 GiB) holding 1 to 64 records; {@code bursty}: phases of tiny and huge batches and rare jumps, the worst case for any
 * search that guesses from the spread of offsets.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
@State(Scope.Thread)
public class IndexLookupBenchmark
{
    private static final int INDEX_BYTES = 10 * 1024 * 1024;
    private static final long BASE_OFFSET = 1_000_000_000L;
    private static final long FIRST_TIMESTAMP = 1_700_000_000_000L;
    private static final int TAIL_ENTRIES = 1_000;

    @Param({"realistic", "bursty"})
    public String gaps;

    private Path dir;
    private OffsetIndex offsetIndex;
    private TimeIndex timeIndex;
    private long firstOffset;
    private long offsetRange;
    private long tailStart;
    private long tailRange;
    private long timestampRange;
    private long seed = 0x9E3779B97F4A7C15L;
    /** The last value {@link #offsetReadDependent()} read, which picks its next slot. */
    private long carried;

    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        dir = Files.createTempDirectory("index-lookup");
        final Path offsetFile = dir.resolve("00000000001000000000.index");
        final Path timeFile = dir.resolve("00000000001000000000.timeindex");
        final SplittableRandom random = new SplittableRandom(42);
        final boolean bursty = "bursty".equals(gaps);

        try (OffsetIndex writer = OffsetIndex.open(offsetFile, BASE_OFFSET, INDEX_BYTES, true);
            TimeIndex timeWriter = TimeIndex.open(timeFile, BASE_OFFSET, INDEX_BYTES, true))
        {
            long offset = BASE_OFFSET;
            int position = 0;
            long timestamp = FIRST_TIMESTAMP;
            int phaseLeft = 0;
            int phaseMaxGap = 64;
            while (!writer.isFull())
            {
                final int gap;
                if (bursty)
                {
                    if (0 == phaseLeft)
                    {
                        phaseLeft = 1 + random.nextInt(50_000);
                        phaseMaxGap = random.nextBoolean() ? 2 : 2_000;
                    }
                    phaseLeft--;
                    gap = 0 == random.nextInt(100_000) ? 1_000_000 : 1 + random.nextInt(phaseMaxGap);
                }
                else
                {
                    gap = 1 + random.nextInt(64);
                }
                offset += gap;
                position += 1_000 + random.nextInt(600);
                timestamp += 1 + random.nextInt(20);
                if (OffsetIndex.APPENDED != writer.append(offset, position))
                {
                    throw new IllegalStateException("append refused at " + offset + ", " + position);
                }
                timeWriter.maybeAppend(timestamp, offset);
            }
            writer.trimToValidSize();
            timeWriter.trimToValidSize();
        }

        offsetIndex = OffsetIndex.open(offsetFile, BASE_OFFSET, INDEX_BYTES, false);
        timeIndex = TimeIndex.open(timeFile, BASE_OFFSET, INDEX_BYTES, false);
        if (offsetIndex.entries() != INDEX_BYTES / OffsetIndex.ENTRY_SIZE)
        {
            throw new IllegalStateException("offset index not full: " + offsetIndex);
        }
        firstOffset = offsetIndex.offsetAt(0);
        offsetRange = offsetIndex.lastOffset() - firstOffset + 1;
        tailStart = offsetIndex.offsetAt(offsetIndex.entries() - TAIL_ENTRIES);
        tailRange = offsetIndex.lastOffset() - tailStart + 1;
        timestampRange = timeIndex.lastTimestamp() - FIRST_TIMESTAMP + 1;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        offsetIndex.close();
        timeIndex.close();
        try (var paths = Files.list(dir))
        {
            for (final Path path : (Iterable<Path>)paths::iterator)
            {
                Files.delete(path);
            }
        }
        Files.delete(dir);
    }

    @Benchmark
    public int offsetLookupRandom()
    {
        return offsetIndex.lookupSlot(firstOffset + scaled(nextRandom(), offsetRange));
    }

    /**
     * The floor under {@link #offsetLookupRandom()}: one read of the entry at a random slot of the same mapping,
     * with no search, where each read's slot depends on the value the previous read returned. A search's probes
     * depend on each other like that; independent reads would overlap in the memory system and show its
     * throughput instead (about 30 ns each here), not what one cold line and page of the index cost.
     */
    @Benchmark
    public long offsetReadDependent()
    {
        final long value = offsetIndex.offsetAt((int)scaled(nextRandom() ^ carried, offsetIndex.entries()));
        carried = value;
        return value;
    }

    @Benchmark
    public int offsetLookupTail()
    {
        return offsetIndex.lookupSlot(tailStart + scaled(nextRandom(), tailRange));
    }

    @Benchmark
    public int timeLookupRandom()
    {
        return timeIndex.lookupSlot(FIRST_TIMESTAMP + scaled(nextRandom(), timestampRange));
    }

    private long nextRandom()
    {
        long x = seed;
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        seed = x;
        return x;
    }

    private static long scaled(final long random, final long range)
    {
        return Math.multiplyHigh(random & Long.MAX_VALUE, range) << 1;
    }
}
