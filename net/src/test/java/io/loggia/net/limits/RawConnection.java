package io.loggia.net.limits;

import io.loggia.codec.wire.ApiKeys;
import io.loggia.net.broker.WireClient;
import org.apache.kafka.common.message.ApiVersionsRequestData;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;

/**
 * A blocking socket to the broker for limit tests: asks ApiVersions to tell an accepted connection from a refused
 * one, and waits for the broker to close it. A connection the broker refuses is still accepted by the kernel, so
 * the client only learns of the refusal from the end of the stream (or a reset) that follows.
 */
final class RawConnection implements AutoCloseable
{
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int correlationId;

    private RawConnection(final Socket socket) throws IOException
    {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects from an ephemeral port of {@code localAddress}, or of the default address when it is null. */
    static RawConnection open(final InetSocketAddress broker, final InetAddress localAddress) throws IOException
    {
        return open(broker, localAddress, 0);
    }

    /**
     * As {@link #open(InetSocketAddress, InetAddress)} with SO_RCVBUF set before connecting when
     * {@code receiveBufferBytes} is positive, so a client that stops reading fills its socket soon.
     */
    static RawConnection open(
        final InetSocketAddress broker, final InetAddress localAddress, final int receiveBufferBytes)
        throws IOException
    {
        final Socket socket = new Socket();
        try
        {
            if (receiveBufferBytes > 0)
            {
                socket.setReceiveBufferSize(receiveBufferBytes);
            }
            if (null != localAddress)
            {
                socket.bind(new InetSocketAddress(localAddress, 0));
            }
            socket.connect(broker, 10_000);
            socket.setTcpNoDelay(true);
            return new RawConnection(socket);
        }
        catch (final IOException ex)
        {
            socket.close();
            throw ex;
        }
    }

    static RawConnection open(final InetSocketAddress broker) throws IOException
    {
        return open(broker, null);
    }

    /**
     * Sends an ApiVersions request and reads its response.
     *
     * @return true if it was answered, false if the broker closed the connection instead.
     * @throws SocketTimeoutException if neither happened within the timeout.
     */
    boolean answersApiVersions(final int timeoutMs) throws IOException
    {
        try
        {
            write(WireClient.frame(ApiKeys.API_VERSIONS, 3, ++correlationId, new ApiVersionsRequestData()
                .setClientSoftwareName("loggia-limits").setClientSoftwareVersion("1")));
        }
        catch (final SocketException ex)
        {
            return false;
        }
        socket.setSoTimeout(timeoutMs);
        try
        {
            final int size = in.readInt();
            in.readFully(new byte[size]);
            return true;
        }
        catch (final EOFException | SocketException ex)
        {
            return false;
        }
    }

    /**
     * Reads (and drops) until the broker closes the connection or the timeout passes.
     *
     * @return true if the broker closed it (end of stream or reset) in time.
     */
    boolean awaitClosedByBroker(final long timeoutMs) throws IOException
    {
        final long deadlineNs = System.nanoTime() + timeoutMs * 1_000_000L;
        final byte[] sink = new byte[8192];
        while (true)
        {
            final long remainingMs = (deadlineNs - System.nanoTime()) / 1_000_000L;
            if (remainingMs <= 0)
            {
                return false;
            }
            socket.setSoTimeout((int)remainingMs);
            try
            {
                if (-1 == in.read(sink))
                {
                    return true;
                }
            }
            catch (final SocketException ex)
            {
                return true;
            }
            catch (final SocketTimeoutException ex)
            {
                return false;
            }
        }
    }

    void write(final byte[] bytes) throws IOException
    {
        out.write(bytes);
        out.flush();
    }

    void write(final byte[] bytes, final int offset, final int length) throws IOException
    {
        out.write(bytes, offset, length);
        out.flush();
    }

    int localPort()
    {
        return socket.getLocalPort();
    }

    public void close() throws IOException
    {
        socket.close();
    }
}
