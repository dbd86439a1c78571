package io.loggia.codec.wire;

import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class HeaderTest
{
    private final RequestHeader header = new RequestHeader();

    @Test
    void decodesKafkaRequestHeadersOfEveryApiAndVersion()
    {
        int checked = 0;
        for (final org.apache.kafka.common.protocol.ApiKeys kafka : org.apache.kafka.common.protocol.ApiKeys.values())
        {
            if (!kafka.hasValidVersion())
            {
                continue;
            }
            for (short version = kafka.oldestVersion(); version <= kafka.latestVersion(true); version++)
            {
                for (final String clientId : new String[] {null, "", "producer-1", "clïent"})
                {
                    final byte[] frame = kafkaHeader(kafka.id, version, 42 + version, clientId,
                        kafka.requestHeaderVersion(version));
                    final UnsafeBuffer buffer = new UnsafeBuffer(frame);
                    assertThat(header.wrap(buffer, 0, frame.length - 3)).as(kafka.name).isZero();
                    assertThat(header.apiKey()).isEqualTo(kafka.id);
                    assertThat(header.apiVersion()).isEqualTo(version);
                    assertThat(header.correlationId()).isEqualTo(42 + version);
                    assertThat(header.headerVersion()).isEqualTo(kafka.requestHeaderVersion(version));
                    assertThat(header.bodyOffset()).isEqualTo(frame.length - 3);
                    if (clientId == null)
                    {
                        assertThat(header.clientIdLength()).isEqualTo(WireReader.NULL_LENGTH);
                    }
                    else
                    {
                        assertThat(WireStrings.equals(buffer, header.clientIdOffset(), header.clientIdLength(),
                            clientId)).isTrue();
                    }
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(1000);
    }

    @Test
    void skipsTaggedFieldsOfAHeaderVersionTwo()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final WireWriter writer = new WireWriter().wrap(buffer, 0);
        writer.writeInt16(ApiKeys.METADATA);
        writer.writeInt16(12);
        writer.writeInt32(7);
        writer.writeNullableString("c".getBytes(StandardCharsets.UTF_8));
        writer.writeUnsignedVarint(2);
        writer.writeUnsignedVarint(0);
        writer.writeUnsignedVarint(3);
        writer.writeInt8(1);
        writer.writeInt16(2);
        writer.writeUnsignedVarint(9);
        writer.writeUnsignedVarint(0);
        final int bodyOffset = writer.position();
        writer.writeInt32(0xCAFE);

        assertThat(header.wrap(buffer, 0, writer.position())).isZero();
        assertThat(header.headerVersion()).isEqualTo(2);
        assertThat(header.bodyOffset()).isEqualTo(bodyOffset);
        assertThat(header.encodedLength()).isEqualTo(bodyOffset);
    }

    @Test
    void reportsAnUnknownApiKeyWithItsCorrelationId()
    {
        final byte[] frame = {0x00, 0x05, 0x00, 0x01, 0x00, 0x00, 0x01, 0x02, (byte)0xFF, (byte)0xFF};
        assertThat(header.wrap(new UnsafeBuffer(frame), 0, frame.length)).isEqualTo(WireError.UNKNOWN_API_KEY);
        assertThat(header.correlationId()).isEqualTo(0x0102);
        assertThat(header.apiKey()).isEqualTo((short)5);
    }

    @Test
    void reportsEveryTruncationOfAHeader()
    {
        final byte[] frame = kafkaHeader((short)ApiKeys.FETCH, (short)17, 9, "consumer", 2);
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final int headerLength = frame.length - 3;
        for (int limit = 0; limit < headerLength; limit++)
        {
            assertThat(header.wrap(buffer, 0, limit)).as("limit " + limit).isEqualTo(WireError.TRUNCATED);
        }
        assertThat(header.wrap(buffer, 0, headerLength)).isZero();
    }

    @Test
    void writesResponseHeadersKafkaReads()
    {
        for (int version = 0; version <= 1; version++)
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[8]);
            final int length = ResponseHeader.write(buffer, 1, -77, version);
            assertThat(length).isEqualTo(ResponseHeader.length(version));
            final ByteBuffer bytes = ByteBuffer.wrap(buffer.byteArray(), 1, length);
            final ResponseHeaderData kafka = new ResponseHeaderData(new ByteBufferAccessor(bytes), (short)version);
            assertThat(kafka.correlationId()).isEqualTo(-77);
            assertThat(bytes.remaining()).isZero();
        }
    }

    private static byte[] kafkaHeader(
        final short apiKey,
        final short version,
        final int correlationId,
        final String clientId,
        final int headerVersion)
    {
        final RequestHeaderData data = new RequestHeaderData()
            .setRequestApiKey(apiKey)
            .setRequestApiVersion(version)
            .setCorrelationId(correlationId)
            .setClientId(clientId);
        final ObjectSerializationCache cache = new ObjectSerializationCache();
        final int size = data.size(cache, (short)headerVersion);
        final ByteBuffer buffer = ByteBuffer.allocate(size + 3);
        data.write(new ByteBufferAccessor(buffer), cache, (short)headerVersion);
        buffer.put((byte)1).put((byte)2).put((byte)3);
        return buffer.array();
    }
}
