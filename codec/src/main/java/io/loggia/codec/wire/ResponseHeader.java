package io.loggia.codec.wire;

import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

import static org.agrona.BitUtil.SIZE_OF_BYTE;
import static org.agrona.BitUtil.SIZE_OF_INT;

/**
 * Writer of the response header that opens every response frame, after the size field.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                     Correlation Id (int32)                    |  0
 *  +---------------+-----------------------------------------------+
 *  | v1: tagged    |                                                  4
 *  | fields = 0x00 |
 *  +---------------+
 * </pre>
 * v0 answers non-flexible requests, v1 flexible ones, except ApiVersions, which always answers with v0
 * ({@link ApiKeys#responseHeaderVersion(int, int)}).
 */
public final class ResponseHeader
{
    public static final int CORRELATION_ID_OFFSET = 0;
    public static final int TAGGED_FIELDS_OFFSET = CORRELATION_ID_OFFSET + SIZE_OF_INT;
    public static final int V0_LENGTH = TAGGED_FIELDS_OFFSET;
    public static final int V1_LENGTH = TAGGED_FIELDS_OFFSET + SIZE_OF_BYTE;

    private static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;

    private ResponseHeader()
    {
    }

    /**
     * @param headerVersion 0 or 1.
     * @return the header's length in bytes.
     */
    public static int length(final int headerVersion)
    {
        return headerVersion == 0 ? V0_LENGTH : V1_LENGTH;
    }

    /**
     * Writes a header at an explicit offset; the caller has checked capacity for {@link #length(int)} bytes.
     *
     * @param headerVersion 0 or 1.
     * @return bytes written.
     */
    public static int write(
        final MutableDirectBuffer buffer, final int offset, final int correlationId, final int headerVersion)
    {
        buffer.putInt(offset + CORRELATION_ID_OFFSET, correlationId, ORDER);
        if (headerVersion == 0)
        {
            return V0_LENGTH;
        }
        buffer.putByte(offset + TAGGED_FIELDS_OFFSET, (byte)0);
        return V1_LENGTH;
    }

    /**
     * Writes a header through a writer, which checks capacity.
     */
    public static void write(final WireWriter writer, final int correlationId, final int headerVersion)
    {
        writer.writeInt32(correlationId);
        if (headerVersion != 0)
        {
            writer.writeEmptyTaggedFields();
        }
    }
}
