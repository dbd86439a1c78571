package io.loggia.codec.record;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.loggia.codec.record.TestRecord.utf8;
import static org.assertj.core.api.Assertions.assertThat;

class RecordTest
{
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
    private final Record record = new Record();

    @Test
    void parsesEveryFieldOfAWellFormedRecord()
    {
        final int size = new RawRecord().rawByte(0).varlong(-70_000L).varint(3)
            .varint(3).bytes(utf8("key"))
            .varint(5).bytes(utf8("value"))
            .varint(2)
            .varint(1).bytes(utf8("a")).varint(-1)
            .varint(2).bytes(utf8("bb")).varint(2).bytes(utf8("xy"))
            .writeTo(buffer, 10);

        assertThat(record.wrap(buffer, 10, 10 + size)).isEqualTo(Record.VALID);
        assertThat(record.offset()).isEqualTo(10);
        assertThat(record.sizeInBytes()).isEqualTo(size);
        assertThat(record.timestampDelta()).isEqualTo(-70_000L);
        assertThat(record.timestamp(1_000_000L)).isEqualTo(930_000L);
        assertThat(record.offsetDelta()).isEqualTo(3);
        assertThat(record.logOffset(100L)).isEqualTo(103L);
        assertThat(record.key()).isEqualTo(utf8("key"));
        assertThat(buffer.getStringWithoutLengthUtf8(record.keyOffset(), record.keyLength())).isEqualTo("key");
        assertThat(record.value()).isEqualTo(utf8("value"));
        assertThat(record.headerCount()).isEqualTo(2);

        final RecordHeader header = record.headers(new RecordHeader());
        assertThat(header.next()).isTrue();
        assertThat(header.key()).isEqualTo("a");
        assertThat(header.hasValue()).isFalse();
        assertThat(header.valueLength()).isEqualTo(-1);
        assertThat(header.value()).isNull();
        assertThat(header.next()).isTrue();
        assertThat(header.key()).isEqualTo("bb");
        assertThat(header.value()).isEqualTo(utf8("xy"));
        assertThat(header.next()).isFalse();
        assertThat(record.toString()).contains("offsetDelta: 3").contains("headerKeys: [a, bb]");
    }

    @Test
    void nullKeyAndValueHaveLengthMinusOne()
    {
        final int size = RawRecord.simple(0, 0, null, null).writeTo(buffer, 0);
        assertThat(size).isEqualTo(BatchValidator.MIN_RECORD_SIZE);
        assertThat(record.wrap(buffer, 0, size)).isEqualTo(Record.VALID);
        assertThat(record.hasKey()).isFalse();
        assertThat(record.keyLength()).isEqualTo(-1);
        assertThat(record.key()).isNull();
        assertThat(record.hasValue()).isFalse();
        assertThat(record.value()).isNull();
        assertThat(record.headers(new RecordHeader()).next()).isFalse();
    }

    @Test
    void recordPastTheLimitIsTruncated()
    {
        final int size = RawRecord.simple(1, 0, utf8("k"), utf8("value")).writeTo(buffer, 0);
        assertThat(record.wrap(buffer, 0, size - 1)).isEqualTo(Record.TRUNCATED);
        assertThat(record.wrap(buffer, 0, 0)).isEqualTo(Record.TRUNCATED);
        assertThat(record.wrap(buffer, size, size)).isEqualTo(Record.TRUNCATED);
    }

