package io.loggia.engine.writer;

import io.loggia.engine.agent.WakeSignal;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

/**
 * The caller's side of the append path: offers validated batches into the owning writer's ring. One per
 * calling thread (a network thread, the group coordinator).
 * <p>
 * Wakes are deferred: {@link #offer} only marks the writer, and {@link #wakeWriters()} wakes each marked
 * writer once, so a Produce request for many partitions costs one wake per writer, not one per batch.
 * <p>
 * <b>Assumptions and Guarantees</b>: used only from its owner's thread. The rings are many-to-one, so any
 * number of proxies on other threads may offer to the same writer concurrently.
 */
public final class AppendProxy
{
    public static final int OFFERED = 0;
    /** The writer's ring is full: retry after the writer drains it. */
    public static final int BACK_PRESSURED = -2;
    /** The batch can never fit the ring; answer MESSAGE_TOO_LARGE. */
    public static final int TOO_LARGE = -3;

    private final short callerId;
    private final RingBuffer[] appendRings;
    private final WakeSignal[] writerWakes;
    private final boolean[] wakePending;

    public AppendProxy(final short callerId, final RingBuffer[] appendRings, final WakeSignal[] writerWakes)
    {
        this.callerId = callerId;
        this.appendRings = appendRings;
        this.writerWakes = writerWakes;
        this.wakePending = new boolean[appendRings.length];
    }

    public short callerId()
    {
        return callerId;
    }

    /**
     * Copies one batch into the ring of writer {@code writerIndex}.
     *
     * @return {@link #OFFERED}, {@link #BACK_PRESSURED} or {@link #TOO_LARGE}.
     */
    public int offer(
        final int writerIndex,
        final long correlation,
        final int partitionId,
        final short requiredAcks,
        final DirectBuffer batch,
        final int batchOffset,
        final int batchLength)
    {
        final RingBuffer ring = appendRings[writerIndex];
        final int length = AppendRequestFlyweight.HEADER_LENGTH + batchLength;
        if (length > ring.maxMsgLength())
        {
            return TOO_LARGE;
        }
        final int index = ring.tryClaim(AppendRequestFlyweight.MSG_TYPE_APPEND, length);
        if (index <= 0)
        {
            wakePending[writerIndex] = true;
            return BACK_PRESSURED;
        }
        AppendRequestFlyweight.encode(
            ring.buffer(), index, correlation, partitionId, requiredAcks, callerId, batch, batchOffset, batchLength);
        ring.commit(index);
        wakePending[writerIndex] = true;
        return OFFERED;
    }

    /** Wakes every writer offered to since the last call. */
    public void wakeWriters()
    {
        final boolean[] pending = wakePending;
        for (int i = 0; i < pending.length; i++)
        {
            if (pending[i])
            {
                pending[i] = false;
                writerWakes[i].wake();
            }
        }
    }
}
