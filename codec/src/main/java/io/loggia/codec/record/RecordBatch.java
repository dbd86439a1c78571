package io.loggia.codec.record;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

import static org.agrona.BitUtil.SIZE_OF_BYTE;
import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;
import static org.agrona.BitUtil.SIZE_OF_SHORT;

/**
 * Flyweight over one Kafka RecordBatch, magic 2, the unit the log stores and the wire carries.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                      Base Offset (int64)                      |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                     Batch Length (int32)                      |  8  bytes after this field
 *  +---------------------------------------------------------------+
 *  |                 Partition Leader Epoch (int32)                |  12
 *  +---------------+-----------------------------------------------+
 *  |  Magic (int8) |               CRC-32C (uint32) ...            |  16, 17
 *  +---------------+-----------------------------------------------+
 *  |  ... CRC      |       Attributes (int16)      | Last Offset   |  21, 23
 *  +---------------+-------------------------------+ Delta (int32) |
 *  |   ...                                         |               |
 *  +-----------------------------------------------+---------------+
 *  |               Base (first) Timestamp (int64)                  |  27
 *  +---------------------------------------------------------------+
 *  |                    Max Timestamp (int64)                      |  35
 *  +---------------------------------------------------------------+
 *  |                     Producer Id (int64)                       |  43
 *  +-------------------------------+-------------------------------+
 *  |     Producer Epoch (int16)    |     Base Sequence (int32) ... |  51, 53
 *  +-------------------------------+-------------------------------+
 *  |       ...                     |     Record Count (int32) ...  |  57
 *  +-------------------------------+-------------------------------+
 *  |       ...                     |  Records ...                     61
 *  +-------------------------------+
 * </pre>
 * All fields are big-endian. The CRC covers attributes to the end of the batch. Base offset and partition
 * leader epoch sit outside it on purpose: the leader stamps both on append, and a follower or a consumer
 * can still check the producer's CRC without the broker ever recomputing it.
 * <p>
 * Attributes: bits 0-2 compression codec, bit 3 timestamp type (1 = LogAppendTime), bit 4 transactional,
 * bit 5 control batch, bit 6 delete horizon present.
 * <p>
 * Not thread safe; one instance per thread, re-wrapped per batch.
 */
public final class RecordBatch
{
    public static final byte MAGIC_V2 = 2;

    public static final int BASE_OFFSET_OFFSET = 0;
    public static final int LENGTH_OFFSET = BASE_OFFSET_OFFSET + SIZE_OF_LONG;
    public static final int PARTITION_LEADER_EPOCH_OFFSET = LENGTH_OFFSET + SIZE_OF_INT;
    public static final int MAGIC_OFFSET = PARTITION_LEADER_EPOCH_OFFSET + SIZE_OF_INT;
    public static final int CRC_OFFSET = MAGIC_OFFSET + SIZE_OF_BYTE;
    public static final int ATTRIBUTES_OFFSET = CRC_OFFSET + SIZE_OF_INT;
    public static final int LAST_OFFSET_DELTA_OFFSET = ATTRIBUTES_OFFSET + SIZE_OF_SHORT;
    public static final int BASE_TIMESTAMP_OFFSET = LAST_OFFSET_DELTA_OFFSET + SIZE_OF_INT;
    public static final int MAX_TIMESTAMP_OFFSET = BASE_TIMESTAMP_OFFSET + SIZE_OF_LONG;
    public static final int PRODUCER_ID_OFFSET = MAX_TIMESTAMP_OFFSET + SIZE_OF_LONG;
    public static final int PRODUCER_EPOCH_OFFSET = PRODUCER_ID_OFFSET + SIZE_OF_LONG;
    public static final int BASE_SEQUENCE_OFFSET = PRODUCER_EPOCH_OFFSET + SIZE_OF_SHORT;
    public static final int RECORD_COUNT_OFFSET = BASE_SEQUENCE_OFFSET + SIZE_OF_INT;
    public static final int RECORDS_OFFSET = RECORD_COUNT_OFFSET + SIZE_OF_INT;

    /** Size of the fixed header, 61 bytes. */
    public static final int HEADER_LENGTH = RECORDS_OFFSET;
    /** Bytes before and including the length field; batch size = LOG_OVERHEAD + batchLength. */
    public static final int LOG_OVERHEAD = LENGTH_OFFSET + SIZE_OF_INT;
    /** The smallest legal batchLength: a header with no records. */
    public static final int MIN_BATCH_LENGTH = HEADER_LENGTH - LOG_OVERHEAD;

    public static final int COMPRESSION_CODEC_MASK = 0x07;
    public static final int TIMESTAMP_TYPE_MASK = 0x08;
    public static final int TRANSACTIONAL_FLAG_MASK = 0x10;
    public static final int CONTROL_FLAG_MASK = 0x20;
    public static final int DELETE_HORIZON_FLAG_MASK = 0x40;

    public static final long NO_PRODUCER_ID = -1L;
    public static final short NO_PRODUCER_EPOCH = -1;
    public static final int NO_SEQUENCE = -1;
    public static final long NO_TIMESTAMP = -1L;

    static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;

    private DirectBuffer buffer;
    private int offset;

    public RecordBatch wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    public int offset()
    {
        return offset;
    }

    public long baseOffset()
    {
        return buffer.getLong(offset + BASE_OFFSET_OFFSET, ORDER);
    }

