package io.loggia.engine;

import io.loggia.engine.log.LogCodes;
import io.loggia.engine.log.LogConfig;
import io.loggia.engine.log.PartitionLog;
import io.loggia.engine.log.ReadResult;
import io.loggia.engine.partition.Partition;
import io.loggia.engine.writer.AppendProxy;
import io.loggia.engine.writer.Caller;
import io.loggia.engine.writer.KafkaErrors;
import io.loggia.engine.writer.PartitionWriterTestAccess;
import io.loggia.engine.writer.TestBatches;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real threads: producers, each with its own proxy, offer into one writer on its own thread while the
 * housekeeper prepares windows on another (segments roll) and readers read through {@link PartitionLog#read}.
 * Every acknowledged batch is in the log exactly once, in each producer's order, and readers only ever see
 * whole, valid batches in that order.
 */
class EngineConcurrencyTest
{
    private static final int PRODUCERS = 3;
    private static final int BATCHES = 1_500;
    private static final int IN_FLIGHT = 32;
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(60);

    @TempDir
    Path logDir;

    @Test
    void everyAcknowledgedBatchIsInTheLogOnceAndInProducerOrder() throws Exception
    {
        final TestBatches.Errors errors = new TestBatches.Errors();
        final Engine engine = Engine.open(new EngineConfig()
            .logDir(logDir)
            .segmentPrepareBytes(256 * 1024)
            .segmentPrepareChunkBytes(64 * 1024)
            .logDefaults(TestBatches.config(LogConfig.SEGMENT_BYTES, Integer.toString(1024 * 1024))),
            errors, new EngineListener()
            {
            }, SystemEpochClock.INSTANCE);
        final Partition[] partitions = {
            engine.createPartition("left", null, 0, null).partition(),
            engine.createPartition("right", null, 0, null).partition() };
        final EngineThreads threads = EngineThreads.start(engine, errors);

        final ConcurrentHashMap<Long, Long> acked = new ConcurrentHashMap<>();
        final List<Thread> producers = new ArrayList<>();
        final List<Throwable> failures = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++)
        {
            final int producer = p;
            final Thread thread = new Thread(() -> produce(engine, partitions, producer, acked, failures), "producer-" + p);
            producers.add(thread);
        }
        final AtomicBoolean stop = new AtomicBoolean();
        final List<Reader> readers = List.of(new Reader(partitions, stop), new Reader(partitions, stop));
        final List<Thread> readerThreads = new ArrayList<>();
        for (final Reader reader : readers)
        {
            readerThreads.add(new Thread(reader, "reader"));
        }
        readerThreads.forEach(Thread::start);
        producers.forEach(Thread::start);
        for (final Thread thread : producers)
        {
            thread.join(TimeUnit.NANOSECONDS.toMillis(DEADLINE_NS));
            assertThat(thread.isAlive()).as(thread.getName() + " finished").isFalse();
        }
        stop.set(true);
        for (final Thread thread : readerThreads)
        {
            thread.join(TimeUnit.NANOSECONDS.toMillis(DEADLINE_NS));
        }
        assertThat(failures).isEmpty();
        assertThat(acked.size()).isEqualTo(PRODUCERS * BATCHES * partitions.length);

        for (final Partition partition : partitions)
        {
            final List<Long> tags = PartitionWriterTestAccess.tagsInLog(partition.log());
            assertThat(tags).hasSize(PRODUCERS * BATCHES).doesNotHaveDuplicates();
            assertInProducerOrder(tags);
            assertThat(partition.log().segments().length).as("segments rolled").isGreaterThan(3);
        }
        for (final Reader reader : readers)
        {
            assertThat(reader.failure).isNull();
            for (int i = 0; i < partitions.length; i++)
            {
                assertInProducerOrder(reader.seen.get(i));
                assertThat(reader.seen.get(i)).doesNotHaveDuplicates();
                assertThat(reader.seen.get(i)).hasSize(PRODUCERS * BATCHES);
            }
        }
        threads.close();
        assertThat(errors.seen).isEmpty();
    }

    private static void produce(
        final Engine engine,
        final Partition[] partitions,
        final int producer,
        final ConcurrentHashMap<Long, Long> acked,
        final List<Throwable> failures)
    {
        final Thread self = Thread.currentThread();
        final Caller caller = engine.registerCaller(() -> LockSupport.unpark(self));
        final AppendProxy proxy = caller.appendProxy();
        final long deadline = System.nanoTime() + DEADLINE_NS;
        final long[] inFlight = new long[1];
        final long[] correlationTags = new long[BATCHES * partitions.length];
        int sent = 0;
        final int total = BATCHES * partitions.length;
        try
        {
            while (sent < total || inFlight[0] > 0)
            {
                if (sent < total && inFlight[0] < IN_FLIGHT)
                {
                    final Partition partition = partitions[sent % partitions.length];
                    final long tag = ((long)producer << 32) | (sent / partitions.length);
                    final UnsafeBuffer batch = TestBatches.batch(4, 200, System.currentTimeMillis(), tag);
                    final int result = proxy.offer(partition.writerIndex(), sent, partition.id(),
                        (short)(0 == (sent & 2) ? 1 : -1), batch, 0, batch.capacity());
                    if (AppendProxy.OFFERED == result)
                    {
                        correlationTags[sent] = tag;
                        sent++;
                        inFlight[0]++;
                    }
                    proxy.wakeWriters();
                }
                final int polled = caller.completionAdapter().poll(
                    (correlation, partitionId, errorCode, baseOffset, appendTime, start) ->
                    {
                        if (KafkaErrors.NONE != errorCode)
                        {
                            throw new AssertionError("append " + correlation + " failed with " + errorCode);
                        }
                        acked.put(((long)partitionId << 48) ^ correlationTags[(int)correlation], baseOffset);
                        inFlight[0]--;
                    }, Integer.MAX_VALUE);
                if (0 == polled && (sent == total || inFlight[0] >= IN_FLIGHT))
                {
                    LockSupport.parkNanos(100_000);
                }
                if (System.nanoTime() - deadline > 0)
                {
                    throw new AssertionError("producer " + producer + " timed out with " + inFlight[0] + " in flight");
                }
            }
        }
        catch (final Throwable ex)
        {
            synchronized (failures)
            {
                failures.add(ex);
            }
        }
    }

    static void assertInProducerOrder(final List<Long> tags)
    {
        final long[] last = new long[PRODUCERS];
        java.util.Arrays.fill(last, -1);
        for (final long tag : tags)
        {
            final int producer = (int)(tag >>> 32);
            final long sequence = tag & 0xFFFF_FFFFL;
            assertThat(sequence).as("producer " + producer).isEqualTo(last[producer] + 1);
            last[producer] = sequence;
        }
    }

    /** Reads every partition from the start up to its high watermark, again and again, until told to stop. */
    private static final class Reader implements Runnable
    {
        final Partition[] partitions;
        final AtomicBoolean stop;
        final List<List<Long>> seen = new ArrayList<>();
        volatile Throwable failure;

        Reader(final Partition[] partitions, final AtomicBoolean stop)
        {
            this.partitions = partitions;
            this.stop = stop;
            for (int i = 0; i < partitions.length; i++)
            {
                seen.add(new ArrayList<>());
            }
        }

        public void run()
        {
            final ReadResult read = new ReadResult();
            final long[] positions = new long[partitions.length];
            final Set<Long> unique = new HashSet<>();
            try
            {
                boolean caughtUp = false;
                while (!(stop.get() && caughtUp))
                {
                    final boolean stopping = stop.get();
                    caughtUp = true;
                    for (int i = 0; i < partitions.length; i++)
                    {
                        final PartitionLog log = partitions[i].log();
                        final long highWatermark = log.highWatermark();
                        final int code = log.read(positions[i], 64 * 1024, highWatermark, true, read);
                        if (LogCodes.OK != code)
                        {
                            assertThat(code).isEqualTo(LogCodes.NO_DATA);
                            continue;
                        }
                        caughtUp = false;
                        final UnsafeBuffer buffer = read.segment.buffer();
                        int position = (int)read.position;
                        final int end = position + read.length;
                        while (position < end)
                        {
                            final int size = 12 + buffer.getInt(position + 8, ByteOrder.BIG_ENDIAN);
                            if (!TestBatches.valid(buffer, position, size))
                            {
                                throw new AssertionError("invalid batch at " + position + " of " + read.segment);
                            }
                            final long tag = TestBatches.tagOf(buffer, position);
                            assertThat(unique.add(((long)i << 48) ^ tag)).isTrue();
                            seen.get(i).add(tag);
                            position += size;
                        }
                        positions[i] = read.lastOffset + 1;
                    }
                    caughtUp &= stopping;
                    if (caughtUp && !stopping)
                    {
                        Thread.onSpinWait();
                    }
                }
            }
            catch (final Throwable ex)
            {
                failure = ex;
            }
        }
    }
}
