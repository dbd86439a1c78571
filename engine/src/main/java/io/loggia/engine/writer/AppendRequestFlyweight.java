package io.loggia.engine.writer;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;
import static org.agrona.BitUtil.SIZE_OF_SHORT;

/**
 * One append as it travels through a writer's {@code AppendRing}: a fixed header followed by the record batch,
 * copied once from the request into the ring and once from the ring into the segment's mapping.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                    Correlation (int64)                        |  0   caller's token, echoed back
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                    Partition Id (int32)                       |  8   key in the PartitionTable
 *  +-------------------------------+-------------------------------+
 *  |      Required Acks (int16)    |        Caller Id (int16)      |  12  0, 1 or -1; completion ring index
 *  +-------------------------------+-------------------------------+
 *  |                    Batch Length (int32)                       |  16
 *  +---------------------------------------------------------------+
 *  |                    Reserved (int32)                           |  20  keeps the batch 8-byte aligned
 *  +---------------------------------------------------------------+
 *  |                    Record Batch ...                              24
 *  +---------------------------------------------------------------+
 * </pre>
 * Native byte order: the message never leaves the process. The batch keeps its own big-endian layout.
 */
public final class AppendRequestFlyweight
{
    public static final int MSG_TYPE_APPEND = 1;

    public static final int CORRELATION_OFFSET = 0;
    public static final int PARTITION_ID_OFFSET = CORRELATION_OFFSET + SIZE_OF_LONG;
    public static final int REQUIRED_ACKS_OFFSET = PARTITION_ID_OFFSET + SIZE_OF_INT;
    public static final int CALLER_ID_OFFSET = REQUIRED_ACKS_OFFSET + SIZE_OF_SHORT;
    public static final int BATCH_LENGTH_OFFSET = CALLER_ID_OFFSET + SIZE_OF_SHORT;
    public static final int RESERVED_OFFSET = BATCH_LENGTH_OFFSET + SIZE_OF_INT;
    public static final int BATCH_OFFSET = RESERVED_OFFSET + SIZE_OF_INT;
    public static final int HEADER_LENGTH = BATCH_OFFSET;

    private DirectBuffer buffer;
    private int offset;

    public AppendRequestFlyweight wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public static void encode(
        final MutableDirectBuffer buffer,
        final int offset,
        final long correlation,
        final int partitionId,
        final short requiredAcks,
        final short callerId,
        final DirectBuffer batch,
        final int batchOffset,
        final int batchLength)
    {
        buffer.putLong(offset + CORRELATION_OFFSET, correlation);
        buffer.putInt(offset + PARTITION_ID_OFFSET, partitionId);
        buffer.putShort(offset + REQUIRED_ACKS_OFFSET, requiredAcks);
        buffer.putShort(offset + CALLER_ID_OFFSET, callerId);
        buffer.putInt(offset + BATCH_LENGTH_OFFSET, batchLength);
        buffer.putInt(offset + RESERVED_OFFSET, 0);
        buffer.putBytes(offset + BATCH_OFFSET, batch, batchOffset, batchLength);
    }

    public long correlation()
    {
        return buffer.getLong(offset + CORRELATION_OFFSET);
    }

    public int partitionId()
    {
        return buffer.getInt(offset + PARTITION_ID_OFFSET);
    }

    public short requiredAcks()
    {
        return buffer.getShort(offset + REQUIRED_ACKS_OFFSET);
    }

    public short callerId()
    {
        return buffer.getShort(offset + CALLER_ID_OFFSET);
    }

    public int batchLength()
    {
        return buffer.getInt(offset + BATCH_LENGTH_OFFSET);
    }

    /** Offset of the batch in {@link #buffer()}. */
    public int batchOffset()
    {
        return offset + BATCH_OFFSET;
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    public String toString()
    {
        return "AppendRequest{correlation=" + correlation() + ", partitionId=" + partitionId() +
            ", acks=" + requiredAcks() + ", callerId=" + callerId() + ", batchLength=" + batchLength() + '}';
    }
}
