package io.loggia.net.transport;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;

/**
 * The bytes a connection has read and not yet handed over: whole frames, then at most one partial frame.
 * <pre>
 *   0            readIndex                        writeIndex            capacity
 *   | consumed   | size | frame ... | size | fra  | free                 |
 * </pre>
 * Memory comes from the agent's {@link BufferPool}: none until the first read, the initial size, then a
 * power of two large enough for the frame being received. Growing moves the unconsumed bytes to the front of
 * the new buffer.
 * <p>
 * Called only on the owning network agent's thread.
 */
final class ReceiveBuffer
{
    private static final byte[] NO_BYTES = new byte[0];

    private final BufferPool pool;
    private final UnsafeBuffer buffer = new UnsafeBuffer(NO_BYTES);
    private ByteBuffer byteBuffer;
    private int readIndex;
    private int writeIndex;

    ReceiveBuffer(final BufferPool pool)
    {
        this.pool = pool;
    }

    DirectBuffer buffer()
    {
        return buffer;
    }

    boolean hasBuffer()
    {
        return null != byteBuffer;
    }

    int capacity()
    {
        return buffer.capacity();
    }

    int readIndex()
    {
        return readIndex;
    }

    int available()
    {
        return writeIndex - readIndex;
    }

    int writableBytes()
    {
        return buffer.capacity() - writeIndex;
    }

    /** The size prefix at {@link #readIndex()}; needs {@code available() >= 4}. */
    int frameSize()
    {
        return buffer.getInt(readIndex, ByteOrder.BIG_ENDIAN);
    }

    /** Takes a first buffer from the pool; false when the budget is exhausted. */
    boolean allocate(final int capacity)
    {
        final ByteBuffer allocated = pool.acquire(capacity);
        if (null == allocated)
        {
            return false;
        }
        wrap(allocated);
        readIndex = 0;
        writeIndex = 0;
        return true;
    }

    /** Replaces the buffer by one of {@code capacity}, keeping the unconsumed bytes; false when over budget. */
    boolean grow(final int capacity)
    {
        final ByteBuffer larger = pool.acquire(capacity);
        if (null == larger)
        {
            return false;
        }
        final int available = available();
        buffer.getBytes(readIndex, larger, 0, available);
        final ByteBuffer old = byteBuffer;
        wrap(larger);
        readIndex = 0;
        writeIndex = available;
        pool.release(old);
        return true;
    }

    /** Reads what the socket has, up to the free space; the channel's result (-1 at end of stream). */
    int readFrom(final SocketChannel channel) throws IOException
    {
        byteBuffer.limit(byteBuffer.capacity()).position(writeIndex);
        final int read = channel.read(byteBuffer);
        if (read > 0)
        {
            writeIndex += read;
        }
        return read;
    }

    /**
     * Marks {@code length} bytes as handed over. The bytes stay in place until the next read or compaction,
     * so a frame handed to the request handler stays valid for the whole callback.
     */
    void consume(final int length)
    {
        readIndex += length;
    }

    /** Moves the unconsumed bytes to the front, or just rewinds when there are none. */
    void compact()
    {
        final int available = available();
        if (available > 0 && readIndex > 0)
        {
            // Overlapping ranges moving down: UnsafeBuffer.putBytes copies with memmove semantics.
            buffer.putBytes(0, buffer, readIndex, available);
        }
        readIndex = 0;
        writeIndex = available;
    }

    /** Returns the buffer to the pool; only when nothing is unconsumed. */
    void release()
    {
        if (null != byteBuffer)
        {
            final ByteBuffer released = byteBuffer;
            byteBuffer = null;
            buffer.wrap(NO_BYTES);
            readIndex = 0;
            writeIndex = 0;
            pool.release(released);
        }
    }

    private void wrap(final ByteBuffer byteBuffer)
    {
        this.byteBuffer = byteBuffer;
        buffer.wrap(byteBuffer);
    }
}
