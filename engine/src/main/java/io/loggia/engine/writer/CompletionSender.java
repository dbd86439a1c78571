package io.loggia.engine.writer;

import io.loggia.engine.partition.DataAvailableSignal;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.util.Arrays;

/**
 * A writer's outbox: writes completions into callers' completion rings, keeps those that did not fit in a
 * pending FIFO (nothing is dropped), and wakes each caller that got something once per duty cycle.
 * <pre>
 *   send ──► ring of caller c has room? ──yes──► encode, commit, wakeMask |= 1 << c
 *              │ no (or older completions still pending)
 *              ▼
 *            pending FIFO ──retryPending() each cycle──► rings, in order per caller
 * </pre>
 * While anything is pending the writer stops reading its append ring, so the FIFO stays bounded by what one
 * duty cycle produces; it grows by doubling and never shrinks.
 * <p>
 * Owned by one writer thread.
 */
final class CompletionSender
{
    private static final int LENGTH = AppendCompletionFlyweight.LENGTH;

    private final CallerRegistry callers;
    private final WriterCounters counters;
    private long wakeMask;

    private long[] correlations = new long[64];
    private long[] baseOffsets = new long[64];
    private long[] logAppendTimes = new long[64];
    private long[] logStartOffsets = new long[64];
    private int[] partitionIds = new int[64];
    private short[] errorCodes = new short[64];
    private byte[] callerIds = new byte[64];
    private int pendingCount;

    CompletionSender(final CallerRegistry callers, final WriterCounters counters)
    {
        this.callers = callers;
        this.counters = counters;
    }

    boolean hasPending()
    {
        return pendingCount > 0;
    }

    int pendingCount()
    {
        return pendingCount;
    }

    /** Deliver one completion now, or keep it pending if the caller's ring is full or others are pending. */
    void send(
        final int callerId,
        final long correlation,
        final int partitionId,
        final short errorCode,
        final long baseOffset,
        final long logAppendTime,
        final long logStartOffset)
    {
        if (0 == pendingCount &&
            offer(callerId, correlation, partitionId, errorCode, baseOffset, logAppendTime, logStartOffset))
        {
            return;
        }
        addPending(callerId, correlation, partitionId, errorCode, baseOffset, logAppendTime, logStartOffset);
    }

    /**
     * Offer pending completions again, oldest first. A caller whose ring is still full keeps its later
     * completions pending too, so each caller receives its completions in order.
     *
     * @return completions delivered.
     */
    int retryPending()
    {
        final int count = pendingCount;
        if (0 == count)
        {
            return 0;
        }
        long blocked = 0;
        int kept = 0;
        for (int i = 0; i < count; i++)
        {
            final int callerId = callerIds[i];
            final boolean sent = 0 == (blocked & (1L << callerId)) && offer(
                callerId, correlations[i], partitionIds[i], errorCodes[i], baseOffsets[i], logAppendTimes[i],
                logStartOffsets[i]);
            if (!sent)
            {
                blocked |= 1L << callerId;
                if (kept != i)
                {
                    move(i, kept);
                }
                kept++;
            }
        }
        pendingCount = kept;
        return count - kept;
    }

    /** Shutdown: forget what could not be delivered; returns how many. */
    int dropPending()
    {
        final int dropped = pendingCount;
        pendingCount = 0;
        return dropped;
    }

    /** Mark a caller for a wake-up at the end of this duty cycle (completion or data signal). */
    void markWake(final int callerId)
    {
        wakeMask |= 1L << callerId;
    }

    /** Wake every caller marked this cycle, once each. */
    int wakeCallers()
    {
        long mask = wakeMask;
        if (0 == mask)
        {
            return 0;
        }
        wakeMask = 0;
        int woken = 0;
        while (0 != mask)
        {
            final int callerId = Long.numberOfTrailingZeros(mask);
            mask &= mask - 1;
            final DataAvailableSignal signal = callers.signal(callerId);
            if (null != signal)
            {
                signal.wakeSignal().wake();
                woken++;
            }
        }
        return woken;
    }

    private boolean offer(
        final int callerId,
        final long correlation,
        final int partitionId,
        final short errorCode,
        final long baseOffset,
        final long logAppendTime,
        final long logStartOffset)
    {
        final RingBuffer ring = callers.completionRing(callerId);
        if (null == ring)
        {
            // the caller is gone: nobody is waiting for the answer
            counters.increment(WriterCounters.COMPLETIONS_DROPPED);
            return true;
        }
        final int index = ring.tryClaim(AppendCompletionFlyweight.MSG_TYPE_COMPLETION, LENGTH);
        if (index <= 0)
        {
            counters.increment(WriterCounters.COMPLETIONS_BACK_PRESSURED);
            callers.markCompletionsBlocked(callerId);
            return false;
        }
        AppendCompletionFlyweight.encode(
            ring.buffer(), index, correlation, partitionId, errorCode, baseOffset, logAppendTime, logStartOffset);
        ring.commit(index);
        wakeMask |= 1L << callerId;
        counters.increment(WriterCounters.COMPLETIONS);
        return true;
    }

    private void addPending(
        final int callerId,
        final long correlation,
        final int partitionId,
        final short errorCode,
        final long baseOffset,
        final long logAppendTime,
        final long logStartOffset)
    {
        if (pendingCount == correlations.length)
        {
            grow();
        }
        final int i = pendingCount++;
        callerIds[i] = (byte)callerId;
        correlations[i] = correlation;
        partitionIds[i] = partitionId;
        errorCodes[i] = errorCode;
        baseOffsets[i] = baseOffset;
        logAppendTimes[i] = logAppendTime;
        logStartOffsets[i] = logStartOffset;
    }

    private void move(final int from, final int to)
    {
        callerIds[to] = callerIds[from];
        correlations[to] = correlations[from];
        partitionIds[to] = partitionIds[from];
        errorCodes[to] = errorCodes[from];
        baseOffsets[to] = baseOffsets[from];
        logAppendTimes[to] = logAppendTimes[from];
        logStartOffsets[to] = logStartOffsets[from];
    }

    private void grow()
    {
        final int capacity = correlations.length << 1;
        callerIds = Arrays.copyOf(callerIds, capacity);
        correlations = Arrays.copyOf(correlations, capacity);
        partitionIds = Arrays.copyOf(partitionIds, capacity);
        errorCodes = Arrays.copyOf(errorCodes, capacity);
        baseOffsets = Arrays.copyOf(baseOffsets, capacity);
        logAppendTimes = Arrays.copyOf(logAppendTimes, capacity);
        logStartOffsets = Arrays.copyOf(logStartOffsets, capacity);
    }
}
