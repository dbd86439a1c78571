package io.loggia.codec.wire;

import org.agrona.MutableDirectBuffer;

/**
 * Sizes and writers of Kafka's variable-length integers at explicit offsets. Readers live in {@link WireReader},
 * which must also police the input limit.
 * <pre>
 *   unsigned varint (uvarint), 1..5 bytes, 7 bits a byte, least significant group first:
 *
 *   +-+-------------+ +-+-------------+       +-+-------------+
 *   |1| bits 0..6   | |1| bits 7..13  |  ...  |0| last group  |
 *   +-+-------------+ +-+-------------+       +-+-------------+
 *    ^ continuation bit: 1 = another byte follows
 *
 *   varint  (int32) = uvarint of the zig-zag value (n << 1) ^ (n >> 31), so small negatives stay short
 *   varlong (int64) = the same over 64 bits, 1..10 bytes
 * </pre>
 * The fifth byte of a uvarint carries bits 28..31 only, the tenth byte of a varlong bit 63 only: anything more
 * is rejected by the reader as {@link WireError#VARINT_TOO_LONG}.
 */
public final class Varints
{
    /** Longest encoding of a 32-bit uvarint or varint. */
    public static final int MAX_VARINT_LENGTH = 5;
    /** Longest encoding of a 64-bit varlong. */
    public static final int MAX_VARLONG_LENGTH = 10;

    private Varints()
    {
    }

    /**
     * @param value treated as unsigned 32 bits.
     * @return bytes of its uvarint encoding, 1..5.
     */
    public static int sizeOfUnsignedVarint(final int value)
    {
        // Each byte holds 7 bits: ceil(significant bits / 7), with zero taking one byte.
        final int bits = 32 - Integer.numberOfLeadingZeros(value | 1);
        return (bits + 6) / 7;
    }

    public static int sizeOfVarint(final int value)
    {
        return sizeOfUnsignedVarint(zigZag(value));
    }

    public static int sizeOfVarlong(final long value)
    {
        final long v = (value << 1) ^ (value >> 63);
        final int bits = 64 - Long.numberOfLeadingZeros(v | 1);
        return (bits + 6) / 7;
    }

    public static int zigZag(final int value)
    {
        return (value << 1) ^ (value >> 31);
    }

    public static int unZigZag(final int value)
    {
        return (value >>> 1) ^ -(value & 1);
    }

    /**
     * Writes a uvarint at an explicit index; the caller has checked capacity.
     *
     * @return bytes written.
     */
    public static int putUnsignedVarint(final MutableDirectBuffer buffer, final int index, final int value)
    {
        int v = value;
        int i = index;
        while ((v & ~0x7F) != 0)
        {
            buffer.putByte(i++, (byte)((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        buffer.putByte(i++, (byte)v);
        return i - index;
    }

    /**
     * Writes a zig-zag varlong at an explicit index; the caller has checked capacity.
     *
     * @return bytes written.
     */
    public static int putVarlong(final MutableDirectBuffer buffer, final int index, final long value)
    {
        long v = (value << 1) ^ (value >> 63);
        int i = index;
        while ((v & ~0x7FL) != 0)
        {
            buffer.putByte(i++, (byte)((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        buffer.putByte(i++, (byte)v);
        return i - index;
    }
}
