package io.loggia.net.group;

import io.loggia.codec.wire.ResponseHeader;
import io.loggia.net.transport.InFlightRequest;
import io.loggia.net.transport.NetworkAgent;
import io.loggia.net.transport.ResponseWriter;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Message;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

import java.nio.ByteBuffer;

/**
 * A {@link ResponseSink} over the transport: writes the response header and the body into the request's
 * connection send buffer and completes the request. It keeps the request's id, not the
 * {@link InFlightRequest} (which the transport reuses), and finds it again at send time: a request whose
 * connection closed meanwhile is gone and its answer is dropped.
 * <pre>
 *   | size (transport) | correlation id | tagged fields (header v1 only) | body (kafka-clients' write) |
 * </pre>
 * The body is serialised once into a heap buffer and copied: this is the control plane (decision 0002).
 * <p>
 * Made and used on the network agent's thread.
 */
public final class InFlightResponseSink implements ResponseSink
{
    private final NetworkAgent agent;
    private final long requestId;
    private final int correlationId;
    private final int headerVersion;

    /**
     * @param agent         the network agent the request arrived on.
     * @param requestId     {@link InFlightRequest#id()}.
     * @param correlationId from the request header.
     * @param headerVersion the response header version for the API and version
     *                      ({@code io.loggia.codec.wire.ApiKeys.responseHeaderVersion}).
     */
    public InFlightResponseSink(
        final NetworkAgent agent, final long requestId, final int correlationId, final int headerVersion)
    {
        this.agent = agent;
        this.requestId = requestId;
        this.correlationId = correlationId;
        this.headerVersion = headerVersion;
    }

    public void send(final Message body, final short version)
    {
        final InFlightRequest request = agent.inFlight(requestId);
        if (null == request)
        {
            return;
        }
        final ObjectSerializationCache cache = new ObjectSerializationCache();
        final int size = body.size(cache, version);
        final ByteBuffer bytes = ByteBuffer.allocate(size);
        body.write(new ByteBufferAccessor(bytes), cache, version);

        final int headerLength = ResponseHeader.length(headerVersion);
        final ResponseWriter writer = request.responseWriter();
        final int index = writer.claim(headerLength + size);
        ResponseHeader.write(writer.buffer(), index, correlationId, headerVersion);
        writer.buffer().putBytes(index + headerLength, bytes.array(), 0, size);
        request.complete();
    }
}
