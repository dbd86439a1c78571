package io.loggia.net.fuzz;

/**
 * Where one field of a request frame lies, as {@link FieldMap} found it by walking the bytes with the API's
 * schema. Mutators pick spans by kind: a length prefix to lie about, a count to inflate, a string to corrupt, a
 * tagged-field section to extend, an array element to drop or repeat, a record batch to damage.
 * <pre>
 *   | prefix (length, count, tag header) | content ... |
 *   ^offset                              ^offset + prefixLength          ^offset + length
 * </pre>
 */
final class Span
{
    /** Fixed-width value: int8/16/32/64, uint16/32, boolean, float64, uuid. */
    static final int FIXED = 0;
    /** Zig-zag varint or varlong. */
    static final int VARINT = 1;
    /** String with an int16 length, -1 null. */
    static final int STRING = 2;
    /** Compact string: uvarint length + 1, 0 null. */
    static final int COMPACT_STRING = 3;
    /** Bytes or records with an int32 length, -1 null. */
    static final int BYTES = 4;
    /** Compact bytes or records: uvarint length + 1, 0 null. */
    static final int COMPACT_BYTES = 5;
    /** Array with an int32 count, -1 null. */
    static final int ARRAY = 6;
    /** Compact array: uvarint count + 1, 0 null. */
    static final int COMPACT_ARRAY = 7;
    /** One element of an array, whole. */
    static final int ELEMENT = 8;
    /** A tagged-field section: uvarint count, then the fields. */
    static final int TAGGED_SECTION = 9;
    /** One tagged field: uvarint tag, uvarint size, payload. */
    static final int TAGGED_FIELD = 10;

    static final int KINDS = 11;

    final int kind;
    final int offset;
    final int length;
    final int prefixLength;
    /** The decoded length or count (-1 for null), or the width of a fixed or varint value. */
    final int value;
    /** Records rather than plain bytes (a record batch lies in the content). */
    final boolean records;
    final String name;
    /** For an {@link #ELEMENT}: its array's span (whose count it is one of); else null. */
    final Span array;

    Span(
        final int kind,
        final int offset,
        final int length,
        final int prefixLength,
        final int value,
        final boolean records,
        final String name,
        final Span array)
    {
        this.kind = kind;
        this.offset = offset;
        this.length = length;
        this.prefixLength = prefixLength;
        this.value = value;
        this.records = records;
        this.name = name;
        this.array = array;
    }

    int end()
    {
        return offset + length;
    }

    int contentOffset()
    {
        return offset + prefixLength;
    }

    int contentLength()
    {
        return length - prefixLength;
    }

    boolean isCompact()
    {
        return kind == COMPACT_STRING || kind == COMPACT_BYTES || kind == COMPACT_ARRAY;
    }

    public String toString()
    {
        return name + "[kind " + kind + " @" + offset + "+" + length + " prefix " + prefixLength + " value " + value +
            (records ? " records" : "") + "]";
    }
}
