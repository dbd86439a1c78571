package io.loggia.codec.record;

import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Flyweight over one header of a record, and a cursor over a record's headers.
 * <pre>
 *  +----------------------+-----------------------+------------------------+-------------------------+
 *  | keyLength (varint)   | key (UTF-8 bytes)     | valueLength (varint)   | value (bytes)           |
 *  | >= 0, never null     | keyLength bytes       | -1 = null              | max(valueLength, 0)     |
 *  +----------------------+-----------------------+------------------------+-------------------------+
 * </pre>
 * Used standalone, {@link #wrap(DirectBuffer, int, int)} checks one header against a limit. Used as a
 * cursor, {@link Record#headers(RecordHeader)} resets it to before a record's first header and
 * {@link #next()} steps through them; the record has checked every header already, so stepping cannot fail.
 * <p>
 * Not thread safe; one instance per thread, reused.
 */
public final class RecordHeader
{
    private DirectBuffer buffer;
    private int offset;
    private int keyOffset;
    private int keyLength;
    private int valueOffset;
    private int valueLength;
    private int sizeInBytes;

    private int cursorLimit;
    private int cursorNext;
    private int cursorRemaining;

    /**
     * Parses the header at {@code offset}, reading no byte at or past {@code limit}.
     *
     * @return {@link Record#VALID}, {@link Record#TRUNCATED}, {@link Record#MALFORMED_VARINT} or
     * {@link Record#BAD_HEADER}.
     */
    public int wrap(final DirectBuffer buffer, final int offset, final int limit)
    {
        this.buffer = buffer;
        this.offset = offset;
        int position = offset;

        final int keyLengthSize = Varint.varintLength(buffer, position, limit);
        if (keyLengthSize < 0)
        {
            return Record.varintCode(keyLengthSize);
        }
        final int keyLength = Varint.getVarint(buffer, position);
        position += keyLengthSize;
        if (keyLength < 0)
        {
            return Record.BAD_HEADER;
        }
        if (keyLength > limit - position)
        {
            return Record.TRUNCATED;
        }
        this.keyOffset = position;
        this.keyLength = keyLength;
        position += keyLength;

        final int valueLengthSize = Varint.varintLength(buffer, position, limit);
        if (valueLengthSize < 0)
        {
            return Record.varintCode(valueLengthSize);
        }
        final int valueLength = Varint.getVarint(buffer, position);
        position += valueLengthSize;
        if (valueLength < -1)
        {
            return Record.BAD_HEADER;
        }
        if (valueLength > limit - position)
        {
            return Record.TRUNCATED;
        }
        this.valueOffset = position;
        this.valueLength = valueLength;
        position += Math.max(valueLength, 0);

        this.sizeInBytes = position - offset;
        return Record.VALID;
    }

    /**
     * Positions this cursor before the first of {@code count} headers starting at {@code offset}.
     */
    public RecordHeader reset(final DirectBuffer buffer, final int offset, final int limit, final int count)
    {
        this.buffer = buffer;
        this.cursorNext = offset;
        this.cursorLimit = limit;
        this.cursorRemaining = count;
        return this;
    }

    /**
     * Moves to the next header.
     *
     * @return false when no header is left, or when the next one does not parse within the limit.
     */
    public boolean next()
    {
        if (cursorRemaining <= 0)
        {
            return false;
        }
        if (wrap(buffer, cursorNext, cursorLimit) != Record.VALID)
        {
            cursorRemaining = 0;
            return false;
        }
        cursorRemaining--;
        cursorNext = offset + sizeInBytes;
        return true;
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    public int offset()
    {
        return offset;
    }

    public int sizeInBytes()
    {
        return sizeInBytes;
    }

    /** Index in {@link #buffer()} of the key's UTF-8 bytes. */
    public int keyOffset()
    {
        return keyOffset;
    }

    public int keyLength()
    {
        return keyLength;
    }

    /** Index in {@link #buffer()} of the value bytes. */
    public int valueOffset()
    {
        return valueOffset;
    }

    /** Length of the value, or -1 when it is null. */
    public int valueLength()
    {
        return valueLength;
    }

    public boolean hasValue()
    {
        return valueLength >= 0;
    }

    /** Allocates; for tools and tests. */
    public String key()
    {
        return buffer.getStringWithoutLengthUtf8(keyOffset, keyLength);
    }

    /** Allocates; for tools and tests. Null when the value is null. */
    public byte[] value()
    {
        if (valueLength < 0)
        {
            return null;
        }
        final byte[] value = new byte[valueLength];
        buffer.getBytes(valueOffset, value);
        return value;
    }

    public String toString()
    {
        if (buffer == null)
        {
            return "RecordHeader{unwrapped}";
        }
        return key() + "=" + (valueLength < 0 ? "null" : new String(value(), StandardCharsets.UTF_8));
    }
}
