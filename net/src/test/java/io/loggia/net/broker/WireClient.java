package io.loggia.net.broker;

import io.loggia.codec.wire.ApiKeys;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Message;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.function.BiFunction;

/**
 * A test client speaking the Kafka wire protocol over a plain socket: requests encoded with kafka-clients' message
 * classes and header, responses returned as bytes for kafka-clients to decode, and raw bytes for the tests that
 * send garbage.
 */
public final class WireClient implements AutoCloseable
{
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int nextCorrelationId = 1;

    public WireClient(final InetSocketAddress address) throws IOException
    {
        socket = new Socket();
        socket.connect(address, 10_000);
        socket.setSoTimeout(20_000);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** A request frame (size prefix included) in the header version the API and version call for. */
    public static byte[] frame(final int apiKey, final int version, final int correlationId, final Message body)
    {
        return frame(apiKey, version, correlationId, body, version);
    }

    /**
     * A request frame whose header says {@code version} while the body is written at {@code bodyVersion}: a client
     * from the future, as far as this broker can tell.
     */
    public static byte[] frame(
        final int apiKey, final int version, final int correlationId, final Message body, final int bodyVersion)
    {
        final RequestHeaderData header = new RequestHeaderData()
            .setRequestApiKey((short)apiKey)
            .setRequestApiVersion((short)version)
            .setCorrelationId(correlationId)
            .setClientId("wire-test");
        final short headerVersion = (short)ApiKeys.requestHeaderVersion(apiKey, version);
        final ObjectSerializationCache cache = new ObjectSerializationCache();
        final int headerSize = header.size(cache, headerVersion);
        final int bodySize = null == body ? 0 : body.size(cache, (short)bodyVersion);
        final ByteBuffer buffer = ByteBuffer.allocate(4 + headerSize + bodySize);
        buffer.putInt(headerSize + bodySize);
        final ByteBufferAccessor accessor = new ByteBufferAccessor(buffer);
        header.write(accessor, cache, headerVersion);
        if (null != body)
        {
            body.write(accessor, cache, (short)bodyVersion);
        }
        return buffer.array();
    }

    /** Send a request and read its response, decoded by {@code reader} at the request's version. */
    public <T extends ApiMessage> T call(
        final int apiKey, final int version, final Message body,
        final BiFunction<ByteBufferAccessor, Short, T> reader) throws IOException
    {
        final int correlationId = nextCorrelationId++;
        write(frame(apiKey, version, correlationId, body));
        final ByteBuffer response = ByteBuffer.wrap(readFrame());
        final int answered = response.getInt();
        if (answered != correlationId)
        {
            throw new IOException("correlation id " + answered + " answers " + correlationId);
        }
        if (1 == ApiKeys.responseHeaderVersion(apiKey, version))
        {
            // empty tagged-field section of header v1
            response.get();
        }
        return reader.apply(new ByteBufferAccessor(response), (short)version);
    }

    public void write(final byte[] bytes) throws IOException
    {
        out.write(bytes);
        out.flush();
    }

    /** One response frame without its size prefix. */
    public byte[] readFrame() throws IOException
    {
        final int size = in.readInt();
        final byte[] frame = new byte[size];
        in.readFully(frame);
        return frame;
    }

    /** Whether the broker closed this connection: the next read ends the stream (or resets it) within the timeout. */
    public boolean isClosedByPeer() throws IOException
    {
        try
        {
            return -1 == in.read();
        }
        catch (final EOFException | SocketException ex)
        {
            return true;
        }
        catch (final SocketTimeoutException ex)
        {
            return false;
        }
    }

    public void close() throws IOException
    {
        socket.close();
    }
}
