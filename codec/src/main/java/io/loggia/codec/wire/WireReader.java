package io.loggia.codec.wire;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

import static org.agrona.BitUtil.SIZE_OF_BYTE;
import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;
import static org.agrona.BitUtil.SIZE_OF_SHORT;

/**
 * A reading cursor over Kafka's primitive types: a buffer, a position, an exclusive limit and a sticky error
 * code. Every read checks the limit first. The first malformed field sets {@link #errorCode()}; from then on
 * every read returns 0 and the position no longer moves, so a decoder can read a run of fields and check the
 * code once.
 * <pre>
 *   int8 / int16 / int32 / int64   1 / 2 / 4 / 8 bytes, big-endian, two's complement
 *   uuid                            16 bytes: most significant int64, least significant int64
 *
 *   string, nullable string         +-----------------+-----------------------+
 *                                   | length (int16)  | UTF-8 bytes ...       |   length -1 = null
 *                                   +-----------------+-----------------------+
 *   bytes, nullable bytes           | length (int32)  | bytes ...             |   length -1 = null
 *   array, nullable array           | count (int32)   | elements ...          |   count -1 = null
 *
 *   compact string / bytes          +-----------------+-----------------------+
 *                                   | length+1 (uvar) | bytes ...             |   0 = null
 *                                   +-----------------+-----------------------+
 *   compact array                   | count+1 (uvar)  | elements ...          |   0 = null
 *
 *   tagged-field section            +-------------+-----------+-------------+------------+
 *   (flexible versions only)        | count (uvar)| tag (uvar)| size (uvar) | size bytes | ... count times
 *                                   +-------------+-----------+-------------+------------+
 *                                   an empty section is the single byte 0x00
 * </pre>
 * Strings and bytes are never materialised: a read returns the length (or {@link #NULL_LENGTH}) and
 * {@link #valueOffset()} tells where the value starts in {@link #buffer()}.
 * <p>
 * Array counts are checked against the bytes left at the smallest size an element can take, so a count of two
 * billion in a ten-byte request is refused before anything is sized from it.
 * <p>
 * Not thread safe; one instance per thread, re-wrapped per message.
 */
public final class WireReader
{
    /** Returned for a null string, bytes or array. */
    public static final int NULL_LENGTH = -1;

    private static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;
    private static final int MIN_TAGGED_FIELD_SIZE = 2;

    private DirectBuffer buffer;
    private int position;
    private int limit;
    private int valueOffset;
    private int errorCode;

