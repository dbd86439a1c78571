package io.loggia.codec.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

import static org.agrona.BitUtil.SIZE_OF_INT;

/**
 * Kafka's framing on a TCP stream: every request and every response is one frame, an int32 size followed by
 * that many bytes. The size counts neither itself nor anything before it.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                          Size (int32)                         |  0
 *  +---------------------------------------------------------------+
 *  |          Request or response header, then body ...            |  4
 *  +---------------------------------------------------------------+
 * </pre>
 * A response to a Fetch may carry most of its size in file regions that never pass through a buffer; the size
 * still counts them (see {@link FetchResponseEncoder}).
 */
public final class Frame
{
    public static final int SIZE_OFFSET = 0;
    public static final int SIZE_FIELD_LENGTH = SIZE_OF_INT;
    /** Where the header starts, relative to the frame. */
    public static final int HEADER_OFFSET = SIZE_OFFSET + SIZE_FIELD_LENGTH;
    /** Kafka's default socket.request.max.bytes, the largest request a broker accepts unless configured. */
    public static final int DEFAULT_MAX_REQUEST_SIZE = 100 * 1024 * 1024;

    private static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;

    private Frame()
    {
    }

    /**
     * @return the size field of the frame at {@code offset}: bytes that follow it.
     */
    public static int size(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + SIZE_OFFSET, ORDER);
    }

    public static void size(final MutableDirectBuffer buffer, final int offset, final int size)
    {
        buffer.putInt(offset + SIZE_OFFSET, size, ORDER);
    }
}
