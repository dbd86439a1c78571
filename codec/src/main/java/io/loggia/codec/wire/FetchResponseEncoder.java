package io.loggia.codec.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;
import static org.agrona.BitUtil.SIZE_OF_SHORT;

/**
 * Encoder of a whole Fetch response frame, versions 4 to 18, built for zero copy: everything but the record
 * bytes goes into a buffer, and for each partition whose records come from a segment file the encoder writes
 * the records' length prefix and notes a <em>file region</em>: the buffer position where the network layer
 * must splice that many file bytes, sent with {@code FileChannel.transferTo}. The record bytes never pass
 * through the JVM heap or this buffer.
 * <pre>
 *   field                      type                  versions   notes
 *   -------------------------  --------------------  ---------  ----------------------------------------
 *   (frame size)               int32                            buffer bytes + file bytes after this field
 *   (header) correlation_id    int32                            v12+: + empty tagged fields (header v1)
 *   throttle_time_ms           int32                 4+
 *   error_code                 int16                 7+         top-level (session) error
 *   session_id                 int32                 7+
 *   responses                  array of topic        4+
 *     topic                    string                4..12
 *     topic_id                 uuid                  13+
 *     partitions               array of partition    4+
 *       partition_index        int32                 4+
 *       error_code             int16                 4+
 *       high_watermark         int64                 4+
 *       last_stable_offset     int64                 4+
 *       log_start_offset       int64                 5+
 *       aborted_transactions   nullable array        4+         producer_id int64, first_offset int64
 *       preferred_read_replica int32                 11+        always -1: no follower fetching
 *       records                nullable records      4+         int32 length (v4..11),
 *                                                               uvarint length + 1 (v12+); then the bytes
 *       (tagged fields)                                         v12+, empty
 *     (tagged fields)                                           v12+, empty
 *   (tagged fields)                                             v12+, empty (node_endpoints omitted)
 *
 *   How one response is sent; the buffer holds everything but the file regions:
 *
 *   buffer:  [size|header|throttle..|topic|part 0 .. records len]|[part 0 tags|part 1 .. records len]|[tags..]
 *                                                                ^                                   ^
 *                                                   region 0 position                   region 1 position
 *   socket:  buffer[frame offset, region 0) , file region 0 , buffer[region 0, region 1) , file region 1 ,
 *            buffer[region 1, frame end)
 * </pre>
 * Region positions are absolute indexes in the buffer, increasing, in the order the regions were added. The
 * frame's size field counts the file bytes, so {@link #finish()} returns the length on the wire:
 * {@link #bufferLength()} + {@link #fileBytes()}.
 * <p>
 * Call order: {@link #wrap}; per topic {@link #beginTopic}; per partition either {@link #addPartition} or
 * {@link #beginPartition}, then as many {@link #addAbortedTransaction} as announced, then one of
 * {@link #addFileRegion}, {@link #addRecords} or {@link #addNullRecords}; finally {@link #finish()}. A call out
 * of order or a count that does not match yields {@link WireError#COUNT_MISMATCH}; a full buffer or more file
 * regions than preallocated {@link WireError#INSUFFICIENT_CAPACITY}.
 * <p>
 * Not thread safe; one instance per network thread, re-wrapped per response.
 */
public final class FetchResponseEncoder
{
    public static final int MIN_VERSION = FetchRequestDecoder.MIN_VERSION;
    public static final int MAX_VERSION = FetchRequestDecoder.MAX_VERSION;
    public static final int NO_PREFERRED_READ_REPLICA = -1;

