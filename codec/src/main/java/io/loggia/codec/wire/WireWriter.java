package io.loggia.codec.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

import static org.agrona.BitUtil.SIZE_OF_BYTE;
import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;
import static org.agrona.BitUtil.SIZE_OF_SHORT;

/**
 * A writing cursor over Kafka's primitive types, the mirror of {@link WireReader} (which shows the layouts):
 * a buffer, a position, an exclusive limit and a sticky error code. A write that does not fit sets
 * {@link WireError#INSUFFICIENT_CAPACITY} and writes nothing; every later write is ignored, so an encoder
 * writes a run of fields and checks the code once.
 * <p>
 * Values come from a {@link DirectBuffer} range or a {@code byte[]}: a name taken from a request is echoed
 * into the response without ever becoming a {@link String}.
 * <p>
 * Not thread safe; one instance per thread, re-wrapped per message.
 */
public final class WireWriter
{
    private static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;

    private MutableDirectBuffer buffer;
    private int position;
    private int limit;
    private int errorCode;

    /**
     * Wraps for writing up to the buffer's capacity.
     */
    public WireWriter wrap(final MutableDirectBuffer buffer, final int offset)
    {
        return wrap(buffer, offset, buffer.capacity());
    }

    /**
     * @param buffer to write into.
     * @param offset of the first byte to write.
     * @param limit  index one past the last byte that may be written.
     * @return this.
     */
    public WireWriter wrap(final MutableDirectBuffer buffer, final int offset, final int limit)
    {
        this.buffer = buffer;
        this.position = offset;
        this.limit = limit;
        this.errorCode = offset < 0 || limit < offset || limit > buffer.capacity() ?
            WireError.INSUFFICIENT_CAPACITY : 0;
        return this;
    }

    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    public int position()
    {
        return position;
    }

