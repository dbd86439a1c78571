package io.loggia.perf.lean;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The batches a lean producer has sent and not yet seen answered, in send order: per batch its correlation id and
 * each record's intended and actual send times, so the response thread can record every record's latency.
 * <p>
 * A ring of {@code maxInFlight + 1} slots: the writer fills the slot after the last published one while it builds
 * the next batch, which is why it never publishes more than {@code maxInFlight}: the slot being filled is then
 * never one the reader is still answering. Responses on one connection come back in request order, so the reader
 * completes slots in the order they were published.
 * <p>
 * <b>Assumptions and Guarantees.</b> Single writer (the producer thread: {@link #writeSlot()}, the time arrays of
 * that slot, {@link #publish(int, int)}, {@link #inFlight()}), single reader (the response thread:
 * {@link #hasPublished()}, {@link #readSlot()}, {@link #complete()}). {@code published} is stored with release
 * after the slot is filled and loaded with acquire by the reader, which publishes the slot's contents;
 * {@code completed} is stored with release after the reader is done with a slot and loaded with acquire by the
 * writer before it reuses it.
 */
public final class InFlightBatches
{
    private final int slots;
    private final int[] correlationIds;
    private final int[] counts;
    private final long[][] intendedNs;
    private final long[][] sendNs;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();

    /**
     * @param maxInFlight        most batches awaiting an answer.
     * @param maxRecordsPerBatch most records in one batch.
     */
    public InFlightBatches(final int maxInFlight, final int maxRecordsPerBatch)
    {
        this.slots = maxInFlight + 1;
        this.correlationIds = new int[slots];
        this.counts = new int[slots];
        this.intendedNs = new long[slots][maxRecordsPerBatch];
        this.sendNs = new long[slots][maxRecordsPerBatch];
    }

    /** @return the slot the writer fills next. */
    public int writeSlot()
    {
        return (int)(published.getPlain() % slots);
    }

    /** @return intended send times of a slot's records. */
    public long[] intendedNs(final int slot)
    {
        return intendedNs[slot];
    }

    /** @return actual send times of a slot's records. */
    public long[] sendNs(final int slot)
    {
        return sendNs[slot];
    }

    /**
     * Hand the write slot to the reader.
     *
     * @param correlationId of the request carrying the batch.
     * @param count         records in it.
     */
    public void publish(final int correlationId, final int count)
    {
        final int slot = writeSlot();
        correlationIds[slot] = correlationId;
        counts[slot] = count;
        published.setRelease(published.getPlain() + 1);
    }

    /** @return batches published and not yet completed; called by the writer. */
    public int inFlight()
    {
        return (int)(published.getPlain() - completed.getAcquire());
    }

    /** @return true when a published batch awaits completion; called by the reader. */
    public boolean hasPublished()
    {
        return completed.getPlain() < published.getAcquire();
    }

    /** @return the oldest published slot; called by the reader after {@link #hasPublished()}. */
    public int readSlot()
    {
        return (int)(completed.getPlain() % slots);
    }

    public int correlationId(final int slot)
    {
        return correlationIds[slot];
    }

    public int count(final int slot)
    {
        return counts[slot];
    }

    /** Give the oldest published slot back to the writer. */
    public void complete()
    {
        completed.setRelease(completed.getPlain() + 1);
    }
}
