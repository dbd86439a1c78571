package io.loggia.codec.record;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Base-128 varints as Kafka's record fields use them: seven value bits per byte, least significant group
 * first, the top bit set on every byte but the last.
 * <pre>
 *   value 300, zig-zag 600 = 0b100_1011000
 *   +-+-------------+ +-+-------------+
 *   |1|1 0 1 1 0 0 0| |0|0 0 0 0 1 0 0|   0xD8 0x04
 *   +-+-------------+ +-+-------------+
 *    ^  bits 0-6       ^  bits 7-13
 *    more follows      last byte
 * </pre>
 * Record fields are signed and zig-zag encoded first ({@code (n << 1) ^ (n >> 31)}), so small negative
 * numbers such as the -1 of a null key stay one byte long. The unsigned forms are what the wire protocol's
 * flexible versions use for compact lengths and tagged fields.
 * <p>
 * Reading is two steps so that no call needs to return two values: {@code varintLength} checks the bytes
 * and says how many there are, then {@code getVarint} decodes them. Malformed input is a negative return
 * code from the length methods, never an exception. Like Kafka's reader, the last permitted byte (the 5th of
 * an int, the 10th of a long) is accepted whole and its bits beyond the width are dropped.
 * <p>
 * Stateless and allocation-free.
 */
public final class Varint
{
    /** Longest encoding of a 32-bit value. */
    public static final int MAX_VARINT_LENGTH = 5;
    /** Longest encoding of a 64-bit value. */
    public static final int MAX_VARLONG_LENGTH = 10;

    /** More continuation bytes than the width allows. */
    public static final int MALFORMED = -1;
    /** The encoding runs past the limit. */
    public static final int TRUNCATED = -2;

    private static final int CONTINUATION_BIT = 0x80;
    private static final int VALUE_BITS = 0x7F;

    private Varint()
    {
    }

    /**
     * Number of bytes of the 32-bit varint at {@code offset}.
     *
     * @param limit index one past the last byte that may be read.
     * @return 1 to {@link #MAX_VARINT_LENGTH}, or {@link #MALFORMED} or {@link #TRUNCATED}.
     */
    public static int varintLength(final DirectBuffer buffer, final int offset, final int limit)
    {
        return encodedLength(buffer, offset, limit, MAX_VARINT_LENGTH);
    }

    /**
     * Number of bytes of the 64-bit varint at {@code offset}.
     *
     * @param limit index one past the last byte that may be read.
     * @return 1 to {@link #MAX_VARLONG_LENGTH}, or {@link #MALFORMED} or {@link #TRUNCATED}.
     */
    public static int varlongLength(final DirectBuffer buffer, final int offset, final int limit)
    {
        return encodedLength(buffer, offset, limit, MAX_VARLONG_LENGTH);
    }

    /** Zig-zag decoded 32-bit value at {@code offset}; the bytes must have passed {@link #varintLength}. */
    public static int getVarint(final DirectBuffer buffer, final int offset)
    {
        final int raw = getUnsignedVarint(buffer, offset);
        return (raw >>> 1) ^ -(raw & 1);
    }

    /** Zig-zag decoded 64-bit value at {@code offset}; the bytes must have passed {@link #varlongLength}. */
    public static long getVarlong(final DirectBuffer buffer, final int offset)
    {
        final long raw = getUnsignedVarlong(buffer, offset);
        return (raw >>> 1) ^ -(raw & 1);
    }

    /** Unsigned 32-bit value at {@code offset}; the bytes must have passed {@link #varintLength}. */
    public static int getUnsignedVarint(final DirectBuffer buffer, final int offset)
    {
        int value = 0;
        int shift = 0;
        int index = offset;
        int b;
        do
        {
            b = buffer.getByte(index++);
            value |= (b & VALUE_BITS) << shift;
            shift += 7;
        }
        while ((b & CONTINUATION_BIT) != 0 && shift < 7 * MAX_VARINT_LENGTH);
        return value;
    }

    /** Unsigned 64-bit value at {@code offset}; the bytes must have passed {@link #varlongLength}. */
    public static long getUnsignedVarlong(final DirectBuffer buffer, final int offset)
    {
        long value = 0;
        int shift = 0;
        int index = offset;
        int b;
        do
        {
            b = buffer.getByte(index++);
            value |= (long)(b & VALUE_BITS) << shift;
            shift += 7;
        }
        while ((b & CONTINUATION_BIT) != 0 && shift < 7 * MAX_VARLONG_LENGTH);
        return value;
    }

    /** Writes {@code value} zig-zag encoded at {@code offset}. @return bytes written. */
    public static int putVarint(final MutableDirectBuffer buffer, final int offset, final int value)
    {
        return putUnsignedVarint(buffer, offset, (value << 1) ^ (value >> 31));
    }

    /** Writes {@code value} zig-zag encoded at {@code offset}. @return bytes written. */
    public static int putVarlong(final MutableDirectBuffer buffer, final int offset, final long value)
    {
        return putUnsignedVarlong(buffer, offset, (value << 1) ^ (value >> 63));
    }

    /** Writes {@code value} as an unsigned varint at {@code offset}. @return bytes written. */
    public static int putUnsignedVarint(final MutableDirectBuffer buffer, final int offset, final int value)
    {
        int remaining = value;
        int index = offset;
        while ((remaining & ~VALUE_BITS) != 0)
        {
            buffer.putByte(index++, (byte)((remaining & VALUE_BITS) | CONTINUATION_BIT));
            remaining >>>= 7;
        }
        buffer.putByte(index++, (byte)remaining);
        return index - offset;
    }

    /** Writes {@code value} as an unsigned varlong at {@code offset}. @return bytes written. */
    public static int putUnsignedVarlong(final MutableDirectBuffer buffer, final int offset, final long value)
    {
        long remaining = value;
        int index = offset;
        while ((remaining & ~(long)VALUE_BITS) != 0)
        {
            buffer.putByte(index++, (byte)((remaining & VALUE_BITS) | CONTINUATION_BIT));
            remaining >>>= 7;
        }
        buffer.putByte(index++, (byte)remaining);
        return index - offset;
    }

    /** Encoded size of {@code value} after zig-zag. */
    public static int sizeOfVarint(final int value)
    {
        return sizeOfUnsignedVarint((value << 1) ^ (value >> 31));
    }

    /** Encoded size of {@code value} after zig-zag. */
    public static int sizeOfVarlong(final long value)
    {
        return sizeOfUnsignedVarlong((value << 1) ^ (value >> 63));
    }

    public static int sizeOfUnsignedVarint(final int value)
    {
        // One byte per started group of seven significant bits; zero still takes a byte.
        final int bits = Integer.SIZE - Integer.numberOfLeadingZeros(value | 1);
        return (bits + 6) / 7;
    }

    public static int sizeOfUnsignedVarlong(final long value)
    {
        final int bits = Long.SIZE - Long.numberOfLeadingZeros(value | 1);
        return (bits + 6) / 7;
    }

    private static int encodedLength(final DirectBuffer buffer, final int offset, final int limit, final int maxLength)
    {
        final int end = (int)Math.min((long)offset + maxLength, limit);
        for (int index = offset; index < end; index++)
        {
            if ((buffer.getByte(index) & CONTINUATION_BIT) == 0)
            {
                return index - offset + 1;
            }
        }
        return end - offset == maxLength ? MALFORMED : TRUNCATED;
    }
}
