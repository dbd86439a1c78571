package io.loggia.engine.writer;

import io.loggia.codec.record.RecordBatch;
import io.loggia.engine.producer.DuplicateInfo;
import io.loggia.engine.producer.ProducerStateManager;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;

import java.io.IOException;

/**
 * The writer's seam to the idempotent-producer state of one partition ({@link ProducerStateManager}): it reads
 * the producer fields of an append's batch, asks the state whether it may be appended, records it once it is,
 * and forwards the log's changes (roll, truncation, log start, expiry). Every producer-state call of the writer
 * goes through here, so the append path stays one straight line.
 * <p>
 * An idempotent append must hold exactly one batch (Kafka requires one batch per partition from produce v3
 * on); a region of several is refused with INVALID_RECORD, since the later batches' sequences could only be
 * checked against state that includes the earlier ones.
 * <p>
 * Owned by the partition's writer thread; allocates nothing once the producers are known.
 */
final class IdempotenceCheck
{
    /** {@link #check} result: a retried batch already in the log; its original offsets are in the fields. */
    static final short DUPLICATE = Short.MIN_VALUE;

    private final ProducerStateManager producers;
    private final ErrorHandler errorHandler;
    private final RecordBatch batch = new RecordBatch();
    private final DuplicateInfo duplicate = new DuplicateInfo();
    long duplicateFirstOffset = -1;
    long duplicateLastOffset = -1;
    long duplicateTimestamp = -1;

    /**
     * @param producers null: the partition tracks no producer state, every batch is appended.
     */
    IdempotenceCheck(final ProducerStateManager producers, final ErrorHandler errorHandler)
    {
        this.producers = producers;
        this.errorHandler = errorHandler;
    }

    /** Whether the region's first batch carries a producer id (an idempotent or transactional producer). */
    boolean isIdempotent(final DirectBuffer buffer, final int offset)
    {
        return null != producers && batch.wrap(buffer, offset).producerId() >= 0;
    }

    /**
     * After {@link #isIdempotent} returned true for the same region.
     *
     * @return {@link KafkaErrors#NONE} to append, {@link #DUPLICATE} to answer with the original offsets, or the
     * Kafka error to answer with.
     */
    short check(final DirectBuffer buffer, final int offset, final int length)
    {
        final RecordBatch batch = this.batch.wrap(buffer, offset);
        if (batch.sizeInBytes() != length)
        {
            return KafkaErrors.INVALID_RECORD;
        }
        final int code = producers.check(batch.producerId(), batch.producerEpoch(), batch.baseSequence(),
            batch.lastSequence(), batch.isTransactional(), duplicate);
        if (ProducerStateManager.DUPLICATE == code)
        {
            duplicateFirstOffset = duplicate.firstOffset;
            duplicateLastOffset = duplicate.lastOffset;
            duplicateTimestamp = duplicate.timestamp;
            return DUPLICATE;
        }
        return ProducerStateManager.kafkaErrorCode(code);
    }

    /**
     * After a successful append of the region checked last.
     *
     * @param maxTimestamp the batch's max timestamp as stored (the append time on LogAppendTime topics).
     */
    void onAppend(
        final DirectBuffer buffer, final int offset, final long firstOffset, final long lastOffset, final long maxTimestamp)
    {
        final RecordBatch batch = this.batch.wrap(buffer, offset);
        producers.onAppend(batch.producerId(), batch.producerEpoch(), batch.baseSequence(), batch.lastSequence(),
            firstOffset, lastOffset, maxTimestamp);
    }

    /** Snapshot the state at the log end offset (roll, close, command); a failure costs a longer replay only. */
    void takeSnapshot(final long logEndOffset)
    {
        if (null == producers || producers.latestSnapshotOffset() == logEndOffset)
        {
            return;
        }
        try
        {
            producers.takeSnapshot(logEndOffset);
        }
        catch (final IOException | RuntimeException ex)
        {
            errorHandler.onError(ex);
        }
    }

    /** After the log was truncated to {@code logEndOffset}. */
    void truncateTo(final long logEndOffset)
    {
        if (null != producers)
        {
            producers.truncateTo(logEndOffset);
        }
    }

    /** After the log restarted empty at {@code offset}. */
    void truncateFullyAndStartAt(final long offset)
    {
        if (null != producers)
        {
            producers.truncateFullyAndStartAt(offset);
        }
    }

    /** After the log start offset rose. */
    void onLogStartOffset(final long logStartOffset)
    {
        if (null != producers)
        {
            producers.onLogStartOffset(logStartOffset);
        }
    }

    /** Periodic: forget producers idle for longer than {@code producer.id.expiration.ms}. */
    void removeExpired(final long nowMs)
    {
        if (null != producers)
        {
            producers.removeExpired(nowMs);
        }
    }
}
