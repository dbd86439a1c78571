package io.loggia.engine.writer;

import io.loggia.engine.log.LogCodes;
import io.loggia.engine.log.PartitionLog;
import io.loggia.engine.partition.DataAvailableSignal;
import io.loggia.engine.partition.Partition;

import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * What a writer owes after appending: the group commit, the high watermarks, the delayed acknowledgements and
 * the fetch-waiter signals, in that order, once per duty cycle for every partition appended to in it.
 * <pre>
 *   append OK ──► acks=0: nothing            acks=1: complete now (durable: wait)   acks=all: PendingAcks
 *                 partition marked dirty
 *   commitAndAdvance():
 *     for each dirty partition:  durable (flush.messages=1)? flush once  :  flush.messages/flush.ms due? flush
 *                                HW = durable ? flushedOffset : logEndOffset   (one node: the leader is the ISR)
 *                                complete PendingAcks with lastOffset < HW
 *     full fence, then for each partition whose HW moved: signal the registered fetch waiters
 * </pre>
 * Owned by the writer thread; allocates nothing once its arrays have grown to the number of partitions.
 */
final class Acknowledgements
{
    private final CompletionSender completions;
    private final CallerRegistry callers;
    private final WriterCounters counters;
    private OwnedPartition[] dirty = new OwnedPartition[16];
    private int dirtyCount;
    private OwnedPartition[] advanced = new OwnedPartition[16];
    private int advancedCount;

    Acknowledgements(final CallerRegistry callers, final WriterCounters counters)
    {
        this.callers = callers;
        this.counters = counters;
        this.completions = new CompletionSender(callers, counters);
    }

    CompletionSender completions()
    {
        return completions;
    }

    /** An append (or a recognised duplicate) succeeded: complete it now or when the high watermark passes it. */
    void acknowledge(
        final OwnedPartition o,
        final int callerId,
        final short acks,
        final long correlation,
        final long firstOffset,
        final long lastOffset,
        final long logAppendTime)
    {
        markDirty(o);
        if (0 == acks)
        {
            return;
        }
        if (1 == acks && !o.durable)
        {
            completions.send(callerId, correlation, o.partition.id(), KafkaErrors.NONE, firstOffset, logAppendTime,
                o.log.logStartOffset());
        }
        else
        {
            o.pendingAcks.add(lastOffset, correlation, callerId, firstOffset, logAppendTime);
        }
    }

    /** An append failed: acks=0 hears nothing (Kafka would close the connection), others get the error. */
    void fail(final int callerId, final short acks, final long correlation, final int partitionId, final short error)
    {
        counters.increment(WriterCounters.APPEND_ERRORS);
        if (0 != acks)
        {
            completions.send(callerId, correlation, partitionId, error, -1, -1, -1);
        }
    }

    /** @return partitions committed. */
    int commitAndAdvance(final long nowMs)
    {
        final int count = dirtyCount;
        if (0 == count)
        {
            return 0;
        }
        for (int i = 0; i < count; i++)
        {
            final OwnedPartition o = dirty[i];
            dirty[i] = null;
            o.dirty = false;
            if (Partition.CLOSED == o.partition.state())
            {
                continue;
            }
            if (o.durable)
            {
                groupCommit(o);
            }
            else if (o.flushConfigured)
            {
                o.log.flushIfDue(nowMs);
            }
            advanceHighWatermark(o);
        }
        dirtyCount = 0;
        signalFetchWaiters();
        return count;
    }

    /**
     * Flush, move the high watermark to what is on disk, answer the delayed acks (the ones not on disk with
     * KAFKA_STORAGE_ERROR), snapshot producer state, close the log. For a partition close and the shutdown.
     */
    void closeLog(final OwnedPartition o)
    {
        final PartitionLog log = o.log;
        log.flush(Long.MAX_VALUE);
        log.advanceHighWatermark(o.durable ? log.flushedOffset() : log.logEndOffset());
        releaseAcks(o, log.highWatermark());
        failAcksFrom(o, Long.MIN_VALUE, KafkaErrors.KAFKA_STORAGE_ERROR);
        o.producers.takeSnapshot(log.logEndOffset());
        log.close();
    }

    /** Fail the delayed acknowledgements of batches whose last offset is at or above {@code offset}. */
    void failAcksFrom(final OwnedPartition o, final long offset, final short error)
    {
        final PendingAcks acks = o.pendingAcks;
        final int partitionId = o.partition.id();
        while (!acks.isEmpty() && acks.tailLastOffset() >= offset)
        {
            completions.send(acks.tailCallerId(), acks.tailCorrelation(), partitionId, error, -1, -1, -1);
            acks.removeTail();
        }
    }

    /** Wake fetches parked on a partition that went away, so they answer now. */
    void signalClosed(final OwnedPartition o)
    {
        VarHandle.fullFence();
        signal(o.partition.takeFetchWaiters());
    }

    private void markDirty(final OwnedPartition o)
    {
        if (!o.dirty)
        {
            o.dirty = true;
            if (dirtyCount == dirty.length)
            {
                dirty = Arrays.copyOf(dirty, dirtyCount << 1);
            }
            dirty[dirtyCount++] = o;
        }
    }

    private void groupCommit(final OwnedPartition o)
    {
        final PartitionLog log = o.log;
        counters.increment(WriterCounters.FLUSHES);
        if (LogCodes.OK != log.flush(Long.MAX_VALUE))
        {
            // what is not on disk is not acknowledged: those producers retry
            failAcksFrom(o, log.flushedOffset(), KafkaErrors.KAFKA_STORAGE_ERROR);
        }
    }

    private void advanceHighWatermark(final OwnedPartition o)
    {
        final PartitionLog log = o.log;
        // on one node the in-sync set is the leader alone: the high watermark follows what the leader holds, or
        // has on disk in durable mode; replication will take the minimum with the followers' positions here
        final long target = o.durable ? log.flushedOffset() : log.logEndOffset();
        if (log.advanceHighWatermark(target) && !o.advanced)
        {
            o.advanced = true;
            if (advancedCount == advanced.length)
            {
                advanced = Arrays.copyOf(advanced, advancedCount << 1);
            }
            advanced[advancedCount++] = o;
        }
        releaseAcks(o, log.highWatermark());
    }

    private void releaseAcks(final OwnedPartition o, final long highWatermark)
    {
        final PendingAcks acks = o.pendingAcks;
        final int partitionId = o.partition.id();
        while (!acks.isEmpty() && acks.headLastOffset() < highWatermark)
        {
            completions.send(acks.headCallerId(), acks.headCorrelation(), partitionId, KafkaErrors.NONE,
                acks.headBaseOffset(), acks.headLogAppendTime(), o.log.logStartOffset());
            acks.removeHead();
        }
    }

    private void signalFetchWaiters()
    {
        final int count = advancedCount;
        if (0 == count)
        {
            return;
        }
        // the high watermarks were stored above; callers store their bit then load the high watermark
        VarHandle.fullFence();
        for (int i = 0; i < count; i++)
        {
            final OwnedPartition o = advanced[i];
            advanced[i] = null;
            o.advanced = false;
            signal(o.partition.takeFetchWaiters());
        }
        advancedCount = 0;
    }

    private void signal(final long waiters)
    {
        long mask = waiters;
        while (0 != mask)
        {
            final int callerId = Long.numberOfTrailingZeros(mask);
            mask &= mask - 1;
            final DataAvailableSignal signal = callers.signal(callerId);
            if (null != signal)
            {
                signal.signal();
                completions.markWake(callerId);
            }
        }
    }
}
