package io.loggia.net.transport;

import org.agrona.BitUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

import static org.agrona.BitUtil.SIZE_OF_INT;

/**
 * Writes one response into a connection's send buffer: the handler encodes header and body bytes at absolute
 * indices of {@link #buffer()} between {@link #offset()} and {@link #position()}, and splices file regions in
 * with {@link #addFileRegion}; the regions are sent with {@code FileChannel.transferTo}, never copied.
 * <pre>
 *   buffer():  ... earlier responses ... | size (int32, filled by the transport) | response bytes ...
 *                                        ^ start                                 ^ offset()        ^ position()
 * </pre>
 * Call {@link #ensureCapacity(int)} (or {@link #claim(int)}) before writing: the buffer grows by copying into
 * a larger one at the same indices, so absolute indices stay valid for the whole response and the
 * {@link MutableDirectBuffer} object stays the same; only its memory changes. Kafka's wire format is
 * big-endian: use the {@code ByteOrder} overloads.
 * <p>
 * The send buffer is shared by the responses of a connection that completed out of order: each keeps its
 * bytes until sent; when a new response starts, the live ones are packed to the front if the buffer is more
 * than half used. Growth may exceed the agent's memory budget (a response never fails for lack of memory);
 * the overdraft pauses reads instead.
 * <p>
 * Valid from {@link InFlightRequest#responseWriter()} until {@link InFlightRequest#complete()} of that request;
 * called only on the owning network agent's thread.
 */
public final class ResponseWriter
{
    private static final byte[] NO_BYTES = new byte[0];

    private final Connection connection;
    private final BufferPool pool;
    private final int initialCapacity;
    private final UnsafeBuffer buffer = new UnsafeBuffer(NO_BYTES);
    private final InFlightRequest[] liveScratch;
    private ByteBuffer byteBuffer;
    private int end;
    private InFlightRequest owner;
    private int start;
    private int position;

    ResponseWriter(final Connection connection, final BufferPool pool, final int initialCapacity, final int slots)
    {
        this.connection = connection;
        this.pool = pool;
        this.initialCapacity = initialCapacity;
        this.liveScratch = new InFlightRequest[slots];
    }

    /** The send buffer; write at indices in {@code [offset(), capacity)} after {@link #ensureCapacity(int)}. */
    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    /** Index of the first response byte (the response header), right after the size prefix. */
    public int offset()
    {
        return start + SIZE_OF_INT;
    }

    /** Index after the last response byte written; the response ends here unless moved. */
    public int position()
    {
        return position;
    }

    /**
     * Moves the end of the response, e.g. after encoding directly into {@link #buffer()}.
     *
     * @throws IllegalArgumentException if before {@link #offset()} or the last file region, or past the capacity.
     */
    public ResponseWriter position(final int newPosition)
    {
        checkOpen();
        if (newPosition < offset() || newPosition < owner.lastSplice() || newPosition > buffer.capacity())
        {
            throw new IllegalArgumentException("position " + newPosition + " outside [" +
                Math.max(offset(), owner.lastSplice()) + ", " + buffer.capacity() + ']');
        }
        position = newPosition;
        return this;
    }

    /** Grows the buffer, if needed, so that {@code length} bytes fit from {@link #position()}. */
    public ResponseWriter ensureCapacity(final int length)
    {
        checkOpen();
        final long required = (long)position + length;
        if (required > buffer.capacity())
        {
            grow(required);
        }
        return this;
    }

    /** Reserves {@code length} bytes at {@link #position()}, moves the position past them, returns their index. */
    public int claim(final int length)
    {
        ensureCapacity(length);
        final int index = position;
        position += length;
        return index;
    }

    /** Bytes of the response in the buffer so far, without the size prefix and file regions. */
    public int bufferLength()
    {
        return position - offset();
    }

    /** Bytes of the response so far: buffer bytes plus file regions, without the size prefix. */
    public long responseLength()
    {
        checkOpen();
        return bufferLength() + owner.regionBytes;
    }

    /** Splices {@code length} bytes of {@code channel} from {@code filePosition} in at {@link #position()}. */
    public ResponseWriter addFileRegion(final FileChannel channel, final long filePosition, final int length)
    {
        return addFileRegion(position, channel, filePosition, length);
    }

    /**
     * Splices {@code length} bytes of {@code channel} from {@code filePosition} in before the buffer byte at
     * {@code bufferPosition}. Regions must be added in non-decreasing buffer order; several at one position go
     * out in the order added. The transport checks, while sending, that the file still holds those bytes: if
     * it got shorter, the connection is closed rather than sending fewer bytes than the size prefix promised.
     *
     * @param bufferPosition in {@code [offset(), position()]}, not before the previous region's.
     */
    public ResponseWriter addFileRegion(
        final int bufferPosition, final FileChannel channel, final long filePosition, final int length)
    {
        checkOpen();
        if (null == channel || filePosition < 0 || length < 0)
        {
            throw new IllegalArgumentException("bad file region: channel=" + channel + ", position=" + filePosition +
                ", length=" + length);
        }
        if (bufferPosition < offset() || bufferPosition > position || bufferPosition < owner.lastSplice())
        {
            throw new IllegalArgumentException("region buffer position " + bufferPosition + " outside [" +
                Math.max(offset(), owner.lastSplice()) + ", " + position + ']');
        }
        if (length > 0)
        {
            owner.addRegion(bufferPosition, channel, filePosition, length);
        }
        return this;
    }

