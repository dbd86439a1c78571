package io.loggia.codec.wire;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;
import static org.agrona.BitUtil.SIZE_OF_SHORT;

/**
 * Encoder of a whole Produce response frame, versions 3 to 13: size field, response header, body. Topics and
 * partitions are written as they are handed in; only the counts must be known up front, because from v9 an
 * array count is a variable-length uvarint that cannot be patched in afterwards. A handler takes them from
 * {@link ProduceRequestDecoder#topicCount()} and {@link ProduceRequestDecoder#partitionCount()}.
 * <pre>
 *   field                   type                  versions   flexible (v9+)
 *   ----------------------  --------------------  ---------  -----------------------------
 *   (frame size)            int32                            counts everything after it
 *   (header) correlation_id int32                            + empty tagged fields (header v1)
 *   responses               array of topic        3+         compact array
 *     name                  string                3..12      compact string
 *     topic_id              uuid                  13+
 *     partition_responses   array of partition    3+         compact array
 *       index               int32                 3+
 *       error_code          int16                 3+
 *       base_offset         int64                 3+
 *       log_append_time_ms  int64                 3+         -1 unless the topic uses LogAppendTime
 *       log_start_offset    int64                 5+
 *       record_errors       array                 8+         always empty here
 *       error_message       nullable string       8+         null unless given
 *       (tagged fields)                                      empty: current_leader (tag 0) omitted
 *     (tagged fields)                                        empty
 *   throttle_time_ms        int32                 3+
 *   (tagged fields)                                          empty: node_endpoints (tag 0) omitted
 *
 *   one partition, v9..v13 (record_errors empty, error_message null):
 *   +-------+-------+-------------+-------------+-------------+------+------+--------+
 *   | index | error | base offset | append time | log start   | 0x01 | 0x00 | 0x00   |
 *   | int32 | int16 | int64       | int64       | offset int64| errs | msg  | tagged |
 *   +-------+-------+-------------+-------------+-------------+------+------+--------+
 *       0       4         6            14            22          30     31     32
 * </pre>
 * The current leader and node endpoints only matter with NOT_LEADER_OR_FOLLOWER, which a single-node broker
 * does not send, so the tagged sections stay empty.
 * <p>
 * Call order: {@link #wrap}, then per topic {@link #beginTopic} and its partitions' {@link #addPartition},
 * then {@link #finish}. A call out of order, or a count that does not match, yields
 * {@link WireError#COUNT_MISMATCH}; a full buffer {@link WireError#INSUFFICIENT_CAPACITY}.
 * <p>
 * Not thread safe; one instance per network thread, re-wrapped per response.
 */
public final class ProduceResponseEncoder
{
    public static final int MIN_VERSION = ProduceRequestDecoder.MIN_VERSION;
    public static final int MAX_VERSION = ProduceRequestDecoder.MAX_VERSION;

    /*
     * A partition opens with a fixed block, written in one capacity check:
     *
     *   +-----------+-------+-------------+--------------------+------------------+
     *   | index     | error | base offset | log append time ms | log start offset |
     *   | int32     | int16 | int64       | int64              | int64 (v5+)      |
     *   +-----------+-------+-------------+--------------------+------------------+
     *   0           4       6             14                   22                 30
     */
    static final int PARTITION_INDEX_OFFSET = 0;
    static final int PARTITION_ERROR_CODE_OFFSET = PARTITION_INDEX_OFFSET + SIZE_OF_INT;
    static final int BASE_OFFSET_OFFSET = PARTITION_ERROR_CODE_OFFSET + SIZE_OF_SHORT;
    static final int LOG_APPEND_TIME_OFFSET = BASE_OFFSET_OFFSET + SIZE_OF_LONG;
    static final int LOG_START_OFFSET_OFFSET = LOG_APPEND_TIME_OFFSET + SIZE_OF_LONG;
    static final int PARTITION_FIXED_LENGTH = LOG_START_OFFSET_OFFSET + SIZE_OF_LONG;
    static final int PARTITION_FIXED_LENGTH_V3 = LOG_START_OFFSET_OFFSET;

    private static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;

    /** Upper bound of one partition's bytes without an error message. */
    static final int MAX_PARTITION_LENGTH = 4 + 2 + 8 + 8 + 8 + 4 + 2;
    /** Upper bound of one topic's bytes besides its name and partitions. */
    static final int MAX_TOPIC_OVERHEAD = 16 + 5 + 5 + 1;
    /** Upper bound of the frame's bytes besides its topics. */
    static final int MAX_FRAME_OVERHEAD = SIZE_OF_INT + ResponseHeader.V1_LENGTH + 5 + SIZE_OF_INT + 1;

    private final WireWriter writer = new WireWriter();
    private int version;
    private boolean flexible;
    private int frameOffset;
    private int topicsRemaining;
    private int partitionsRemaining;
    private boolean inTopic;
    private int frameLength;

    /**
     * The most bytes a response can take, to size a buffer: every topic name counted in full, no error
     * messages.
     */
    public static int maxFrameLength(final int topicCount, final int totalPartitionCount, final int topicNameBytes)
    {
        return MAX_FRAME_OVERHEAD + topicCount * MAX_TOPIC_OVERHEAD + topicNameBytes +
            totalPartitionCount * MAX_PARTITION_LENGTH;
    }

