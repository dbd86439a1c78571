package io.loggia.codec.wire;

import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;
import static org.agrona.BitUtil.SIZE_OF_SHORT;

/**
 * Decoder of a Fetch request body, versions 4 to 18, as a cursor over topics and partitions, then over the
 * forgotten topics of an incremental fetch session.
 * <pre>
 *   field                      type                versions   notes
 *   -------------------------  ------------------  ---------  --------------------------------------------
 *   replica_id                 int32               4..14      -1 for consumers; from v15 in replica_state
 *   max_wait_ms                int32               4+
 *   min_bytes                  int32               4+
 *   max_bytes                  int32               4+
 *   isolation_level            int8                4+         0 read_uncommitted, 1 read_committed
 *   session_id                 int32               7+         0 = no session
 *   session_epoch              int32               7+         -1 = full fetch, no session
 *   topics                     array               4+
 *     topic                    string              4..12
 *     topic_id                 uuid                13+
 *     partitions               array               4+
 *       partition              int32               4+
 *       current_leader_epoch   int32               9+         -1 = unknown
 *       fetch_offset           int64               4+
 *       last_fetched_epoch     int32               12+        -1 = unknown
 *       log_start_offset       int64               5+         followers only; -1 for consumers
 *       partition_max_bytes    int32               4+
 *       (tagged 0) replica_directory_id  uuid      17+
 *       (tagged 1) high_watermark        int64     18+        default Long.MAX_VALUE
 *   forgotten_topics_data      array               7+
 *     topic                    string              7..12
 *     topic_id                 uuid                13+
 *     partitions               array of int32      7+
 *   rack_id                    string              11+        default ""
 *   (tagged 0) cluster_id      nullable string     12+
 *   (tagged 1) replica_state   struct              15+        replica_id int32, replica_epoch int64
 *
 *   From v12 (flexible) strings and arrays are compact (uvarint length + 1) and every partition, topic,
 *   forgotten topic and the body end with a tagged-field section.
 *
 *   A partition opens with a block of fixed-size fields whose offsets depend on the version only; it is read
 *   with one limit check at offsets computed once per request. v12..v18:
 *   +-----------+---------------+------------+----------------+---------------+-----------+--------+
 *   | partition | current leader| fetch      | last fetched   | log start     | partition | tagged |
 *   | int32     | epoch int32   | offset i64 | epoch int32    | offset i64    | max bytes | fields |
 *   +-----------+---------------+------------+----------------+---------------+-----------+--------+
 *        0             4              8              16              20            28        32
 *   v9..v11 lack last_fetched_epoch (block of 28), v5..v8 also current_leader_epoch (24), v4 also
 *   log_start_offset (16).
 * </pre>
 * {@link #wrap} reads the whole body in one pass: the fields that decide who is fetching (rack_id and, from
 * v15, the replica id inside the trailing tagged fields) come after the topics, and a handler must not act on
 * a request whose tail is malformed. After a successful wrap the cursors cannot fail.
 * <p>
 * Not thread safe; one instance per network thread, re-wrapped per request.
 */
public final class FetchRequestDecoder
{
    public static final int MIN_VERSION = 4;
    public static final int MAX_VERSION = 18;
    public static final int FIRST_FLEXIBLE_VERSION = 12;
    /** From this version topics are named by topic id instead of name. */
    public static final int TOPIC_ID_VERSION = 13;
    /** From this version the replica id moves into the tagged replica_state. */
    public static final int REPLICA_STATE_VERSION = 15;

    public static final int CONSUMER_REPLICA_ID = -1;
    public static final long DEFAULT_HIGH_WATERMARK = Long.MAX_VALUE;

    static final int CLUSTER_ID_TAG = 0;
    static final int REPLICA_STATE_TAG = 1;
    static final int REPLICA_DIRECTORY_ID_TAG = 0;
    static final int HIGH_WATERMARK_TAG = 1;

    private static final int UUID_LENGTH = 2 * SIZE_OF_LONG;
    private static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;

    private final WireReader reader = new WireReader();
    private final WireReader forgottenReader = new WireReader();
    private DirectBuffer buffer;
    private int version;
    private boolean flexible;
    private int limit;
    private int errorCode;

    private int replicaId;
    private long replicaEpoch;
    private int maxWaitMs;
    private int minBytes;
    private int maxBytes;
    private byte isolationLevel;
    private int sessionId;
    private int sessionEpoch;
    private int topicCount;
    private int totalPartitionCount;
    private int forgottenTopicCount;
    private int rackIdOffset;
    private int rackIdLength;
    private int clusterIdOffset;
    private int clusterIdLength;
    private int topicsOffset;
    private int forgottenTopicsOffset;

