package io.loggia.engine.writer;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;
import static org.agrona.BitUtil.SIZE_OF_SHORT;

/**
 * The outcome of one append, sent by a writer to the caller's completion ring.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                    Correlation (int64)                        |  0
 *  +---------------------------------------------------------------+
 *  |                    Base Offset (int64)                        |  8   -1 on error
 *  +---------------------------------------------------------------+
 *  |                    Log Append Time (int64)                    |  16  -1 unless LogAppendTime
 *  +---------------------------------------------------------------+
 *  |                    Log Start Offset (int64)                   |  24
 *  +---------------------------------------------------------------+
 *  |                    Partition Id (int32)                       |  32
 *  +-------------------------------+-------------------------------+
 *  |      Error Code (int16)       |        Reserved (int16)       |  36  a Kafka error code
 *  +-------------------------------+-------------------------------+
 * </pre>
 * Native byte order; in-process only.
 */
public final class AppendCompletionFlyweight
{
    public static final int MSG_TYPE_COMPLETION = 2;

    public static final int CORRELATION_OFFSET = 0;
    public static final int BASE_OFFSET_OFFSET = CORRELATION_OFFSET + SIZE_OF_LONG;
    public static final int LOG_APPEND_TIME_OFFSET = BASE_OFFSET_OFFSET + SIZE_OF_LONG;
    public static final int LOG_START_OFFSET_OFFSET = LOG_APPEND_TIME_OFFSET + SIZE_OF_LONG;
    public static final int PARTITION_ID_OFFSET = LOG_START_OFFSET_OFFSET + SIZE_OF_LONG;
    public static final int ERROR_CODE_OFFSET = PARTITION_ID_OFFSET + SIZE_OF_INT;
    public static final int RESERVED_OFFSET = ERROR_CODE_OFFSET + SIZE_OF_SHORT;
    public static final int LENGTH = RESERVED_OFFSET + SIZE_OF_SHORT;

    private DirectBuffer buffer;
    private int offset;

    public AppendCompletionFlyweight wrap(final DirectBuffer buffer, final int offset)
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
        final short errorCode,
        final long baseOffset,
        final long logAppendTime,
        final long logStartOffset)
    {
        buffer.putLong(offset + CORRELATION_OFFSET, correlation);
        buffer.putLong(offset + BASE_OFFSET_OFFSET, baseOffset);
        buffer.putLong(offset + LOG_APPEND_TIME_OFFSET, logAppendTime);
        buffer.putLong(offset + LOG_START_OFFSET_OFFSET, logStartOffset);
        buffer.putInt(offset + PARTITION_ID_OFFSET, partitionId);
        buffer.putShort(offset + ERROR_CODE_OFFSET, errorCode);
        buffer.putShort(offset + RESERVED_OFFSET, (short)0);
    }

    public long correlation()
    {
        return buffer.getLong(offset + CORRELATION_OFFSET);
    }

    public long baseOffset()
    {
        return buffer.getLong(offset + BASE_OFFSET_OFFSET);
    }

    public long logAppendTime()
    {
        return buffer.getLong(offset + LOG_APPEND_TIME_OFFSET);
    }

    public long logStartOffset()
    {
        return buffer.getLong(offset + LOG_START_OFFSET_OFFSET);
    }

    public int partitionId()
    {
        return buffer.getInt(offset + PARTITION_ID_OFFSET);
    }

    public short errorCode()
    {
        return buffer.getShort(offset + ERROR_CODE_OFFSET);
    }

    public String toString()
    {
        return "AppendCompletion{correlation=" + correlation() + ", partitionId=" + partitionId() +
            ", error=" + errorCode() + ", baseOffset=" + baseOffset() + '}';
    }
}
