package io.loggia.codec.record;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.common.utils.internals.ByteUtils;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

class VarintProperties
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[16]);

    @Property
    void varintRoundTripsAndMatchesKafka(@ForAll final int value, @ForAll final byte offsetSeed)
    {
        final int offset = offsetSeed & 3;
        final int written = Varint.putVarint(buffer, offset, value);
        assertThat(written).isEqualTo(Varint.sizeOfVarint(value));
        assertThat(Varint.varintLength(buffer, offset, offset + written)).isEqualTo(written);
        assertThat(Varint.varintLength(buffer, offset, offset + written - 1)).isEqualTo(Varint.TRUNCATED);
        assertThat(Varint.getVarint(buffer, offset)).isEqualTo(value);

        final ByteBuffer kafka = ByteBuffer.allocate(16);
        ByteUtils.writeVarint(value, kafka);
        assertThat(kafka.position()).isEqualTo(written);
        for (int i = 0; i < written; i++)
        {
            assertThat(buffer.getByte(offset + i)).isEqualTo(kafka.get(i));
        }
        assertThat(ByteUtils.sizeOfVarint(value)).isEqualTo(written);
    }

    @Property
    void varlongRoundTripsAndMatchesKafka(@ForAll final long value)
    {
        final int written = Varint.putVarlong(buffer, 1, value);
        assertThat(written).isEqualTo(Varint.sizeOfVarlong(value));
        assertThat(Varint.varlongLength(buffer, 1, 1 + written)).isEqualTo(written);
        assertThat(Varint.getVarlong(buffer, 1)).isEqualTo(value);

        final ByteBuffer kafka = ByteBuffer.allocate(16);
        ByteUtils.writeVarlong(value, kafka);
        kafka.flip();
        assertThat(kafka.remaining()).isEqualTo(written);
        assertThat(ByteUtils.readVarlong(kafka)).isEqualTo(value);
        for (int i = 0; i < written; i++)
        {
            assertThat(buffer.getByte(1 + i)).isEqualTo(kafka.get(i));
        }
    }

    @Property
    void unsignedFormsRoundTrip(@ForAll final int intValue, @ForAll final long longValue)
    {
        final int intWritten = Varint.putUnsignedVarint(buffer, 0, intValue);
        assertThat(intWritten).isEqualTo(Varint.sizeOfUnsignedVarint(intValue));
        assertThat(Varint.varintLength(buffer, 0, 16)).isEqualTo(intWritten);
        assertThat(Varint.getUnsignedVarint(buffer, 0)).isEqualTo(intValue);

        final int longWritten = Varint.putUnsignedVarlong(buffer, 0, longValue);
        assertThat(longWritten).isEqualTo(Varint.sizeOfUnsignedVarlong(longValue));
        assertThat(Varint.varlongLength(buffer, 0, 16)).isEqualTo(longWritten);
        assertThat(Varint.getUnsignedVarlong(buffer, 0)).isEqualTo(longValue);
    }

    @Property
    void arbitraryBytesNeverThrowAndDecodeWithinBounds(@ForAll final byte[] bytes)
    {
        final UnsafeBuffer input = new UnsafeBuffer(bytes);
        final int intLength = Varint.varintLength(input, 0, bytes.length);
        if (intLength > 0)
        {
            assertThat(intLength).isBetween(1, Math.min(bytes.length, Varint.MAX_VARINT_LENGTH));
            Varint.getVarint(input, 0);
        }
        else
        {
            assertThat(intLength).isIn(Varint.MALFORMED, Varint.TRUNCATED);
        }
        final int longLength = Varint.varlongLength(input, 0, bytes.length);
        if (longLength > 0)
        {
            assertThat(longLength).isBetween(1, Math.min(bytes.length, Varint.MAX_VARLONG_LENGTH));
            Varint.getVarlong(input, 0);
        }
        else
        {
            assertThat(longLength).isIn(Varint.MALFORMED, Varint.TRUNCATED);
        }
    }
}
