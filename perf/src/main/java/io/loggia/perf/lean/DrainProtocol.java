package io.loggia.perf.lean;

import io.loggia.codec.wire.ApiKeys;
import io.loggia.codec.wire.WireReader;
import io.loggia.codec.wire.WireWriter;
import org.agrona.DirectBuffer;

/**
 * The messages the drain speaks besides ApiVersions ({@link LeanProtocol}), all flexible (request header v2,
 * response header v1), written and read with Loggia's {@link WireWriter} and {@link WireReader}. The Fetch
 * response is not read here: {@link FetchResponseStream} walks it off the socket.
 * <pre>
 *   Metadata v12 request     topics compact array, 1 element: [topic id uuid (zero), name compact nullable
 *                            string, tagged fields], allow auto topic creation bool (false),
 *                            include topic authorized operations bool (false), tagged fields
 *   Metadata v12 response    throttle int32,
 *                            brokers compact array x [node id int32, host compact string, port int32,
 *                              rack compact nullable string, tagged fields],
 *                            cluster id compact nullable string, controller id int32,
 *                            topics compact array x [error int16, name compact nullable string, topic id uuid,
 *                              is internal bool, partitions compact array x [error int16, index int32,
 *                                leader id int32, leader epoch int32, replicas / isr / offline compact arrays of
 *                                int32, tagged fields], authorized operations int32, tagged fields],
 *                            tagged fields
 *
 *   ListOffsets v7 request   replica id int32 (-1), isolation level int8 (0),
 *                            topics compact array, 1 element: [name compact string,
 *                              partitions compact array x [index int32, current leader epoch int32 (-1),
 *                                timestamp int64 (-2 earliest, -1 latest), tagged fields], tagged fields],
 *                            tagged fields
 *   ListOffsets v7 response  throttle int32, topics compact array x [name compact string,
 *                              partitions compact array x [index int32, error int16, timestamp int64,
 *                                offset int64, leader epoch int32, tagged fields], tagged fields],
 *                            tagged fields
 *
 *   Fetch v12 / v13 request  replica id int32 (-1), max wait ms int32, min bytes int32, max bytes int32,
 *                            isolation level int8 (0, read uncommitted), session id int32 (0),
 *                            session epoch int32 (-1: a full fetch, no session),
 *                            topics compact array, 1 element: [v12 name compact string / v13 topic id uuid,
 *                              partitions compact array x [index int32, current leader epoch int32 (-1),
 *                                fetch offset int64, last fetched epoch int32 (-1), log start offset int64 (-1),
 *                                partition max bytes int32, tagged fields], tagged fields],
 *                            forgotten topics compact array (empty), rack id compact string (""), tagged fields
 * </pre>
 * Stateless; safe on any thread with per-thread readers, writers and buffers.
 */
public final class DrainProtocol
{
    /** Metadata version spoken: flexible, names and topic ids, no top-level error yet. */
    public static final int METADATA_VERSION = 12;
    /** ListOffsets version spoken: flexible, no timeout field. */
    public static final int LIST_OFFSETS_VERSION = 7;
    /** Fetch version that names topics. */
    public static final int FETCH_VERSION_BY_NAME = 12;
    /** Fetch version that names topics by id. */
    public static final int FETCH_VERSION_BY_ID = 13;
    /** ListOffsets timestamp asking for the log start offset. */
    public static final long EARLIEST_TIMESTAMP = -2;
    /** ListOffsets timestamp asking for the high watermark. */
    public static final long LATEST_TIMESTAMP = -1;
    /** Return value of the decoders for a response that does not parse. */
    public static final int MALFORMED = -2;

    private static final int FRAME_SIZE_LENGTH = 4;
    private static final int MIN_BROKER_LENGTH = 11;
    private static final int MIN_TOPIC_LENGTH = 24;
    private static final int MIN_PARTITION_LENGTH = 20;
    private static final int MIN_INT32_LENGTH = 4;
    private static final int MIN_OFFSET_TOPIC_LENGTH = 3;
    private static final int MIN_OFFSET_PARTITION_LENGTH = 27;
    private static final int NO_EPOCH = -1;
    private static final byte READ_UNCOMMITTED = 0;

    private DrainProtocol()
    {
    }

