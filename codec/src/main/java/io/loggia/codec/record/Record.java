package io.loggia.codec.record;

import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;

/**
 * Flyweight over one record inside an uncompressed (or decompressed) v2 batch.
 * <pre>
 *  +------------------+
 *  | length (varint)  |  bytes that follow this field
 *  +------------------+-------------------------+------------------------+
 *  | attributes (int8)| timestampDelta (varlong)| offsetDelta (varint)   |
 *  +------------------+-------------------------+------------------------+
 *  | keyLength (varint, -1 = null)  | key (max(keyLength, 0) bytes)      |
 *  +--------------------------------+------------------------------------+
 *  | valueLength (varint, -1 = null)| value (max(valueLength, 0) bytes)  |
 *  +--------------------------------+------------------------------------+
 *  | headerCount (varint)           | headers, see {@link RecordHeader}  |
 *  +--------------------------------+------------------------------------+
 * </pre>
 * Varints are zig-zag encoded ({@link Varint}). The record's offset is the batch's base offset plus
 * offsetDelta; its timestamp is the batch's base timestamp plus timestampDelta, except in LogAppendTime
 * batches, where every record takes the batch's max timestamp. Record attributes are unused and zero.
 * <p>
 * {@link #wrap(DirectBuffer, int, int)} parses and checks every field, headers included, once; the getters
 * then return cached values. A record is valid only if its fields end exactly where its length says. Every
 * produced record passes through it, so it checks once that {@code [offset, limit)} lies inside the buffer and
 * then reads each varint in one pass without a bounds check per byte (the per-byte checks and the second pass
 * of {@link Varint}'s two-step read were 40% of the broker's CPU at max rate, 2026-11-27).
 * <p>
 * Not thread safe; one instance per thread, re-wrapped per record.
 */
public final class Record
{
    public static final int VALID = 0;
    /** The length field, or the bytes it announces, run past the limit. */
    public static final int TRUNCATED = 1;
    /** A varint longer than 5 bytes or a varlong longer than 10. */
    public static final int MALFORMED_VARINT = 2;
    /** The length is too small for the fields, or the fields run past it or stop short of it. */
    public static final int BAD_LENGTH = 3;
    /** Key length below -1. */
    public static final int BAD_KEY_LENGTH = 4;
    /** Value length below -1. */
    public static final int BAD_VALUE_LENGTH = 5;
    /** Negative header count. */
    public static final int BAD_HEADER_COUNT = 6;
    /** A header with a null key or a value length below -1. */
    public static final int BAD_HEADER = 7;

    /** Smallest body after the length field: attributes and six one-byte varints. */
    public static final int MIN_BODY_LENGTH = 6;

    private final RecordHeader header = new RecordHeader();

    private DirectBuffer buffer;
    private byte[] array;
    private long address;
    /** The value of the varint (zig-zag decoded) or varlong last read by {@link #readVarint}/{@link #readVarlong}. */
    private long readValue;
    private int offset;
    private int sizeInBytes;
    private byte attributes;
    private long timestampDelta;
    private int offsetDelta;
    private int keyOffset;
    private int keyLength;
    private int valueOffset;
    private int valueLength;
    private int headerCount;
    private int headersOffset;

