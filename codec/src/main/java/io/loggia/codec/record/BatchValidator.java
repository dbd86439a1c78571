package io.loggia.codec.record;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Checks one RecordBatch before it is trusted: on produce (before the writer's ring) and in recovery.
 * Allocation-free; every outcome is a return code. {@link RecordsValidator} adds the record-level checks and
 * continues these codes from 8.
 * <p>
 * Not thread safe: it keeps CRC-32C state ({@link Crc32cWindow}). One instance per thread.
 */
public final class BatchValidator
{
    public static final int VALID = 0;
    /** Fewer bytes available than a batch header, or than the batch claims. */
    public static final int TRUNCATED = 1;
    /** batchLength smaller than a header with no records. */
    public static final int BAD_LENGTH = 2;
    public static final int BAD_MAGIC = 3;
    public static final int BAD_CRC = 4;
    /** Record count negative, zero, out of step with lastOffsetDelta, or too large for the bytes. */
    public static final int BAD_RECORD_COUNT = 5;
    public static final int UNKNOWN_COMPRESSION = 6;
    /** Larger than the caller's maximum batch size. */
    public static final int TOO_LARGE = 7;

    /** The smallest encoding of a record: length, attributes, timestamp and offset deltas, key, value, headers. */
    public static final int MIN_RECORD_SIZE = 7;

    private final Crc32cWindow crc = new Crc32cWindow();

    /**
     * Validates the batch at {@code offset}, which may use at most {@code available} bytes of the buffer.
     *
     * @return {@link #VALID} or the first failure found.
     */
    public int validate(final DirectBuffer buffer, final int offset, final int available, final int maxBatchSize)
    {
        final int headerCode = validateHeader(buffer, offset, available, maxBatchSize);
        if (headerCode != VALID)
        {
            return headerCode;
        }
        final int size = RecordBatch.LOG_OVERHEAD + buffer.getInt(offset + RecordBatch.LENGTH_OFFSET, RecordBatch.ORDER);
        final long stored = buffer.getInt(offset + RecordBatch.CRC_OFFSET, RecordBatch.ORDER) & 0xFFFF_FFFFL;
        final long computed = crc32c(buffer, offset + RecordBatch.ATTRIBUTES_OFFSET, size - RecordBatch.ATTRIBUTES_OFFSET);
        return stored == computed ? VALID : BAD_CRC;
    }

    /**
     * Everything but the CRC: length, magic, codec and record count against size. Cheap enough to run
     * before deciding whether the batch is worth a CRC pass.
     */
    public int validateHeader(final DirectBuffer buffer, final int offset, final int available, final int maxBatchSize)
    {
        if (available < RecordBatch.HEADER_LENGTH)
        {
            return available >= RecordBatch.LOG_OVERHEAD &&
                buffer.getInt(offset + RecordBatch.LENGTH_OFFSET, RecordBatch.ORDER) < RecordBatch.MIN_BATCH_LENGTH ?
                BAD_LENGTH : TRUNCATED;
        }
        final int batchLength = buffer.getInt(offset + RecordBatch.LENGTH_OFFSET, RecordBatch.ORDER);
        if (batchLength < RecordBatch.MIN_BATCH_LENGTH)
        {
            return BAD_LENGTH;
        }
        final long size = (long)RecordBatch.LOG_OVERHEAD + batchLength;
        if (size > maxBatchSize)
        {
            return TOO_LARGE;
        }
        if (size > available)
        {
            return TRUNCATED;
        }
        if (buffer.getByte(offset + RecordBatch.MAGIC_OFFSET) != RecordBatch.MAGIC_V2)
        {
            return BAD_MAGIC;
        }
        final short attributes = buffer.getShort(offset + RecordBatch.ATTRIBUTES_OFFSET, RecordBatch.ORDER);
        final int codec = attributes & RecordBatch.COMPRESSION_CODEC_MASK;
        if (!CompressionCodec.isKnown(codec))
        {
            return UNKNOWN_COMPRESSION;
        }
        final int count = buffer.getInt(offset + RecordBatch.RECORD_COUNT_OFFSET, RecordBatch.ORDER);
        final int lastOffsetDelta = buffer.getInt(offset + RecordBatch.LAST_OFFSET_DELTA_OFFSET, RecordBatch.ORDER);
        if (count <= 0 || lastOffsetDelta != count - 1)
        {
            return BAD_RECORD_COUNT;
        }
        if (codec == CompressionCodec.NONE && (long)count * MIN_RECORD_SIZE > size - RecordBatch.HEADER_LENGTH)
        {
            return BAD_RECORD_COUNT;
        }
        return VALID;
    }

    /** CRC-32C of a range, unsigned; intrinsic and allocation-free for heap, direct and mapped buffers. */
    public long crc32c(final DirectBuffer buffer, final int offset, final int length)
    {
        return crc.compute(buffer, offset, length);
    }

    /**
     * Recomputes and stores the CRC-32C of the complete batch at {@code offset}, for the rare writes that
     * change covered bytes: a LogAppendTime stamp ({@link RecordBatch#stampLogAppendTime}) or a test that
     * corrupts a field on purpose.
     *
     * @return the CRC written, unsigned.
     */
    public long writeCrc(final MutableDirectBuffer buffer, final int offset)
    {
        final int batchLength = buffer.getInt(offset + RecordBatch.LENGTH_OFFSET, RecordBatch.ORDER);
        final int covered = RecordBatch.LOG_OVERHEAD + batchLength - RecordBatch.ATTRIBUTES_OFFSET;
        final long value = crc32c(buffer, offset + RecordBatch.ATTRIBUTES_OFFSET, covered);
        buffer.putInt(offset + RecordBatch.CRC_OFFSET, (int)value, RecordBatch.ORDER);
        return value;
    }

    /** Human-readable name of a code, for logs and the dump tool. */
    public static String describe(final int code)
    {
        switch (code)
        {
            case VALID: return "valid";
            case TRUNCATED: return "truncated batch";
            case BAD_LENGTH: return "batch length below header size";
            case BAD_MAGIC: return "magic is not 2";
            case BAD_CRC: return "CRC-32C mismatch";
            case BAD_RECORD_COUNT: return "record count inconsistent with batch";
            case UNKNOWN_COMPRESSION: return "unknown compression codec";
            case TOO_LARGE: return "batch larger than the maximum";
            default: return "unknown code " + code;
        }
    }
}
