package io.loggia.codec.record;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

/** Writes record bytes field by field, so tests can forge any malformation the builder would never make. */
final class RawRecord
{
    private final ExpandableArrayBuffer body = new ExpandableArrayBuffer(64);
    private int length;

    RawRecord rawByte(final int value)
    {
        body.putByte(length++, (byte)value);
        return this;
    }

    RawRecord varint(final int value)
    {
        length += Varint.putVarint(body, length, value);
        return this;
    }

    RawRecord varlong(final long value)
    {
        length += Varint.putVarlong(body, length, value);
        return this;
    }

    RawRecord bytes(final byte[] bytes)
    {
        body.putBytes(length, bytes);
        length += bytes.length;
        return this;
    }

    /** A well-formed record body: attributes 0, the given deltas, key and value, no headers. */
    static RawRecord simple(final long timestampDelta, final int offsetDelta, final byte[] key, final byte[] value)
    {
        final RawRecord record = new RawRecord().rawByte(0).varlong(timestampDelta).varint(offsetDelta);
        record.varint(key == null ? -1 : key.length);
        if (key != null)
        {
            record.bytes(key);
        }
        record.varint(value == null ? -1 : value.length);
        if (value != null)
        {
            record.bytes(value);
        }
        return record.varint(0);
    }

    int bodyLength()
    {
        return length;
    }

    /** Writes the length prefix (the true body length) and the body. @return bytes written. */
    int writeTo(final MutableDirectBuffer buffer, final int offset)
    {
        return writeTo(buffer, offset, length);
    }

    /** Writes {@code lengthField} as the length prefix, then the body. @return bytes written. */
    int writeTo(final MutableDirectBuffer buffer, final int offset, final int lengthField)
    {
        final int prefix = Varint.putVarint(buffer, offset, lengthField);
        buffer.putBytes(offset + prefix, body, 0, length);
        return prefix + length;
    }
}
