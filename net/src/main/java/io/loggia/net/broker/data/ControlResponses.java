package io.loggia.net.broker.data;

import io.loggia.codec.wire.ApiKeys;
import io.loggia.codec.wire.ResponseHeader;
import io.loggia.net.transport.InFlightRequest;
import io.loggia.net.transport.ResponseWriter;
import org.agrona.DirectBuffer;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Message;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

import java.nio.ByteBuffer;

/**
 * Reading and writing the bodies of the data path's control-plane APIs (ListOffsets, OffsetForLeaderEpoch) with
 * kafka-clients' generated message classes (decision 0002): a few allocations per request, answered at once.
 */
final class ControlResponses
{
    private ControlResponses()
    {
    }

    /** A heap copy of the body, for a kafka-clients message constructor. */
    static ByteBufferAccessor body(final DirectBuffer buffer, final int bodyOffset, final int limit)
    {
        final byte[] bytes = new byte[limit - bodyOffset];
        buffer.getBytes(bodyOffset, bytes);
        return new ByteBufferAccessor(ByteBuffer.wrap(bytes));
    }

    /** Writes header and body into the request's response and completes it. */
    static void send(
        final InFlightRequest request,
        final int apiKey,
        final int correlationId,
        final Message body,
        final short version)
    {
        final ObjectSerializationCache cache = new ObjectSerializationCache();
        final int size = body.size(cache, version);
        final ByteBuffer bytes = ByteBuffer.allocate(size);
        body.write(new ByteBufferAccessor(bytes), cache, version);

        final int headerVersion = ApiKeys.responseHeaderVersion(apiKey, version);
        final int headerLength = ResponseHeader.length(headerVersion);
        final ResponseWriter writer = request.responseWriter();
        final int index = writer.claim(headerLength + size);
        ResponseHeader.write(writer.buffer(), index, correlationId, headerVersion);
        writer.buffer().putBytes(index + headerLength, bytes.array(), 0, size);
        request.complete();
    }
}
