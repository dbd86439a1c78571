package io.loggia.codec.wire;

import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Frames serialized and parsed by kafka-clients, the reference our codecs are held against.
 */
final class KafkaFrames
{
    static final int CORRELATION_ID = 0x1234_5678;
    static final String CLIENT_ID = "loggia-test-client";

    private KafkaFrames()
    {
    }

    /**
     * @return a whole request frame, size field included, as kafka-clients writes it.
     */
    static byte[] request(final ApiMessage body, final short version)
    {
        final short apiKey = body.apiKey();
        final short headerVersion = org.apache.kafka.common.protocol.ApiKeys.forId(apiKey)
            .requestHeaderVersion(version);
        final RequestHeaderData header = new RequestHeaderData()
            .setRequestApiKey(apiKey)
            .setRequestApiVersion(version)
            .setCorrelationId(CORRELATION_ID)
            .setClientId(CLIENT_ID);
        final ObjectSerializationCache cache = new ObjectSerializationCache();
        final int size = header.size(cache, headerVersion) + body.size(cache, version);
        final ByteBuffer buffer = ByteBuffer.allocate(Frame.SIZE_FIELD_LENGTH + size);
        final ByteBufferAccessor accessor = new ByteBufferAccessor(buffer);
        accessor.writeInt(size);
        header.write(accessor, cache, headerVersion);
        body.write(accessor, cache, version);
        assertThat(buffer.remaining()).isZero();
        return buffer.array();
    }

    /**
     * Decodes the header of a request frame and returns the body offset.
     */
    static int decodeHeader(final RequestHeader header, final UnsafeBuffer frame)
    {
        assertThat(header.wrap(frame, Frame.HEADER_OFFSET, frame.capacity())).isEqualTo(WireError.NONE);
        assertThat(header.correlationId()).isEqualTo(CORRELATION_ID);
        return header.bodyOffset();
    }

    /**
     * Checks the size field and the response header of a frame and returns an accessor at the body.
     */
    static ByteBufferAccessor responseBody(final byte[] frame, final short apiKey, final short version)
    {
        final ByteBuffer buffer = ByteBuffer.wrap(frame);
        assertThat(buffer.getInt()).isEqualTo(frame.length - Frame.SIZE_FIELD_LENGTH);
        final short headerVersion = org.apache.kafka.common.protocol.ApiKeys.forId(apiKey)
            .responseHeaderVersion(version);
        final ByteBufferAccessor accessor = new ByteBufferAccessor(buffer);
        final ResponseHeaderData header = new ResponseHeaderData(accessor, headerVersion);
        assertThat(header.correlationId()).isEqualTo(CORRELATION_ID);
        return accessor;
    }

    static byte[] copy(final UnsafeBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }
}
