package io.loggia.engine.producer;

import io.loggia.codec.record.RecordBatch;

/**
 * What a partition remembers of one producer id: its epoch, the time of its last batch, and the sequence ranges
 * and offsets of its last {@link #MAX_BATCHES} batches, oldest first, kept in a ring so that adding one moves
 * nothing. Pooled by the {@link ProducerStateManager} that owns it; writer thread only.
 */
final class ProducerEntry
{
    /**
     * Batches remembered per producer: Kafka's producer keeps at most five requests in flight per connection
     * when idempotence is on, so a retry is always of one of the last five batches.
     */
    static final int MAX_BATCHES = 5;

    private final int[] baseSequences = new int[MAX_BATCHES];
    private final int[] lastSequences = new int[MAX_BATCHES];
    private final long[] firstOffsets = new long[MAX_BATCHES];
    private final long[] lastOffsets = new long[MAX_BATCHES];
    private final long[] timestamps = new long[MAX_BATCHES];

    private long producerId = RecordBatch.NO_PRODUCER_ID;
    private short epoch = RecordBatch.NO_PRODUCER_EPOCH;
    private long lastTimestamp = RecordBatch.NO_TIMESTAMP;
    private int oldest;
    private int count;

    /** Make this pooled entry the empty state of {@code producerId}. */
    ProducerEntry reset(final long producerId)
    {
        this.producerId = producerId;
        epoch = RecordBatch.NO_PRODUCER_EPOCH;
        lastTimestamp = RecordBatch.NO_TIMESTAMP;
        oldest = 0;
        count = 0;
        return this;
    }

    long producerId()
    {
        return producerId;
    }

    short epoch()
    {
        return epoch;
    }

    /** Max timestamp of the last batch appended; expiry is measured from it, as in Kafka. */
    long lastTimestamp()
    {
        return lastTimestamp;
    }

    void lastTimestamp(final long lastTimestamp)
    {
        this.lastTimestamp = lastTimestamp;
    }

    /** Batches remembered, 0 to {@link #MAX_BATCHES}. */
    int batchCount()
    {
        return count;
    }

    /** Last sequence of the newest batch, or {@link RecordBatch#NO_SEQUENCE} if none is remembered. */
    int lastSequence()
    {
        return 0 == count ? RecordBatch.NO_SEQUENCE : lastSequences[slot(count - 1)];
    }

    /** Last offset of the newest batch, or -1 if none is remembered. */
    long lastOffset()
    {
        return 0 == count ? -1 : lastOffsets[slot(count - 1)];
    }

    int baseSequence(final int index)
    {
        return baseSequences[slot(index)];
    }

    int lastSequence(final int index)
    {
        return lastSequences[slot(index)];
    }

    long firstOffset(final int index)
    {
        return firstOffsets[slot(index)];
    }

    long lastOffset(final int index)
    {
        return lastOffsets[slot(index)];
    }

    long timestamp(final int index)
    {
        return timestamps[slot(index)];
    }

    /**
     * @return the index (0 = oldest) of the remembered batch with exactly this sequence range, or -1.
     */
    int findBatch(final int baseSequence, final int lastSequence)
    {
        for (int i = 0; i < count; i++)
        {
            final int slot = slot(i);
            if (baseSequences[slot] == baseSequence && lastSequences[slot] == lastSequence)
            {
                return i;
            }
        }
        return -1;
    }

    /** Take {@code epoch}; a different epoch starts a new sequence space, so the remembered batches go. */
    void epoch(final short epoch)
    {
        if (this.epoch != epoch)
        {
            this.epoch = epoch;
            oldest = 0;
            count = 0;
        }
    }

    /** Remember a batch of the current epoch as the newest, forgetting the oldest if {@link #MAX_BATCHES} are kept. */
    void addBatch(
        final int baseSequence,
        final int lastSequence,
        final long firstOffset,
        final long lastOffset,
        final long timestamp)
    {
        final int slot;
        if (count == MAX_BATCHES)
        {
            slot = oldest;
            oldest = (oldest + 1) % MAX_BATCHES;
        }
        else
        {
            slot = slot(count);
            count++;
        }
        baseSequences[slot] = baseSequence;
        lastSequences[slot] = lastSequence;
        firstOffsets[slot] = firstOffset;
        lastOffsets[slot] = lastOffset;
        timestamps[slot] = timestamp;
    }

    private int slot(final int index)
    {
        return (oldest + index) % MAX_BATCHES;
    }

    public String toString()
    {
        final StringBuilder builder = new StringBuilder(64 + count * 48)
            .append("ProducerEntry{producerId=").append(producerId)
            .append(", epoch=").append(epoch)
            .append(", lastTimestamp=").append(lastTimestamp)
            .append(", batches=[");
        for (int i = 0; i < count; i++)
        {
            builder.append(i == 0 ? "" : ", ")
                .append(baseSequence(i)).append("..").append(lastSequence(i))
                .append('@').append(firstOffset(i)).append("..").append(lastOffset(i))
                .append(" ts ").append(timestamp(i));
        }
        return builder.append("]}").toString();
    }
}
