package io.loggia.codec.wire;

import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class ProduceCodecTest
{
    private static final Uuid TOPIC_ID_A = new Uuid(0x0123_4567_89AB_CDEFL, 0xFEDC_BA98_7654_3210L);
    private static final Uuid TOPIC_ID_B = new Uuid(-5L, 77L);

    private final RequestHeader header = new RequestHeader();
    private final ProduceRequestDecoder decoder = new ProduceRequestDecoder();
    private final ProduceResponseEncoder encoder = new ProduceResponseEncoder();

    static IntStream versions()
    {
        return IntStream.rangeClosed(ProduceRequestDecoder.MIN_VERSION, ProduceRequestDecoder.MAX_VERSION);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void decodesWhatKafkaEncodes(final int version)
    {
        final MemoryRecords first = MemoryRecords.withRecords(Compression.NONE,
            new SimpleRecord("k".getBytes(StandardCharsets.UTF_8), "value-1".getBytes(StandardCharsets.UTF_8)),
            new SimpleRecord("value-2".getBytes(StandardCharsets.UTF_8)));
        final MemoryRecords second = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(new byte[300]));
        final ProduceRequestData data = new ProduceRequestData()
            .setTransactionalId(version % 2 == 0 ? null : "txn-ü")
            .setAcks((short)-1)
            .setTimeoutMs(30_000);
        data.topicData().add(topic(version, "orders", TOPIC_ID_A)
            .setPartitionData(List.of(
                new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(first),
                new ProduceRequestData.PartitionProduceData().setIndex(7).setRecords(null),
                new ProduceRequestData.PartitionProduceData().setIndex(3).setRecords(second))));
        data.topicData().add(topic(version, "päyments", TOPIC_ID_B)
            .setPartitionData(List.of(
                new ProduceRequestData.PartitionProduceData().setIndex(11).setRecords(MemoryRecords.EMPTY))));
        data.topicData().add(topic(version, "empty", new Uuid(1, 1)).setPartitionData(List.of()));

        final UnsafeBuffer frame = new UnsafeBuffer(KafkaFrames.request(data, (short)version));
        final int bodyOffset = KafkaFrames.decodeHeader(header, frame);
        assertThat(header.apiKey()).isEqualTo((short)ApiKeys.PRODUCE);
        assertThat(decoder.wrap(frame, bodyOffset, frame.capacity(), version)).isEqualTo(WireError.NONE);

        assertThat(decoder.acks()).isEqualTo((short)-1);
        assertThat(decoder.timeoutMs()).isEqualTo(30_000);
        if (version % 2 == 0)
        {
            assertThat(decoder.transactionalIdLength()).isEqualTo(WireReader.NULL_LENGTH);
        }
        else
        {
            assertThat(WireStrings.equals(frame, decoder.transactionalIdOffset(), decoder.transactionalIdLength(),
                "txn-ü")).isTrue();
        }
        assertThat(decoder.topicCount()).isEqualTo(3);
        assertThat(decoder.totalPartitionCount()).isEqualTo(4);
        assertThat(decoder.usesTopicIds()).isEqualTo(version >= 13);

        for (int pass = 0; pass < 2; pass++)
        {
            final Iterator<ProduceRequestData.TopicProduceData> topics = data.topicData().iterator();
            int ordinal = 0;
            while (decoder.nextTopic())
            {
                final ProduceRequestData.TopicProduceData expected = topics.next();
                assertTopic(expected, version, frame);
                assertThat(decoder.partitionCount()).isEqualTo(expected.partitionData().size());
                for (final ProduceRequestData.PartitionProduceData partition : expected.partitionData())
                {
                    assertThat(decoder.nextPartition()).isTrue();
                    assertThat(decoder.partitionOrdinal()).isEqualTo(ordinal++);
                    assertThat(decoder.partitionIndex()).isEqualTo(partition.index());
                    if (partition.records() == null)
                    {
                        assertThat(decoder.recordsLength()).isEqualTo(WireReader.NULL_LENGTH);
                    }
                    else
                    {
                        final ByteBuffer records = ((MemoryRecords)partition.records()).buffer();
                        assertThat(KafkaFrames.copy(frame, decoder.recordsOffset(), decoder.recordsLength()))
                            .isEqualTo(toArray(records));
                    }
                }
                assertThat(decoder.nextPartition()).isFalse();
            }
            assertThat(topics.hasNext()).isFalse();
            assertThat(ordinal).isEqualTo(4);
            decoder.rewind();
        }
    }

    @ParameterizedTest
    @MethodSource("versions")
    void skipsPartitionsTheCallerDoesNotVisit(final int version)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(KafkaFrames.request(twoTopics(version), (short)version));
        decoder.wrap(frame, KafkaFrames.decodeHeader(header, frame), frame.capacity(), version);
        assertThat(decoder.nextTopic()).isTrue();
        assertThat(decoder.nextPartition()).isTrue();
        assertThat(decoder.nextTopic()).isTrue();
        assertThat(decoder.nextPartition()).isTrue();
        assertThat(decoder.partitionIndex()).isEqualTo(4);
        assertThat(decoder.partitionOrdinal()).isEqualTo(2);
        assertThat(decoder.topicOrdinal()).isEqualTo(1);
        assertThat(decoder.nextTopic()).isFalse();
    }

    @ParameterizedTest
    @MethodSource("versions")
    void reportsEveryTruncationAndNeverThrowsOnCorruptBytes(final int version)
    {
        final byte[] bytes = KafkaFrames.request(twoTopics(version), (short)version);
        final UnsafeBuffer frame = new UnsafeBuffer(bytes);
        final int bodyOffset = KafkaFrames.decodeHeader(header, frame);
        for (int limit = bodyOffset; limit < bytes.length; limit++)
        {
            assertThat(decoder.wrap(frame, bodyOffset, limit, version)).as("limit " + limit).isNegative();
            assertThat(decoder.nextTopic()).isFalse();
        }
        assertThat(decoder.wrap(frame, bodyOffset, bytes.length, version)).isZero();

        final byte[] corrupt = bytes.clone();
        for (int i = bodyOffset; i < corrupt.length; i++)
        {
            for (final byte value : new byte[] {(byte)0xFF, (byte)0x7F, (byte)0x80, 0})
            {
                final byte original = corrupt[i];
                corrupt[i] = value;
                final UnsafeBuffer buffer = new UnsafeBuffer(corrupt);
                if (decoder.wrap(buffer, bodyOffset, corrupt.length, version) == WireError.NONE)
                {
                    walk(decoder);
                }
                corrupt[i] = original;
            }
        }
    }

    @ParameterizedTest
    @MethodSource("versions")
    void refusesTrailingBytes(final int version)
    {
        final byte[] bytes = KafkaFrames.request(twoTopics(version), (short)version);
        final byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        final UnsafeBuffer frame = new UnsafeBuffer(longer);
        assertThat(decoder.wrap(frame, KafkaFrames.decodeHeader(header, frame), longer.length, version))
            .isEqualTo(WireError.TRAILING_BYTES);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void refusesCountsThatCannotFit(final int version)
    {
        final UnsafeBuffer body = new UnsafeBuffer(new byte[32]);
        final WireWriter writer = new WireWriter().wrap(body, 0);
        final boolean flexible = version >= 9;
        if (flexible)
        {
            writer.writeUnsignedVarint(0);
            writer.writeInt16(1);
            writer.writeInt32(100);
            writer.writeUnsignedVarint(Integer.MAX_VALUE);
        }
        else
        {
            writer.writeInt16(-1);
            writer.writeInt16(1);
            writer.writeInt32(100);
            writer.writeInt32(Integer.MAX_VALUE);
        }
        assertThat(decoder.wrap(body, 0, writer.position() + 8, version)).isEqualTo(WireError.COUNT_TOO_LARGE);
        assertThat(decoder.topicCount()).isZero();
    }

    @ParameterizedTest
    @MethodSource("versions")
    void refusesUnsupportedVersions(final int version)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(KafkaFrames.request(twoTopics(version), (short)version));
        final int bodyOffset = KafkaFrames.decodeHeader(header, frame);
        assertThat(decoder.wrap(frame, bodyOffset, frame.capacity(), 2)).isEqualTo(WireError.UNSUPPORTED_VERSION);
        assertThat(decoder.wrap(frame, bodyOffset, frame.capacity(), 14)).isEqualTo(WireError.UNSUPPORTED_VERSION);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void encodesResponsesKafkaReads(final int version)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final int offset = 13;
        assertThat(encoder.wrap(buffer, offset, buffer.capacity(), version, KafkaFrames.CORRELATION_ID, 2)).isZero();
        final UnsafeBuffer names = new UnsafeBuffer("xxordersäpayments".getBytes(StandardCharsets.UTF_8));
        if (version >= 13)
        {
            encoder.beginTopic(TOPIC_ID_A.getMostSignificantBits(), TOPIC_ID_A.getLeastSignificantBits(), 2);
        }
        else
        {
            encoder.beginTopic(names, 2, 6, 2);
        }
        encoder.addPartition(0, (short)0, 1000L, -1L, 0L);
        encoder.addPartition(4, (short)87, -1L, -1L, -1L, "bad batch".getBytes(StandardCharsets.UTF_8));
        if (version >= 13)
        {
            encoder.beginTopic(TOPIC_ID_B.getMostSignificantBits(), TOPIC_ID_B.getLeastSignificantBits(), 1);
        }
        else
        {
            encoder.beginTopic(names, 8, 10, 1);
        }
        encoder.addPartition(2, (short)0, Long.MAX_VALUE - 1, 1_700_000_000_000L, 42L);
        final int length = encoder.finish(250);
        assertThat(length).isPositive().isEqualTo(encoder.frameLength())
            .isLessThanOrEqualTo(ProduceResponseEncoder.maxFrameLength(2, 3, 20));

        final ByteBufferAccessor accessor = KafkaFrames.responseBody(
            KafkaFrames.copy(buffer, offset, length), (short)ApiKeys.PRODUCE, (short)version);
        final ProduceResponseData kafka = new ProduceResponseData(accessor, (short)version);
        assertThat(accessor.remaining()).isZero();
        assertThat(kafka.throttleTimeMs()).isEqualTo(250);

        final List<ProduceResponseData.TopicProduceResponse> topics = new ArrayList<>(kafka.responses());
        assertThat(topics).hasSize(2);
        if (version >= 13)
        {
            assertThat(topics.get(0).topicId()).isEqualTo(TOPIC_ID_A);
            assertThat(topics.get(1).topicId()).isEqualTo(TOPIC_ID_B);
        }
        else
        {
            assertThat(topics.get(0).name()).isEqualTo("orders");
            assertThat(topics.get(1).name()).isEqualTo("äpayments");
        }
        final List<ProduceResponseData.PartitionProduceResponse> a = topics.get(0).partitionResponses();
        assertThat(a).hasSize(2);
        assertPartition(a.get(0), version, 0, 0, 1000L, -1L, 0L, null);
        assertPartition(a.get(1), version, 4, 87, -1L, -1L, -1L, "bad batch");
        assertPartition(topics.get(1).partitionResponses().get(0), version, 2, 0, Long.MAX_VALUE - 1,
            1_700_000_000_000L, 42L, null);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void echoesTopicNamesStraightFromTheRequest(final int version)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(KafkaFrames.request(twoTopics(version), (short)version));
        decoder.wrap(frame, KafkaFrames.decodeHeader(header, frame), frame.capacity(), version);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[ProduceResponseEncoder.maxFrameLength(
            decoder.topicCount(), decoder.totalPartitionCount(), frame.capacity())]);
        encoder.wrap(buffer, 0, buffer.capacity(), version, header.correlationId(), decoder.topicCount());
        while (decoder.nextTopic())
        {
            if (decoder.usesTopicIds())
            {
                encoder.beginTopic(decoder.topicIdMostSignificantBits(), decoder.topicIdLeastSignificantBits(),
                    decoder.partitionCount());
            }
            else
            {
                encoder.beginTopic(frame, decoder.topicNameOffset(), decoder.topicNameLength(),
                    decoder.partitionCount());
            }
            while (decoder.nextPartition())
            {
                encoder.addPartition(decoder.partitionIndex(), (short)0, decoder.partitionOrdinal() * 10L, -1, 0);
            }
        }
        final int length = encoder.finish(0);
        final ByteBufferAccessor accessor = KafkaFrames.responseBody(
            KafkaFrames.copy(buffer, 0, length), (short)ApiKeys.PRODUCE, (short)version);
        final ProduceResponseData kafka = new ProduceResponseData(accessor, (short)version);
        final List<ProduceResponseData.TopicProduceResponse> topics = new ArrayList<>(kafka.responses());
        if (version < 13)
        {
            assertThat(topics.get(0).name()).isEqualTo("orders");
            assertThat(topics.get(1).name()).isEqualTo("payments");
        }
        assertThat(topics.get(1).partitionResponses().get(1).baseOffset()).isEqualTo(30L);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void reportsMisuseAndFullBuffersAsCodes(final int version)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        encoder.wrap(buffer, 0, buffer.capacity(), version, 1, 1);
        beginAnyTopic(version, 2);
        encoder.addPartition(0, (short)0, 0, -1, 0);
        assertThat(encoder.finish(0)).isEqualTo(WireError.COUNT_MISMATCH);

        encoder.wrap(buffer, 0, buffer.capacity(), version, 1, 1);
        beginAnyTopic(version, 0);
        encoder.addPartition(0, (short)0, 0, -1, 0);
        assertThat(encoder.errorCode()).isEqualTo(WireError.COUNT_MISMATCH);

        encoder.wrap(buffer, 0, buffer.capacity(), version, 1, 2);
        beginAnyTopic(version, 0);
        assertThat(encoder.finish(0)).isEqualTo(WireError.COUNT_MISMATCH);

        encoder.wrap(buffer, 0, buffer.capacity(), version, 1, 1);
        if (version >= 13)
        {
            encoder.beginTopic(new UnsafeBuffer(new byte[1]), 0, 1, 0);
        }
        else
        {
            encoder.beginTopic(1L, 2L, 0);
        }
        assertThat(encoder.errorCode()).isEqualTo(WireError.UNSUPPORTED_VERSION);

        encoder.wrap(buffer, 0, 40, version, 1, 1);
        beginAnyTopic(version, 3);
        for (int i = 0; i < 3; i++)
        {
            encoder.addPartition(i, (short)0, 0, -1, 0);
        }
        assertThat(encoder.finish(0)).isEqualTo(WireError.INSUFFICIENT_CAPACITY);
    }

    private void beginAnyTopic(final int version, final int partitionCount)
    {
        if (version >= 13)
        {
            encoder.beginTopic(1L, 2L, partitionCount);
        }
        else
        {
            encoder.beginTopic(new UnsafeBuffer("t".getBytes(StandardCharsets.UTF_8)), 0, 1, partitionCount);
        }
    }

    private static void assertPartition(
        final ProduceResponseData.PartitionProduceResponse partition,
        final int version,
        final int index,
        final int errorCode,
        final long baseOffset,
        final long logAppendTimeMs,
        final long logStartOffset,
        final String errorMessage)
    {
        assertThat(partition.index()).isEqualTo(index);
        assertThat(partition.errorCode()).isEqualTo((short)errorCode);
        assertThat(partition.baseOffset()).isEqualTo(baseOffset);
        assertThat(partition.logAppendTimeMs()).isEqualTo(logAppendTimeMs);
        assertThat(partition.logStartOffset()).isEqualTo(version >= 5 ? logStartOffset : -1L);
        assertThat(partition.recordErrors()).isEmpty();
        assertThat(partition.errorMessage()).isEqualTo(version >= 8 ? errorMessage : null);
        assertThat(partition.currentLeader().leaderId()).isEqualTo(-1);
    }

    private void assertTopic(
        final ProduceRequestData.TopicProduceData expected, final int version, final UnsafeBuffer frame)
    {
        if (version >= 13)
        {
            assertThat(decoder.topicNameLength()).isEqualTo(WireReader.NULL_LENGTH);
            assertThat(decoder.topicIdMostSignificantBits()).isEqualTo(expected.topicId().getMostSignificantBits());
            assertThat(decoder.topicIdLeastSignificantBits()).isEqualTo(expected.topicId().getLeastSignificantBits());
        }
        else
        {
            assertThat(WireStrings.equals(frame, decoder.topicNameOffset(), decoder.topicNameLength(), expected.name()))
                .isTrue();
        }
    }

    static ProduceRequestData twoTopics(final int version)
    {
        final MemoryRecords records = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(new byte[20]));
        final ProduceRequestData data = new ProduceRequestData().setAcks((short)1).setTimeoutMs(100)
            .setTransactionalId("t");
        data.topicData().add(topic(version, "orders", TOPIC_ID_A).setPartitionData(List.of(
            new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(records),
            new ProduceRequestData.PartitionProduceData().setIndex(1).setRecords(null))));
        data.topicData().add(topic(version, "payments", TOPIC_ID_B).setPartitionData(List.of(
            new ProduceRequestData.PartitionProduceData().setIndex(4).setRecords(records),
            new ProduceRequestData.PartitionProduceData().setIndex(5).setRecords(records))));
        return data;
    }

    private static ProduceRequestData.TopicProduceData topic(final int version, final String name, final Uuid id)
    {
        final ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData();
        return version >= 13 ? topic.setTopicId(id) : topic.setName(name);
    }

    private static void walk(final ProduceRequestDecoder decoder)
    {
        while (decoder.nextTopic())
        {
            while (decoder.nextPartition())
            {
                assertThat(decoder.recordsLength()).isGreaterThanOrEqualTo(WireReader.NULL_LENGTH);
            }
        }
    }

    private static byte[] toArray(final ByteBuffer buffer)
    {
        final byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