    /** Upper bound of one partition's bytes in the buffer, without aborted transactions. */
    static final int MAX_PARTITION_LENGTH = 4 + 2 + 8 + 8 + 8 + 5 + 4 + 5 + 1;
    /** Upper bound of one aborted transaction's bytes. */
    static final int MAX_ABORTED_TRANSACTION_LENGTH = 8 + 8 + 1;
    /** Upper bound of one topic's bytes besides its name and partitions. */
    static final int MAX_TOPIC_OVERHEAD = 16 + 5 + 5 + 1;
    /** Upper bound of the frame's bytes besides its topics. */
    static final int MAX_FRAME_OVERHEAD = SIZE_OF_INT + ResponseHeader.V1_LENGTH + 4 + 2 + 4 + 5 + 1;

    /*
     * A partition opens with a fixed block, written in one capacity check:
     *
     *   +-----------+-------+----------------+--------------------+------------------+
     *   | partition | error | high watermark | last stable offset | log start offset |
     *   | int32     | int16 | int64          | int64              | int64 (v5+)      |
     *   +-----------+-------+----------------+--------------------+------------------+
     *   0           4       6                14                   22                 30
     */
    static final int PARTITION_INDEX_OFFSET = 0;
    static final int PARTITION_ERROR_CODE_OFFSET = PARTITION_INDEX_OFFSET + SIZE_OF_INT;
    static final int HIGH_WATERMARK_OFFSET = PARTITION_ERROR_CODE_OFFSET + SIZE_OF_SHORT;
    static final int LAST_STABLE_OFFSET_OFFSET = HIGH_WATERMARK_OFFSET + SIZE_OF_LONG;
    static final int LOG_START_OFFSET_OFFSET = LAST_STABLE_OFFSET_OFFSET + SIZE_OF_LONG;
    static final int PARTITION_FIXED_LENGTH = LOG_START_OFFSET_OFFSET + SIZE_OF_LONG;
    static final int PARTITION_FIXED_LENGTH_V4 = LOG_START_OFFSET_OFFSET;

    private static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;
    private static final int EXPECT_TOPIC_OR_PARTITION = 0;
    private static final int EXPECT_ABORTED = 1;
    private static final int EXPECT_RECORDS = 2;

    private final WireWriter writer = new WireWriter();
    private final int[] regionPositions;
    private final int[] regionLengths;
    private int regionCount;
    private long fileBytes;
    private int version;
    private boolean flexible;
    private int frameOffset;
    private int frameLength;
    private int topicsRemaining;
    private int partitionsRemaining;
    private int abortedRemaining;
    private boolean inTopic;
    private int state;

    /**
     * @param maxFileRegions the most partitions with file-backed records one response may carry.
     */
    public FetchResponseEncoder(final int maxFileRegions)
    {
        regionPositions = new int[maxFileRegions];
        regionLengths = new int[maxFileRegions];
    }

    /**
     * The most buffer bytes a response can take, to size a buffer: every topic name counted in full, records
     * from file regions only (add the bytes of any {@link #addRecords} call).
     */
    public static int maxBufferLength(
        final int topicCount, final int totalPartitionCount, final int topicNameBytes, final int abortedTransactions)
    {
        return MAX_FRAME_OVERHEAD + topicCount * MAX_TOPIC_OVERHEAD + topicNameBytes +
            totalPartitionCount * MAX_PARTITION_LENGTH + abortedTransactions * MAX_ABORTED_TRANSACTION_LENGTH;
    }