    /**
     * Starts a response frame at {@code offset}: size placeholder, header, topic count.
     *
     * @param buffer        to write into.
     * @param offset        where the frame's size field goes.
     * @param limit         index one past the last byte the encoder may write.
     * @param version       the request's API version.
     * @param correlationId the request's correlation id.
     * @param topicCount    topics that will follow.
     * @return {@link WireError#NONE} or an error code.
     */
    public int wrap(
        final MutableDirectBuffer buffer,
        final int offset,
        final int limit,
        final int version,
        final int correlationId,
        final int topicCount)
    {
        final WireWriter writer = this.writer.wrap(buffer, offset, limit);
        this.version = version;
        this.flexible = version >= ProduceRequestDecoder.FIRST_FLEXIBLE_VERSION;
        this.frameOffset = offset;
        this.topicsRemaining = topicCount;
        this.partitionsRemaining = 0;
        this.inTopic = false;
        this.frameLength = 0;
        if (version < MIN_VERSION || version > MAX_VERSION || topicCount < 0)
        {
            writer.fail(WireError.UNSUPPORTED_VERSION);
        }
        writer.writeInt32(0);
        ResponseHeader.write(writer, correlationId, flexible ? 1 : 0);
        writeArrayLength(topicCount);
        return writer.errorCode();
    }

    /**
     * Starts a topic named by name (v3..v12).
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
     * Adds a partition's result to the current topic, with no error message.
     *
     * @param logAppendTimeMs the broker time stamped on the batch for LogAppendTime topics, else -1.
     * @param logStartOffset  ignored before v5.
     */
    public void addPartition(
        final int partitionIndex,
        final short errorCode,
        final long baseOffset,
        final long logAppendTimeMs,
        final long logStartOffset)
    {
        addPartition(partitionIndex, errorCode, baseOffset, logAppendTimeMs, logStartOffset, null);
    }

    /**
     * Adds a partition's result to the current topic.
     *
     * @param errorMessage UTF-8 text for error_message (v8+), or null; ignored before v8.
     */
    public void addPartition(
        final int partitionIndex,
        final short errorCode,
        final long baseOffset,
        final long logAppendTimeMs,
        final long logStartOffset,
        final byte[] errorMessage)
    {
        final WireWriter writer = this.writer;
        if (!inTopic || partitionsRemaining == 0)
        {
            writer.fail(WireError.COUNT_MISMATCH);
            return;
        }
        partitionsRemaining--;
        final boolean hasLogStartOffset = version >= 5;
        final int index = writer.claim(hasLogStartOffset ? PARTITION_FIXED_LENGTH : PARTITION_FIXED_LENGTH_V3);
        if (index < 0)
        {
            return;
        }
        final MutableDirectBuffer buffer = writer.buffer();
        buffer.putInt(index + PARTITION_INDEX_OFFSET, partitionIndex, ORDER);
        buffer.putShort(index + PARTITION_ERROR_CODE_OFFSET, errorCode, ORDER);
        buffer.putLong(index + BASE_OFFSET_OFFSET, baseOffset, ORDER);
        buffer.putLong(index + LOG_APPEND_TIME_OFFSET, logAppendTimeMs, ORDER);
        if (hasLogStartOffset)
        {
            buffer.putLong(index + LOG_START_OFFSET_OFFSET, logStartOffset, ORDER);
        }
        if (version >= 8)
        {
            writeArrayLength(0);
            if (flexible)
            {
                writer.writeCompactNullableString(errorMessage);
            }
            else
            {
                writer.writeNullableString(errorMessage);
            }
        }
        if (flexible)
        {
            writer.writeEmptyTaggedFields();
        }
    }

    /**
     * Ends the frame and fills in its size field.
     *
     * @return the frame's length in bytes, size field included, or a negative {@link WireError} code.
     */
    public int finish(final int throttleTimeMs)
    {
        final WireWriter writer = this.writer;
        endTopic();
        if (topicsRemaining != 0)
        {
            writer.fail(WireError.COUNT_MISMATCH);
        }
        writer.writeInt32(throttleTimeMs);
        if (flexible)
        {
            writer.writeEmptyTaggedFields();
        }
        if (writer.hasError())
        {
            return writer.errorCode();
        }
        frameLength = writer.position() - frameOffset;
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
     * @return the frame's length after {@link #finish}, size field included.
     */
    public int frameLength()
    {
        return frameLength;
    }

    private boolean startTopic(final int partitionCount, final boolean byId)
    {
        final WireWriter writer = this.writer;
        endTopic();
        if (topicsRemaining == 0 || partitionCount < 0)
        {
            writer.fail(WireError.COUNT_MISMATCH);
            return false;
        }
        if (byId != (version >= ProduceRequestDecoder.TOPIC_ID_VERSION))
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
        if (partitionsRemaining != 0)
        {
            writer.fail(WireError.COUNT_MISMATCH);
        }
        if (flexible)
        {
            writer.writeEmptyTaggedFields();
        }
        inTopic = false;
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
        return "ProduceResponseEncoder{version=" + version + ", frameOffset=" + frameOffset +
            ", position=" + writer.position() + ", error=" + WireError.name(writer.errorCode()) + '}';
    }
}
