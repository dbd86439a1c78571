package io.loggia.codec.record;

import org.agrona.DirectBuffer;

/**
 * Deep check of one batch, for the dump tool's {@code --deep-iteration} and for recovery checks that want more
 * than length, magic and CRC: after {@link BatchValidator#validate}, every record must parse within its
 * bounds, there must be exactly as many as the header counts with no bytes left over, and offset deltas must
 * run 0, 1, ..., count - 1.
 * <p>
 * Codes 1 to 7 are {@link BatchValidator}'s; this class adds 8 and up. Uncompressed batches are checked
 * without allocation; compressed ones are first inflated into the reused buffers of a
 * {@link BatchDecompressor}, which {@link #close()} releases.
 * <p>
 * Not thread safe; one instance per thread.
 */
public final class RecordsValidator implements AutoCloseable
{
    public static final int VALID = BatchValidator.VALID;
    /** A record does not parse within its bounds; {@link #recordCode()} says how. */
    public static final int CORRUPT_RECORD = 8;
    /** The records end before the header's count is reached, or bytes follow the last one. */
    public static final int RECORD_COUNT_MISMATCH = 9;
    /** Offset deltas do not run 0..count-1. */
    public static final int BAD_OFFSET_DELTA = 10;
    /** The compressed records do not decode. */
    public static final int CORRUPT_COMPRESSION = 11;
    /** The records decompress to more than the decompressor's maximum. */
    public static final int DECOMPRESSED_TOO_LARGE = 12;

    private final BatchValidator batchValidator = new BatchValidator();
    private final BatchDecompressor decompressor;
    private final RecordCursor cursor = new RecordCursor();
    private int recordCode;
    private int failedRecordIndex;

    public RecordsValidator()
    {
        this(new BatchDecompressor());
    }

    /** Uses {@code decompressor}, and closes it on {@link #close()}. */
    public RecordsValidator(final BatchDecompressor decompressor)
    {
        this.decompressor = decompressor;
    }

    /**
     * Header, CRC and then every record of the batch at {@code offset}.
     *
     * @return {@link #VALID}, a {@link BatchValidator} code, or one of this class's codes.
     */
    public int validate(final DirectBuffer buffer, final int offset, final int available, final int maxBatchSize)
    {
        final int batchCode = batchValidator.validate(buffer, offset, available, maxBatchSize);
        if (batchCode != BatchValidator.VALID)
        {
            recordCode = Record.VALID;
            failedRecordIndex = -1;
            return batchCode;
        }
        return validateRecords(buffer, offset);
    }

    /**
     * The record-level checks alone, for a batch whose header already passed
     * {@link BatchValidator#validateHeader}.
     *
     * @return {@link #VALID} or one of this class's codes.
     */
    public int validateRecords(final DirectBuffer buffer, final int offset)
    {
        recordCode = Record.VALID;
        failedRecordIndex = -1;

        final int wrapResult = decompressor.wrapRecords(buffer, offset, cursor);
        if (wrapResult == BatchDecompressor.TOO_LARGE)
        {
            return DECOMPRESSED_TOO_LARGE;
        }
        if (wrapResult == BatchDecompressor.UNKNOWN_CODEC)
        {
            return BatchValidator.UNKNOWN_COMPRESSION;
        }
        if (wrapResult < 0)
        {
            return CORRUPT_COMPRESSION;
        }

        int expectedDelta = 0;
        int code;
        while ((code = cursor.next()) == Record.VALID)
        {
            if (cursor.record().offsetDelta() != expectedDelta)
            {
                failedRecordIndex = expectedDelta;
                return BAD_OFFSET_DELTA;
            }
            expectedDelta++;
        }
        if (code != RecordCursor.END)
        {
            failedRecordIndex = expectedDelta;
            recordCode = code;
            // Running out of bytes exactly on a record boundary is a short count, not a damaged record.
            return code == Record.TRUNCATED && cursor.remaining() == 0 ? RECORD_COUNT_MISMATCH : CORRUPT_RECORD;
        }
        return cursor.remaining() == 0 ? VALID : RECORD_COUNT_MISMATCH;
    }

    /** The {@link Record} code behind the last {@link #CORRUPT_RECORD}, else {@link Record#VALID}. */
    public int recordCode()
    {
        return recordCode;
    }

    /** Index within the batch of the record the last failure was found at, or -1. */
    public int failedRecordIndex()
    {
        return failedRecordIndex;
    }

    public BatchValidator batchValidator()
    {
        return batchValidator;
    }

    public void close()
    {
        decompressor.close();
    }

    /** Human-readable name of any code this class or {@link BatchValidator} returns. */
    public static String describe(final int code)
    {
        switch (code)
        {
            case CORRUPT_RECORD: return "record does not parse within its bounds";
            case RECORD_COUNT_MISMATCH: return "records disagree with the header's record count";
            case BAD_OFFSET_DELTA: return "offset deltas do not run 0..count-1";
            case CORRUPT_COMPRESSION: return "compressed records do not decode";
            case DECOMPRESSED_TOO_LARGE: return "decompressed records exceed the maximum";
            default: return BatchValidator.describe(code);
        }
    }
}
