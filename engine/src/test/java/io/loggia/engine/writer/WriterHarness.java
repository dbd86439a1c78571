package io.loggia.engine.writer;

import io.loggia.engine.agent.WakeSignal;
import io.loggia.engine.log.LogConfig;
import io.loggia.engine.log.LogLoader;
import io.loggia.engine.log.PartitionLog;
import io.loggia.engine.log.RecoveryReport;
import io.loggia.engine.log.TopicPartition;
import io.loggia.engine.partition.DataAvailableSignal;
import io.loggia.engine.partition.Partition;
import io.loggia.engine.partition.PartitionTable;
import io.loggia.engine.producer.ProducerLoadReport;
import io.loggia.engine.producer.ProducerStateManager;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.CachedEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One writer, its table, callers and logs in a temporary directory, driven by hand: tests call
 * {@link #doWork()} as a runner would and read completions with the production adapter.
 */
public final class WriterHarness
{
    public final Path logDir;
    public final PartitionTable table = new PartitionTable();
    public final CallerRegistry callers = new CallerRegistry();
    public final CachedEpochClock clock = new CachedEpochClock();
    public final TestBatches.Errors errors = new TestBatches.Errors();
    public final CountingWake writerWake = new CountingWake();
    public final CountingWake housekeeperWake = new CountingWake();
    public final ManyToOneRingBuffer ring;
    public final PartitionWriter writer;

    public WriterHarness(final Path logDir, final int ringBytes, final boolean gateSegments)
    {
        this.logDir = logDir;
        clock.update(1_000_000L);
        ring = newRing(ringBytes);
        writer = new PartitionWriter(new PartitionWriter.Context()
            .writerIndex(0)
            .appendRing(ring)
            .table(table)
            .callers(callers)
            .clock(clock)
            .errorHandler(errors)
            .wakeSignal(writerWake)
            .housekeeperWake(housekeeperWake)
            .gateSegments(gateSegments)
            .retentionCheckIntervalMs(1_000));
    }

    public static ManyToOneRingBuffer newRing(final int bytes)
    {
        return new ManyToOneRingBuffer(new UnsafeBuffer(
            BufferUtil.allocateDirectAligned(bytes + RingBufferDescriptor.TRAILER_LENGTH, 64)));
    }

    public Partition createPartition(final String topic, final int index, final LogConfig config) throws IOException
    {
        final TopicPartition topicPartition = new TopicPartition(topic, index);
        final PartitionLog log = LogLoader.load(
            logDir, topicPartition, config, false, 0, 0, 0, clock.time(), errors, new RecoveryReport());
        log.advanceHighWatermark(log.logEndOffset());
        final ProducerStateManager producers = ProducerStateManager.load(
            log.dir(), log, 86_400_000L, clock.time(), errors, new ProducerLoadReport());
        final Partition partition = new Partition(topicPartition, null, table.allocateId(), 0, log, producers, 0);
        table.add(partition);
        return partition;
    }

    public TestCaller caller(final int callerId, final int completionRingBytes)
    {
        final CountingWake wake = new CountingWake();
        final ManyToOneRingBuffer completionRing = newRing(completionRingBytes);
        final DataAvailableSignal signal = new DataAvailableSignal(callerId, wake);
        callers.register(callerId, completionRing, signal);
        final AppendProxy proxy = new AppendProxy((short)callerId, new RingBuffer[]{ ring }, new WakeSignal[]{ writerWake });
        return new TestCaller(new Caller(callerId, proxy, completionRing, signal, wake, callers,
            new WakeSignal[]{ writerWake }), wake);
    }

    public int doWork()
    {
        return writer.doWork();
    }

    /** Run duty cycles until one does nothing. */
    public int drain()
    {
        int total = 0;
        int work;
        while ((work = writer.doWork()) > 0)
        {
            total += work;
        }
        return total;
    }

    /** A wake-up that counts. */
    public static final class CountingWake implements WakeSignal
    {
        public final AtomicInteger wakes = new AtomicInteger();

        public void wake()
        {
            wakes.incrementAndGet();
        }
    }

    /** One append outcome as the caller's adapter delivered it. */
    public record Completion(
        long correlation, int partitionId, short errorCode, long baseOffset, long logAppendTime, long logStartOffset)
    {
    }

    /** A caller that remembers what it heard. */
    public static final class TestCaller
    {
        public final Caller caller;
        public final CountingWake wake;
        public final List<Completion> completions = new ArrayList<>();

        TestCaller(final Caller caller, final CountingWake wake)
        {
            this.caller = caller;
            this.wake = wake;
        }

        public int offer(final Partition partition, final long correlation, final int acks, final DirectBuffer batch)
        {
            return caller.appendProxy().offer(
                partition.writerIndex(), correlation, partition.id(), (short)acks, batch, 0, batch.capacity());
        }

        public int poll()
        {
            return caller.pollCompletions(
                (correlation, partitionId, errorCode, baseOffset, logAppendTime, logStartOffset) ->
                completions.add(new Completion(correlation, partitionId, errorCode, baseOffset, logAppendTime,
                    logStartOffset)), Integer.MAX_VALUE);
        }

        public Completion last()
        {
            return completions.get(completions.size() - 1);
        }
    }
}
