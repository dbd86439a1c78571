package io.loggia.net.fuzz;

import java.util.Arrays;

/**
 * A growable big-endian byte array writer for building and rebuilding request frames: the generator writes a
 * body field by field, the mutators splice replacement bytes into a copy of a frame.
 */
final class ByteSink
{
    private byte[] bytes;
    private int position;

    ByteSink(final int initialCapacity)
    {
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    int position()
    {
        return position;
    }

    ByteSink reset()
    {
        position = 0;
        return this;
    }

    byte[] toArray()
    {
        return Arrays.copyOf(bytes, position);
    }

    ByteSink putByte(final int value)
    {
        ensure(1);
        bytes[position++] = (byte)value;
        return this;
    }

    ByteSink putShort(final int value)
    {
        ensure(2);
        bytes[position++] = (byte)(value >>> 8);
        bytes[position++] = (byte)value;
        return this;
    }

    ByteSink putInt(final int value)
    {
        ensure(4);
        bytes[position++] = (byte)(value >>> 24);
        bytes[position++] = (byte)(value >>> 16);
        bytes[position++] = (byte)(value >>> 8);
        bytes[position++] = (byte)value;
        return this;
    }

    ByteSink putLong(final long value)
    {
        putInt((int)(value >>> 32));
        return putInt((int)value);
    }

    /** Unsigned varint: 7 bits per byte, least significant group first. */
    ByteSink putUnsignedVarint(final int value)
    {
        int v = value;
        while ((v & 0xFFFFFF80) != 0)
        {
            putByte((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        return putByte(v);
    }

    ByteSink putVarint(final int value)
    {
        return putUnsignedVarint((value << 1) ^ (value >> 31));
    }

    ByteSink putVarlong(final long value)
    {
        long v = (value << 1) ^ (value >> 63);
        while ((v & 0xFFFFFFFFFFFFFF80L) != 0)
        {
            putByte(((int)v & 0x7F) | 0x80);
            v >>>= 7;
        }
        return putByte((int)v);
    }

    ByteSink putBytes(final byte[] source)
    {
        return putBytes(source, 0, source.length);
    }

    ByteSink putBytes(final byte[] source, final int offset, final int length)
    {
        ensure(length);
        System.arraycopy(source, offset, bytes, position, length);
        position += length;
        return this;
    }

    static int sizeOfUnsignedVarint(final int value)
    {
        int size = 1;
        int v = value;
        while ((v & 0xFFFFFF80) != 0)
        {
            size++;
            v >>>= 7;
        }
        return size;
    }

    private void ensure(final int more)
    {
        if (position + more > bytes.length)
        {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, position + more));
        }
    }
}