    /**
     * @param buffer holding the message.
     * @param offset of the first byte to read.
     * @param limit  index one past the last byte that belongs to the message.
     * @return this.
     */
    public WireReader wrap(final DirectBuffer buffer, final int offset, final int limit)
    {
        this.buffer = buffer;
        this.position = offset;
        this.limit = limit;
        this.valueOffset = offset;
        this.errorCode = offset < 0 || limit < offset || limit > buffer.capacity() ? WireError.TRUNCATED : 0;
        return this;
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    public int position()
    {
        return position;
    }

    /**
     * Moves the cursor, for skipping over a tagged field whose known content was shorter than its size.
     * A position past the limit is an error.
     */
    public void position(final int position)
    {
        if (position > limit || position < 0)
        {
            fail(WireError.TRUNCATED);
            return;
        }
        this.position = position;
    }

    public int limit()
    {
        return limit;
    }

    public int remaining()
    {
        return limit - position;
    }

    /**
     * @return {@link WireError#NONE} or the first error met.
     */
    public int errorCode()
    {
        return errorCode;
    }

    public boolean hasError()
    {
        return errorCode != 0;
    }

    /**
     * Records an error found by a caller (a decoder's own check); the first error wins.
     *
     * @return the error code now in force.
     */
    public int fail(final int code)
    {
        if (errorCode == 0)
        {
            errorCode = code;
        }
        return errorCode;
    }

    /**
     * @return offset in {@link #buffer()} of the value of the last string or bytes read.
     */
    public int valueOffset()
    {
        return valueOffset;
    }

    public byte readInt8()
    {
        if (!ensure(SIZE_OF_BYTE))
        {
            return 0;
        }
        final byte value = buffer.getByte(position);
        position += SIZE_OF_BYTE;
        return value;
    }

    public short readInt16()
    {
        if (!ensure(SIZE_OF_SHORT))
        {
            return 0;
        }
        final short value = buffer.getShort(position, ORDER);
        position += SIZE_OF_SHORT;
        return value;
    }

    public int readInt32()
    {
        if (!ensure(SIZE_OF_INT))
        {
            return 0;
        }
        final int value = buffer.getInt(position, ORDER);
        position += SIZE_OF_INT;
        return value;
    }

    public long readInt64()
    {
        if (!ensure(SIZE_OF_LONG))
        {
            return 0;
        }
        final long value = buffer.getLong(position, ORDER);
        position += SIZE_OF_LONG;
        return value;
    }

    /**
     * @return the value as unsigned 32 bits held in an int (values of 2^31 and more read as negative).
     */
    public int readUnsignedVarint()
    {
        if (errorCode != 0)
        {
            return 0;
        }
        int value = 0;
        int i = position;
        for (int shift = 0; shift < 35; shift += 7)
        {
            if (i >= limit)
            {
                fail(WireError.TRUNCATED);
                return 0;
            }
            final int b = buffer.getByte(i++);
            if (shift == 28 && (b & 0xF0) != 0)
            {
                fail(WireError.VARINT_TOO_LONG);
                return 0;
            }
            value |= (b & 0x7F) << shift;
            if (b >= 0)
            {
                position = i;
                return value;
            }
        }
        fail(WireError.VARINT_TOO_LONG);
        return 0;
    }

    public int readVarint()
    {
        return Varints.unZigZag(readUnsignedVarint());
    }

    public long readVarlong()
    {
        if (errorCode != 0)
        {
            return 0;
        }
        long value = 0;
        int i = position;
        for (int shift = 0; shift < 70; shift += 7)
        {
            if (i >= limit)
            {
                fail(WireError.TRUNCATED);
                return 0;
            }
            final int b = buffer.getByte(i++);
            if (shift == 63 && (b & 0xFE) != 0)
            {
                fail(WireError.VARINT_TOO_LONG);
                return 0;
            }
            value |= (long)(b & 0x7F) << shift;
            if (b >= 0)
            {
                position = i;
                return (value >>> 1) ^ -(value & 1);
            }
        }
        fail(WireError.VARINT_TOO_LONG);
        return 0;
    }

    /**
     * A non-nullable string with an int16 length.
     *
     * @return its length in bytes; the value starts at {@link #valueOffset()}.
     */
    public int readString()
    {
        final int start = position;
        return nonNull(readNullableString(), start);
    }

    /**
     * @return the length in bytes, or {@link #NULL_LENGTH}; the value starts at {@link #valueOffset()}.
     */
    public int readNullableString()
    {
        if (!ensure(SIZE_OF_SHORT))
        {
            return 0;
        }
        final int length = buffer.getShort(position, ORDER);
        return value(length, SIZE_OF_SHORT);
    }

    /**
     * A non-nullable string with a uvarint length + 1.
     *
     * @return its length in bytes; the value starts at {@link #valueOffset()}.
     */
    public int readCompactString()
    {
        final int start = position;
        return nonNull(readCompactNullableString(), start);
    }

    /**
     * @return the length in bytes, or {@link #NULL_LENGTH}; the value starts at {@link #valueOffset()}.
     */
    public int readCompactNullableString()
    {
        return readCompactValue();
    }

    /**
     * Non-nullable bytes with an int32 length.
     *
     * @return the length; the value starts at {@link #valueOffset()}.
     */
    public int readBytes()
    {
        final int start = position;
        return nonNull(readNullableBytes(), start);
    }

    /**
     * @return the length, or {@link #NULL_LENGTH}; the value starts at {@link #valueOffset()}.
     */
    public int readNullableBytes()
    {
        if (!ensure(SIZE_OF_INT))
        {
            return 0;
        }
        final int length = buffer.getInt(position, ORDER);
        return value(length, SIZE_OF_INT);
    }

    public int readCompactBytes()
    {
        final int start = position;
        return nonNull(readCompactNullableBytes(), start);
    }

    /**
     * @return the length, or {@link #NULL_LENGTH}; the value starts at {@link #valueOffset()}.
     */
    public int readCompactNullableBytes()
    {
        return readCompactValue();
    }

    /**
     * @param minElementSize the fewest bytes one element can take, used to refuse impossible counts.
     * @return the element count of a non-nullable int32-counted array.
     */
    public int readArrayLength(final int minElementSize)
    {
        final int start = position;
        return nonNull(readNullableArrayLength(minElementSize), start);
    }

    /**
     * @param minElementSize the fewest bytes one element can take, used to refuse impossible counts.
     * @return the element count, or {@link #NULL_LENGTH}.
     */
    public int readNullableArrayLength(final int minElementSize)
    {
        final int count = readInt32();
        if (errorCode != 0)
        {
            return 0;
        }
        return checkCount(count, minElementSize, SIZE_OF_INT);
    }

    public int readCompactArrayLength(final int minElementSize)
    {
        final int start = position;
        return nonNull(readCompactNullableArrayLength(minElementSize), start);
    }

    /**
     * @return the element count, or {@link #NULL_LENGTH}.
     */
    public int readCompactNullableArrayLength(final int minElementSize)
    {
        final int start = position;
        final int countPlusOne = readUnsignedVarint();
        if (errorCode != 0)
        {
            return 0;
        }
        if (countPlusOne < 0)
        {
            position = start;
            fail(WireError.COUNT_TOO_LARGE);
            return 0;
        }
        return checkCount(countPlusOne - 1, minElementSize, position - start);
    }

    /**
     * Reads the count that opens a tagged-field section. The caller then reads, per field, the tag and the size
     * with {@link #readUnsignedVarint()} and either decodes the field or {@link #skip(int)}s it.
     *
     * @return the number of tagged fields.
     */
    public int readTaggedFieldCount()
    {
        final int start = position;
        final int count = readUnsignedVarint();
        if (errorCode != 0)
        {
            return 0;
        }
        if (count < 0 || (long)count * MIN_TAGGED_FIELD_SIZE > limit - position)
        {
            position = start;
            fail(WireError.COUNT_TOO_LARGE);
            return 0;
        }
        return count;
    }

    /**
     * Reads the size that follows a tag and checks that the field fits in the input.
     *
     * @return the size of the tagged field's value.
     */
    public int readTaggedFieldSize()
    {
        final int start = position;
        final int size = readUnsignedVarint();
        if (errorCode != 0)
        {
            return 0;
        }
        if (size < 0 || size > limit - position)
        {
            position = start;
            fail(WireError.TRUNCATED);
            return 0;
        }
        return size;
    }

    /**
     * Skips a whole tagged-field section: none of its tags is known to the caller.
     */
    public void skipTaggedFields()
    {
        final int count = readTaggedFieldCount();
        for (int i = 0; i < count && errorCode == 0; i++)
        {
            readUnsignedVarint();
            skip(readTaggedFieldSize());
        }
    }

    /**
     * Claims a block of fixed-size fields in one limit check, for a decoder that then reads them at explicit
     * offsets from the returned index.
     *
     * @return the index of the block's first byte, or -1 (with an error set) when it does not fit.
     */
    public int claim(final int length)
    {
        if (!ensure(length))
        {
            return -1;
        }
        final int index = position;
        position += length;
        return index;
    }

    /**
     * Skips bytes, for fields the caller does not need.
     */
    public void skip(final int length)
    {
        if (length < 0)
        {
            fail(WireError.NEGATIVE_LENGTH);
            return;
        }
        if (ensure(length))
        {
            position += length;
        }
    }

    private boolean ensure(final int length)
    {
        if (errorCode != 0)
        {
            return false;
        }
        if (limit - position < length)
        {
            fail(WireError.TRUNCATED);
            return false;
        }
        return true;
    }

    private int readCompactValue()
    {
        final int start = position;
        final int lengthPlusOne = readUnsignedVarint();
        if (errorCode != 0)
        {
            return 0;
        }
        if (lengthPlusOne == 0)
        {
            valueOffset = position;
            return NULL_LENGTH;
        }
        final int length = lengthPlusOne - 1;
        if (lengthPlusOne < 0 || length > limit - position)
        {
            position = start;
            fail(WireError.TRUNCATED);
            return 0;
        }
        valueOffset = position;
        position += length;
        return length;
    }

    private int value(final int length, final int prefixSize)
    {
        if (length == NULL_LENGTH)
        {
            position += prefixSize;
            valueOffset = position;
            return NULL_LENGTH;
        }
        if (length < 0)
        {
            fail(WireError.NEGATIVE_LENGTH);
            return 0;
        }
        if (length > limit - position - prefixSize)
        {
            fail(WireError.TRUNCATED);
            return 0;
        }
        position += prefixSize;
        valueOffset = position;
        position += length;
        return length;
    }

    private int checkCount(final int count, final int minElementSize, final int prefixSize)
    {
        if (count == NULL_LENGTH)
        {
            return NULL_LENGTH;
        }
        if (count < 0)
        {
            position -= prefixSize;
            fail(WireError.NEGATIVE_LENGTH);
            return 0;
        }
        if ((long)count * minElementSize > limit - position)
        {
            position -= prefixSize;
            fail(WireError.COUNT_TOO_LARGE);
            return 0;
        }
        return count;
    }

    private int nonNull(final int length, final int start)
    {
        if (length == NULL_LENGTH)
        {
            position = start;
            fail(WireError.UNEXPECTED_NULL);
            return 0;
        }
        return length;
    }

    public String toString()
    {
        return "WireReader{position=" + position + ", limit=" + limit + ", error=" + WireError.name(errorCode) + '}';
    }
}
