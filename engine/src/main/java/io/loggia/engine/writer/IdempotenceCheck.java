package io.loggia.engine.writer;

import io.loggia.codec.record.RecordBatch;
import org.agrona.DirectBuffer;

/**
 * The writer's seam to the idempotent-producer state of one partition: it reads the producer fields of the
 * batches in an append region, asks the state whether they may be appended, and records them once they are.
 * Every call into producer state goes through here, so the writer's append path stays one straight line.
 * <p>
 * Owned by the partition's writer thread; allocates nothing.
 */
final class IdempotenceCheck
{
    /** {@link #check} result: a retried batch already in the log; its original offsets are in the fields. */
    static final short DUPLICATE = Short.MIN_VALUE;

    private final RecordBatch batch = new RecordBatch();
    long duplicateFirstOffset = -1;
    long duplicateLastOffset = -1;
    long duplicateTimestamp = -1;

    /**
     * @return {@link KafkaErrors#NONE} to append, {@link #DUPLICATE} to answer with the original offsets, or the
     * Kafka error to answer with.
     */
    short check(final DirectBuffer buffer, final int offset, final int length)
    {
        return KafkaErrors.NONE;
    }

    /** After a successful append of the region at {@code firstOffset}. */
    void onAppend(final DirectBuffer buffer, final int offset, final int length, final long firstOffset)
    {
    }

    /** Writer thread: snapshot the state at the log end offset (roll, close, command). */
    void takeSnapshot(final long logEndOffset)
    {
    }

    /** After the log was truncated to {@code logEndOffset}. */
    void truncateTo(final long logEndOffset)
    {
    }

    /** After the log start offset rose. */
    void onLogStartOffset(final long logStartOffset)
    {
    }

    /** Periodic: forget producers idle for longer than {@code producer.id.expiration.ms}. */
    void removeExpired(final long nowMs)
    {
    }

    /** Whether the region's first batch carries a producer id (an idempotent producer). */
    boolean isIdempotent(final DirectBuffer buffer, final int offset)
    {
        return batch.wrap(buffer, offset).producerId() >= 0;
    }
}
