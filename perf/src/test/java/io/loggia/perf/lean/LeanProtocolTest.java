package io.loggia.perf.lean;

import io.loggia.codec.record.BatchBuilder;
import io.loggia.codec.record.CompressionCodec;
import io.loggia.codec.wire.ApiKeys;
import io.loggia.codec.wire.WireReader;
import io.loggia.codec.wire.WireWriter;
import io.loggia.perf.TopicLayout;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The lean producer's messages, checked against the Kafka client's own generated message classes. */
class LeanProtocolTest
{
    private static final byte[] CLIENT_ID = "lean-test".getBytes(StandardCharsets.UTF_8);
    private static final Uuid TOPIC_ID = Uuid.randomUuid();
    private static final TopicLayout TOPIC = new TopicLayout("perf-abc-0", TOPIC_ID.getMostSignificantBits(),
        TOPIC_ID.getLeastSignificantBits(), 4, 1, "127.0.0.1", 9092);

    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024));
    private final WireWriter writer = new WireWriter();

    @Test
    void apiVersionsRequestIsAHeaderV1WithAnEmptyBody()
    {
        final int length = LeanProtocol.apiVersionsRequest(writer.wrap(buffer, 0), 7, CLIENT_ID);

        final ByteBuffer frame = frame(length);
        final RequestHeaderData header = new RequestHeaderData(new ByteBufferAccessor(frame), (short)1);
        assertThat(header.requestApiKey()).isEqualTo((short)ApiKeys.API_VERSIONS);
        assertThat(header.requestApiVersion()).isZero();
        assertThat(header.correlationId()).isEqualTo(7);
        assertThat(header.clientId()).isEqualTo("lean-test");
        assertThat(frame.remaining()).isZero();
    }

    @Test
    void readsTheProduceRangeFromAnApiVersionsV0Response()
    {
        final ApiVersionsResponseData data = new ApiVersionsResponseData();
        data.apiKeys().add(new ApiVersionsResponseData.ApiVersion().setApiKey((short)1).setMinVersion((short)4)
            .setMaxVersion((short)17));
        data.apiKeys().add(new ApiVersionsResponseData.ApiVersion().setApiKey((short)0).setMinVersion((short)3)
            .setMaxVersion((short)12));
        final WireReader reader = response(7, data, (short)0, false);

        assertThat(LeanProtocol.maxVersion(reader, ApiKeys.PRODUCE)).isEqualTo(12);
        assertThat(LeanProtocol.maxVersion(response(7, data, (short)0, false), ApiKeys.METADATA))
            .isEqualTo(LeanProtocol.NOT_SUPPORTED);

        data.setErrorCode((short)35);
        assertThat(LeanProtocol.maxVersion(response(7, data, (short)0, false), ApiKeys.PRODUCE))
            .isEqualTo(LeanProtocol.MALFORMED);
    }

    @Test
    void produceRequestsParseWithKafkasClasses()
    {
        for (final short version : new short[] { 9, 12, 13 })
        {
            for (final int codec : new int[] { CompressionCodec.NONE, CompressionCodec.LZ4 })
            {
                final List<byte[]> values = new ArrayList<>();
                final UnsafeBuffer batch = new UnsafeBuffer(ByteBuffer.allocateDirect(16 * 1024));
                final BatchBuilder builder = new BatchBuilder();
                builder.wrap(batch, 0).compression(codec);
                for (int i = 0; i < 5; i++)
                {
                    final byte[] value = ("record-" + i).getBytes(StandardCharsets.UTF_8);
                    values.add(value);
                    builder.append(1_700_000_000_000L + i, null, value);
                }
                final int batchLength = builder.build();
                builder.close();

                final UnsafeBuffer name = new UnsafeBuffer(TOPIC.name().getBytes(StandardCharsets.UTF_8));
                final int length = LeanProtocol.produceRequest(writer.wrap(buffer, 0), 42, CLIENT_ID, version, -1,
                    30_000, TOPIC, name, 3, batch, 0, batchLength);

                final ByteBuffer frame = frame(length);
                final RequestHeaderData header = new RequestHeaderData(new ByteBufferAccessor(frame), (short)2);
                assertThat(header.requestApiKey()).isZero();
                assertThat(header.requestApiVersion()).isEqualTo(version);
                assertThat(header.correlationId()).isEqualTo(42);
                final ProduceRequestData request = new ProduceRequestData(new ByteBufferAccessor(frame), version);
                assertThat(frame.remaining()).isZero();
                assertThat(request.transactionalId()).isNull();
                assertThat(request.acks()).isEqualTo((short)-1);
                assertThat(request.timeoutMs()).isEqualTo(30_000);
                assertThat(request.topicData()).hasSize(1);
                final ProduceRequestData.TopicProduceData topic = request.topicData().iterator().next();
                if (version >= 13)
                {
                    assertThat(topic.topicId()).isEqualTo(TOPIC_ID);
                }
                else
                {
                    assertThat(topic.name()).isEqualTo(TOPIC.name());
                }
                assertThat(topic.partitionData()).hasSize(1);
                assertThat(topic.partitionData().get(0).index()).isEqualTo(3);
                final MemoryRecords records = (MemoryRecords)topic.partitionData().get(0).records();
                final List<byte[]> read = new ArrayList<>();
                for (final RecordBatch recordBatch : records.batches())
                {
                    recordBatch.ensureValid();
                    assertThat((int)recordBatch.compressionType().id).isEqualTo(codec);
                    for (final Record record : recordBatch)
                    {
                        read.add(MessageUtil.byteBufferToArray(record.value()));
                    }
                }
                assertThat(read).containsExactlyElementsOf(values);
            }
        }
    }

    @Test
    void readsThePartitionErrorOfAProduceResponse()
    {
        for (final short version : new short[] { 9, 12, 13 })
        {
            for (final short error : new short[] { 0, 6 })
            {
                final ProduceResponseData data = new ProduceResponseData().setThrottleTimeMs(5);
                final ProduceResponseData.TopicProduceResponse topic = new ProduceResponseData.TopicProduceResponse();
                if (version >= 13)
                {
                    topic.setTopicId(TOPIC_ID);
                }
                else
                {
                    topic.setName(TOPIC.name());
                }
                final ProduceResponseData.PartitionProduceResponse partition =
                    new ProduceResponseData.PartitionProduceResponse().setIndex(3).setErrorCode(error)
                        .setBaseOffset(1234).setLogStartOffset(0);
                if (error != 0)
                {
                    partition.setErrorMessage("not the leader");
                    partition.recordErrors().add(new ProduceResponseData.BatchIndexAndErrorMessage()
                        .setBatchIndex(0).setBatchIndexErrorMessage("bad"));
                    if (version >= 10)
                    {
                        // A tagged field in the partition response: the decoder must skip it.
                        partition.setCurrentLeader(new ProduceResponseData.LeaderIdAndEpoch().setLeaderId(2)
                            .setLeaderEpoch(4));
                    }
                }
                topic.partitionResponses().add(partition);
                data.responses().add(topic);

                final WireReader reader = response(42, data, version, true);
                assertThat(reader.readInt32()).isEqualTo(42);
                reader.skipTaggedFields();
                assertThat(LeanProtocol.produceResponseError(reader, version)).as("v%d", version).isEqualTo(error);
                assertThat(reader.remaining()).isZero();
            }
        }
    }

    @Test
    void truncatedResponsesAreMalformed()
    {
        final ProduceResponseData data = new ProduceResponseData();
        final ProduceResponseData.TopicProduceResponse topic = new ProduceResponseData.TopicProduceResponse()
            .setTopicId(TOPIC_ID);
        topic.partitionResponses().add(new ProduceResponseData.PartitionProduceResponse().setIndex(0));
        data.responses().add(topic);
        final ByteBuffer body = MessageUtil.toByteBufferAccessor(data, (short)13).buffer();
        final UnsafeBuffer view = new UnsafeBuffer(body, 0, body.remaining() - 5);
        final WireReader reader = new WireReader().wrap(view, 0, view.capacity());

        assertThat(LeanProtocol.produceResponseError(reader, 13)).isEqualTo(LeanProtocol.MALFORMED);
    }

    private ByteBuffer frame(final int length)
    {
        assertThat(length).isPositive();
        final ByteBuffer frame = ByteBuffer.allocate(length);
        buffer.getBytes(0, frame, length);
        frame.flip();
        assertThat(frame.getInt()).isEqualTo(length - 4);
        return frame;
    }

    private static WireReader response(
        final int correlationId,
        final org.apache.kafka.common.protocol.ApiMessage data,
        final short version,
        final boolean flexibleHeader)
    {
        final ByteBuffer body = MessageUtil.toByteBufferAccessor(data, version).buffer();
        final ByteBuffer frame = ByteBuffer.allocate(4 + (flexibleHeader ? 1 : 0) + body.remaining());
        frame.putInt(correlationId);
        if (flexibleHeader)
        {
            frame.put((byte)0);
        }
        frame.put(body).flip();
        final UnsafeBuffer view = new UnsafeBuffer(frame);
        return new WireReader().wrap(view, 0, view.capacity());
    }
}
