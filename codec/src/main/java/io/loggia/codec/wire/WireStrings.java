package io.loggia.codec.wire;

import org.agrona.DirectBuffer;

/**
 * Compares and hashes strings where they lie in a request buffer, so the hot path can look a topic name up
 * without turning it into a {@link String}. A name is an (offset, length) pair as a {@link WireReader} or a
 * decoder reports it.
 */
public final class WireStrings
{
    private static final byte REPLACEMENT = '?';

    private WireStrings()
    {
    }

    /**
     * @return true when the bytes at {@code buffer[offset, offset + length)} equal {@code expected}.
     */
    public static boolean equals(final DirectBuffer buffer, final int offset, final int length, final byte[] expected)
    {
        if (length != expected.length)
        {
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (buffer.getByte(offset + i) != expected[i])
            {
                return false;
            }
        }
        return true;
    }

    /**
     * Compares UTF-8 bytes in a buffer with the UTF-8 encoding of {@code expected}, encoding one character at a
     * time instead of building a byte array. An unpaired surrogate counts as '?', as {@code String.getBytes}
     * encodes it.
     *
     * @return true when the bytes equal {@code expected} encoded as UTF-8.
     */
    public static boolean equals(
        final DirectBuffer buffer, final int offset, final int length, final CharSequence expected)
    {
        final int end = offset + length;
        int index = offset;
        final int chars = expected.length();
        for (int i = 0; i < chars; i++)
        {
            final char c = expected.charAt(i);
            if (c < 0x80)
            {
                if (index >= end || buffer.getByte(index++) != (byte)c)
                {
                    return false;
                }
            }
            else if (c < 0x800)
            {
                if (end - index < 2 ||
                    buffer.getByte(index++) != (byte)(0xC0 | (c >> 6)) ||
                    buffer.getByte(index++) != (byte)(0x80 | (c & 0x3F)))
                {
                    return false;
                }
            }
            else if (Character.isHighSurrogate(c) && i + 1 < chars && Character.isLowSurrogate(expected.charAt(i + 1)))
            {
                final int codePoint = Character.toCodePoint(c, expected.charAt(++i));
                if (end - index < 4 ||
                    buffer.getByte(index++) != (byte)(0xF0 | (codePoint >> 18)) ||
                    buffer.getByte(index++) != (byte)(0x80 | ((codePoint >> 12) & 0x3F)) ||
                    buffer.getByte(index++) != (byte)(0x80 | ((codePoint >> 6) & 0x3F)) ||
                    buffer.getByte(index++) != (byte)(0x80 | (codePoint & 0x3F)))
                {
                    return false;
                }
            }
            else if (Character.isSurrogate(c))
            {
                if (index >= end || buffer.getByte(index++) != REPLACEMENT)
                {
                    return false;
                }
            }
            else
            {
                if (end - index < 3 ||
                    buffer.getByte(index++) != (byte)(0xE0 | (c >> 12)) ||
                    buffer.getByte(index++) != (byte)(0x80 | ((c >> 6) & 0x3F)) ||
                    buffer.getByte(index++) != (byte)(0x80 | (c & 0x3F)))
                {
                    return false;
                }
            }
        }
        return index == end;
    }

    /**
     * Hashes bytes in a buffer with the same function as {@link java.util.Arrays#hashCode(byte[])}, so a name in
     * a request finds the entry a {@code byte[]} key was stored under.
     */
    public static int hash(final DirectBuffer buffer, final int offset, final int length)
    {
        int hash = 1;
        for (int i = 0; i < length; i++)
        {
            hash = 31 * hash + buffer.getByte(offset + i);
        }
        return hash;
    }

    /**
     * @return the same value as {@link java.util.Arrays#hashCode(byte[])}.
     */
    public static int hash(final byte[] bytes)
    {
        int hash = 1;
        for (final byte b : bytes)
        {
            hash = 31 * hash + b;
        }
        return hash;
    }
}