    private int partitionBlockLength;
    private int currentLeaderEpochAt;
    private int fetchOffsetAt;
    private int lastFetchedEpochAt;
    private int logStartOffsetAt;
    private int partitionMaxBytesAt;

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

    private int partition;
    private int currentLeaderEpoch;
    private long fetchOffset;
    private int lastFetchedEpoch;
    private long logStartOffset;
    private int partitionMaxBytes;
    private long replicaDirectoryIdMsb;
    private long replicaDirectoryIdLsb;
    private long highWatermark;

    private int forgottenRemaining;
    private int forgottenNameOffset;
    private int forgottenNameLength;
    private long forgottenIdMsb;
    private long forgottenIdLsb;
    private int forgottenPartitionCount;
    private int forgottenPartitionsOffset;

    /**
     * Checks the whole body and positions the cursors before the first topic and the first forgotten topic.
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
        final WireReader reader = this.reader.wrap(buffer, offset, limit);
        if (version < MIN_VERSION || version > MAX_VERSION)
        {
            reader.fail(WireError.UNSUPPORTED_VERSION);
        }
        layOutPartitionBlock(version);

        replicaId = version < REPLICA_STATE_VERSION ? reader.readInt32() : CONSUMER_REPLICA_ID;
        replicaEpoch = -1;
        maxWaitMs = reader.readInt32();
        minBytes = reader.readInt32();
        maxBytes = reader.readInt32();
        isolationLevel = reader.readInt8();
        sessionId = 0;
        sessionEpoch = -1;
        if (version >= 7)
        {
            sessionId = reader.readInt32();
            sessionEpoch = reader.readInt32();
        }

        topicCount = readArrayLength(reader, minTopicSize());
        topicsOffset = reader.position();
        totalPartitionCount = 0;
        topicsRemaining = topicCount;
        inTopic = false;
        partitionsRemaining = 0;
        while (!reader.hasError() && nextTopic())
        {
            totalPartitionCount += partitionCount;
            while (!reader.hasError() && nextPartition())
            {
                // Reading each partition is the check; the values are read again when the handler walks.
            }
        }

        forgottenTopicCount = 0;
        forgottenTopicsOffset = reader.position();
        if (version >= 7)
        {
            forgottenTopicCount = readArrayLength(reader, minTopicSize());
            forgottenTopicsOffset = reader.position();
            for (int i = 0; i < forgottenTopicCount && !reader.hasError(); i++)
            {
                readForgottenTopic(reader);
            }
        }

        rackIdLength = 0;
        rackIdOffset = reader.position();
        if (version >= 11)
        {
            rackIdLength = flexible ? reader.readCompactString() : reader.readString();
            rackIdOffset = reader.valueOffset();
        }
        clusterIdLength = WireReader.NULL_LENGTH;
        clusterIdOffset = reader.position();
        if (flexible)
        {
            readRequestTaggedFields(reader);
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
            forgottenTopicCount = 0;
        }
        rewind();
        return errorCode;
    }

    /**
     * Moves both cursors back before the first topic and the first forgotten topic.
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
        forgottenReader.wrap(buffer, forgottenTopicsOffset, limit);
        forgottenRemaining = forgottenTopicCount;
        forgottenPartitionCount = 0;
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
     * @return the fetching broker's id, or {@link #CONSUMER_REPLICA_ID} for a consumer.
     */
    public int replicaId()
    {
        return replicaId;
    }

    /**
     * @return the fetching broker's epoch (v15+), or -1.
     */
    public long replicaEpoch()
    {
        return replicaEpoch;
    }

    public int maxWaitMs()
    {
        return maxWaitMs;
    }

    public int minBytes()
    {
        return minBytes;
    }

    public int maxBytes()
    {
        return maxBytes;
    }

    /**
     * @return 0 for read_uncommitted, 1 for read_committed.
     */
    public byte isolationLevel()
    {
        return isolationLevel;
    }

    /**
     * @return the fetch session id (v7+), or 0.
     */
    public int sessionId()
    {
        return sessionId;
    }

    /**
     * @return the fetch session epoch (v7+), or -1 (a full fetch outside any session).
     */
    public int sessionEpoch()
    {
        return sessionEpoch;
    }

    public int topicCount()
    {
        return topicCount;
    }