    /** Bytes that follow the length field. */
    public int batchLength()
    {
        return buffer.getInt(offset + LENGTH_OFFSET, ORDER);
    }

    /** Whole batch size in bytes, header included. */
    public int sizeInBytes()
    {
        return LOG_OVERHEAD + batchLength();
    }

    public int partitionLeaderEpoch()
    {
        return buffer.getInt(offset + PARTITION_LEADER_EPOCH_OFFSET, ORDER);
    }

    public byte magic()
    {
        return buffer.getByte(offset + MAGIC_OFFSET);
    }

    /** The stored CRC-32C as an unsigned value. */
    public long crc()
    {
        return buffer.getInt(offset + CRC_OFFSET, ORDER) & 0xFFFF_FFFFL;
    }

    public short attributes()
    {
        return buffer.getShort(offset + ATTRIBUTES_OFFSET, ORDER);
    }

    public int compressionCodec()
    {
        return attributes() & COMPRESSION_CODEC_MASK;
    }

    public boolean isLogAppendTime()
    {
        return (attributes() & TIMESTAMP_TYPE_MASK) != 0;
    }

    public boolean isTransactional()
    {
        return (attributes() & TRANSACTIONAL_FLAG_MASK) != 0;
    }

    public boolean isControlBatch()
    {
        return (attributes() & CONTROL_FLAG_MASK) != 0;
    }

    public int lastOffsetDelta()
    {
        return buffer.getInt(offset + LAST_OFFSET_DELTA_OFFSET, ORDER);
    }

    public long lastOffset()
    {
        return baseOffset() + lastOffsetDelta();
    }

    /** Offset that follows this batch in the log. */
    public long nextOffset()
    {
        return lastOffset() + 1;
    }

    public long baseTimestamp()
    {
        return buffer.getLong(offset + BASE_TIMESTAMP_OFFSET, ORDER);
    }

    public long maxTimestamp()
    {
        return buffer.getLong(offset + MAX_TIMESTAMP_OFFSET, ORDER);
    }

    public long producerId()
    {
        return buffer.getLong(offset + PRODUCER_ID_OFFSET, ORDER);
    }

    public short producerEpoch()
    {
        return buffer.getShort(offset + PRODUCER_EPOCH_OFFSET, ORDER);
    }

    public int baseSequence()
    {
        return buffer.getInt(offset + BASE_SEQUENCE_OFFSET, ORDER);
    }

    /** Sequence of the last record, wrapping at Integer.MAX_VALUE as Kafka's producer does. */
    public int lastSequence()
    {
        final int base = baseSequence();
        if (base == NO_SEQUENCE)
        {
            return NO_SEQUENCE;
        }
        final long last = (long)base + lastOffsetDelta();
        return (int)(last > Integer.MAX_VALUE ? last - Integer.MAX_VALUE - 1 : last);
    }

    public int recordCount()
    {
        return buffer.getInt(offset + RECORD_COUNT_OFFSET, ORDER);
    }

    /** Offset in {@link #buffer()} where the (possibly compressed) records start. */
    public int recordsOffset()
    {
        return offset + RECORDS_OFFSET;
    }

    public int recordsLength()
    {
        return sizeInBytes() - HEADER_LENGTH;
    }

    /**
     * Stamps the fields the leader owns. Neither is covered by the CRC, so the producer's CRC stays valid.
     */
    public static void stampOffsetAndEpoch(
        final MutableDirectBuffer buffer, final int offset, final long baseOffset, final int partitionLeaderEpoch)
    {
        buffer.putLong(offset + BASE_OFFSET_OFFSET, baseOffset, ORDER);
        buffer.putInt(offset + PARTITION_LEADER_EPOCH_OFFSET, partitionLeaderEpoch, ORDER);
    }

    /**
     * Marks the batch LogAppendTime and sets its max timestamp to the broker's clock. Both are covered by the
     * CRC: follow with {@link BatchValidator#writeCrc}.
     */
    public static void stampLogAppendTime(final MutableDirectBuffer buffer, final int offset, final long timestamp)
    {
        final short attributes = buffer.getShort(offset + ATTRIBUTES_OFFSET, ORDER);
        buffer.putShort(offset + ATTRIBUTES_OFFSET, (short)(attributes | TIMESTAMP_TYPE_MASK), ORDER);
        buffer.putLong(offset + MAX_TIMESTAMP_OFFSET, timestamp, ORDER);
    }

    public String toString()
    {
        if (buffer == null)
        {
            return "RecordBatch{unwrapped}";
        }
        return "baseOffset: " + baseOffset() +
            " lastOffset: " + lastOffset() +
            " count: " + recordCount() +
            " baseSequence: " + baseSequence() +
            " lastSequence: " + lastSequence() +
            " producerId: " + producerId() +
            " producerEpoch: " + producerEpoch() +
            " partitionLeaderEpoch: " + partitionLeaderEpoch() +
            " isTransactional: " + isTransactional() +
            " isControl: " + isControlBatch() +
            (isLogAppendTime() ? " LogAppendTime: " : " CreateTime: ") + maxTimestamp() +
            " size: " + sizeInBytes() +
            " magic: " + magic() +
            " compresscodec: " + CompressionCodec.name(compressionCodec()) +
            " crc: " + crc();
    }
}
