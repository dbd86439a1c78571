package io.loggia.codec.record;

import org.agrona.DirectBuffer;

/**
 * Steps one {@link Record} flyweight through the records of a batch: over the batch's own bytes when it is
 * uncompressed, over a {@link BatchDecompressor}'s output when it is not.
 * <pre>
 *   cursor.wrap(buffer, offset, length, count);
 *   int code;
 *   while ((code = cursor.next()) == Record.VALID)
 *   {
 *       final Record record = cursor.record();
 *       ...
 *   }
 *   // code is END after count records, or the Record code of the record that failed
 * </pre>
 * Allocation-free. Not thread safe; one instance per thread, re-wrapped per batch.
 */
public final class RecordCursor
{
    /** All records the batch announces have been read. */
    public static final int END = -1;

    private final Record record = new Record();

    private DirectBuffer buffer;
    private int position;
    private int limit;
    private int recordCount;
    private int recordIndex;
    private int lastCode;

    /**
     * Positions the cursor before the first of {@code recordCount} records held in
     * {@code [offset, offset + length)}.
     */
    public RecordCursor wrap(final DirectBuffer buffer, final int offset, final int length, final int recordCount)
    {
        this.buffer = buffer;
        this.position = offset;
        this.limit = offset + length;
        this.recordCount = recordCount;
        this.recordIndex = -1;
        this.lastCode = Record.VALID;
        return this;
    }

    /**
     * Positions the cursor over an uncompressed batch. For a compressed one use
     * {@link BatchDecompressor#wrapRecords(DirectBuffer, int, RecordCursor)}.
     */
    public RecordCursor wrapUncompressed(final RecordBatch batch)
    {
        return wrap(batch.buffer(), batch.recordsOffset(), batch.recordsLength(), batch.recordCount());
    }

    /**
     * Moves {@link #record()} to the next record.
     *
     * @return {@link Record#VALID}, {@link #END} once the announced count has been read, or the
     * {@link Record} code of a record that does not parse (which then repeats on every later call).
     */
    public int next()
    {
        if (lastCode != Record.VALID)
        {
            return lastCode;
        }
        if (recordIndex + 1 >= recordCount)
        {
            return END;
        }
        final int code = record.wrap(buffer, position, limit);
        if (code != Record.VALID)
        {
            lastCode = code;
            return code;
        }
        recordIndex++;
        position += record.sizeInBytes();
        return Record.VALID;
    }

    public Record record()
    {
        return record;
    }

    /** Index of the current record within the batch, 0 for the first; -1 before the first {@link #next()}. */
    public int recordIndex()
    {
        return recordIndex;
    }

    /** Where the next record starts. */
    public int position()
    {
        return position;
    }

    /** One past the last byte of the records. */
    public int limit()
    {
        return limit;
    }

    /** Bytes after the records read so far; zero at {@link #END} in a well-formed batch. */
    public int remaining()
    {
        return limit - position;
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }
}
