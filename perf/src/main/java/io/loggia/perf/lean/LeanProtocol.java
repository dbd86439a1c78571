package io.loggia.perf.lean;

import io.loggia.codec.wire.ApiKeys;
import io.loggia.perf.TopicLayout;
import io.loggia.codec.wire.WireReader;
import io.loggia.codec.wire.WireWriter;
import org.agrona.DirectBuffer;

/**
 * The three messages the lean producer speaks, written and read with Loggia's {@link WireWriter} and
 * {@link WireReader}: ApiVersions v0 (to pick a Produce version), Produce v9-v13 with one batch for one partition,
 * and its response.
 * <pre>
 *   request frame      +--------------+------------------------------------+------------------+
 *                      | size (int32) | request header v1 (ApiVersions) or | body             |
 *                      |              | v2 (Produce, flexible)             |                  |
 *                      +--------------+------------------------------------+------------------+
 *   header v1          api key int16, api version int16, correlation id int32, client id (int16 length)
 *   header v2          header v1, then tagged fields (0x00)
 *
 *   ApiVersions v0     request body: empty
 *                      response: correlation id int32 (header v0), error code int16,
 *                                api keys int32 count x [api key int16, min int16, max int16]
 *
 *   Produce v9..v13    transactional id   compact nullable string (null: 0x00)
 *                      acks int16, timeout ms int32
 *                      topics             compact array, 1 element:
 *                        v13: topic id uuid / v9-12: name compact string
 *                        partitions       compact array, 1 element:
 *                          index int32, records compact bytes (one RecordBatch), tagged fields
 *                        tagged fields
 *                      tagged fields
 *
 *   Produce response   correlation id int32, tagged fields (header v1)
 *                      responses compact array x [v13: topic id uuid / v9-12: name compact string,
 *                        partition responses compact array x [index int32, error code int16, base offset int64,
 *                          log append time int64, log start offset int64,
 *                          record errors compact array x [batch index int32, message compact nullable string,
 *                          tagged fields], error message compact nullable string, tagged fields],
 *                        tagged fields]
 *                      throttle time ms int32, tagged fields
 * </pre>
 * Stateless; safe on any thread with per-thread readers, writers and buffers.
 */
public final class LeanProtocol
{
    /** Lowest Produce version spoken: the first flexible one. */
    public static final int MIN_PRODUCE_VERSION = 9;
    /** Highest Produce version spoken: the first that names topics by id. */
    public static final int MAX_PRODUCE_VERSION = 13;
    /** Return value of the decoders for a response that does not parse. */
    public static final int MALFORMED = -2;
    /** {@link #maxVersion} return value when the broker does not list the API. */
    public static final int NOT_SUPPORTED = -1;

    private static final int FRAME_SIZE_LENGTH = 4;
    private static final int API_VERSIONS_ENTRY_LENGTH = 6;
    private static final int PARTITION_RESPONSE_MIN_LENGTH = 33;
    private static final int TOPIC_RESPONSE_MIN_LENGTH = 3;
    private static final int RECORD_ERROR_MIN_LENGTH = 6;

    private LeanProtocol()
    {
    }

    /**
     * @param writer        wrapped at the frame's first byte.
     * @param correlationId of the request.
     * @param clientId      client id bytes.
     * @return the frame length, or -1 when the buffer is too small.
     */
    public static int apiVersionsRequest(final WireWriter writer, final int correlationId, final byte[] clientId)
    {
        final int start = writer.position();
        final int sizeIndex = writer.claim(FRAME_SIZE_LENGTH);
        writer.writeInt16(ApiKeys.API_VERSIONS);
        writer.writeInt16(0);
        writer.writeInt32(correlationId);
        writer.writeNullableString(clientId);
        return finish(writer, start, sizeIndex);
    }

    /**
     * @param reader  wrapped over an ApiVersions v0 response frame body (after the size field).
     * @param apiKey  the API asked about.
     * @return its highest version, {@link #NOT_SUPPORTED}, or {@link #MALFORMED} (also for an error code).
     */
    public static int maxVersion(final WireReader reader, final int apiKey)
    {
        reader.readInt32();
        final short errorCode = reader.readInt16();
        final int count = reader.readArrayLength(API_VERSIONS_ENTRY_LENGTH);
        int max = NOT_SUPPORTED;
        for (int i = 0; i < count && !reader.hasError(); i++)
        {
            final short key = reader.readInt16();
            reader.readInt16();
            final short maxVersion = reader.readInt16();
            if (key == apiKey)
            {
                max = maxVersion;
            }
        }
        return reader.hasError() || errorCode != 0 ? MALFORMED : max;
    }