    ResponseWriter begin(final InFlightRequest request)
    {
        if (null != owner)
        {
            if (owner == request)
            {
                return this;
            }
            throw new IllegalStateException("response of request " + owner.id + " is still open on connection " +
                connection.id);
        }
        if (null == byteBuffer)
        {
            wrap(pool.acquireOverBudget(initialCapacity));
            end = 0;
        }
        else
        {
            packLiveResponses();
        }
        owner = request;
        start = end;
        position = start + SIZE_OF_INT;
        if (position > buffer.capacity())
        {
            grow(position);
        }
        return this;
    }

    void finish(final InFlightRequest request)
    {
        if (owner != request)
        {
            throw new IllegalStateException("request " + request.id + " completed without responseWriter()");
        }
        final long size = (long)position - offset() + request.regionBytes;
        if (size > Integer.MAX_VALUE)
        {
            throw new IllegalStateException("response of " + size + " bytes does not fit a size prefix");
        }
        buffer.putInt(start, (int)size, ByteOrder.BIG_ENDIAN);
        request.bufferStart = start;
        request.bufferEnd = position;
        end = position;
        owner = null;
    }

    void abandon(final InFlightRequest request)
    {
        if (owner == request)
        {
            request.clearRegions();
            owner = null;
        }
    }

    boolean isWriting()
    {
        return null != owner;
    }

    boolean hasBuffer()
    {
        return null != byteBuffer;
    }

    int capacity()
    {
        return buffer.capacity();
    }

    ByteBuffer byteBuffer()
    {
        return byteBuffer;
    }

    /** Returns the buffer to the pool; only when no response lives in it. */
    void release()
    {
        if (null != byteBuffer)
        {
            if (null != owner)
            {
                owner.clearRegions();
                owner = null;
            }
            final ByteBuffer released = byteBuffer;
            byteBuffer = null;
            buffer.wrap(NO_BYTES);
            end = 0;
            pool.release(released);
        }
    }

    private void checkOpen()
    {
        if (null == owner)
        {
            throw new IllegalStateException("no response is open");
        }
    }

    private void grow(final long required)
    {
        if (required > Integer.MAX_VALUE - 8)
        {
            throw new IllegalStateException("response buffer of " + required + " bytes is too large");
        }
        final int capacity = required <= (1 << 30) ?
            Math.max(initialCapacity, BitUtil.findNextPositivePowerOfTwo((int)required)) : (int)required;
        final ByteBuffer larger = pool.acquireOverBudget(capacity);
        buffer.getBytes(0, larger, 0, position);
        final ByteBuffer old = byteBuffer;
        wrap(larger);
        pool.release(old);
    }

    /**
     * Makes room at the end for a new response: forgets everything when no response waits to be sent, else
     * packs the waiting ones to the front (in buffer order, so each move goes down and never over a response
     * not yet moved) once the buffer is more than half used.
     */
    private void packLiveResponses()
    {
        final InFlightRequest[] live = liveScratch;
        int liveCount = 0;
        for (int i = 0; i < connection.queued; i++)
        {
            final InFlightRequest request = connection.queuedAt(i);
            if (request.state == InFlightRequest.READY)
            {
                int j = liveCount++;
                while (j > 0 && live[j - 1].bufferStart > request.bufferStart)
                {
                    live[j] = live[j - 1];
                    j--;
                }
                live[j] = request;
            }
        }
        if (0 == liveCount)
        {
            end = 0;
            return;
        }
        if (end <= buffer.capacity() / 2)
        {
            return;
        }
        int destination = 0;
        for (int i = 0; i < liveCount; i++)
        {
            final InFlightRequest request = live[i];
            final int length = request.bufferEnd - request.bufferStart;
            final int delta = destination - request.bufferStart;
            if (0 != delta)
            {
                // Overlapping ranges: UnsafeBuffer.putBytes copies with memmove semantics (Unsafe.copyMemory).
                buffer.putBytes(destination, buffer, request.bufferStart, length);
                request.shift(delta);
                connection.send.onShift(request, delta);
            }
            destination += length;
            live[i] = null;
        }
        end = destination;
    }

    private void wrap(final ByteBuffer byteBuffer)
    {
        this.byteBuffer = byteBuffer;
        buffer.wrap(byteBuffer);
    }
}
