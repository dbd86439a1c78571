package io.loggia.tools.dump;

import io.loggia.codec.record.RecordBatch;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Batch headers of a mapped {@code .log}, read the way the broker's readers read them: a batch counts only if
 * its whole header and body lie below the limit. Used to check index entries against their log.
 */
final class LogHeaders
{
    private static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;

    private final DirectBuffer buffer;
    private final int limit;
    private final long baseOffset;
    private int walkEnd;
    private long nextOffset;

    /**
     * Walk the headers from position 0 until the first position that holds no whole batch.
     *
     * @param baseOffset the segment's base offset: the next offset of a log without batches.
     */
    LogHeaders(final DirectBuffer buffer, final int limit, final long baseOffset)
    {
        this.buffer = buffer;
        this.limit = limit;
        this.baseOffset = baseOffset;
        walk();
    }

    /** Size of the batch at {@code position} if its header and body lie below the limit, else -1. */
    int batchSizeAt(final int position)
    {
        if (position < 0 || position > limit - RecordBatch.HEADER_LENGTH)
        {
            return -1;
        }
        final int batchLength = buffer.getInt(position + RecordBatch.LENGTH_OFFSET, ORDER);
        if (batchLength < RecordBatch.MIN_BATCH_LENGTH || batchLength > limit - position - RecordBatch.LOG_OVERHEAD)
        {
            return -1;
        }
        return RecordBatch.LOG_OVERHEAD + batchLength;
    }

    /** Last offset of the batch at {@code position}; only after {@link #batchSizeAt(int)} found one there. */
    long lastOffsetAt(final int position)
    {
        return buffer.getLong(position + RecordBatch.BASE_OFFSET_OFFSET, ORDER) +
            buffer.getInt(position + RecordBatch.LAST_OFFSET_DELTA_OFFSET, ORDER);
    }

    /** Max timestamp of the batch at {@code position}; only after {@link #batchSizeAt(int)} found one there. */
    long maxTimestampAt(final int position)
    {
        return buffer.getLong(position + RecordBatch.MAX_TIMESTAMP_OFFSET, ORDER);
    }

    /** End of the last whole batch of the walk from position 0: the size the broker's loader would trust. */
    int walkEnd()
    {
        return walkEnd;
    }

    /** Offset after the last batch of the walk, or the base offset when there is none. */
    long nextOffset()
    {
        return nextOffset;
    }

    int limit()
    {
        return limit;
    }

    private void walk()
    {
        int position = 0;
        long next = baseOffset;
        int size;
        while ((size = batchSizeAt(position)) > 0)
        {
            next = lastOffsetAt(position) + 1;
            position += size;
        }
        walkEnd = position;
        nextOffset = next;
    }
}