    /**
     * @return partitions across all topics, forgotten topics excluded.
     */
    public int totalPartitionCount()
    {
        return totalPartitionCount;
    }

    public int forgottenTopicCount()
    {
        return forgottenTopicCount;
    }

    /**
     * @return where the rack id's bytes start in {@link #buffer()}.
     */
    public int rackIdOffset()
    {
        return rackIdOffset;
    }

    /**
     * @return the rack id's length: 0 when empty or before v11.
     */
    public int rackIdLength()
    {
        return rackIdLength;
    }

    public int clusterIdOffset()
    {
        return clusterIdOffset;
    }

    /**
     * @return the cluster id's length, or {@link WireReader#NULL_LENGTH} when absent.
     */
    public int clusterIdLength()
    {
        return clusterIdLength;
    }

    /**
     * @return true when topics carry a topic id instead of a name.
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
        partitionCount = readArrayLength(reader, minPartitionSize());
        partitionsRemaining = partitionCount;
        inTopic = true;
        return true;
    }

    public int topicNameOffset()
    {
        return topicNameOffset;
    }

    /**
     * @return the current topic's name length, or {@link WireReader#NULL_LENGTH} from v13.
     */
    public int topicNameLength()
    {
        return topicNameLength;
    }

    public long topicIdMostSignificantBits()
    {
        return topicIdMsb;
    }

    public long topicIdLeastSignificantBits()
    {
        return topicIdLsb;
    }

