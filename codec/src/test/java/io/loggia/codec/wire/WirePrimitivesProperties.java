package io.loggia.codec.wire;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.common.utils.internals.ByteUtils;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WirePrimitivesProperties
{
    private static final int SKIP_TAGGED_FIELDS = 19;

    private final WireReader reader = new WireReader();
    private final WireWriter writer = new WireWriter();

    @Property
    void unsignedVarintMatchesKafka(@ForAll final int value)
    {
        final ByteBuffer kafka = ByteBuffer.allocate(Varints.MAX_VARINT_LENGTH);
        ByteUtils.writeUnsignedVarint(value, kafka);
        final UnsafeBuffer ours = new UnsafeBuffer(new byte[Varints.MAX_VARINT_LENGTH]);
        writer.wrap(ours, 0).writeUnsignedVarint(value);

        assertThat(writer.position()).isEqualTo(kafka.position()).isEqualTo(ByteUtils.sizeOfUnsignedVarint(value))
            .isEqualTo(Varints.sizeOfUnsignedVarint(value));
        assertThat(Arrays.copyOf(ours.byteArray(), writer.position()))
            .isEqualTo(Arrays.copyOf(kafka.array(), kafka.position()));
        assertThat(reader.wrap(ours, 0, writer.position()).readUnsignedVarint()).isEqualTo(value);
        assertThat(reader.errorCode()).isZero();
        assertThat(reader.remaining()).isZero();
    }

    @Property
    void varintMatchesKafka(@ForAll final int value)
    {
        final ByteBuffer kafka = ByteBuffer.allocate(Varints.MAX_VARINT_LENGTH);
        ByteUtils.writeVarint(value, kafka);
        final UnsafeBuffer ours = new UnsafeBuffer(new byte[Varints.MAX_VARINT_LENGTH]);
        writer.wrap(ours, 0).writeVarint(value);

        assertThat(writer.position()).isEqualTo(kafka.position()).isEqualTo(Varints.sizeOfVarint(value));
        assertThat(Arrays.copyOf(ours.byteArray(), writer.position()))
            .isEqualTo(Arrays.copyOf(kafka.array(), kafka.position()));
        assertThat(reader.wrap(ours, 0, writer.position()).readVarint()).isEqualTo(value);
        assertThat(reader.errorCode()).isZero();
    }

    @Property
    void varlongMatchesKafka(@ForAll final long value)
    {
        final ByteBuffer kafka = ByteBuffer.allocate(Varints.MAX_VARLONG_LENGTH);
        ByteUtils.writeVarlong(value, kafka);
        final UnsafeBuffer ours = new UnsafeBuffer(new byte[Varints.MAX_VARLONG_LENGTH]);
        writer.wrap(ours, 0).writeVarlong(value);

        assertThat(writer.position()).isEqualTo(kafka.position()).isEqualTo(ByteUtils.sizeOfVarlong(value))
            .isEqualTo(Varints.sizeOfVarlong(value));
        assertThat(Arrays.copyOf(ours.byteArray(), writer.position()))
            .isEqualTo(Arrays.copyOf(kafka.array(), kafka.position()));
        assertThat(reader.wrap(ours, 0, writer.position()).readVarlong()).isEqualTo(value);
        assertThat(reader.errorCode()).isZero();
    }

    @Property
    void fixedWidthIntegersRoundTrip(
        @ForAll final byte int8, @ForAll final short int16, @ForAll final int int32, @ForAll final long int64,
        @ForAll final long uuidMsb, @ForAll final long uuidLsb)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1 + 2 + 4 + 8 + 16]);
        writer.wrap(buffer, 0);
        writer.writeInt8(int8);
        writer.writeInt16(int16);
        writer.writeInt32(int32);
        writer.writeInt64(int64);
        writer.writeUuid(uuidMsb, uuidLsb);
        assertThat(writer.errorCode()).isZero();

        final ByteBuffer kafka = ByteBuffer.wrap(buffer.byteArray());
        assertThat(kafka.get()).isEqualTo(int8);
        assertThat(kafka.getShort()).isEqualTo(int16);
        assertThat(kafka.getInt()).isEqualTo(int32);
        assertThat(kafka.getLong()).isEqualTo(int64);
        assertThat(kafka.getLong()).isEqualTo(uuidMsb);
        assertThat(kafka.getLong()).isEqualTo(uuidLsb);

        reader.wrap(buffer, 0, buffer.capacity());
        assertThat(reader.readInt8()).isEqualTo(int8);
        assertThat(reader.readInt16()).isEqualTo(int16);
        assertThat(reader.readInt32()).isEqualTo(int32);
        assertThat(reader.readInt64()).isEqualTo(int64);
        assertThat(reader.readInt64()).isEqualTo(uuidMsb);
        assertThat(reader.readInt64()).isEqualTo(uuidLsb);
        assertThat(reader.errorCode()).isZero();
        assertThat(reader.remaining()).isZero();
    }

    @Property
    void stringsAndBytesRoundTripInEveryEncoding(
        @ForAll @Size(max = 300) final byte[] value, @ForAll @IntRange(max = 7) final int offset)
    {
        final UnsafeBuffer source = new UnsafeBuffer(value);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[offset + 4 * (value.length + 5)]);
        writer.wrap(buffer, offset);
        writer.writeString(source, 0, value.length);
        writer.writeCompactString(source, 0, value.length);
        writer.writeBytes(source, 0, value.length);
        writer.writeCompactBytes(source, 0, value.length);
        assertThat(writer.errorCode()).isZero();

        reader.wrap(buffer, offset, writer.position());
        assertValue(reader.readString(), value);
        assertValue(reader.readCompactString(), value);
        assertValue(reader.readBytes(), value);
        assertValue(reader.readCompactBytes(), value);
        assertThat(reader.errorCode()).isZero();
        assertThat(reader.remaining()).isZero();
    }

    @Property
    void nullValuesRoundTrip(@ForAll @IntRange(max = 3) final int offset)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[offset + 16]);
        writer.wrap(buffer, offset);
        writer.writeNullableString(null);
        writer.writeCompactNullableString(null);
        writer.writeInt32(WireReader.NULL_LENGTH);
        writer.writeUnsignedVarint(0);
        writer.writeArrayLength(WireReader.NULL_LENGTH);
        writer.writeCompactArrayLength(WireReader.NULL_LENGTH);
        assertThat(writer.position() - offset).isEqualTo(2 + 1 + 4 + 1 + 4 + 1);

        reader.wrap(buffer, offset, writer.position());
        assertThat(reader.readNullableString()).isEqualTo(WireReader.NULL_LENGTH);
        assertThat(reader.readCompactNullableString()).isEqualTo(WireReader.NULL_LENGTH);
        assertThat(reader.readNullableBytes()).isEqualTo(WireReader.NULL_LENGTH);
        assertThat(reader.readCompactNullableBytes()).isEqualTo(WireReader.NULL_LENGTH);
        assertThat(reader.readNullableArrayLength(1)).isEqualTo(WireReader.NULL_LENGTH);
        assertThat(reader.readCompactNullableArrayLength(1)).isEqualTo(WireReader.NULL_LENGTH);
        assertThat(reader.errorCode()).isZero();
        assertThat(reader.remaining()).isZero();
    }

    @Property
    void arrayLengthsRoundTrip(@ForAll @IntRange(max = 1000) final int count)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[16 + count]);
        writer.wrap(buffer, 0);
        writer.writeArrayLength(count);
        writer.writeCompactArrayLength(count);
        final int end = writer.position() + count;
        reader.wrap(buffer, 0, end);
        assertThat(reader.readArrayLength(1)).isEqualTo(count);
        assertThat(reader.readCompactArrayLength(1)).isEqualTo(count);
        assertThat(reader.errorCode()).isZero();
        // One byte short of what count elements of one byte each need.
        reader.wrap(buffer, 0, end - 1);
        reader.readArrayLength(1);
        if (count > 0)
        {
            assertThat(reader.readCompactArrayLength(1)).isZero();
            assertThat(reader.errorCode()).isEqualTo(WireError.COUNT_TOO_LARGE);
        }
    }

    @Property
    void taggedFieldsAreSkipped(@ForAll @Size(max = 5) final List<@Size(max = 200) byte[]> fields)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024 + 5]);
        writer.wrap(buffer, 0);
        writer.writeUnsignedVarint(fields.size());
        for (int i = 0; i < fields.size(); i++)
        {
            writer.writeUnsignedVarint(i * 100);
            writer.writeUnsignedVarint(fields.get(i).length);
            writer.writeRaw(new UnsafeBuffer(fields.get(i)), 0, fields.get(i).length);
        }
        writer.writeInt8(0x5A);
        reader.wrap(buffer, 0, writer.position());
        reader.skipTaggedFields();
        assertThat(reader.readInt8()).isEqualTo((byte)0x5A);
        assertThat(reader.errorCode()).isZero();
    }

    @Property
    void readsOfArbitraryBytesNeverThrowNorLeaveTheLimits(
        @ForAll @Size(max = 64) final byte[] input,
        @ForAll @Size(max = 20) final List<@IntRange(max = 20) Integer> operations)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(input);
        reader.wrap(buffer, 0, input.length);
        for (final int operation : operations)
        {
            final int before = reader.position();
            final int result = read(operation);
            assertThat(reader.position()).isBetween(before, input.length);
            if (reader.hasError())
            {
                assertThat(result).isZero();
                if (operation != SKIP_TAGGED_FIELDS)
                {
                    assertThat(reader.position()).isEqualTo(before);
                }
            }
            else if (result >= 0 && isLengthRead(operation))
            {
                assertThat(reader.valueOffset() + result).isLessThanOrEqualTo(input.length);
            }
        }
    }

    @Property
    void writesPastTheLimitSetAnErrorAndWriteNothing(
        @ForAll @IntRange(max = 12) final int capacity,
        @ForAll @Size(max = 10) final List<@IntRange(max = 9) Integer> operations)
    {
        final byte[] bytes = new byte[capacity + 8];
        Arrays.fill(bytes, (byte)0x77);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        writer.wrap(buffer, 0, capacity);
        final UnsafeBuffer source = new UnsafeBuffer(new byte[5]);
        for (final int operation : operations)
        {
            switch (operation)
            {
                case 0: writer.writeInt8(1); break;
                case 1: writer.writeInt16(1); break;
                case 2: writer.writeInt32(1); break;
                case 3: writer.writeInt64(1); break;
                case 4: writer.writeUnsignedVarint(-1); break;
                case 5: writer.writeVarlong(Long.MIN_VALUE); break;
                case 6: writer.writeString(source, 0, 5); break;
                case 7: writer.writeCompactBytes(source, 0, 5); break;
                case 8: writer.writeUuid(1, 2); break;
                default: writer.writeEmptyTaggedFields(); break;
            }
            assertThat(writer.position()).isLessThanOrEqualTo(capacity);
        }
        for (int i = capacity; i < bytes.length; i++)
        {
            assertThat(bytes[i]).isEqualTo((byte)0x77);
        }
    }

    @Property
    void utf8EqualityAgreesWithStringEncoding(
        @ForAll("names") final String name, @ForAll("names") final String other)
    {
        final byte[] encoded = name.getBytes(StandardCharsets.UTF_8);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[encoded.length + 3]);
        buffer.putBytes(3, encoded);

        assertThat(WireStrings.equals(buffer, 3, encoded.length, name)).isTrue();
        assertThat(WireStrings.equals(buffer, 3, encoded.length, encoded)).isTrue();
        final byte[] otherEncoded = other.getBytes(StandardCharsets.UTF_8);
        final boolean same = Arrays.equals(encoded, otherEncoded);
        assertThat(WireStrings.equals(buffer, 3, encoded.length, other)).isEqualTo(same);
        assertThat(WireStrings.equals(buffer, 3, encoded.length, otherEncoded)).isEqualTo(same);
        assertThat(WireStrings.hash(buffer, 3, encoded.length)).isEqualTo(Arrays.hashCode(encoded))
            .isEqualTo(WireStrings.hash(encoded));
    }

    @Provide
    Arbitrary<String> names()
    {
        return Arbitraries.oneOf(
            Arbitraries.strings().withChars("ab.-_").ofMaxLength(4),
            Arbitraries.strings().all().ofMaxLength(6),
            Arbitraries.of("\uD83D\uDE00", "\uD83D", "\uDE00x", "é", "日本", "?"));
    }

    private int read(final int operation)
    {
        switch (operation)
        {
            case 0: return reader.readInt8();
            case 1: return reader.readInt16();
            case 2: return reader.readInt32();
            case 3: return (int)reader.readInt64();
            case 4: return reader.readUnsignedVarint();
            case 5: return reader.readVarint();
            case 6: return (int)reader.readVarlong();
            case 7: return reader.readString();
            case 8: return reader.readNullableString();
            case 9: return reader.readCompactString();
            case 10: return reader.readCompactNullableString();
            case 11: return reader.readBytes();
            case 12: return reader.readNullableBytes();
            case 13: return reader.readCompactBytes();
            case 14: return reader.readCompactNullableBytes();
            case 15: return reader.readArrayLength(1);
            case 16: return reader.readNullableArrayLength(4);
            case 17: return reader.readCompactArrayLength(1);
            case 18: return reader.readCompactNullableArrayLength(8);
            case SKIP_TAGGED_FIELDS: reader.skipTaggedFields(); return 0;
            default: return reader.readTaggedFieldCount();
        }
    }

    private static boolean isLengthRead(final int operation)
    {
        return operation >= 7 && operation <= 14;
    }

    private void assertValue(final int length, final byte[] expected)
    {
        assertThat(length).isEqualTo(expected.length);
        final byte[] actual = new byte[length];
        reader.buffer().getBytes(reader.valueOffset(), actual);
        assertThat(actual).isEqualTo(expected);
    }
}