    /**
     * Write a whole Produce request frame carrying one batch for one partition.
     *
     * @param writer        wrapped at the frame's first byte.
     * @param correlationId of the request.
     * @param clientId      client id bytes.
     * @param version       Produce version, 9 to 13.
     * @param acks          0, 1 or -1.
     * @param timeoutMs     how long the broker may wait for replication.
     * @param topic         the topic: its id is used from v13, its name before.
     * @param topicName     the topic name as bytes, for v9-v12.
     * @param partition     partition index.
     * @param batch         buffer holding one RecordBatch.
     * @param batchOffset   where it starts.
     * @param batchLength   its size.
     * @return the frame length, or -1 when the buffer is too small.
     */
    public static int produceRequest(
        final WireWriter writer,
        final int correlationId,
        final byte[] clientId,
        final int version,
        final int acks,
        final int timeoutMs,
        final TopicLayout topic,
        final DirectBuffer topicName,
        final int partition,
        final DirectBuffer batch,
        final int batchOffset,
        final int batchLength)
    {
        final int start = writer.position();
        final int sizeIndex = writer.claim(FRAME_SIZE_LENGTH);
        writer.writeInt16(ApiKeys.PRODUCE);
        writer.writeInt16(version);
        writer.writeInt32(correlationId);
        writer.writeNullableString(clientId);
        writer.writeEmptyTaggedFields();

        writer.writeCompactNullableString(null);
        writer.writeInt16(acks);
        writer.writeInt32(timeoutMs);
        writer.writeCompactArrayLength(1);
        if (version >= MAX_PRODUCE_VERSION)
        {
            writer.writeUuid(topic.idMostSignificantBits(), topic.idLeastSignificantBits());
        }
        else
        {
            writer.writeCompactString(topicName, 0, topicName.capacity());
        }
        writer.writeCompactArrayLength(1);
        writer.writeInt32(partition);
        writer.writeCompactBytes(batch, batchOffset, batchLength);
        writer.writeEmptyTaggedFields();
        writer.writeEmptyTaggedFields();
        writer.writeEmptyTaggedFields();
        return finish(writer, start, sizeIndex);
    }

    /**
     * @param reader  wrapped over a Produce response frame body, positioned after the correlation id and header
     *                tagged fields.
     * @param version the request's version.
     * @return the error code of the first partition (0 for success), or {@link #MALFORMED}.
     */
    public static int produceResponseError(final WireReader reader, final int version)
    {
        final int topics = reader.readCompactArrayLength(TOPIC_RESPONSE_MIN_LENGTH);
        int firstError = MALFORMED;
        for (int t = 0; t < topics && !reader.hasError(); t++)
        {
            if (version >= MAX_PRODUCE_VERSION)
            {
                reader.readInt64();
                reader.readInt64();
            }
            else
            {
                reader.readCompactString();
            }
            final int partitions = reader.readCompactArrayLength(PARTITION_RESPONSE_MIN_LENGTH);
            for (int p = 0; p < partitions && !reader.hasError(); p++)
            {
                reader.readInt32();
                final short errorCode = reader.readInt16();
                reader.readInt64();
                reader.readInt64();
                reader.readInt64();
                final int recordErrors = reader.readCompactArrayLength(RECORD_ERROR_MIN_LENGTH);
                for (int e = 0; e < recordErrors && !reader.hasError(); e++)
                {
                    reader.readInt32();
                    reader.readCompactNullableString();
                    reader.skipTaggedFields();
                }
                reader.readCompactNullableString();
                reader.skipTaggedFields();
                if (firstError == MALFORMED)
                {
                    firstError = errorCode;
                }
            }
            reader.skipTaggedFields();
        }
        reader.readInt32();
        reader.skipTaggedFields();
        return reader.hasError() ? MALFORMED : firstError;
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
