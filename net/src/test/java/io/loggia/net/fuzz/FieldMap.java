package io.loggia.net.fuzz;

import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.types.ArrayOf;
import org.apache.kafka.common.protocol.types.BoundField;
import org.apache.kafka.common.protocol.types.CompactArrayOf;
import org.apache.kafka.common.protocol.types.Field;
import org.apache.kafka.common.protocol.types.Schema;
import org.apache.kafka.common.protocol.types.TaggedFields;
import org.apache.kafka.common.protocol.types.Type;

import java.util.ArrayList;
import java.util.List;

/**
 * The fields of a well-formed request frame (header and body, without the size prefix), found by walking its bytes
 * with kafka-clients' schema of the API and version: where every length, count, string, array element, tagged
 * field and record batch lies. Only seeds are walked, and seeds are well formed by construction, so anything
 * the walk does not expect is an error.
 */
final class FieldMap
{
    final List<Span> spans = new ArrayList<>();
    private final List<List<Span>> byKind = new ArrayList<>();
    private byte[] frame;
    private int position;

    private FieldMap()
    {
        for (int i = 0; i < Span.KINDS; i++)
        {
            byKind.add(new ArrayList<>());
        }
    }

    /** The fields of a frame whose header has this version and whose body is the API's at this version. */
    static FieldMap walk(final byte[] frame, final int apiKey, final short version, final short headerVersion)
    {
        final FieldMap map = new FieldMap();
        map.frame = frame;
        map.walk(RequestHeaderData.SCHEMAS[headerVersion], "header");
        map.walk(ApiMessageType.fromApiKey((short)apiKey).requestSchemas()[version], "body");
        if (map.position != frame.length)
        {
            throw new IllegalStateException("walked " + map.position + " of " + frame.length + " bytes");
        }
        map.frame = null;
        return map;
    }

    List<Span> ofKind(final int kind)
    {
        return byKind.get(kind);
    }

    private void add(final Span span)
    {
        spans.add(span);
        byKind.get(span.kind).add(span);
    }

    private void walk(final Type type, final String name)
    {
        final int start = position;
        if (type instanceof Schema)
        {
            for (final BoundField field : ((Schema)type).fields())
            {
                walk(field.def.type, field.def.name);
            }
        }
        else if (type instanceof TaggedFields)
        {
            taggedFields((TaggedFields)type, name);
        }
        else if (type instanceof ArrayOf || type instanceof CompactArrayOf)
        {
            final boolean compact = type instanceof CompactArrayOf;
            final int count = compact ? readUnsignedVarint() - 1 : readInt();
            final int kind = compact ? Span.COMPACT_ARRAY : Span.ARRAY;
            add(new Span(kind, start, 0, position - start, count, false, name, null));
            final int countSpan = spans.size() - 1;
            final Type element = type.arrayElementType().orElseThrow();
            final List<Span> elements = new ArrayList<>();
            for (int i = 0; i < count; i++)
            {
                final int elementStart = position;
                walk(element, name);
                elements.add(
                    new Span(Span.ELEMENT, elementStart, position - elementStart, 0, i, false, name, null));
            }
            final Span array = replaceLength(countSpan, position - start);
            for (final Span span : elements)
            {
                add(new Span(Span.ELEMENT, span.offset, span.length, 0, span.value, false, name, array));
            }
        }
        else if (type == Type.BOOLEAN || type == Type.INT8)
        {
            fixed(1, name);
        }
        else if (type == Type.INT16 || type == Type.UINT16)
        {
            fixed(2, name);
        }
        else if (type == Type.INT32 || type == Type.UNSIGNED_INT32)
        {
            fixed(4, name);
        }
        else if (type == Type.INT64 || type == Type.FLOAT64)
        {
            fixed(8, name);
        }
        else if (type == Type.UUID)
        {
            fixed(16, name);
        }
        else if (type == Type.VARINT || type == Type.VARLONG)
        {
            while ((frame[position++] & 0x80) != 0)
            {
                // continuation bytes
            }
            add(new Span(Span.VARINT, start, position - start, 0, position - start, false, name, null));
        }
        else if (type == Type.STRING || type == Type.NULLABLE_STRING)
        {
            final int length = readShort();
            lengthPrefixed(Span.STRING, start, length, false, name);
        }
        else if (type == Type.COMPACT_STRING || type == Type.COMPACT_NULLABLE_STRING)
        {
            final int length = readUnsignedVarint() - 1;
            lengthPrefixed(Span.COMPACT_STRING, start, length, false, name);
        }
        else if (type == Type.BYTES || type == Type.NULLABLE_BYTES || type == Type.RECORDS ||
            type == Type.NULLABLE_RECORDS)
        {
            final int length = readInt();
            lengthPrefixed(Span.BYTES, start, length, type == Type.RECORDS || type == Type.NULLABLE_RECORDS, name);
        }
        else if (type == Type.COMPACT_BYTES || type == Type.COMPACT_NULLABLE_BYTES || type == Type.COMPACT_RECORDS ||
            type == Type.COMPACT_NULLABLE_RECORDS)
        {
            final int length = readUnsignedVarint() - 1;
            lengthPrefixed(Span.COMPACT_BYTES, start, length,
                type == Type.COMPACT_RECORDS || type == Type.COMPACT_NULLABLE_RECORDS, name);
        }
        else
        {
            throw new IllegalStateException("no walk for type " + type + " of " + name);
        }
    }

