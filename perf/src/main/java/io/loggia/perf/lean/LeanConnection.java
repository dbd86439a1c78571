package io.loggia.perf.lean;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * One blocking TCP connection to a broker that moves whole frames: a 4-byte big-endian size, then the message.
 * <p>
 * <b>Assumptions and Guarantees.</b> One thread writes ({@link #write(ByteBuffer)}) and at most one other thread
 * reads ({@link #readFrame()}); SocketChannel allows one reader and one writer at once. {@link #close()} may be
 * called from either and makes a blocked read fail.
 */
public final class LeanConnection implements AutoCloseable
{
    private static final int MAX_FRAME = 64 * 1024 * 1024;

    private final SocketChannel channel;
    private final ByteBuffer size = ByteBuffer.allocateDirect(4);
    private ByteBuffer frame = ByteBuffer.allocateDirect(64 * 1024);

    private LeanConnection(final SocketChannel channel)
    {
        this.channel = channel;
    }

    /**
     * @param host broker host.
     * @param port broker port.
     * @return a connected, blocking connection with Nagle off.
     * @throws IOException when the connection fails.
     */
    public static LeanConnection open(final String host, final int port) throws IOException
    {
        final SocketChannel channel = SocketChannel.open();
        try
        {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, 1024 * 1024);
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 256 * 1024);
            channel.connect(new InetSocketAddress(host, port));
            channel.configureBlocking(true);
            return new LeanConnection(channel);
        }
        catch (final IOException ex)
        {
            channel.close();
            throw ex;
        }
    }

    /**
     * Write the buffer's remaining bytes, blocking until all are in the socket.
     *
     * @param bytes a whole frame, from position to limit.
     * @throws IOException when the connection fails.
     */
    public void write(final ByteBuffer bytes) throws IOException
    {
        while (bytes.hasRemaining())
        {
            channel.write(bytes);
        }
    }

    /**
     * Read the next frame, blocking.
     *
     * @return the frame body (without the size field) from position 0 to its limit; valid until the next call.
     * @throws IOException when the connection fails or closes, or a frame is implausibly large.
     */
    public ByteBuffer readFrame() throws IOException
    {
        size.clear();
        readFully(size);
        final int length = size.getInt(0);
        if (length < 0 || length > MAX_FRAME)
        {
            throw new IOException("implausible frame size " + length);
        }
        if (frame.capacity() < length)
        {
            frame = ByteBuffer.allocateDirect(Math.max(length, frame.capacity() * 2));
        }
        frame.clear().limit(length);
        readFully(frame);
        frame.flip();
        return frame;
    }

    public void close() throws IOException
    {
        channel.close();
    }

    private void readFully(final ByteBuffer buffer) throws IOException
    {
        while (buffer.hasRemaining())
        {
            if (channel.read(buffer) < 0)
            {
                throw new EOFException("the broker closed the connection");
            }
        }
    }
}