    /**
     * Parses the record at {@code offset}, reading no byte at or past {@code limit}.
     *
     * @return {@link #VALID} or the first problem found.
     */
    public int wrap(final DirectBuffer buffer, final int offset, final int limit)
    {
        this.buffer = buffer;
        this.offset = offset;
        if (offset < 0 || offset >= limit || limit > buffer.capacity())
        {
            return TRUNCATED;
        }
        // every read below stays in [offset, limit), inside the buffer
        array = buffer.byteArray();
        address = buffer.addressOffset();

        int position = readVarint(offset, limit);
        if (position < 0)
        {
            return varintCode(position);
        }
        final int length = (int)readValue;
        if (length < MIN_BODY_LENGTH)
        {
            return BAD_LENGTH;
        }
        final long recordEnd = (long)position + length;
        if (recordEnd > limit)
        {
            return TRUNCATED;
        }
        final int end = (int)recordEnd;

        attributes = UnsafeApi.getByte(array, address + position++);

        position = readVarlong(position, end);
        if (position < 0)
        {
            return fieldCode(position);
        }
        timestampDelta = readValue;

        position = readVarint(position, end);
        if (position < 0)
        {
            return fieldCode(position);
        }
        offsetDelta = (int)readValue;

        position = readVarint(position, end);
        if (position < 0)
        {
            return fieldCode(position);
        }
        keyLength = (int)readValue;
        if (keyLength < -1)
        {
            return BAD_KEY_LENGTH;
        }
        if (keyLength > end - position)
        {
            return BAD_LENGTH;
        }
        keyOffset = position;
        position += Math.max(keyLength, 0);

        position = readVarint(position, end);
        if (position < 0)
        {
            return fieldCode(position);
        }
        valueLength = (int)readValue;
        if (valueLength < -1)
        {
            return BAD_VALUE_LENGTH;
        }
        if (valueLength > end - position)
        {
            return BAD_LENGTH;
        }
        valueOffset = position;
        position += Math.max(valueLength, 0);

        position = readVarint(position, end);
        if (position < 0)
        {
            return fieldCode(position);
        }
        headerCount = (int)readValue;
        if (headerCount < 0)
        {
            return BAD_HEADER_COUNT;
        }
        headersOffset = position;

        // Every header takes at least two bytes, so a forged count stops at the record's end long before it runs out.
        for (int i = 0; i < headerCount; i++)
        {
            final int headerCode = header.wrap(buffer, position, end);
            if (headerCode != VALID)
            {
                return headerCode == TRUNCATED ? BAD_LENGTH : headerCode;
            }
            position += header.sizeInBytes();
        }

        if (position != end)
        {
            return BAD_LENGTH;
        }
        sizeInBytes = end - offset;
        return VALID;
    }

