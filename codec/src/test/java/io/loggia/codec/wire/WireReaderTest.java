package io.loggia.codec.wire;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WireReaderTest
{
    private final WireReader reader = new WireReader();

    @Test
    void refusesAnUnsignedVarintLongerThanFiveBytes()
    {
        read(0x80, 0x80, 0x80, 0x80, 0x80, 0x01);
        assertThat(reader.readUnsignedVarint()).isZero();
        assertThat(reader.errorCode()).isEqualTo(WireError.VARINT_TOO_LONG);
        assertThat(reader.position()).isZero();
    }

    @Test
    void refusesAFifthVarintByteWithBitsBeyondThirtyTwo()
    {
        read(0xFF, 0xFF, 0xFF, 0xFF, 0x1F);
        reader.readUnsignedVarint();
        assertThat(reader.errorCode()).isEqualTo(WireError.VARINT_TOO_LONG);

        read(0xFF, 0xFF, 0xFF, 0xFF, 0x0F);
        assertThat(reader.readUnsignedVarint()).isEqualTo(-1);
        assertThat(reader.errorCode()).isZero();
    }

    @Test
    void refusesAVarlongLongerThanTenBytes()
    {
        read(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02);
        reader.readVarlong();
        assertThat(reader.errorCode()).isEqualTo(WireError.VARINT_TOO_LONG);

        read(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01);
        assertThat(reader.readVarlong()).isEqualTo(Long.MIN_VALUE);
        assertThat(reader.errorCode()).isZero();
    }

    @Test
    void reportsAVarintCutByTheLimit()
    {
        read(0x80, 0x80);
        reader.readUnsignedVarint();
        assertThat(reader.errorCode()).isEqualTo(WireError.TRUNCATED);
    }

    @Test
    void refusesNegativeLengthsOtherThanNull()
    {
        read(0xFF, 0xFE, 'a', 'b');
        reader.readNullableString();
        assertThat(reader.errorCode()).isEqualTo(WireError.NEGATIVE_LENGTH);

        read(0x80, 0x00, 0x00, 0x00);
        reader.readNullableBytes();
        assertThat(reader.errorCode()).isEqualTo(WireError.NEGATIVE_LENGTH);

        read(0xFF, 0xFF, 0xFF, 0xFE);
        reader.readNullableArrayLength(1);
        assertThat(reader.errorCode()).isEqualTo(WireError.NEGATIVE_LENGTH);
    }

    @Test
    void refusesNullWhereTheSchemaForbidsIt()
    {
        read(0xFF, 0xFF);
        assertThat(reader.readString()).isZero();
        assertThat(reader.errorCode()).isEqualTo(WireError.UNEXPECTED_NULL);
        assertThat(reader.position()).isZero();

        read(0x00);
        reader.readCompactArrayLength(1);
        assertThat(reader.errorCode()).isEqualTo(WireError.UNEXPECTED_NULL);
    }

    @Test
    void refusesALengthPastTheLimit()
    {
        read(0x00, 0x03, 'a', 'b');
        reader.readString();
        assertThat(reader.errorCode()).isEqualTo(WireError.TRUNCATED);

        read(0x04, 'a', 'b');
        reader.readCompactString();
        assertThat(reader.errorCode()).isEqualTo(WireError.TRUNCATED);
    }

    @Test
    void refusesACompactLengthOfTwoGigabytesOrMore()
    {
        read(0xFF, 0xFF, 0xFF, 0xFF, 0x0F);
        reader.readCompactBytes();
        assertThat(reader.errorCode()).isEqualTo(WireError.TRUNCATED);
    }

    @Test
    void refusesCountsTheRemainingBytesCannotHold()
    {
        read(0x7F, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0);
        assertThat(reader.readArrayLength(1)).isZero();
        assertThat(reader.errorCode()).isEqualTo(WireError.COUNT_TOO_LARGE);

        read(0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        assertThat(reader.readCompactArrayLength(8)).isZero();
        assertThat(reader.errorCode()).isEqualTo(WireError.COUNT_TOO_LARGE);

        read(0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        assertThat(reader.readCompactArrayLength(8)).isEqualTo(2);
        assertThat(reader.errorCode()).isZero();

        read(0xFF, 0xFF, 0xFF, 0xFF, 0x0F);
        reader.readCompactArrayLength(1);
        assertThat(reader.errorCode()).isEqualTo(WireError.COUNT_TOO_LARGE);

        read(0x05, 0, 0, 0, 0, 0, 0, 0);
        reader.readTaggedFieldCount();
        assertThat(reader.errorCode()).isEqualTo(WireError.COUNT_TOO_LARGE);
    }

    @Test
    void refusesATaggedFieldLongerThanTheInput()
    {
        read(0x01, 0x00, 0x05, 'a', 'b');
        reader.skipTaggedFields();
        assertThat(reader.errorCode()).isEqualTo(WireError.TRUNCATED);
    }

    @Test
    void keepsTheFirstErrorAndReadsNothingAfterIt()
    {
        read(0x00, 0x01, 0x02);
        reader.readInt32();
        assertThat(reader.errorCode()).isEqualTo(WireError.TRUNCATED);
        assertThat(reader.readInt8()).isZero();
        reader.fail(WireError.COUNT_TOO_LARGE);
        assertThat(reader.errorCode()).isEqualTo(WireError.TRUNCATED);
        assertThat(reader.position()).isZero();
    }

    @Test
    void honoursALimitShorterThanTheBuffer()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[] {0, 0, 0, 1, 0, 0, 0, 2});
        reader.wrap(buffer, 2, 6);
        assertThat(reader.readInt32()).isEqualTo(0x0001_0000);
        reader.readInt8();
        assertThat(reader.errorCode()).isEqualTo(WireError.TRUNCATED);
    }

    @Test
    void refusesALimitPastTheBuffer()
    {
        reader.wrap(new UnsafeBuffer(new byte[4]), 0, 5);
        assertThat(reader.errorCode()).isEqualTo(WireError.TRUNCATED);
        assertThat(reader.readInt8()).isZero();
    }

    private void read(final int... bytes)
    {
        final byte[] input = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++)
        {
            input[i] = (byte)bytes[i];
        }
        reader.wrap(new UnsafeBuffer(input), 0, input.length);
    }
}