    /**
     * Starts a response frame at {@code offset}: size placeholder, header, top-level fields, topic count.
     *
     * @param buffer         to write into.
     * @param offset         where the frame's size field goes.
     * @param limit          index one past the last byte the encoder may write.
     * @param version        the request's API version.
     * @param correlationId  the request's correlation id.
     * @param throttleTimeMs quota throttle, or 0.
     * @param errorCode      the top-level error (v7+), such as a fetch session error, or 0.
     * @param sessionId      the fetch session id (v7+), or 0.
     * @param topicCount     topics that will follow.
     * @return {@link WireError#NONE} or an error code.
     */
    public int wrap(
        final MutableDirectBuffer buffer,
        final int offset,
        final int limit,
        final int version,
        final int correlationId,
        final int throttleTimeMs,
        final short errorCode,
        final int sessionId,
        final int topicCount)
    {
        final WireWriter writer = this.writer.wrap(buffer, offset, limit);
        this.version = version;
        this.flexible = version >= FetchRequestDecoder.FIRST_FLEXIBLE_VERSION;
        this.frameOffset = offset;
        this.frameLength = 0;
        this.regionCount = 0;
        this.fileBytes = 0;
        this.topicsRemaining = topicCount;
        this.partitionsRemaining = 0;
        this.abortedRemaining = 0;
        this.inTopic = false;
        this.state = EXPECT_TOPIC_OR_PARTITION;
        if (version < MIN_VERSION || version > MAX_VERSION || topicCount < 0)
        {
            writer.fail(WireError.UNSUPPORTED_VERSION);
        }
        writer.writeInt32(0);
        ResponseHeader.write(writer, correlationId, flexible ? 1 : 0);
        writer.writeInt32(throttleTimeMs);
        if (version >= 7)
        {
            writer.writeInt16(errorCode);
            writer.writeInt32(sessionId);
        }
        writeArrayLength(topicCount);
        return writer.errorCode();
    }

    /**
     * Starts a topic named by name (v4..v12).
     */
    public void beginTopic(
        final DirectBuffer nameBuffer, final int nameOffset, final int nameLength, final int partitionCount)
    {
        if (!startTopic(partitionCount, false))
        {
            return;
        }
        if (flexible)
        {
            writer.writeCompactString(nameBuffer, nameOffset, nameLength);
        }
        else
        {
            writer.writeString(nameBuffer, nameOffset, nameLength);
        }
        writeArrayLength(partitionCount);
    }

    /**
     * Starts a topic named by topic id (v13+).
     */
    public void beginTopic(final long topicIdMsb, final long topicIdLsb, final int partitionCount)
    {
        if (!startTopic(partitionCount, true))
        {
            return;
        }
        writer.writeUuid(topicIdMsb, topicIdLsb);
        writeArrayLength(partitionCount);
    }

    /**
     * Adds a partition without aborted transactions (null) whose records come from a file: the common case.
     *
     * @param recordsLength file bytes to splice in; 0 for empty records.
     * @return the buffer position where the file bytes go, or a negative {@link WireError} code.
     * @see #addFileRegion(int)
     */
    public int addPartition(
        final int partitionIndex,
        final short errorCode,
        final long highWatermark,
        final long lastStableOffset,
        final long logStartOffset,
        final int recordsLength)
    {
        beginPartition(partitionIndex, errorCode, highWatermark, lastStableOffset, logStartOffset,
            WireReader.NULL_LENGTH);
        return addFileRegion(recordsLength);
    }

    /**
     * Writes a partition's fixed fields up to its aborted transactions.
     *
     * @param logStartOffset          ignored before v5.
     * @param abortedTransactionCount aborted transactions that follow, or {@link WireReader#NULL_LENGTH} for
     *                                null (read_uncommitted fetches).
     */
    public void beginPartition(
        final int partitionIndex,
        final short errorCode,
        final long highWatermark,
        final long lastStableOffset,
        final long logStartOffset,
        final int abortedTransactionCount)
    {
        final WireWriter writer = this.writer;
        if (!inTopic || partitionsRemaining == 0 || state != EXPECT_TOPIC_OR_PARTITION ||
            abortedTransactionCount < WireReader.NULL_LENGTH)
        {
            writer.fail(WireError.COUNT_MISMATCH);
            return;
        }
        partitionsRemaining--;
        final boolean hasLogStartOffset = version >= 5;
        final int index = writer.claim(hasLogStartOffset ? PARTITION_FIXED_LENGTH : PARTITION_FIXED_LENGTH_V4);
        if (index < 0)
        {
            return;
        }
        final MutableDirectBuffer buffer = writer.buffer();
        buffer.putInt(index + PARTITION_INDEX_OFFSET, partitionIndex, ORDER);
        buffer.putShort(index + PARTITION_ERROR_CODE_OFFSET, errorCode, ORDER);
        buffer.putLong(index + HIGH_WATERMARK_OFFSET, highWatermark, ORDER);
        buffer.putLong(index + LAST_STABLE_OFFSET_OFFSET, lastStableOffset, ORDER);
        if (hasLogStartOffset)
        {
            buffer.putLong(index + LOG_START_OFFSET_OFFSET, logStartOffset, ORDER);
        }
        writeArrayLength(abortedTransactionCount);
        abortedRemaining = Math.max(abortedTransactionCount, 0);
        state = abortedRemaining > 0 ? EXPECT_ABORTED : EXPECT_RECORDS;
    }

