package io.loggia.codec.record;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class VarintTest
{
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[32]);

    @Test
    void encodesKnownValuesAsKafkaDocumentsThem()
    {
        assertEncoding(0, 0x00);
        assertEncoding(-1, 0x01);
        assertEncoding(1, 0x02);
        assertEncoding(-2, 0x03);
        assertEncoding(63, 0x7E);
        assertEncoding(-64, 0x7F);
        assertEncoding(64, 0x80, 0x01);
        assertEncoding(300, 0xD8, 0x04);
        assertEncoding(Integer.MAX_VALUE, 0xFE, 0xFF, 0xFF, 0xFF, 0x0F);
        assertEncoding(Integer.MIN_VALUE, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F);
    }

    @Test
    void encodesExtremeLongsInTenBytes()
    {
        assertThat(Varint.putVarlong(buffer, 0, Long.MIN_VALUE)).isEqualTo(10);
        assertThat(Varint.varlongLength(buffer, 0, 32)).isEqualTo(10);
        assertThat(Varint.getVarlong(buffer, 0)).isEqualTo(Long.MIN_VALUE);
        assertThat(Varint.sizeOfVarlong(Long.MAX_VALUE)).isEqualTo(10);
        assertThat(Varint.sizeOfVarlong(0)).isEqualTo(1);
    }

    @Test
    void varintLongerThanFiveBytesIsMalformed()
    {
        for (int i = 0; i < 5; i++)
        {
            buffer.putByte(i, (byte)0x80);
        }
        buffer.putByte(5, (byte)0x01);
        assertThat(Varint.varintLength(buffer, 0, 32)).isEqualTo(Varint.MALFORMED);
        assertThat(Varint.varlongLength(buffer, 0, 32)).isEqualTo(6);
    }

    @Test
    void varlongLongerThanTenBytesIsMalformed()
    {
        for (int i = 0; i < 10; i++)
        {
            buffer.putByte(i, (byte)0xFF);
        }
        buffer.putByte(10, (byte)0x01);
        assertThat(Varint.varlongLength(buffer, 0, 32)).isEqualTo(Varint.MALFORMED);
    }

    @Test
    void varintRunningPastTheLimitIsTruncated()
    {
        buffer.putByte(0, (byte)0x80);
        buffer.putByte(1, (byte)0x80);
        buffer.putByte(2, (byte)0x01);
        assertThat(Varint.varintLength(buffer, 0, 2)).isEqualTo(Varint.TRUNCATED);
        assertThat(Varint.varintLength(buffer, 0, 3)).isEqualTo(3);
        assertThat(Varint.varintLength(buffer, 3, 3)).isEqualTo(Varint.TRUNCATED);
        assertThat(Varint.varlongLength(buffer, 0, 1)).isEqualTo(Varint.TRUNCATED);
    }

    @Test
    void limitShorterThanMaximumStillReportsTruncationNotMalformation()
    {
        for (int i = 0; i < 8; i++)
        {
            buffer.putByte(i, (byte)0x80);
        }
        assertThat(Varint.varintLength(buffer, 0, 4)).isEqualTo(Varint.TRUNCATED);
        assertThat(Varint.varintLength(buffer, 0, 5)).isEqualTo(Varint.MALFORMED);
    }

    @Test
    void fifthByteHighBitsAreDroppedAsKafkaDoes()
    {
        buffer.putByte(0, (byte)0xFE);
        buffer.putByte(1, (byte)0xFF);
        buffer.putByte(2, (byte)0xFF);
        buffer.putByte(3, (byte)0xFF);
        buffer.putByte(4, (byte)0x7F);
        assertThat(Varint.varintLength(buffer, 0, 5)).isEqualTo(5);
        assertThat(Varint.getVarint(buffer, 0)).isEqualTo(Integer.MAX_VALUE);
    }

    private void assertEncoding(final int value, final int... bytes)
    {
        buffer.setMemory(0, 32, (byte)0);
        assertThat(Varint.putVarint(buffer, 0, value)).isEqualTo(bytes.length);
        assertThat(Varint.sizeOfVarint(value)).isEqualTo(bytes.length);
        for (int i = 0; i < bytes.length; i++)
        {
            assertThat(buffer.getByte(i) & 0xFF).as("byte %d of %d", i, value).isEqualTo(bytes[i]);
        }
        assertThat(Varint.varintLength(buffer, 0, bytes.length)).isEqualTo(bytes.length);
        assertThat(Varint.getVarint(buffer, 0)).isEqualTo(value);
    }
}