    public int limit()
    {
        return limit;
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
     * Records an error found by the caller; the first error wins.
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

    public void writeInt8(final int value)
    {
        if (ensure(SIZE_OF_BYTE))
        {
            buffer.putByte(position, (byte)value);
            position += SIZE_OF_BYTE;
        }
    }

    public void writeInt16(final int value)
    {
        if (ensure(SIZE_OF_SHORT))
        {
            buffer.putShort(position, (short)value, ORDER);
            position += SIZE_OF_SHORT;
        }
    }

    public void writeInt32(final int value)
    {
        if (ensure(SIZE_OF_INT))
        {
            buffer.putInt(position, value, ORDER);
            position += SIZE_OF_INT;
        }
    }

    public void writeInt64(final long value)
    {
        if (ensure(SIZE_OF_LONG))
        {
            buffer.putLong(position, value, ORDER);
            position += SIZE_OF_LONG;
        }
    }

    public void writeUuid(final long mostSignificantBits, final long leastSignificantBits)
    {
        if (ensure(2 * SIZE_OF_LONG))
        {
            buffer.putLong(position, mostSignificantBits, ORDER);
            buffer.putLong(position + SIZE_OF_LONG, leastSignificantBits, ORDER);
            position += 2 * SIZE_OF_LONG;
        }
    }

    /**
     * @param value treated as unsigned 32 bits.
     */
    public void writeUnsignedVarint(final int value)
    {
        if (ensure(Varints.sizeOfUnsignedVarint(value)))
        {
            position += Varints.putUnsignedVarint(buffer, position, value);
        }
    }

    public void writeVarint(final int value)
    {
        writeUnsignedVarint(Varints.zigZag(value));
    }

    public void writeVarlong(final long value)
    {
        if (ensure(Varints.sizeOfVarlong(value)))
        {
            position += Varints.putVarlong(buffer, position, value);
        }
    }

    /**
     * A string with an int16 length; {@code length} must fit in 32767.
     */
    public void writeString(final DirectBuffer source, final int sourceOffset, final int length)
    {
        if (length > Short.MAX_VALUE)
        {
            fail(WireError.VALUE_TOO_LONG);
            return;
        }
        if (ensure(SIZE_OF_SHORT + length))
        {
            buffer.putShort(position, (short)length, ORDER);
            buffer.putBytes(position + SIZE_OF_SHORT, source, sourceOffset, length);
            position += SIZE_OF_SHORT + length;
        }
    }

    /**
     * A string with an int16 length, or null (-1) when {@code value} is null.
     */
    public void writeNullableString(final byte[] value)
    {
        if (value == null)
        {
            writeInt16(WireReader.NULL_LENGTH);
            return;
        }
        if (value.length > Short.MAX_VALUE)
        {
            fail(WireError.VALUE_TOO_LONG);
            return;
        }
        if (ensure(SIZE_OF_SHORT + value.length))
        {
            buffer.putShort(position, (short)value.length, ORDER);
            buffer.putBytes(position + SIZE_OF_SHORT, value);
            position += SIZE_OF_SHORT + value.length;
        }
    }

    /**
     * A compact string: uvarint length + 1, then the bytes.
     */
    public void writeCompactString(final DirectBuffer source, final int sourceOffset, final int length)
    {
        final int prefix = Varints.sizeOfUnsignedVarint(length + 1);
        if (ensure(prefix + length))
        {
            Varints.putUnsignedVarint(buffer, position, length + 1);
            buffer.putBytes(position + prefix, source, sourceOffset, length);
            position += prefix + length;
        }
    }

    /**
     * A compact string, or null (0) when {@code value} is null.
     */
    public void writeCompactNullableString(final byte[] value)
    {
        if (value == null)
        {
            writeUnsignedVarint(0);
            return;
        }
        final int prefix = Varints.sizeOfUnsignedVarint(value.length + 1);
        if (ensure(prefix + value.length))
        {
            Varints.putUnsignedVarint(buffer, position, value.length + 1);
            buffer.putBytes(position + prefix, value);
            position += prefix + value.length;
        }
    }

    /**
     * Bytes with an int32 length.
     */
    public void writeBytes(final DirectBuffer source, final int sourceOffset, final int length)
    {
        if (ensure(SIZE_OF_INT + length))
        {
            buffer.putInt(position, length, ORDER);
            buffer.putBytes(position + SIZE_OF_INT, source, sourceOffset, length);
            position += SIZE_OF_INT + length;
        }
    }

    /**
     * Compact bytes: uvarint length + 1, then the bytes.
     */
    public void writeCompactBytes(final DirectBuffer source, final int sourceOffset, final int length)
    {
        final int prefix = Varints.sizeOfUnsignedVarint(length + 1);
        if (ensure(prefix + length))
        {
            Varints.putUnsignedVarint(buffer, position, length + 1);
            buffer.putBytes(position + prefix, source, sourceOffset, length);
            position += prefix + length;
        }
    }

    /**
     * @param count elements that follow, or {@link WireReader#NULL_LENGTH} for a null array.
     */
    public void writeArrayLength(final int count)
    {
        writeInt32(count);
    }

    /**
     * @param count elements that follow, or {@link WireReader#NULL_LENGTH} for a null array.
     */
    public void writeCompactArrayLength(final int count)
    {
        writeUnsignedVarint(count + 1);
    }

    /**
     * The empty tagged-field section: a zero count.
     */
    public void writeEmptyTaggedFields()
    {
        writeInt8(0);
    }

    /**
     * Copies raw bytes, for a value whose length prefix the caller has already written.
     */
    public void writeRaw(final DirectBuffer source, final int sourceOffset, final int length)
    {
        if (ensure(length))
        {
            buffer.putBytes(position, source, sourceOffset, length);
            position += length;
        }
    }

    /**
     * Claims a block of fixed-size fields in one capacity check, for an encoder that then writes them at
     * explicit offsets from the returned index.
     *
     * @return the index of the block's first byte, or -1 (with {@link WireError#INSUFFICIENT_CAPACITY} set).
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
     * Backfills an int32 at an index already written, such as a frame size.
     */
    public void putInt32(final int index, final int value)
    {
        buffer.putInt(index, value, ORDER);
    }

    private boolean ensure(final int length)
    {
        if (errorCode != 0)
        {
            return false;
        }
        if (length < 0 || limit - position < length)
        {
            fail(WireError.INSUFFICIENT_CAPACITY);
            return false;
        }
        return true;
    }

    public String toString()
    {
        return "WireWriter{position=" + position + ", limit=" + limit + ", error=" + WireError.name(errorCode) + '}';
    }
}
