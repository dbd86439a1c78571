package io.loggia.codec.record;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * CRC-32C of any agrona buffer through the JDK's intrinsic, without allocating.
 * <p>
 * Heap arrays go straight to {@link CRC32C#update(byte[], int, int)}. Off-heap memory (direct buffers,
 * mappings, raw addresses) has no public JDK entry point taking an address, and agrona's
 * {@code Crc32c} reaches the private one only with {@code --add-opens java.base/java.util.zip}. Instead one
 * direct ByteBuffer, made once with a capacity of {@link Integer#MAX_VALUE}, has its address field pointed
 * at the memory to checksum before each call; {@link CRC32C#update(ByteBuffer)} then runs the same intrinsic.
 * The buffer's cleaner frees the byte it was allocated with, not what it points at.
 * <p>
 * Not thread safe; one instance per thread.
 */
final class Crc32cWindow
{
    private static final long CAPACITY_FIELD_OFFSET = capacityFieldOffset();

    private final CRC32C crc = new CRC32C();
    private final ByteBuffer window = ByteBuffer.allocateDirect(1);

    Crc32cWindow()
    {
        UnsafeApi.putInt(window, CAPACITY_FIELD_OFFSET, Integer.MAX_VALUE);
    }

    /** CRC-32C of {@code buffer[offset, offset + length)}, unsigned. */
    long compute(final DirectBuffer buffer, final int offset, final int length)
    {
        buffer.boundsCheck(offset, length);
        crc.reset();
        final byte[] array = buffer.byteArray();
        if (array != null)
        {
            crc.update(array, (int)(buffer.addressOffset() - BufferUtil.ARRAY_BASE_OFFSET) + offset, length);
        }
        else
        {
            UnsafeApi.putLong(window, BufferUtil.BYTE_BUFFER_ADDRESS_FIELD_OFFSET, buffer.addressOffset() + offset);
            window.limit(length).position(0);
            crc.update(window);
        }
        return crc.getValue();
    }

    private static long capacityFieldOffset()
    {
        try
        {
            return UnsafeApi.objectFieldOffset(Buffer.class.getDeclaredField("capacity"));
        }
        catch (final NoSuchFieldException ex)
        {
            throw new IllegalStateException("java.nio.Buffer has no capacity field", ex);
        }
    }
}