    public void addAbortedTransaction(final long producerId, final long firstOffset)
    {
        final WireWriter writer = this.writer;
        if (state != EXPECT_ABORTED)
        {
            writer.fail(WireError.COUNT_MISMATCH);
            return;
        }
        writer.writeInt64(producerId);
        writer.writeInt64(firstOffset);
        if (flexible)
        {
            writer.writeEmptyTaggedFields();
        }
        if (--abortedRemaining == 0)
        {
            state = EXPECT_RECORDS;
        }
    }

    /**
     * Ends the current partition with records that come from a file: writes the length prefix, notes a file
     * region of {@code length} bytes at the current position, and writes what follows the records. A length of
     * 0 writes empty records and notes no region.
     *
     * @param length record bytes the network layer will splice in.
     * @return the buffer position where the file bytes go, or a negative {@link WireError} code.
     */
    public int addFileRegion(final int length)
    {
        final WireWriter writer = this.writer;
        if (!startRecords(length))
        {
            return writer.errorCode();
        }
        writeRecordsLength(length);
        final int position = writer.position();
        if (length > 0)
        {
            if (regionCount == regionPositions.length)
            {
                writer.fail(WireError.INSUFFICIENT_CAPACITY);
                return writer.errorCode();
            }
            regionPositions[regionCount] = position;
            regionLengths[regionCount] = length;
            regionCount++;
            fileBytes += length;
        }
        endPartition();
        return writer.hasError() ? writer.errorCode() : position;
    }

    /**
     * Ends the current partition with records copied from a buffer, for records that are not in a file.
     */
    public void addRecords(final DirectBuffer source, final int sourceOffset, final int length)
    {
        if (!startRecords(length))
        {
            return;
        }
        writeRecordsLength(length);
        writer.writeRaw(source, sourceOffset, length);
        endPartition();
    }

    /**
     * Ends the current partition with null records.
     */
    public void addNullRecords()
    {
        if (!startRecords(0))
        {
            return;
        }
        writeRecordsLength(WireReader.NULL_LENGTH);
        endPartition();
    }

    /**
     * Ends the frame and fills in its size field, which counts the file bytes.
     *
     * @return the frame's length on the wire, size field and file regions included, or a negative
     * {@link WireError} code.
     */
    public int finish()
    {
        final WireWriter writer = this.writer;
        endTopic();
        if (topicsRemaining != 0 || state != EXPECT_TOPIC_OR_PARTITION)
        {
            writer.fail(WireError.COUNT_MISMATCH);
        }
        if (flexible)
        {
            writer.writeEmptyTaggedFields();
        }
        if (writer.hasError())
        {
            return writer.errorCode();
        }
        final long wireLength = (long)(writer.position() - frameOffset) + fileBytes;
        if (wireLength > Integer.MAX_VALUE)
        {
            return writer.fail(WireError.VALUE_TOO_LONG);
        }
        frameLength = (int)wireLength;
        writer.putInt32(frameOffset, frameLength - Frame.SIZE_FIELD_LENGTH);
        return frameLength;
    }

    public int errorCode()
    {
        return writer.errorCode();
    }

