package io.loggia.codec.wire;

import org.agrona.DirectBuffer;

import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;
import static org.agrona.BitUtil.SIZE_OF_SHORT;

/**
 * Decoder of a Produce request body, versions 3 to 13, as a cursor over topics and their partitions. Record
 * bytes are never copied: each partition reports where its records lie in the request buffer.
 * <pre>
 *   field                 type                   versions   flexible (v9+)
 *   --------------------  ---------------------  ---------  -------------------------------
 *   transactional_id      nullable string        3+         compact nullable string
 *   acks                  int16                  3+
 *   timeout_ms            int32                  3+
 *   topic_data            array of topic         3+         compact array
 *     name                string                 3..12      compact string
 *     topic_id            uuid (16 bytes)        13+
 *     partition_data      array of partition     3+         compact array
 *       index             int32                  3+
 *       records           nullable bytes         3+         compact nullable bytes
 *       (tagged fields)                                     v9+
 *     (tagged fields)                                       v9+
 *   (tagged fields)                                         v9+
 *
 *   v3..v8, one topic with one partition:
 *   +--------+----------+------+---------+-------+------+---------+-------+--------+----------------+
 *   | txn id | txn id   | acks | timeout | topic | name | name    | parts | index  | records length |
 *   | len i16| bytes... | i16  | i32     | cnt   | len  | bytes...| cnt   | i32    | i32, then bytes|
 *   |        |          |      |         | i32   | i16  |         | i32   |        |                |
 *   +--------+----------+------+---------+-------+------+---------+-------+--------+----------------+
 *   v9+: every length and count is a uvarint of (value + 1), 0 meaning null, and each partition, each
 *   topic and the body end with a tagged-field section (0x00 when empty). v13 replaces name by topic_id.
 * </pre>
 * {@link #wrap} checks the whole body in one pass before the cursor hands out anything, so a handler never
 * acts on the first partitions of a request whose tail turns out malformed, and it learns the counts it needs
 * to size the response. After a successful wrap the cursor cannot fail.
 * <pre>{@code
 *   if (decoder.wrap(buffer, header.bodyOffset(), limit, header.apiVersion()) == WireError.NONE)
 *   {
 *       while (decoder.nextTopic())
 *       {
 *           while (decoder.nextPartition())
 *           {
 *               append(decoder.topicNameOffset(), decoder.topicNameLength(), decoder.partitionIndex(),
 *                   decoder.recordsOffset(), decoder.recordsLength());
 *           }
 *       }
 *   }
 * }</pre>
 * Not thread safe; one instance per network thread, re-wrapped per request.
 */
public final class ProduceRequestDecoder
{
    public static final int MIN_VERSION = 3;
    public static final int MAX_VERSION = 13;
    public static final int FIRST_FLEXIBLE_VERSION = 9;
    /** From this version a topic is named by its topic id instead of its name. */
    public static final int TOPIC_ID_VERSION = 13;

    private static final int UUID_LENGTH = 2 * SIZE_OF_LONG;

    private final WireReader reader = new WireReader();
    private DirectBuffer buffer;
    private int version;
    private boolean flexible;
    private int transactionalIdOffset;
    private int transactionalIdLength;
    private short acks;
    private int timeoutMs;
    private int topicCount;
    private int totalPartitionCount;
    private int topicsOffset;
    private int limit;
    private int errorCode;

    private int topicsRemaining;
    private int partitionsRemaining;
    private boolean inTopic;
    private int topicOrdinal;
    private int partitionOrdinal;
    private int topicNameOffset;
    private int topicNameLength;
    private long topicIdMsb;
    private long topicIdLsb;
    private int partitionCount;
    private int partitionIndex;
    private int recordsOffset;
    private int recordsLength;

