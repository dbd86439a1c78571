package io.loggia.codec.wire;

import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class FetchCodecTest
{
    private static final Uuid TOPIC_ID_A = new Uuid(0x1111_2222_3333_4444L, 0x5555_6666_7777_8888L);
    private static final Uuid TOPIC_ID_B = new Uuid(-1L, -2L);
    private static final Uuid DIRECTORY_ID = new Uuid(99L, 100L);

    private final RequestHeader header = new RequestHeader();
    private final FetchRequestDecoder decoder = new FetchRequestDecoder();
    private final FetchResponseEncoder encoder = new FetchResponseEncoder(16);

    static IntStream versions()
    {
        return IntStream.rangeClosed(FetchRequestDecoder.MIN_VERSION, FetchRequestDecoder.MAX_VERSION);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void decodesWhatKafkaEncodes(final int version)
    {
        final boolean follower = version % 3 == 0;
        final FetchRequestData data = request(version, follower);
        final UnsafeBuffer frame = new UnsafeBuffer(KafkaFrames.request(data, (short)version));
        final int bodyOffset = KafkaFrames.decodeHeader(header, frame);
        assertThat(header.apiKey()).isEqualTo((short)ApiKeys.FETCH);
        assertThat(decoder.wrap(frame, bodyOffset, frame.capacity(), version)).isEqualTo(WireError.NONE);

        assertThat(decoder.replicaId()).isEqualTo(follower ? 3 : -1);
        assertThat(decoder.replicaEpoch()).isEqualTo(follower && version >= 15 ? 12L : -1L);
        assertThat(decoder.maxWaitMs()).isEqualTo(500);
        assertThat(decoder.minBytes()).isEqualTo(1);
        assertThat(decoder.maxBytes()).isEqualTo(52_428_800);
        assertThat(decoder.isolationLevel()).isEqualTo((byte)1);
        assertThat(decoder.sessionId()).isEqualTo(version >= 7 ? 777 : 0);
        assertThat(decoder.sessionEpoch()).isEqualTo(version >= 7 ? 5 : -1);
        assertThat(decoder.topicCount()).isEqualTo(2);
        assertThat(decoder.totalPartitionCount()).isEqualTo(3);
        assertThat(decoder.forgottenTopicCount()).isEqualTo(version >= 7 ? 2 : 0);
        assertThat(WireStrings.equals(frame, decoder.rackIdOffset(), decoder.rackIdLength(),
            version >= 11 ? "rack-ä" : ""))
            .isTrue();
        if (version >= 12)
        {
            assertThat(WireStrings.equals(frame, decoder.clusterIdOffset(), decoder.clusterIdLength(), "cluster-x"))
                .isTrue();
        }
        else
        {
            assertThat(decoder.clusterIdLength()).isEqualTo(WireReader.NULL_LENGTH);
        }

        for (int pass = 0; pass < 2; pass++)
        {
            int ordinal = 0;
            for (final FetchRequestData.FetchTopic topic : data.topics())
            {
                assertThat(decoder.nextTopic()).isTrue();
                if (version >= 13)
                {
                    assertThat(decoder.topicIdMostSignificantBits())
                        .isEqualTo(topic.topicId().getMostSignificantBits());
                    assertThat(decoder.topicIdLeastSignificantBits())
                        .isEqualTo(topic.topicId().getLeastSignificantBits());
                }
                else
                {
                    assertThat(WireStrings.equals(frame, decoder.topicNameOffset(), decoder.topicNameLength(),
                        topic.topic())).isTrue();
                }
                assertThat(decoder.partitionCount()).isEqualTo(topic.partitions().size());
                for (final FetchRequestData.FetchPartition partition : topic.partitions())
                {
                    assertThat(decoder.nextPartition()).isTrue();
                    assertThat(decoder.partitionOrdinal()).isEqualTo(ordinal++);
                    assertThat(decoder.partition()).isEqualTo(partition.partition());
                    assertThat(decoder.currentLeaderEpoch())
                        .isEqualTo(version >= 9 ? partition.currentLeaderEpoch() : -1);
                    assertThat(decoder.fetchOffset()).isEqualTo(partition.fetchOffset());
                    assertThat(decoder.lastFetchedEpoch()).isEqualTo(partition.lastFetchedEpoch());
                    assertThat(decoder.logStartOffset()).isEqualTo(version >= 5 ? partition.logStartOffset() : -1L);
                    assertThat(decoder.partitionMaxBytes()).isEqualTo(partition.partitionMaxBytes());
                    final Uuid directory = version >= 17 ? partition.replicaDirectoryId() : Uuid.ZERO_UUID;
                    assertThat(decoder.replicaDirectoryIdMostSignificantBits())
                        .isEqualTo(directory.getMostSignificantBits());
                    assertThat(decoder.replicaDirectoryIdLeastSignificantBits())
                        .isEqualTo(directory.getLeastSignificantBits());
                    assertThat(decoder.highWatermark())
                        .isEqualTo(version >= 18 ? partition.highWatermark() : Long.MAX_VALUE);
                }
                assertThat(decoder.nextPartition()).isFalse();
            }
            assertThat(decoder.nextTopic()).isFalse();

            for (final FetchRequestData.ForgottenTopic forgotten : data.forgottenTopicsData())
            {
                assertThat(decoder.nextForgottenTopic()).isTrue();
                if (version >= 13)
                {
                    assertThat(decoder.forgottenTopicIdMostSignificantBits())
                        .isEqualTo(forgotten.topicId().getMostSignificantBits());
                    assertThat(decoder.forgottenTopicIdLeastSignificantBits())
                        .isEqualTo(forgotten.topicId().getLeastSignificantBits());
                }
                else
                {
                    assertThat(WireStrings.equals(frame, decoder.forgottenTopicNameOffset(),
                        decoder.forgottenTopicNameLength(), forgotten.topic())).isTrue();
                }
                assertThat(decoder.forgottenPartitionCount()).isEqualTo(forgotten.partitions().size());
                for (int i = 0; i < forgotten.partitions().size(); i++)
                {
                    assertThat(decoder.forgottenPartition(i)).isEqualTo(forgotten.partitions().get(i));
                }
            }
            assertThat(decoder.nextForgottenTopic()).isFalse();
            decoder.rewind();
        }
    }

    @ParameterizedTest
    @MethodSource("versions")
    void reportsEveryTruncationAndNeverThrowsOnCorruptBytes(final int version)
    {
        final byte[] bytes = KafkaFrames.request(request(version, true), (short)version);
        final UnsafeBuffer frame = new UnsafeBuffer(bytes);
        final int bodyOffset = KafkaFrames.decodeHeader(header, frame);
        for (int limit = bodyOffset; limit < bytes.length; limit++)
        {
            assertThat(decoder.wrap(frame, bodyOffset, limit, version)).as("limit " + limit).isNegative();
            assertThat(decoder.nextTopic()).isFalse();
            assertThat(decoder.nextForgottenTopic()).isFalse();
        }

        final byte[] corrupt = bytes.clone();
        for (int i = bodyOffset; i < corrupt.length; i++)
        {
            for (final byte value : new byte[] {(byte)0xFF, (byte)0x7F, (byte)0x80, 0, 1})
            {
                final byte original = corrupt[i];
                corrupt[i] = value;
                if (decoder.wrap(new UnsafeBuffer(corrupt), bodyOffset, corrupt.length, version) == WireError.NONE)
                {
                    walk(decoder);
                }
                corrupt[i] = original;
            }
        }
    }

    @Test
    void refusesAKnownTaggedFieldThatClaimsFewerBytesThanItHolds()
    {
        final UnsafeBuffer body = new UnsafeBuffer(new byte[64]);
        final WireWriter writer = new WireWriter().wrap(body, 0);
        writer.writeInt32(500);
        writer.writeInt32(1);
        writer.writeInt32(1000);
        writer.writeInt8(0);
        writer.writeInt32(0);
        writer.writeInt32(-1);
        writer.writeCompactArrayLength(0);
        writer.writeCompactArrayLength(0);
        writer.writeCompactString(body, 0, 0);
        writer.writeUnsignedVarint(1);
        writer.writeUnsignedVarint(FetchRequestDecoder.REPLICA_STATE_TAG);
        writer.writeUnsignedVarint(4);
        writer.writeInt32(3);
        writer.writeInt64(12);
        writer.writeEmptyTaggedFields();
        assertThat(decoder.wrap(body, 0, writer.position(), 15)).isEqualTo(WireError.TRUNCATED);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void encodesResponsesKafkaReadsWithFileRegionsSplicedIn(final int version)
    {
        final byte[] records0 = recordBytes(0L, 3, 50);
        final byte[] records1 = recordBytes(100L, 1, 2000);
        final byte[] copied = recordBytes(7L, 2, 10);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1024]);
        final int offset = 21;
        final UnsafeBuffer names = new UnsafeBuffer("ordersclicks".getBytes(StandardCharsets.UTF_8));

        assertThat(encoder.wrap(buffer, offset, buffer.capacity(), version, KafkaFrames.CORRELATION_ID, 30, (short)0,
            4242, 2))
            .isZero();
        beginTopic(version, names, 0, 6, TOPIC_ID_A, 3);
        final int position0 = encoder.addPartition(0, (short)0, 3L, 3L, 0L, records0.length);
        encoder.beginPartition(1, (short)0, 101L, 90L, 5L, 2);
        encoder.addAbortedTransaction(4000L, 95L);
        encoder.addAbortedTransaction(4001L, 96L);
        final int position1 = encoder.addFileRegion(records1.length);
        encoder.beginPartition(2, (short)1, -1L, -1L, -1L, 0);
        encoder.addNullRecords();
        beginTopic(version, names, 6, 6, TOPIC_ID_B, 2);
        encoder.addPartition(9, (short)0, 10L, 10L, 0L, 0);
        encoder.beginPartition(8, (short)0, 10L, 10L, 0L, WireReader.NULL_LENGTH);
        encoder.addRecords(new UnsafeBuffer(copied), 0, copied.length);
        final int frameLength = encoder.finish();

        assertThat(frameLength).isEqualTo(encoder.frameLength())
            .isEqualTo(encoder.bufferLength() + records0.length + records1.length);
        assertThat(encoder.bufferLength() - copied.length)
            .isLessThanOrEqualTo(FetchResponseEncoder.maxBufferLength(2, 5, 12, 2));
        assertThat(encoder.fileRegionCount()).isEqualTo(2);
        assertThat(encoder.fileRegionPosition(0)).isEqualTo(position0);
        assertThat(encoder.fileRegionPosition(1)).isEqualTo(position1);
        assertThat(encoder.fileRegionLength(0)).isEqualTo(records0.length);
        assertThat(encoder.fileRegionLength(1)).isEqualTo(records1.length);
        assertThat(encoder.fileBytes()).isEqualTo(records0.length + records1.length);
        assertThat(encoder.frameOffset()).isEqualTo(offset);
        assertThat(Frame.size(buffer, offset)).isEqualTo(frameLength - Frame.SIZE_FIELD_LENGTH);

        final byte[] wire = splice(buffer, records0, records1);
        assertThat(wire).hasSize(frameLength);
        final ByteBufferAccessor accessor = KafkaFrames.responseBody(wire, (short)ApiKeys.FETCH, (short)version);
        final FetchResponseData kafka = new FetchResponseData(accessor, (short)version);
        assertThat(accessor.remaining()).isZero();

        assertThat(kafka.throttleTimeMs()).isEqualTo(30);
        assertThat(kafka.errorCode()).isEqualTo((short)0);
        assertThat(kafka.sessionId()).isEqualTo(version >= 7 ? 4242 : 0);
        assertThat(kafka.nodeEndpoints()).isEmpty();
        assertThat(kafka.responses()).hasSize(2);
        final FetchResponseData.FetchableTopicResponse a = kafka.responses().get(0);
        final FetchResponseData.FetchableTopicResponse b = kafka.responses().get(1);
        if (version >= 13)
        {
            assertThat(a.topicId()).isEqualTo(TOPIC_ID_A);
            assertThat(b.topicId()).isEqualTo(TOPIC_ID_B);
        }
        else
        {
            assertThat(a.topic()).isEqualTo("orders");
            assertThat(b.topic()).isEqualTo("clicks");
        }
        assertThat(a.partitions()).hasSize(3);
        assertPartition(a.partitions().get(0), version, 0, 0, 3L, 3L, 0L);
        assertThat(a.partitions().get(0).abortedTransactions()).isNull();
        assertThat(bytes(a.partitions().get(0))).isEqualTo(records0);

        assertPartition(a.partitions().get(1), version, 1, 0, 101L, 90L, 5L);
        assertThat(a.partitions().get(1).abortedTransactions()).containsExactly(
            new FetchResponseData.AbortedTransaction().setProducerId(4000L).setFirstOffset(95L),
            new FetchResponseData.AbortedTransaction().setProducerId(4001L).setFirstOffset(96L));
        assertThat(bytes(a.partitions().get(1))).isEqualTo(records1);

        assertPartition(a.partitions().get(2), version, 2, 1, -1L, -1L, -1L);
        assertThat(a.partitions().get(2).abortedTransactions()).isEmpty();
        assertThat(a.partitions().get(2).records()).isNull();

        assertThat(b.partitions()).hasSize(2);
        assertPartition(b.partitions().get(0), version, 9, 0, 10L, 10L, 0L);
        assertThat(bytes(b.partitions().get(0))).isEmpty();
        assertPartition(b.partitions().get(1), version, 8, 0, 10L, 10L, 0L);
        assertThat(bytes(b.partitions().get(1))).isEqualTo(copied);
    }

    @Test
    void splicesSegmentFileBytesWithTransferTo(@TempDir final Path directory) throws IOException
    {
        final int version = FetchRequestDecoder.MAX_VERSION;
        final byte[] batch0 = recordBytes(0L, 5, 700);
        final byte[] batch1 = recordBytes(5L, 2, 90_000);
        final Path segment = directory.resolve("00000000000000000000.log");
        final long position1;
        try (FileChannel file = FileChannel.open(segment, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
        {
            file.write(ByteBuffer.wrap(batch0));
            position1 = file.position();
            file.write(ByteBuffer.wrap(batch1));
        }

        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(512));
        encoder.wrap(buffer, 0, buffer.capacity(), version, KafkaFrames.CORRELATION_ID, 0, (short)0, 0, 1);
        encoder.beginTopic(TOPIC_ID_A.getMostSignificantBits(), TOPIC_ID_A.getLeastSignificantBits(), 2);
        encoder.addPartition(0, (short)0, 5L, 5L, 0L, batch0.length);
        encoder.addPartition(1, (short)0, 7L, 7L, 0L, batch1.length);
        final int frameLength = encoder.finish();

        final long[] filePositions = {0L, position1};
        final ByteArrayOutputStream socket = new ByteArrayOutputStream();
        try (FileChannel file = FileChannel.open(segment, StandardOpenOption.READ);
            WritableByteChannel out = Channels.newChannel(socket))
        {
            int bufferPosition = encoder.frameOffset();
            for (int i = 0; i < encoder.fileRegionCount(); i++)
            {
                final int regionPosition = encoder.fileRegionPosition(i);
                out.write(buffer.byteBuffer().duplicate().limit(regionPosition).position(bufferPosition));
                long sent = 0;
                while (sent < encoder.fileRegionLength(i))
                {
                    sent += file.transferTo(filePositions[i] + sent, encoder.fileRegionLength(i) - sent, out);
                }
                bufferPosition = regionPosition;
            }
            out.write(buffer.byteBuffer().duplicate().limit(encoder.bufferLimit()).position(bufferPosition));
        }

        final byte[] wire = socket.toByteArray();
        assertThat(wire).hasSize(frameLength);
        final ByteBufferAccessor accessor = KafkaFrames.responseBody(wire, (short)ApiKeys.FETCH, (short)version);
        final FetchResponseData kafka = new FetchResponseData(accessor, (short)version);
        assertThat(accessor.remaining()).isZero();
        final List<FetchResponseData.PartitionData> partitions = kafka.responses().get(0).partitions();
        assertThat(bytes(partitions.get(0))).isEqualTo(batch0);
        assertThat(bytes(partitions.get(1))).isEqualTo(batch1);
        assertThat(((MemoryRecords)partitions.get(1).records()).batches().iterator().next().lastOffset()).isEqualTo(6L);
    }

    @ParameterizedTest
    @MethodSource("versions")
    void reportsMisuseAndExhaustedCapacityAsCodes(final int version)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final UnsafeBuffer name = new UnsafeBuffer("t".getBytes(StandardCharsets.UTF_8));

        encoder.wrap(buffer, 0, buffer.capacity(), version, 1, 0, (short)0, 0, 1);
        beginTopic(version, name, 0, 1, TOPIC_ID_A, 1);
        encoder.beginPartition(0, (short)0, 0, 0, 0, 1);
        assertThat(encoder.addFileRegion(10)).isEqualTo(WireError.COUNT_MISMATCH);

        encoder.wrap(buffer, 0, buffer.capacity(), version, 1, 0, (short)0, 0, 1);
        beginTopic(version, name, 0, 1, TOPIC_ID_A, 2);
        encoder.addPartition(0, (short)0, 0, 0, 0, 10);
        assertThat(encoder.finish()).isEqualTo(WireError.COUNT_MISMATCH);

        encoder.wrap(buffer, 0, buffer.capacity(), version, 1, 0, (short)0, 0, 1);
        beginTopic(version, name, 0, 1, TOPIC_ID_A, 1);
        encoder.beginPartition(0, (short)0, 0, 0, 0, WireReader.NULL_LENGTH);
        encoder.addAbortedTransaction(1, 1);
        assertThat(encoder.errorCode()).isEqualTo(WireError.COUNT_MISMATCH);

        final FetchResponseEncoder small = new FetchResponseEncoder(2);
        small.wrap(buffer, 0, buffer.capacity(), version, 1, 0, (short)0, 0, 1);
        if (version >= 13)
        {
            small.beginTopic(1L, 1L, 3);
        }
        else
        {
            small.beginTopic(name, 0, 1, 3);
        }
        small.addPartition(0, (short)0, 0, 0, 0, 10);
        small.addPartition(1, (short)0, 0, 0, 0, 10);
        assertThat(small.addPartition(2, (short)0, 0, 0, 0, 10)).isEqualTo(WireError.INSUFFICIENT_CAPACITY);

        encoder.wrap(buffer, 0, 30, version, 1, 0, (short)0, 0, 1);
        beginTopic(version, name, 0, 1, TOPIC_ID_A, 1);
        encoder.addPartition(0, (short)0, 0, 0, 0, 10);
        assertThat(encoder.finish()).isEqualTo(WireError.INSUFFICIENT_CAPACITY);

        encoder.wrap(buffer, 0, buffer.capacity(), version, 1, 0, (short)0, 0, 1);
        beginTopic(version, name, 0, 1, TOPIC_ID_A, 2);
        encoder.addPartition(0, (short)0, 0, 0, 0, Integer.MAX_VALUE - 1);
        encoder.addPartition(1, (short)0, 0, 0, 0, 10);
        assertThat(encoder.finish()).isEqualTo(WireError.VALUE_TOO_LONG);
    }

    private void beginTopic(
        final int version,
        final UnsafeBuffer names,
        final int offset,
        final int length,
        final Uuid id,
        final int partitions)
    {
        if (version >= 13)
        {
            encoder.beginTopic(id.getMostSignificantBits(), id.getLeastSignificantBits(), partitions);
        }
        else
        {
            encoder.beginTopic(names, offset, length, partitions);
        }
    }

    private byte[] splice(final UnsafeBuffer buffer, final byte[]... regions)
    {
        final ByteArrayOutputStream wire = new ByteArrayOutputStream();
        int bufferPosition = encoder.frameOffset();
        for (int i = 0; i < encoder.fileRegionCount(); i++)
        {
            final int regionPosition = encoder.fileRegionPosition(i);
            wire.writeBytes(KafkaFrames.copy(buffer, bufferPosition, regionPosition - bufferPosition));
            wire.writeBytes(regions[i]);
            bufferPosition = regionPosition;
        }
        wire.writeBytes(KafkaFrames.copy(buffer, bufferPosition, encoder.bufferLimit() - bufferPosition));
        return wire.toByteArray();
    }

    private static void assertPartition(
        final FetchResponseData.PartitionData partition,
        final int version,
        final int index,
        final int errorCode,
        final long highWatermark,
        final long lastStableOffset,
        final long logStartOffset)
    {
        assertThat(partition.partitionIndex()).isEqualTo(index);
        assertThat(partition.errorCode()).isEqualTo((short)errorCode);
        assertThat(partition.highWatermark()).isEqualTo(highWatermark);
        assertThat(partition.lastStableOffset()).isEqualTo(lastStableOffset);
        assertThat(partition.logStartOffset()).isEqualTo(version >= 5 ? logStartOffset : -1L);
        assertThat(partition.preferredReadReplica()).isEqualTo(-1);
        assertThat(partition.divergingEpoch().epoch()).isEqualTo(-1);
        assertThat(partition.currentLeader().leaderId()).isEqualTo(-1);
        assertThat(partition.snapshotId().epoch()).isEqualTo(-1);
    }

    private static byte[] bytes(final FetchResponseData.PartitionData partition)
    {
        final ByteBuffer buffer = ((MemoryRecords)partition.records()).buffer().duplicate();
        final byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private static byte[] recordBytes(final long baseOffset, final int count, final int valueSize)
    {
        final SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++)
        {
            final byte[] value = new byte[valueSize];
            Arrays.fill(value, (byte)(i + 1));
            records[i] = new SimpleRecord(1_700_000_000_000L + i, null, value);
        }
        final ByteBuffer buffer = MemoryRecords.withRecords(baseOffset, Compression.NONE, records).buffer();
        final byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private static FetchRequestData request(final int version, final boolean follower)
    {
        final FetchRequestData data = new FetchRequestData()
            .setMaxWaitMs(500)
            .setMinBytes(1)
            .setMaxBytes(52_428_800)
            .setIsolationLevel((byte)1);
        if (version >= 15)
        {
            data.setReplicaId(-1);
            if (follower)
            {
                data.setReplicaState(new FetchRequestData.ReplicaState().setReplicaId(3).setReplicaEpoch(12L));
            }
        }
        else
        {
            data.setReplicaId(follower ? 3 : -1);
        }
        if (version >= 7)
        {
            data.setSessionId(777).setSessionEpoch(5);
            data.setForgottenTopicsData(List.of(
                forgotten(version, "old", TOPIC_ID_B, List.of(1, 2, 3)),
                forgotten(version, "older", TOPIC_ID_A, List.of())));
        }
        if (version >= 11)
        {
            data.setRackId("rack-ä");
        }
        if (version >= 12)
        {
            data.setClusterId("cluster-x");
        }
        data.setTopics(List.of(
            fetchTopic(version, "orders", TOPIC_ID_A, List.of(partition(version, 0, 100L), partition(version, 5, 0L))),
            fetchTopic(version, "c", TOPIC_ID_B, List.of(partition(version, 2, Long.MAX_VALUE - 5)))));
        return data;
    }

    private static FetchRequestData.FetchTopic fetchTopic(
        final int version, final String name, final Uuid id, final List<FetchRequestData.FetchPartition> partitions)
    {
        final FetchRequestData.FetchTopic topic = new FetchRequestData.FetchTopic().setPartitions(partitions);
        return version >= 13 ? topic.setTopicId(id) : topic.setTopic(name);
    }

    private static FetchRequestData.ForgottenTopic forgotten(
        final int version, final String name, final Uuid id, final List<Integer> partitions)
    {
        final FetchRequestData.ForgottenTopic topic = new FetchRequestData.ForgottenTopic().setPartitions(partitions);
        return version >= 13 ? topic.setTopicId(id) : topic.setTopic(name);
    }

    private static FetchRequestData.FetchPartition partition(final int version, final int index, final long fetchOffset)
    {
        final FetchRequestData.FetchPartition partition = new FetchRequestData.FetchPartition()
            .setPartition(index)
            .setCurrentLeaderEpoch(9 + index)
            .setFetchOffset(fetchOffset)
            .setLogStartOffset(fetchOffset / 2)
            .setPartitionMaxBytes(1_048_576 + index);
        if (version >= 12)
        {
            partition.setLastFetchedEpoch(7 + index);
        }
        if (version >= 17)
        {
            partition.setReplicaDirectoryId(DIRECTORY_ID);
        }
        if (version >= 18)
        {
            partition.setHighWatermark(fetchOffset + 10);
        }
        return partition;
    }

    private static void walk(final FetchRequestDecoder decoder)
    {
        while (decoder.nextTopic())
        {
            while (decoder.nextPartition())
            {
                assertThat(decoder.partitionOrdinal()).isLessThan(decoder.totalPartitionCount());
            }
        }
        while (decoder.nextForgottenTopic())
        {
            for (int i = 0; i < decoder.forgottenPartitionCount(); i++)
            {
                decoder.forgottenPartition(i);
            }
        }
    }
}
