package io.loggia.tools.torture;

import org.agrona.collections.LongArrayList;

/**
 * What the producer sent and what the broker acknowledged, per partition and sequence: the oracle the log is
 * checked against. For each partition, slot {@code s} holds the offset the broker acknowledged for the record of
 * sequence {@code s}, or {@link #PENDING} while it waits for an answer, or {@link #FAILED} if the producer gave up
 * on it (such a record may or may not be in the log).
 * <p>
 * <b>Assumptions and Guarantees.</b> {@link #register} is called by the producing thread, {@link #acknowledged}
 * and {@link #failed} by the Kafka producer's I/O thread (send callbacks), everything else by the harness's main
 * thread. Every method is synchronized: the harness is not a hot path, and a check must see a consistent log.
 */
final class AckLog
{
    static final long PENDING = -1;
    static final long FAILED = -2;

    private final LongArrayList[] offsets;
    private final long[] maxAckedOffset;
    private long pending;
    private long acknowledged;
    private long failed;

    AckLog(final int partitions)
    {
        offsets = new LongArrayList[partitions];
        maxAckedOffset = new long[partitions];
        for (int p = 0; p < partitions; p++)
        {
            offsets[p] = new LongArrayList(1024, PENDING);
            maxAckedOffset[p] = -1;
        }
    }

    int partitions()
    {
        return offsets.length;
    }

    /** A record is about to be sent: its sequence. */
    synchronized long register(final int partition)
    {
        final LongArrayList slots = offsets[partition];
        slots.addLong(PENDING);
        pending++;
        return slots.size() - 1;
    }

    synchronized void acknowledged(final int partition, final long sequence, final long offset)
    {
        final LongArrayList slots = offsets[partition];
        if (PENDING == slots.getLong((int)sequence))
        {
            pending--;
            acknowledged++;
        }
        slots.setLong((int)sequence, offset);
        maxAckedOffset[partition] = Math.max(maxAckedOffset[partition], offset);
    }

    synchronized void failed(final int partition, final long sequence)
    {
        final LongArrayList slots = offsets[partition];
        if (PENDING == slots.getLong((int)sequence))
        {
            pending--;
            failed++;
            slots.setLong((int)sequence, FAILED);
        }
    }

    /** Records sent and not yet answered. */
    synchronized long pending()
    {
        return pending;
    }

    synchronized long acknowledged()
    {
        return acknowledged;
    }

    synchronized long failed()
    {
        return failed;
    }

    synchronized long sent()
    {
        return pending + acknowledged + failed;
    }

    /** Sequences sent to the partition so far: they run from 0 to this - 1. */
    synchronized long sent(final int partition)
    {
        return offsets[partition].size();
    }

    /** The offset the broker acknowledged for the record, {@link #PENDING} or {@link #FAILED}. */
    synchronized long offsetOf(final int partition, final long sequence)
    {
        return offsets[partition].getLong((int)sequence);
    }

    /** The highest offset acknowledged in the partition, -1 if none. */
    synchronized long maxAckedOffset(final int partition)
    {
        return maxAckedOffset[partition];
    }
}