    /**
     * Checks the whole body and positions the cursor before the first topic.
     *
     * @param buffer  holding the request.
     * @param offset  of the body: {@link RequestHeader#bodyOffset()}.
     * @param limit   index one past the last byte of the frame.
     * @param version the request's API version.
     * @return {@link WireError#NONE} or the first error found.
     */
    public int wrap(final DirectBuffer buffer, final int offset, final int limit, final int version)
    {
        this.buffer = buffer;
        this.version = version;
        this.flexible = version >= FIRST_FLEXIBLE_VERSION;
        this.limit = limit;
        topicCount = 0;
        totalPartitionCount = 0;
        final WireReader reader = this.reader.wrap(buffer, offset, limit);
        if (version < MIN_VERSION || version > MAX_VERSION)
        {
            reader.fail(WireError.UNSUPPORTED_VERSION);
        }

        transactionalIdLength = flexible ? reader.readCompactNullableString() : reader.readNullableString();
        transactionalIdOffset = reader.valueOffset();
        acks = reader.readInt16();
        timeoutMs = reader.readInt32();
        topicCount = readArrayLength(reader, minTopicSize());
        topicsOffset = reader.position();
        totalPartitionCount = validateTopics(reader, topicCount);
        if (flexible)
        {
            reader.skipTaggedFields();
        }
        if (reader.errorCode() == WireError.NONE && reader.position() != limit)
        {
            reader.fail(WireError.TRAILING_BYTES);
        }

        errorCode = reader.errorCode();
        if (errorCode != WireError.NONE)
        {
            topicCount = 0;
            totalPartitionCount = 0;
        }
        rewind();
        return errorCode;
    }

    /**
     * Moves the cursor back before the first topic, to walk the request again.
     */
    public void rewind()
    {
        reader.wrap(buffer, topicsOffset, limit);
        topicsRemaining = topicCount;
        partitionsRemaining = 0;
        partitionCount = 0;
        inTopic = false;
        topicOrdinal = -1;
        partitionOrdinal = -1;
    }

    public int errorCode()
    {
        return errorCode;
    }

    public DirectBuffer buffer()
    {
        return buffer;
    }

    public int version()
    {
        return version;
    }

    /**
     * @return where the transactional id's bytes start in {@link #buffer()}.
     */
    public int transactionalIdOffset()
    {
        return transactionalIdOffset;
    }

    /**
     * @return the transactional id's length, or {@link WireReader#NULL_LENGTH} when the producer is not
     * transactional.
     */
    public int transactionalIdLength()
    {
        return transactionalIdLength;
    }

    public short acks()
    {
        return acks;
    }

    public int timeoutMs()
    {
        return timeoutMs;
    }

    public int topicCount()
    {
        return topicCount;
    }

    /**
     * @return partitions across all topics of the request.
     */
    public int totalPartitionCount()
    {
        return totalPartitionCount;
    }

    /**
     * @return true when topics carry a topic id ({@link #topicIdMostSignificantBits()}) instead of a name.
     */
    public boolean usesTopicIds()
    {
        return version >= TOPIC_ID_VERSION;
    }

    /**
     * Advances to the next topic, skipping any partitions of the current one not yet visited.
     *
     * @return false when no topic is left.
     */
    public boolean nextTopic()
    {
        final WireReader reader = this.reader;
        if (inTopic)
        {
            while (partitionsRemaining > 0)
            {
                nextPartition();
            }
            if (flexible)
            {
                reader.skipTaggedFields();
            }
            inTopic = false;
        }
        if (topicsRemaining == 0)
        {
            return false;
        }
        topicsRemaining--;
        topicOrdinal++;
        if (version >= TOPIC_ID_VERSION)
        {
            topicNameLength = WireReader.NULL_LENGTH;
            topicNameOffset = reader.position();
            topicIdMsb = reader.readInt64();
            topicIdLsb = reader.readInt64();
        }
        else
        {
            topicNameLength = flexible ? reader.readCompactString() : reader.readString();
            topicNameOffset = reader.valueOffset();
            topicIdMsb = 0;
            topicIdLsb = 0;
        }
        partitionCount = flexible ? reader.readCompactArrayLength(1) : reader.readArrayLength(1);
        partitionsRemaining = partitionCount;
        inTopic = true;
        return true;
    }

    /**
     * @return where the current topic's name starts in {@link #buffer()}.
     */
    public int topicNameOffset()
    {
        return topicNameOffset;
    }

