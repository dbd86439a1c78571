package io.loggia.engine.log;

import io.loggia.codec.record.BatchValidator;
import io.loggia.codec.record.RecordBatch;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The batch-by-batch check of a segment after an unclean shutdown: length, magic, record count and CRC-32C
 * of every batch ({@link BatchValidator}), and offsets that run on without a gap from the segment's base offset
 * and fit the indexes' int32 relative offsets. Stops at the first byte that fails. Not thread safe; the
 * loader's.
 * <p>
 * Contiguity is checked, not just increase, because the base offset lies outside the CRC: Loggia's logs have
 * no gaps (there is no compaction), so a base offset that is not the previous batch's next offset is damage.
 */
final class RecoveryScan
{
    /** Every byte scanned belongs to a valid batch. */
    static final int END = 0;
    /** A batch's base offset is not the previous batch's next offset (or the segment's base offset). */
    static final int OFFSETS_NOT_CONTIGUOUS = 100;
    /** A batch's last offset is more than an int32 above the segment's base offset. */
    static final int OFFSET_OVERFLOW = 101;

    /** Zero bytes after the cut are checked up to this far to tell preallocated space from garbage. */
    static final int ZERO_CHECK_WINDOW = 1024 * 1024;

    private final BatchValidator validator = new BatchValidator();
    /** Bytes of valid batches from position 0. */
    int validEnd;
    /** Offset after the last valid batch, or the segment's base offset when there is none. */
    long nextOffset;
    int batches;
    /** {@link #END}, a {@link BatchValidator} code, or one of the offset codes above. */
    int failure;

    /**
     * @param buffer     the segment's bytes.
     * @param length     bytes to scan.
     * @param baseOffset the segment's base offset, the lowest base offset a batch may have.
     * @return {@link #failure}.
     */
    int scan(final UnsafeBuffer buffer, final int length, final long baseOffset)
    {
        final BatchValidator validator = this.validator;
        long expected = baseOffset;
        int position = 0;
        int count = 0;
        int code = END;
        while (position < length)
        {
            code = validator.validate(buffer, position, length - position, Integer.MAX_VALUE);
            if (BatchValidator.VALID != code)
            {
                break;
            }
            final long batchBase = buffer.getLong(position + RecordBatch.BASE_OFFSET_OFFSET, LogSegment.ORDER);
            final long lastOffset = batchBase + buffer.getInt(position + RecordBatch.LAST_OFFSET_DELTA_OFFSET, LogSegment.ORDER);
            if (batchBase != expected)
            {
                code = OFFSETS_NOT_CONTIGUOUS;
                break;
            }
            if (lastOffset - baseOffset > Integer.MAX_VALUE)
            {
                code = OFFSET_OVERFLOW;
                break;
            }
            expected = lastOffset + 1;
            position += RecordBatch.LOG_OVERHEAD + buffer.getInt(position + RecordBatch.LENGTH_OFFSET, LogSegment.ORDER);
            count++;
        }
        validEnd = position;
        nextOffset = expected;
        batches = count;
        failure = code;
        return code;
    }

    /**
     * Whether the bytes after the last valid batch, {@code [from, to)} with {@code to} the file's length, are the
     * untouched zeros of a preallocated file rather than the remains of a batch that was being written.
     * <p>
     * A batch written at {@code from} begins with its base offset and its length, and the length is never zero;
     * but the base offset's high bytes are zeros, so a file cut within those 12 bytes ({@code LOG_OVERHEAD})
     * shows only zeros where a batch had begun. Zeros prove nothing was written only if there are at least 12 of
     * them, or if the file kept its preallocated length ({@code segmentBytes}) so that a tail that short could
     * never have held a batch (a batch needs {@link RecordBatch#HEADER_LENGTH} bytes; the writer rolls first).
     *
     * @param segmentBytes the partition's {@code segment.bytes}: the length a preallocated file has.
     */
    static boolean isPreallocatedTail(final UnsafeBuffer buffer, final int from, final int to, final int segmentBytes)
    {
        if (to - from < RecordBatch.LOG_OVERHEAD && to < segmentBytes)
        {
            return false;
        }
        return isZeroTail(buffer, from, to);
    }

    /** True if every byte from {@code from} to {@code min(to, from + ZERO_CHECK_WINDOW)} is zero. */
    static boolean isZeroTail(final UnsafeBuffer buffer, final int from, final int to)
    {
        final int end = (int)Math.min(to, (long)from + ZERO_CHECK_WINDOW);
        int i = from;
        for (; i + 8 <= end; i += 8)
        {
            if (0 != buffer.getLong(i))
            {
                return false;
            }
        }
        for (; i < end; i++)
        {
            if (0 != buffer.getByte(i))
            {
                return false;
            }
        }
        return true;
    }

    static String describe(final int code)
    {
        switch (code)
        {
            case END: return "end of valid data";
            case OFFSETS_NOT_CONTIGUOUS: return "base offset does not follow the previous batch";
            case OFFSET_OVERFLOW: return "offset too far above the segment's base offset";
            default: return BatchValidator.describe(code);
        }
    }
}
