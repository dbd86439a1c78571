package io.loggia.engine.writer;

import io.loggia.engine.Engine;
import io.loggia.engine.EngineConfig;
import io.loggia.engine.EngineListener;
import io.loggia.engine.EngineThreads;
import io.loggia.engine.log.LogCodes;
import io.loggia.engine.log.LogConfig;
import io.loggia.engine.log.PartitionLog;
import io.loggia.engine.log.ReadResult;
import io.loggia.engine.log.TimestampLookup;
import io.loggia.engine.partition.Partition;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reader threads hammer {@link PartitionLog#read}, {@link PartitionLog#offsetForTimestamp} and
 * {@link PartitionLog#offsetOfMaxTimestamp} on a partition, checking {@link Partition#isOpen()} before each read as
 * the fetch path does, while the control plane deletes it, creates it again, closes it and opens it again, round
 * after round, and its writer retires segments by retention. A read that touched an unmapped segment would crash
 * the JVM (and with it the test fork); every read must also come back with a sane answer.
 */
class ReadersDuringCloseTest
{
    private static final String TOPIC = "race";
    private static final int ROUNDS = 40;
    private static final int READERS = 2;
    private static final int BATCHES_PER_REGION = 400;
    private static final int REGIONS_PER_ROUND = 8;
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(60);

    @TempDir
    Path logDir;

    @Test
    void readersNeverTouchAnUnmappedSegmentWhilePartitionsAreDeletedClosedAndCreatedAgain() throws Exception
    {
        final TestBatches.Errors errors = new TestBatches.Errors();
        // the whole index interval is scanned from a segment's start: long header walks inside the mappings
        final LogConfig config = TestBatches.config(
            LogConfig.SEGMENT_BYTES, Integer.toString(256 * 1024),
            LogConfig.INDEX_INTERVAL_BYTES, Integer.toString(128 * 1024),
            LogConfig.RETENTION_BYTES, Integer.toString(512 * 1024),
            LogConfig.FILE_DELETE_DELAY_MS, "0");
        final Engine engine = Engine.open(new EngineConfig()
            .logDir(logDir)
            .retentionCheckIntervalMs(50)
            .segmentPrepareBytes(256 * 1024)
            .segmentPrepareChunkBytes(64 * 1024)
            .logDefaults(config), errors, new EngineListener()
            {
            }, SystemEpochClock.INSTANCE);
        final EngineThreads threads = EngineThreads.start(engine, errors);
        final Thread self = Thread.currentThread();
        final Caller caller = engine.registerCaller(() -> LockSupport.unpark(self));
        final UnsafeBuffer region = region();

        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicLong reads = new AtomicLong();
        final AtomicLong readsOverlappingAClose = new AtomicLong();
        final List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < READERS; i++)
        {
            final Thread reader = new Thread(
                () -> read(engine, stop, failure, reads, readsOverlappingAClose), "reader-" + i);
            readers.add(reader);
            reader.start();
        }

        final long deadline = System.nanoTime() + DEADLINE_NS;
        long correlation = 0;
        for (int round = 0; round < ROUNDS && null == failure.get(); round++)
        {
            final Engine.Created created = engine.createPartition(TOPIC, null, 0, config);
            assertThat(created.isOk()).as(created.message()).isTrue();
            final Partition partition = created.partition();
            correlation = append(caller, partition, region, correlation, deadline);

            final CountDownLatch done = new CountDownLatch(1);
            final short code = 0 == (round & 1) ?
                engine.deletePartition(partition, (p, error, value) -> done.countDown()) :
                engine.closePartition(partition, (p, error, value) -> done.countDown());
            assertThat(code).isEqualTo(KafkaErrors.NONE);
            assertThat(done.await(30, TimeUnit.SECONDS)).as("round " + round + " removed the partition").isTrue();
        }

        stop.set(true);
        for (final Thread reader : readers)
        {
            reader.join(TimeUnit.NANOSECONDS.toMillis(DEADLINE_NS));
        }
        threads.close();
        assertThat(failure.get()).isNull();
        assertThat(errors.seen).isEmpty();
        assertThat(reads.get()).isGreaterThan(ROUNDS);
        assertThat(readsOverlappingAClose.get()).as("reads still inside when a close began").isPositive();
        System.out.println("ReadersDuringCloseTest: " + reads.get() + " reads, " + readsOverlappingAClose.get() +
            " of them still inside when the partition stopped being open");
    }

    /** One region of small batches, appended again and again: many headers to walk per segment. */
    private static UnsafeBuffer region()
    {
        UnsafeBuffer region = TestBatches.batch(1, 40, 1_700_000_000_000L, 0);
        for (int i = 1; i < BATCHES_PER_REGION; i++)
        {
            region = TestBatches.concat(region, TestBatches.batch(1, 40, 1_700_000_000_000L + i, i));
        }
        return region;
    }

    private static long append(
        final Caller caller, final Partition partition, final UnsafeBuffer region, final long firstCorrelation,
        final long deadline)
    {
        final AppendProxy proxy = caller.appendProxy();
        final int[] pending = { 0 };
        long correlation = firstCorrelation;
        int offered = 0;
        while (offered < REGIONS_PER_ROUND || pending[0] > 0)
        {
            if (offered < REGIONS_PER_ROUND && AppendProxy.OFFERED == proxy.offer(
                partition.writerIndex(), correlation, partition.id(), (short)1, region, 0, region.capacity()))
            {
                correlation++;
                offered++;
                pending[0]++;
            }
            final int polled = caller.pollCompletions((c, partitionId, errorCode, baseOffset, appendTime, start) ->
            {
                assertThat(errorCode).as("append " + c).isEqualTo(KafkaErrors.NONE);
                pending[0]--;
            }, Integer.MAX_VALUE);
            if (0 == polled && offered == REGIONS_PER_ROUND)
            {
                LockSupport.parkNanos(100_000);
            }
            assertThat(System.nanoTime() - deadline).as("appends in time").isNegative();
        }
        return correlation;
    }

    private static void read(
        final Engine engine,
        final AtomicBoolean stop,
        final AtomicReference<Throwable> failure,
        final AtomicLong reads,
        final AtomicLong readsOverlappingAClose)
    {
        final ReadResult result = new ReadResult();
        final TimestampLookup lookup = new TimestampLookup();
        long count = 0;
        long overlapping = 0;
        try
        {
            while (!stop.get())
            {
                final Partition partition = engine.partition(TOPIC, 0);
                if (null == partition)
                {
                    Thread.yield();
                    continue;
                }
                final PartitionLog log = partition.log();
                while (partition.isOpen() && !stop.get())
                {
                    final long start = log.logStartOffset();
                    final long end = log.logEndOffset();
                    final long offset = end > start ? end - 1 - (count % (end - start)) : start;
                    final int code;
                    switch ((int)(count % 8))
                    {
                        case 6:
                            code = log.offsetForTimestamp(1_700_000_000_000L + (count % 400), Long.MAX_VALUE, lookup)
                                >= 0 ? LogCodes.OK : LogCodes.NO_DATA;
                            break;
                        case 7:
                            code = log.offsetOfMaxTimestamp(Long.MAX_VALUE, lookup) >= 0 ?
                                LogCodes.OK : LogCodes.NO_DATA;
                            break;
                        default:
                            code = log.read(offset, 1024 * 1024, Long.MAX_VALUE, true, result);
                            if (LogCodes.OK == code && (result.firstOffset > offset || result.lastOffset < offset))
                            {
                                throw new AssertionError("read at " + offset + " returned " + result);
                            }
                            break;
                    }
                    if (LogCodes.OK != code && LogCodes.NO_DATA != code && LogCodes.OFFSET_OUT_OF_RANGE != code)
                    {
                        throw new AssertionError("read at " + offset + " returned code " + code);
                    }
                    count++;
                    if (!partition.isOpen())
                    {
                        overlapping++;
                    }
                }
            }
        }
        catch (final Throwable ex)
        {
            failure.compareAndSet(null, ex);
        }
        reads.addAndGet(count);
        readsOverlappingAClose.addAndGet(overlapping);
    }
}