    /** Resets {@code cursor} to before this record's first header; iterate with {@link RecordHeader#next()}. */
    public RecordHeader headers(final RecordHeader cursor)
    {
        return cursor.reset(buffer, headersOffset, offset + sizeInBytes, headerCount);
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    /** Index in {@link #buffer()} where the record, its length field first, starts. */
    public int offset()
    {
        return offset;
    }

    /** Whole record including its length field. */
    public int sizeInBytes()
    {
        return sizeInBytes;
    }

    public byte attributes()
    {
        return attributes;
    }

    public long timestampDelta()
    {
        return timestampDelta;
    }

    /** Base timestamp plus delta: the record's CreateTime. LogAppendTime batches use their max timestamp instead. */
    public long timestamp(final long baseTimestamp)
    {
        return baseTimestamp + timestampDelta;
    }

    public int offsetDelta()
    {
        return offsetDelta;
    }

    /** The record's offset in the log, given the base offset of its batch. */
    public long logOffset(final long baseOffset)
    {
        return baseOffset + offsetDelta;
    }

    public int keyOffset()
    {
        return keyOffset;
    }

    /** Length of the key, or -1 when it is null. */
    public int keyLength()
    {
        return keyLength;
    }

    public boolean hasKey()
    {
        return keyLength >= 0;
    }

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

    public int headerCount()
    {
        return headerCount;
    }

    /** Index in {@link #buffer()} of the first header. */
    public int headersOffset()
    {
        return headersOffset;
    }

    /** Allocates; for tools and tests. Null when the key is null. */
    public byte[] key()
    {
        return copy(keyOffset, keyLength);
    }

    /** Allocates; for tools and tests. Null when the value is null. */
    public byte[] value()
    {
        return copy(valueOffset, valueLength);
    }

    /** Human-readable name of a code, for logs and the dump tool. */
    public static String describe(final int code)
    {
        switch (code)
        {
            case VALID: return "valid";
            case TRUNCATED: return "record runs past the end of the records";
            case MALFORMED_VARINT: return "varint longer than its width";
            case BAD_LENGTH: return "record length disagrees with its fields";
            case BAD_KEY_LENGTH: return "key length below -1";
            case BAD_VALUE_LENGTH: return "value length below -1";
            case BAD_HEADER_COUNT: return "negative header count";
            case BAD_HEADER: return "header with a null key or a value length below -1";
            default: return "unknown code " + code;
        }
    }

    public String toString()
    {
        if (buffer == null)
        {
            return "Record{unwrapped}";
        }
        final StringBuilder builder = new StringBuilder(64)
            .append("offsetDelta: ").append(offsetDelta)
            .append(" timestampDelta: ").append(timestampDelta)
            .append(" keySize: ").append(keyLength)
            .append(" valueSize: ").append(valueLength)
            .append(" sizeInBytes: ").append(sizeInBytes)
            .append(" headerKeys: [");
        headers(header);
        boolean first = true;
        while (header.next())
        {
            builder.append(first ? "" : ", ").append(header.key());
            first = false;
        }
        return builder.append(']').toString();
    }

    /**
     * The zig-zag varint at {@code position} into {@link #readValue}, as {@link Varint#varintLength} and
     * {@link Varint#getVarint} would read it (bits past the 32nd of a fifth byte dropped).
     *
     * @return the position after it, or {@link Varint#MALFORMED} or {@link Varint#TRUNCATED}.
     */
    private int readVarint(final int position, final int limit)
    {
        if (limit - position >= 2)
        {
            // the fields of a small record fit one or two bytes
            final int b0 = UnsafeApi.getByte(array, address + position);
            if (b0 >= 0)
            {
                readValue = (b0 >>> 1) ^ -(b0 & 1);
                return position + 1;
            }
            final int b1 = UnsafeApi.getByte(array, address + position + 1);
            if (b1 >= 0)
            {
                final int raw = (b0 & 0x7F) | (b1 << 7);
                readValue = (raw >>> 1) ^ -(raw & 1);
                return position + 2;
            }
        }
        final int next = readLonger(position, limit, Varint.MAX_VARINT_LENGTH);
        final int raw = (int)readValue;
        readValue = (raw >>> 1) ^ -(raw & 1);
        return next;
    }

    /** As {@link #readVarint}, for a 64-bit varlong. */
    private int readVarlong(final int position, final int limit)
    {
        if (limit - position >= 2)
        {
            final long b0 = UnsafeApi.getByte(array, address + position);
            if (b0 >= 0)
            {
                readValue = (b0 >>> 1) ^ -(b0 & 1);
                return position + 1;
            }
            final long b1 = UnsafeApi.getByte(array, address + position + 1);
            if (b1 >= 0)
            {
                final long raw = (b0 & 0x7F) | (b1 << 7);
                readValue = (raw >>> 1) ^ -(raw & 1);
                return position + 2;
            }
        }
        final int next = readLonger(position, limit, Varint.MAX_VARLONG_LENGTH);
        readValue = (readValue >>> 1) ^ -(readValue & 1);
        return next;
    }

    /**
     * The unsigned value of up to {@code maxLength} base-128 bytes at {@code position} into {@link #readValue}:
     * the loop behind the one- and two-byte paths above.
     *
     * @return the position after them, or {@link Varint#MALFORMED} or {@link Varint#TRUNCATED}.
     */
    private int readLonger(final int position, final int limit, final int maxLength)
    {
        final int end = (int)Math.min((long)position + maxLength, limit);
        long raw = 0;
        int shift = 0;
        for (int index = position; index < end; index++)
        {
            final int b = UnsafeApi.getByte(array, address + index);
            raw |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                readValue = raw;
                return index + 1;
            }
            shift += 7;
        }
        return end - position == maxLength ? Varint.MALFORMED : Varint.TRUNCATED;
    }

    static int varintCode(final int varintResult)
    {
        return varintResult == Varint.MALFORMED ? MALFORMED_VARINT : TRUNCATED;
    }

    /** Inside a record, running out of bytes means the fields overran the record's own length. */
    private static int fieldCode(final int varintResult)
    {
        return varintResult == Varint.MALFORMED ? MALFORMED_VARINT : BAD_LENGTH;
    }

    private byte[] copy(final int index, final int length)
    {
        if (length < 0)
        {
            return null;
        }
        final byte[] bytes = new byte[length];
        buffer.getBytes(index, bytes);
        return bytes;
    }
}
