package io.loggia.codec.record;

import org.agrona.ExpandableDirectByteBuffer;

import java.nio.ByteBuffer;

/**
 * ByteBuffer windows over the codec's own direct scratch buffers, for the compression libraries that take
 * ByteBuffers. No slice or duplicate is made: the scratch buffer's own position and limit are set, which is
 * safe because agrona addresses it by memory address and never reads them.
 */
final class BufferViews
{
    private BufferViews()
    {
    }

    /** The scratch buffer's ByteBuffer with its position and limit set to {@code [position, limit)}. */
    static ByteBuffer view(final ExpandableDirectByteBuffer buffer, final int position, final int limit)
    {
        final ByteBuffer byteBuffer = buffer.byteBuffer();
        byteBuffer.clear();
        byteBuffer.limit(limit);
        byteBuffer.position(position);
        return byteBuffer;
    }

    /** Grows {@code buffer} so that it holds at least {@code required} bytes; content is kept. */
    static void ensureCapacity(final ExpandableDirectByteBuffer buffer, final int required)
    {
        if (required > buffer.capacity())
        {
            buffer.checkLimit(required);
        }
    }
}