    private void taggedFields(final TaggedFields type, final String name)
    {
        final int start = position;
        final int count = readUnsignedVarint();
        add(new Span(Span.TAGGED_SECTION, start, 0, position - start, count, false, name, null));
        final int sectionSpan = spans.size() - 1;
        for (int i = 0; i < count; i++)
        {
            final int fieldStart = position;
            final int tag = readUnsignedVarint();
            final int size = readUnsignedVarint();
            final int payloadStart = position;
            final Field known = type.fields().get(tag);
            if (null != known)
            {
                walk(known.type, known.name);
                if (position != payloadStart + size)
                {
                    throw new IllegalStateException("tag " + tag + " of " + name + " is not " + size + " bytes");
                }
            }
            else
            {
                position += size;
            }
            add(new Span(Span.TAGGED_FIELD, fieldStart, position - fieldStart, payloadStart - fieldStart, tag,
                false, null == known ? name + ".tag" + tag : known.name, null));
        }
        replaceLength(sectionSpan, position - start);
    }

    private void fixed(final int width, final String name)
    {
        add(new Span(Span.FIXED, position, width, 0, width, false, name, null));
        position += width;
    }

    private void lengthPrefixed(
        final int kind, final int start, final int length, final boolean records, final String name)
    {
        final int prefix = position - start;
        position += Math.max(0, length);
        add(new Span(kind, start, position - start, prefix, length, records, name, null));
    }

    private Span replaceLength(final int index, final int length)
    {
        final Span old = spans.get(index);
        final Span span =
            new Span(old.kind, old.offset, length, old.prefixLength, old.value, old.records, old.name, null);
        spans.set(index, span);
        final List<Span> list = byKind.get(old.kind);
        list.set(list.indexOf(old), span);
        return span;
    }

    private int readShort()
    {
        final int value = (short)(((frame[position] & 0xFF) << 8) | (frame[position + 1] & 0xFF));
        position += 2;
        return value;
    }

    private int readInt()
    {
        final int value = ((frame[position] & 0xFF) << 24) | ((frame[position + 1] & 0xFF) << 16) |
            ((frame[position + 2] & 0xFF) << 8) | (frame[position + 3] & 0xFF);
        position += 4;
        return value;
    }

    private int readUnsignedVarint()
    {
        int value = 0;
        int shift = 0;
        int b;
        do
        {
            b = frame[position++] & 0xFF;
            value |= (b & 0x7F) << shift;
            shift += 7;
        }
        while ((b & 0x80) != 0);
        return value;
    }
}
