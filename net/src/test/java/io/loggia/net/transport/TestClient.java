package io.loggia.net.transport;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

/** A blocking client speaking the 4-byte size-prefixed framing, with deadlines on every read. */
final class TestClient implements AutoCloseable
{
    static final int READ_TIMEOUT_MS = 10_000;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private TestClient(final Socket socket) throws IOException
    {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static TestClient connect(final InetSocketAddress server) throws IOException
    {
        return connect(server, null, -1);
    }

    /** Connects from {@code localAddress} (any when null) with SO_RCVBUF {@code receiveBufferBytes} (default when -1). */
    static TestClient connect(final InetSocketAddress server, final InetAddress localAddress, final int receiveBufferBytes)
        throws IOException
    {
        final Socket socket = new Socket();
        if (receiveBufferBytes > 0)
        {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        if (null != localAddress)
        {
            socket.bind(new InetSocketAddress(localAddress, 0));
        }
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getPort()), READ_TIMEOUT_MS);
        socket.setSoTimeout(READ_TIMEOUT_MS);
        return new TestClient(socket);
    }

    /** The client side's port, as the server sees the peer. */
    int localPort()
    {
        return socket.getLocalPort();
    }

    static byte[] frame(final byte[] payload)
    {
        return ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
    }

    void send(final byte[] payload) throws IOException
    {
        out.write(frame(payload));
        out.flush();
    }

    void sendRaw(final byte[] bytes) throws IOException
    {
        out.write(bytes);
        out.flush();
    }

    void sendRaw(final byte[] bytes, final int offset, final int length) throws IOException
    {
        out.write(bytes, offset, length);
        out.flush();
    }

    /** Reads one response frame; fails after {@link #READ_TIMEOUT_MS} without bytes. */
    byte[] receive() throws IOException
    {
        final int size = in.readInt();
        final byte[] payload = new byte[size];
        in.readFully(payload);
        return payload;
    }

    /** Reads into {@code bytes} in chunks of at most {@code chunk} bytes (a slow reader with a small window). */
    void receiveFully(final byte[] bytes, final int chunk) throws IOException
    {
        int offset = 0;
        while (offset < bytes.length)
        {
            final int read = in.read(bytes, offset, Math.min(chunk, bytes.length - offset));
            if (read < 0)
            {
                throw new EOFException("after " + offset + " of " + bytes.length + " bytes");
            }
            offset += read;
        }
    }

    int readInt() throws IOException
    {
        return in.readInt();
    }

    /**
     * Reads and discards until the server closes the connection, within {@code deadlineMs}.
     *
     * @return the bytes read before the end of stream.
     * @throws AssertionError if the connection is still open at the deadline.
     */
    long awaitClosed(final long deadlineMs) throws IOException
    {
        final long deadlineNs = System.nanoTime() + deadlineMs * 1_000_000L;
        final byte[] sink = new byte[64 * 1024];
        long total = 0;
        while (System.nanoTime() - deadlineNs < 0)
        {
            socket.setSoTimeout(50);
            try
            {
                final int read = in.read(sink);
                if (read < 0)
                {
                    return total;
                }
                total += read;
            }
            catch (final SocketTimeoutException ex)
            {
                // Not closed yet: look again until the deadline.
            }
            catch (final SocketException ex)
            {
                return total;
            }
        }
        throw new AssertionError("connection still open after " + deadlineMs + " ms");
    }

    /**
     * Waits up to {@code timeoutMs} for one byte or the end of stream.
     *
     * @return -1 at end of stream (or reset), 0 if nothing arrived, 1 if a byte arrived.
     */
    int poll(final int timeoutMs) throws IOException
    {
        socket.setSoTimeout(timeoutMs);
        try
        {
            return in.read() < 0 ? -1 : 1;
        }
        catch (final SocketTimeoutException ex)
        {
            return 0;
        }
        catch (final SocketException ex)
        {
            return -1;
        }
        finally
        {
            socket.setSoTimeout(READ_TIMEOUT_MS);
        }
    }

    InputStream input()
    {
        return in;
    }

    Socket socket()
    {
        return socket;
    }

    public void close() throws IOException
    {
        socket.close();
    }
}