    public int version()
    {
        return version;
    }

    /**
     * @return where the frame starts in the buffer: its size field.
     */
    public int frameOffset()
    {
        return frameOffset;
    }

    /**
     * @return index one past the frame's last byte in the buffer.
     */
    public int bufferLimit()
    {
        return writer.position();
    }

    /**
     * @return the frame's bytes held in the buffer, from {@link #frameOffset()} to {@link #bufferLimit()}.
     */
    public int bufferLength()
    {
        return writer.position() - frameOffset;
    }

    /**
     * @return the frame's length on the wire after {@link #finish()}: buffer bytes plus file bytes.
     */
    public int frameLength()
    {
        return frameLength;
    }

    /**
     * @return total bytes of all file regions.
     */
    public long fileBytes()
    {
        return fileBytes;
    }

    public int fileRegionCount()
    {
        return regionCount;
    }

    /**
     * @param index from 0 to {@link #fileRegionCount()} - 1, in the order the regions were added.
     * @return the absolute buffer index where region {@code index} is spliced in.
     */
    public int fileRegionPosition(final int index)
    {
        return regionPositions[index];
    }

    /**
     * @param index from 0 to {@link #fileRegionCount()} - 1.
     * @return the file bytes of region {@code index}.
     */
    public int fileRegionLength(final int index)
    {
        return regionLengths[index];
    }

    /**
     * @return the most file regions a response may carry.
     */
    public int maxFileRegions()
    {
        return regionPositions.length;
    }

    private boolean startTopic(final int partitionCount, final boolean byId)
    {
        final WireWriter writer = this.writer;
        endTopic();
        if (topicsRemaining == 0 || partitionCount < 0 || state != EXPECT_TOPIC_OR_PARTITION)
        {
            writer.fail(WireError.COUNT_MISMATCH);
            return false;
        }
        if (byId != (version >= FetchRequestDecoder.TOPIC_ID_VERSION))
        {
            writer.fail(WireError.UNSUPPORTED_VERSION);
            return false;
        }
        topicsRemaining--;
        partitionsRemaining = partitionCount;
        inTopic = true;
        return !writer.hasError();
    }

    private void endTopic()
    {
        if (!inTopic)
        {
            return;
        }
        if (partitionsRemaining != 0 || state != EXPECT_TOPIC_OR_PARTITION)
        {
            writer.fail(WireError.COUNT_MISMATCH);
        }
        if (flexible)
        {
            writer.writeEmptyTaggedFields();
        }
        inTopic = false;
    }

    private boolean startRecords(final int length)
    {
        if (state != EXPECT_RECORDS || length < 0)
        {
            writer.fail(WireError.COUNT_MISMATCH);
            return false;
        }
        if (length == Integer.MAX_VALUE)
        {
            writer.fail(WireError.VALUE_TOO_LONG);
            return false;
        }
        if (version >= 11)
        {
            writer.writeInt32(NO_PREFERRED_READ_REPLICA);
        }
        return !writer.hasError();
    }

    private void writeRecordsLength(final int length)
    {
        if (flexible)
        {
            writer.writeUnsignedVarint(length + 1);
        }
        else
        {
            writer.writeInt32(length);
        }
    }

    private void endPartition()
    {
        if (flexible)
        {
            writer.writeEmptyTaggedFields();
        }
        state = EXPECT_TOPIC_OR_PARTITION;
    }

    private void writeArrayLength(final int count)
    {
        if (flexible)
        {
            writer.writeCompactArrayLength(count);
        }
        else
        {
            writer.writeArrayLength(count);
        }
    }

    public String toString()
    {
        return "FetchResponseEncoder{version=" + version + ", frameOffset=" + frameOffset +
            ", bufferLength=" + bufferLength() + ", fileRegions=" + regionCount + ", fileBytes=" + fileBytes +
            ", error=" + WireError.name(writer.errorCode()) + '}';
    }
}