    @Test
    void aLimitPastTheBufferIsTruncatedAndOffHeapBuffersParseAlike()
    {
        final int size = RawRecord.simple(1, 7, utf8("k"), utf8("value")).writeTo(buffer, 0);
        final UnsafeBuffer direct = new UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(size));
        direct.putBytes(0, buffer, 0, size);
        assertThat(record.wrap(direct, 0, size + 1)).isEqualTo(Record.TRUNCATED);
        assertThat(record.wrap(direct, -1, size)).isEqualTo(Record.TRUNCATED);
        assertThat(record.wrap(direct, 0, size)).isEqualTo(Record.VALID);
        assertThat(record.sizeInBytes()).isEqualTo(size);
        assertThat(record.key()).isEqualTo(utf8("k"));
        assertThat(record.value()).isEqualTo(utf8("value"));
    }

    @Test
    void lengthVarintPastTheLimitIsTruncated()
    {
        final RawRecord big = RawRecord.simple(0, 0, null, new byte[200]);
        big.writeTo(buffer, 0);
        assertThat(record.wrap(buffer, 0, 1)).isEqualTo(Record.TRUNCATED);
    }

    @Test
    void overlongVarintsAreMalformed()
    {
        for (int i = 0; i < 6; i++)
        {
            buffer.putByte(i, (byte)0x80);
        }
        assertThat(record.wrap(buffer, 0, 64)).isEqualTo(Record.MALFORMED_VARINT);

        final RawRecord body = new RawRecord().rawByte(0);
        for (int i = 0; i < 10; i++)
        {
            body.rawByte(0xFF);
        }
        body.rawByte(0x01).varint(0).varint(-1).varint(-1).varint(0);
        final int size = body.writeTo(buffer, 0);
        assertThat(record.wrap(buffer, 0, size)).isEqualTo(Record.MALFORMED_VARINT);
    }

    @Test
    void lengthBelowTheSmallestBodyIsBad()
    {
        buffer.putByte(0, (byte)0x0A);
        assertThat(record.wrap(buffer, 0, 64)).isEqualTo(Record.BAD_LENGTH);
        final int size = RawRecord.simple(0, 0, null, null).writeTo(buffer, 0, -1);
        assertThat(record.wrap(buffer, 0, size)).isEqualTo(Record.BAD_LENGTH);
    }

    @Test
    void lengthLongerThanTheFieldsIsBad()
    {
        final RawRecord body = RawRecord.simple(0, 0, utf8("k"), utf8("v"));
        final int size = body.writeTo(buffer, 0, body.bodyLength() + 1);
        assertThat(record.wrap(buffer, 0, size + 1)).isEqualTo(Record.BAD_LENGTH);
    }

    @Test
    void fieldsRunningPastTheLengthAreBad()
    {
        final RawRecord body = RawRecord.simple(0, 0, utf8("key"), utf8("value"));
        final int size = body.writeTo(buffer, 0, body.bodyLength() - 2);
        assertThat(record.wrap(buffer, 0, size + 16)).isEqualTo(Record.BAD_LENGTH);

        final RawRecord keyTooLong = new RawRecord().rawByte(0).varlong(0).varint(0).varint(50).bytes(utf8("short"));
        final int keySize = keyTooLong.writeTo(buffer, 0);
        assertThat(record.wrap(buffer, 0, keySize + 100)).isEqualTo(Record.BAD_LENGTH);
    }

    @Test
    void keyLengthBelowMinusOneIsBad()
    {
        final int size = new RawRecord().rawByte(0).varlong(0).varint(0).varint(-2).varint(-1).varint(0)
            .writeTo(buffer, 0);
        assertThat(record.wrap(buffer, 0, size)).isEqualTo(Record.BAD_KEY_LENGTH);
    }

    @Test
    void valueLengthBelowMinusOneIsBad()
    {
        final int size = new RawRecord().rawByte(0).varlong(0).varint(0).varint(-1).varint(-7).varint(0)
            .writeTo(buffer, 0);
        assertThat(record.wrap(buffer, 0, size)).isEqualTo(Record.BAD_VALUE_LENGTH);
    }

    @Test
    void negativeHeaderCountIsBad()
    {
        final int size = new RawRecord().rawByte(0).varlong(0).varint(0).varint(-1).varint(-1).varint(-1)
            .writeTo(buffer, 0);
        assertThat(record.wrap(buffer, 0, size)).isEqualTo(Record.BAD_HEADER_COUNT);
    }

    @Test
    void headerWithNullKeyOrBadValueLengthIsBad()
    {
        final int nullKey = new RawRecord().rawByte(0).varlong(0).varint(0).varint(-1).varint(-1)
            .varint(1).varint(-1).varint(1).bytes(utf8("v"))
            .writeTo(buffer, 0);
        assertThat(record.wrap(buffer, 0, nullKey)).isEqualTo(Record.BAD_HEADER);

        final int badValue = new RawRecord().rawByte(0).varlong(0).varint(0).varint(-1).varint(-1)
            .varint(1).varint(1).bytes(utf8("k")).varint(-3)
            .writeTo(buffer, 0);
        assertThat(record.wrap(buffer, 0, badValue)).isEqualTo(Record.BAD_HEADER);
    }

    @Test
    void moreHeadersThanBytesIsBadLength()
    {
        final int size = new RawRecord().rawByte(0).varlong(0).varint(0).varint(-1).varint(-1)
            .varint(Integer.MAX_VALUE).varint(1).bytes(utf8("k")).varint(-1)
            .writeTo(buffer, 0);
        assertThat(record.wrap(buffer, 0, size)).isEqualTo(Record.BAD_LENGTH);
    }

    @Test
    void standaloneHeaderReportsItsOwnCodes()
    {
        final RecordHeader header = new RecordHeader();
        final UnsafeBuffer bytes = new UnsafeBuffer(new byte[16]);
        int length = Varint.putVarint(bytes, 0, 3);
        bytes.putBytes(length, utf8("abc"));
        length += 3;
        length += Varint.putVarint(bytes, length, 2);
        bytes.putBytes(length, utf8("xy"));
        length += 2;
        assertThat(header.wrap(bytes, 0, length)).isEqualTo(Record.VALID);
        assertThat(header.sizeInBytes()).isEqualTo(length);
        assertThat(header.toString()).isEqualTo("abc=xy");
        assertThat(header.wrap(bytes, 0, length - 1)).isEqualTo(Record.TRUNCATED);
        assertThat(header.wrap(bytes, 0, 2)).isEqualTo(Record.TRUNCATED);

        Varint.putVarint(bytes, 0, -1);
        assertThat(header.wrap(bytes, 0, length)).isEqualTo(Record.BAD_HEADER);
    }

    @Test
    void everyCodeHasADescription()
    {
        for (int code = Record.VALID; code <= Record.BAD_HEADER; code++)
        {
            assertThat(Record.describe(code)).doesNotStartWith("unknown");
        }
    }
}