    /**
     * @return the current topic's name length, or {@link WireReader#NULL_LENGTH} from v13, where topics are
     * named by id.
     */
    public int topicNameLength()
    {
        return topicNameLength;
    }

    /**
     * @return the high 64 bits of the current topic's id (v13+), 0 before.
     */
    public long topicIdMostSignificantBits()
    {
        return topicIdMsb;
    }

    /**
     * @return the low 64 bits of the current topic's id (v13+), 0 before.
     */
    public long topicIdLeastSignificantBits()
    {
        return topicIdLsb;
    }

    /**
     * @return the current topic's position in the request, from 0.
     */
    public int topicOrdinal()
    {
        return topicOrdinal;
    }

    /**
     * @return partitions in the current topic.
     */
    public int partitionCount()
    {
        return partitionCount;
    }

    /**
     * Advances to the next partition of the current topic.
     *
     * @return false when the topic has no partition left.
     */
    public boolean nextPartition()
    {
        if (partitionsRemaining == 0)
        {
            return false;
        }
        final WireReader reader = this.reader;
        partitionsRemaining--;
        partitionOrdinal++;
        partitionIndex = reader.readInt32();
        recordsLength = flexible ? reader.readCompactNullableBytes() : reader.readNullableBytes();
        recordsOffset = reader.valueOffset();
        if (flexible)
        {
            reader.skipTaggedFields();
        }
        return true;
    }

    public int partitionIndex()
    {
        return partitionIndex;
    }

    /**
     * @return the current partition's position across the whole request, from 0: a slot for its result.
     */
    public int partitionOrdinal()
    {
        return partitionOrdinal;
    }

    /**
     * @return where the current partition's record batches start in {@link #buffer()}.
     */
    public int recordsOffset()
    {
        return recordsOffset;
    }

    /**
     * @return the length of the current partition's record batches, or {@link WireReader#NULL_LENGTH}.
     */
    public int recordsLength()
    {
        return recordsLength;
    }

    private int validateTopics(final WireReader reader, final int topicCount)
    {
        final boolean flexible = this.flexible;
        final int minPartitionSize = minPartitionSize();
        int partitions = 0;
        for (int t = 0; t < topicCount && !reader.hasError(); t++)
        {
            if (version >= TOPIC_ID_VERSION)
            {
                reader.skip(UUID_LENGTH);
            }
            else if (flexible)
            {
                reader.readCompactString();
            }
            else
            {
                reader.readString();
            }
            final int count = readArrayLength(reader, minPartitionSize);
            for (int p = 0; p < count && !reader.hasError(); p++)
            {
                reader.skip(SIZE_OF_INT);
                if (flexible)
                {
                    reader.readCompactNullableBytes();
                    reader.skipTaggedFields();
                }
                else
                {
                    reader.readNullableBytes();
                }
            }
            partitions += count;
            if (flexible)
            {
                reader.skipTaggedFields();
            }
        }
        return partitions;
    }

    private int readArrayLength(final WireReader reader, final int minElementSize)
    {
        return flexible ? reader.readCompactArrayLength(minElementSize) : reader.readArrayLength(minElementSize);
    }

    private int minTopicSize()
    {
        // name or id, partition count, and in flexible versions a tagged-field section.
        if (version >= TOPIC_ID_VERSION)
        {
            return UUID_LENGTH + 1 + 1;
        }
        return flexible ? 1 + 1 + 1 : SIZE_OF_SHORT + SIZE_OF_INT;
    }

    private int minPartitionSize()
    {
        // index, records length, and in flexible versions a tagged-field section.
        return flexible ? SIZE_OF_INT + 1 + 1 : SIZE_OF_INT + SIZE_OF_INT;
    }

    public String toString()
    {
        return "ProduceRequest{version=" + version + ", acks=" + acks + ", timeoutMs=" + timeoutMs +
            ", topics=" + topicCount + ", partitions=" + totalPartitionCount +
            ", error=" + WireError.name(errorCode) + '}';
    }
}