    /**
     * @param writer        wrapped at the frame's first byte.
     * @param correlationId of the request.
     * @param clientId      client id bytes.
     * @param topicName     the topic asked about.
     * @return the frame length, or -1 when the buffer is too small.
     */
    public static int metadataRequest(
        final WireWriter writer, final int correlationId, final byte[] clientId, final byte[] topicName)
    {
        final int start = writer.position();
        final int sizeIndex = header(writer, ApiKeys.METADATA, METADATA_VERSION, correlationId, clientId);
        writer.writeCompactArrayLength(1);
        writer.writeUuid(0, 0);
        writer.writeCompactNullableString(topicName);
        writer.writeEmptyTaggedFields();
        writer.writeInt8(0);
        writer.writeInt8(0);
        writer.writeEmptyTaggedFields();
        return finish(writer, start, sizeIndex);
    }

    /**
     * Read the one topic of a Metadata v12 response into {@code into}.
     *
     * @param reader wrapped over the response frame body (after the size field).
     * @param into   filled with the topic id, the partitions in index order and the leader.
     * @return the topic's error code (0 for success; 3 for an unknown topic), or {@link #MALFORMED}, also for
     *         a partition error.
     */
    public static int readMetadata(final WireReader reader, final DrainTopic into)
    {
        reader.readInt32();
        reader.skipTaggedFields();
        reader.readInt32();
        final int brokers = reader.readCompactArrayLength(MIN_BROKER_LENGTH);
        for (int b = 0; b < brokers && !reader.hasError(); b++)
        {
            reader.readInt32();
            reader.readCompactString();
            reader.readInt32();
            reader.readCompactNullableString();
            reader.skipTaggedFields();
        }
        reader.readCompactNullableString();
        reader.readInt32();
        final int topics = reader.readCompactArrayLength(MIN_TOPIC_LENGTH);
        int result = topics == 1 ? 0 : MALFORMED;
        for (int t = 0; t < topics && !reader.hasError(); t++)
        {
            final short topicError = reader.readInt16();
            reader.readCompactNullableString();
            final long idHigh = reader.readInt64();
            final long idLow = reader.readInt64();
            reader.readInt8();
            final int partitions = reader.readCompactArrayLength(MIN_PARTITION_LENGTH);
            into.reset(idHigh, idLow, partitions);
            for (int p = 0; p < partitions && !reader.hasError(); p++)
            {
                final short partitionError = reader.readInt16();
                final int index = reader.readInt32();
                final int leader = reader.readInt32();
                reader.readInt32();
                skipInt32Array(reader);
                skipInt32Array(reader);
                skipInt32Array(reader);
                reader.skipTaggedFields();
                if (partitionError != 0 || !into.addPartition(index, leader))
                {
                    result = MALFORMED;
                }
            }
            reader.readInt32();
            reader.skipTaggedFields();
            if (topicError != 0 && result == 0)
            {
                result = topicError;
            }
        }
        reader.skipTaggedFields();
        return reader.hasError() ? MALFORMED : result;
    }

    /**
     * @param writer        wrapped at the frame's first byte.
     * @param correlationId of the request.
     * @param clientId      client id bytes.
     * @param topic         the topic and its partitions.
     * @param timestamp     {@link #EARLIEST_TIMESTAMP} or {@link #LATEST_TIMESTAMP}.
     * @return the frame length, or -1 when the buffer is too small.
     */
    public static int listOffsetsRequest(
        final WireWriter writer,
        final int correlationId,
        final byte[] clientId,
        final DrainTopic topic,
        final long timestamp)
    {
        final int start = writer.position();
        final int sizeIndex = header(writer, ApiKeys.LIST_OFFSETS, LIST_OFFSETS_VERSION, correlationId, clientId);
        writer.writeInt32(-1);
        writer.writeInt8(READ_UNCOMMITTED);
        writer.writeCompactArrayLength(1);
        writer.writeCompactString(topic.nameBuffer(), 0, topic.nameBuffer().capacity());
        writer.writeCompactArrayLength(topic.partitionCount());
        for (int i = 0; i < topic.partitionCount(); i++)
        {
            writer.writeInt32(topic.partition(i));
            writer.writeInt32(NO_EPOCH);
            writer.writeInt64(timestamp);
            writer.writeEmptyTaggedFields();
        }
        writer.writeEmptyTaggedFields();
        writer.writeEmptyTaggedFields();
        return finish(writer, start, sizeIndex);
    }

