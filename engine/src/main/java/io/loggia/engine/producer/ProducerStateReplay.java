package io.loggia.engine.producer;

import io.loggia.codec.record.RecordBatch;
import io.loggia.engine.log.LogCodes;
import io.loggia.engine.log.PartitionLog;
import io.loggia.engine.log.ReadResult;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Rebuilds producer state from the log: reads regions of whole batches with {@link PartitionLog#read} and walks
 * their 61-byte headers in the segment's mapping; records are never decoded, so the cost is one header per
 * batch whatever the batch holds. Used by the thread that owns the log.
 */
final class ProducerStateReplay
{
    private final ReadResult read = new ReadResult();
    private final RecordBatch batch = new RecordBatch();
    long batches;
    long producerBatches;

    /**
     * Apply every batch whose last offset lies in {@code [fromOffset, toOffset)} to {@code target}, in log
     * order, as {@link ProducerStateManager#onAppend} would have when it was appended. Offsets below the log
     * start are skipped.
     */
    void replay(final PartitionLog log, final long fromOffset, final long toOffset, final ProducerStateManager target)
    {
        batches = 0;
        producerBatches = 0;
        final RecordBatch batch = this.batch;
        final ReadResult read = this.read;
        long fetchOffset = Math.max(fromOffset, log.logStartOffset());
        while (fetchOffset < toOffset)
        {
            if (LogCodes.OK != log.read(fetchOffset, Integer.MAX_VALUE, toOffset, true, read) || 0 == read.length)
            {
                break;
            }
            final UnsafeBuffer buffer = read.segment.buffer();
            int position = (int)read.position;
            final int end = position + read.length;
            while (position < end)
            {
                batch.wrap(buffer, position);
                position += batch.sizeInBytes();
                batches++;
                if (RecordBatch.MAGIC_V2 != batch.magic())
                {
                    continue;
                }
                final long producerId = batch.producerId();
                if (producerId < 0 || batch.lastOffset() < fromOffset)
                {
                    continue;
                }
                producerBatches++;
                if (batch.isControlBatch())
                {
                    // a transaction marker from a Kafka-written log: it moves the epoch but holds no data batch
                    target.onControlBatch(producerId, batch.producerEpoch(), batch.lastOffset(), batch.maxTimestamp());
                }
                else
                {
                    target.onAppend(
                        producerId,
                        batch.producerEpoch(),
                        batch.baseSequence(),
                        batch.lastSequence(),
                        batch.baseOffset(),
                        batch.lastOffset(),
                        batch.maxTimestamp());
                }
            }
            fetchOffset = read.nextFetchOffset();
        }
    }
}