    public int topicOrdinal()
    {
        return topicOrdinal;
    }

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
        final int index = reader.claim(partitionBlockLength);
        if (index >= 0)
        {
            final DirectBuffer buffer = this.buffer;
            partition = buffer.getInt(index, ORDER);
            currentLeaderEpoch = currentLeaderEpochAt < 0 ? -1 : buffer.getInt(index + currentLeaderEpochAt, ORDER);
            fetchOffset = buffer.getLong(index + fetchOffsetAt, ORDER);
            lastFetchedEpoch = lastFetchedEpochAt < 0 ? -1 : buffer.getInt(index + lastFetchedEpochAt, ORDER);
            logStartOffset = logStartOffsetAt < 0 ? -1 : buffer.getLong(index + logStartOffsetAt, ORDER);
            partitionMaxBytes = buffer.getInt(index + partitionMaxBytesAt, ORDER);
        }
        replicaDirectoryIdMsb = 0;
        replicaDirectoryIdLsb = 0;
        highWatermark = DEFAULT_HIGH_WATERMARK;
        if (flexible)
        {
            readPartitionTaggedFields(reader);
        }
        return true;
    }

    public int partition()
    {
        return partition;
    }

    /**
     * @return the current partition's position across all topics, from 0: a slot for its result.
     */
    public int partitionOrdinal()
    {
        return partitionOrdinal;
    }

    public int currentLeaderEpoch()
    {
        return currentLeaderEpoch;
    }

    public long fetchOffset()
    {
        return fetchOffset;
    }

    public int lastFetchedEpoch()
    {
        return lastFetchedEpoch;
    }

    public long logStartOffset()
    {
        return logStartOffset;
    }

    public int partitionMaxBytes()
    {
        return partitionMaxBytes;
    }

    public long replicaDirectoryIdMostSignificantBits()
    {
        return replicaDirectoryIdMsb;
    }

    public long replicaDirectoryIdLeastSignificantBits()
    {
        return replicaDirectoryIdLsb;
    }

    /**
     * @return the follower's high watermark (v18+), or {@link #DEFAULT_HIGH_WATERMARK}.
     */
    public long highWatermark()
    {
        return highWatermark;
    }

    /**
     * Advances to the next forgotten topic.
     *
     * @return false when none is left.
     */
    public boolean nextForgottenTopic()
    {
        if (forgottenRemaining == 0)
        {
            return false;
        }
        forgottenRemaining--;
        readForgottenTopic(forgottenReader);
        return true;
    }

    public int forgottenTopicNameOffset()
    {
        return forgottenNameOffset;
    }

    /**
     * @return the forgotten topic's name length, or {@link WireReader#NULL_LENGTH} from v13.
     */
    public int forgottenTopicNameLength()
    {
        return forgottenNameLength;
    }

    public long forgottenTopicIdMostSignificantBits()
    {
        return forgottenIdMsb;
    }

    public long forgottenTopicIdLeastSignificantBits()
    {
        return forgottenIdLsb;
    }

    public int forgottenPartitionCount()
    {
        return forgottenPartitionCount;
    }

    /**
     * @param index from 0 to {@link #forgottenPartitionCount()} - 1.
     * @return the partition at that index of the current forgotten topic.
     */
    public int forgottenPartition(final int index)
    {
        return buffer.getInt(forgottenPartitionsOffset + index * SIZE_OF_INT, ORDER);
    }

    private void readForgottenTopic(final WireReader reader)
    {
        if (version >= TOPIC_ID_VERSION)
        {
            forgottenNameLength = WireReader.NULL_LENGTH;
            forgottenNameOffset = reader.position();
            forgottenIdMsb = reader.readInt64();
            forgottenIdLsb = reader.readInt64();
        }
        else
        {
            forgottenNameLength = flexible ? reader.readCompactString() : reader.readString();
            forgottenNameOffset = reader.valueOffset();
            forgottenIdMsb = 0;
            forgottenIdLsb = 0;
        }
        forgottenPartitionCount = readArrayLength(reader, SIZE_OF_INT);
        forgottenPartitionsOffset = reader.position();
        reader.skip(forgottenPartitionCount * SIZE_OF_INT);
        if (flexible)
        {
            reader.skipTaggedFields();
        }
    }

    private void readPartitionTaggedFields(final WireReader reader)
    {
        final int count = reader.readTaggedFieldCount();
        for (int i = 0; i < count && !reader.hasError(); i++)
        {
            final int tag = reader.readUnsignedVarint();
            final int size = reader.readTaggedFieldSize();
            final int end = reader.position() + size;
            if (tag == REPLICA_DIRECTORY_ID_TAG && version >= 17)
            {
                replicaDirectoryIdMsb = reader.readInt64();
                replicaDirectoryIdLsb = reader.readInt64();
            }
            else if (tag == HIGH_WATERMARK_TAG && version >= 18)
            {
                highWatermark = reader.readInt64();
            }
            endTaggedField(reader, end);
        }
    }

    private void readRequestTaggedFields(final WireReader reader)
    {
        final int count = reader.readTaggedFieldCount();
        for (int i = 0; i < count && !reader.hasError(); i++)
        {
            final int tag = reader.readUnsignedVarint();
            final int size = reader.readTaggedFieldSize();
            final int end = reader.position() + size;
            if (tag == CLUSTER_ID_TAG)
            {
                clusterIdLength = reader.readCompactNullableString();
                clusterIdOffset = reader.valueOffset();
            }
            else if (tag == REPLICA_STATE_TAG && version >= REPLICA_STATE_VERSION)
            {
                replicaId = reader.readInt32();
                replicaEpoch = reader.readInt64();
                reader.skipTaggedFields();
            }
            endTaggedField(reader, end);
        }
    }

    private static void endTaggedField(final WireReader reader, final int end)
    {
        // A known field may be followed by bytes a later version added to it; a field that claims fewer bytes
        // than its content took is malformed.
        if (reader.position() > end)
        {
            reader.fail(WireError.TRUNCATED);
            return;
        }
        reader.position(end);
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
        return partitionBlockLength + (flexible ? 1 : 0);
    }

    /**
     * Places the fixed-size fields that open each partition for this version, so a partition is read with one
     * limit check and explicit offsets. An absent field has offset -1.
     */
    private void layOutPartitionBlock(final int version)
    {
        int at = SIZE_OF_INT;
        currentLeaderEpochAt = version >= 9 ? at : -1;
        at += version >= 9 ? SIZE_OF_INT : 0;
        fetchOffsetAt = at;
        at += SIZE_OF_LONG;
        lastFetchedEpochAt = version >= 12 ? at : -1;
        at += version >= 12 ? SIZE_OF_INT : 0;
        logStartOffsetAt = version >= 5 ? at : -1;
        at += version >= 5 ? SIZE_OF_LONG : 0;
        partitionMaxBytesAt = at;
        partitionBlockLength = at + SIZE_OF_INT;
    }

    public String toString()
    {
        return "FetchRequest{version=" + version + ", replicaId=" + replicaId + ", maxWaitMs=" + maxWaitMs +
            ", minBytes=" + minBytes + ", maxBytes=" + maxBytes + ", isolationLevel=" + isolationLevel +
            ", sessionId=" + sessionId + ", sessionEpoch=" + sessionEpoch + ", topics=" + topicCount +
            ", partitions=" + totalPartitionCount + ", forgottenTopics=" + forgottenTopicCount +
            ", error=" + WireError.name(errorCode) + '}';
    }
}