    /**
     * Read a ListOffsets v7 response into {@code into}'s earliest or latest offsets.
     *
     * @param reader   wrapped over the response frame body (after the size field).
     * @param topic    whose partitions were asked about.
     * @param earliest true to fill the earliest offsets, false for the latest.
     * @return 0, the first partition error code, or {@link #MALFORMED} (also when a partition is missing).
     */
    public static int readListOffsets(final WireReader reader, final DrainTopic topic, final boolean earliest)
    {
        reader.readInt32();
        reader.skipTaggedFields();
        reader.readInt32();
        int answered = 0;
        int result = 0;
        final int topics = reader.readCompactArrayLength(MIN_OFFSET_TOPIC_LENGTH);
        for (int t = 0; t < topics && !reader.hasError(); t++)
        {
            reader.readCompactString();
            final int partitions = reader.readCompactArrayLength(MIN_OFFSET_PARTITION_LENGTH);
            for (int p = 0; p < partitions && !reader.hasError(); p++)
            {
                final int index = reader.readInt32();
                final short error = reader.readInt16();
                reader.readInt64();
                final long offset = reader.readInt64();
                reader.readInt32();
                reader.skipTaggedFields();
                final int slot = topic.slotOf(index);
                if (error != 0)
                {
                    result = result == 0 ? error : result;
                }
                else if (slot >= 0)
                {
                    topic.offset(slot, earliest, offset);
                    answered++;
                }
            }
            reader.skipTaggedFields();
        }
        reader.skipTaggedFields();
        if (reader.hasError())
        {
            return MALFORMED;
        }
        return result != 0 ? result : answered == topic.partitionCount() ? 0 : MALFORMED;
    }

    /**
     * Write a full Fetch request (no session) for the given partitions of one topic.
     *
     * @param writer            wrapped at the frame's first byte.
     * @param correlationId     of the request.
     * @param clientId          client id bytes.
     * @param version           {@link #FETCH_VERSION_BY_NAME} or {@link #FETCH_VERSION_BY_ID}.
     * @param topic             the topic: its id is used from v13, its name before.
     * @param maxWaitMs         how long the broker may wait for min bytes.
     * @param maxBytes          response limit.
     * @param partitionMaxBytes per-partition limit.
     * @param partitions        the fetch state; its unfinished partitions are asked for from their next offsets.
     * @return the frame length, or -1 when the buffer is too small.
     */
    public static int fetchRequest(
        final WireWriter writer,
        final int correlationId,
        final byte[] clientId,
        final int version,
        final DrainTopic topic,
        final int maxWaitMs,
        final int maxBytes,
        final int partitionMaxBytes,
        final DrainPartitions partitions)
    {
        final int start = writer.position();
        final int sizeIndex = header(writer, ApiKeys.FETCH, version, correlationId, clientId);
        writer.writeInt32(-1);
        writer.writeInt32(maxWaitMs);
        writer.writeInt32(1);
        writer.writeInt32(maxBytes);
        writer.writeInt8(READ_UNCOMMITTED);
        writer.writeInt32(0);
        writer.writeInt32(-1);
        writer.writeCompactArrayLength(1);
        if (version >= FETCH_VERSION_BY_ID)
        {
            writer.writeUuid(topic.idMostSignificantBits(), topic.idLeastSignificantBits());
        }
        else
        {
            final DirectBuffer name = topic.nameBuffer();
            writer.writeCompactString(name, 0, name.capacity());
        }
        writer.writeCompactArrayLength(partitions.pending());
        for (int i = 0; i < partitions.count(); i++)
        {
            if (!partitions.isDone(i))
            {
                writer.writeInt32(partitions.partition(i));
                writer.writeInt32(NO_EPOCH);
                writer.writeInt64(partitions.nextOffset(i));
                writer.writeInt32(NO_EPOCH);
                writer.writeInt64(-1);
                writer.writeInt32(partitionMaxBytes);
                writer.writeEmptyTaggedFields();
            }
        }
        writer.writeEmptyTaggedFields();
        writer.writeCompactArrayLength(0);
        writer.writeUnsignedVarint(1);
        writer.writeEmptyTaggedFields();
        return finish(writer, start, sizeIndex);
    }

    private static void skipInt32Array(final WireReader reader)
    {
        reader.skip(reader.readCompactArrayLength(MIN_INT32_LENGTH) * MIN_INT32_LENGTH);
    }

    private static int header(
        final WireWriter writer, final int apiKey, final int version, final int correlationId, final byte[] clientId)
    {
        final int sizeIndex = writer.claim(FRAME_SIZE_LENGTH);
        writer.writeInt16(apiKey);
        writer.writeInt16(version);
        writer.writeInt32(correlationId);
        writer.writeNullableString(clientId);
        writer.writeEmptyTaggedFields();
        return sizeIndex;
    }

    private static int finish(final WireWriter writer, final int start, final int sizeIndex)
    {
        if (writer.hasError())
        {
            return -1;
        }
        writer.putInt32(sizeIndex, writer.position() - sizeIndex - FRAME_SIZE_LENGTH);
        return writer.position() - start;
    }
}
