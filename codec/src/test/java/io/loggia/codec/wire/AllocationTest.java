package io.loggia.codec.wire;

import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hot path allocates nothing in steady state: decoding a request and encoding a response, repeated, leaves
 * the thread's allocation counter where it was.
 */
class AllocationTest
{
    private static final int ITERATIONS = 5_000;
    /** Slack for the counter reads themselves. */
    private static final long TOLERANCE_BYTES = 512;

    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private final RequestHeader header = new RequestHeader();
    private final ProduceRequestDecoder produceDecoder = new ProduceRequestDecoder();
    private final ProduceResponseEncoder produceEncoder = new ProduceResponseEncoder();
    private final FetchRequestDecoder fetchDecoder = new FetchRequestDecoder();
    private final FetchResponseEncoder fetchEncoder = new FetchResponseEncoder(64);
    private final UnsafeBuffer responseBuffer = new UnsafeBuffer(new byte[16 * 1024]);
    private long sink;
    private Object escaped;

    @Test
    void measuresAnAllocationWhenThereIsOne()
    {
        final Runnable allocating = () ->
        {
            escaped = new long[2];
            sink++;
        };
        assertThat(allocatedBytes(allocating)).isGreaterThan(ITERATIONS * 16L);
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 8, 9, 13})
    void produceRoundTripAllocatesNothing(final int version)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(KafkaFrames.request(produceRequest(version), (short)version));
        final Runnable roundTrip = () -> produceRoundTrip(frame);
        assertThat(allocatedBytes(roundTrip)).isLessThan(TOLERANCE_BYTES);
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 11, 12, 13, 18})
    void fetchRoundTripAllocatesNothing(final int version)
    {
        final UnsafeBuffer frame = new UnsafeBuffer(KafkaFrames.request(fetchRequest(version), (short)version));
        final Runnable roundTrip = () -> fetchRoundTrip(frame);
        assertThat(allocatedBytes(roundTrip)).isLessThan(TOLERANCE_BYTES);
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 13})
    void refusingMalformedRequestsAllocatesNothing(final int version)
    {
        final byte[] produce = KafkaFrames.request(ProduceCodecTest.twoTopics(version), (short)version);
        final byte[] fetch = KafkaFrames.request(fetchRequest(version + 5), (short)(version + 5));
        final UnsafeBuffer produceFrame = new UnsafeBuffer(produce);
        final UnsafeBuffer fetchFrame = new UnsafeBuffer(fetch);
        final UnsafeBuffer hugeCount = new UnsafeBuffer(
            new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x7F, -1, -1, -1});
        final Runnable refuse = () ->
        {
            for (int limit = Frame.HEADER_OFFSET; limit < produce.length; limit += 3)
            {
                sink += produceDecoder.wrap(produceFrame, Frame.HEADER_OFFSET + 30, limit, version);
            }
            for (int limit = Frame.HEADER_OFFSET; limit < fetch.length; limit += 3)
            {
                sink += fetchDecoder.wrap(fetchFrame, Frame.HEADER_OFFSET + 26, limit, version + 5);
            }
            sink += fetchDecoder.wrap(hugeCount, 0, hugeCount.capacity(), 6);
        };
        assertThat(allocatedBytes(refuse)).isLessThan(TOLERANCE_BYTES);
    }

    private long allocatedBytes(final Runnable roundTrip)
    {
        for (int i = 0; i < ITERATIONS; i++)
        {
            roundTrip.run();
        }
        final long threadId = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(threadId);
        for (int i = 0; i < ITERATIONS; i++)
        {
            roundTrip.run();
        }
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
        assertThat(sink).isNotZero();
        return allocated;
    }

    private void produceRoundTrip(final UnsafeBuffer frame)
    {
        header.wrap(frame, Frame.HEADER_OFFSET, frame.capacity());
        final ProduceRequestDecoder decoder = produceDecoder;
        final ProduceResponseEncoder encoder = produceEncoder;
        final int version = header.apiVersion();
        decoder.wrap(frame, header.bodyOffset(), frame.capacity(), version);
        encoder.wrap(responseBuffer, 0, responseBuffer.capacity(), version, header.correlationId(),
            decoder.topicCount());
        while (decoder.nextTopic())
        {
            if (decoder.usesTopicIds())
            {
                encoder.beginTopic(decoder.topicIdMostSignificantBits(), decoder.topicIdLeastSignificantBits(),
                    decoder.partitionCount());
            }
            else
            {
                sink += WireStrings.equals(frame, decoder.topicNameOffset(), decoder.topicNameLength(),
                    "orders") ? 1 : 0;
                encoder.beginTopic(frame, decoder.topicNameOffset(), decoder.topicNameLength(),
                    decoder.partitionCount());
            }
            while (decoder.nextPartition())
            {
                sink += decoder.recordsLength();
                encoder.addPartition(decoder.partitionIndex(), (short)0, sink, -1L, 0L);
            }
        }
        sink += encoder.finish(0);
    }

    private void fetchRoundTrip(final UnsafeBuffer frame)
    {
        header.wrap(frame, Frame.HEADER_OFFSET, frame.capacity());
        final FetchRequestDecoder decoder = fetchDecoder;
        final FetchResponseEncoder encoder = fetchEncoder;
        final int version = header.apiVersion();
        decoder.wrap(frame, header.bodyOffset(), frame.capacity(), version);
        encoder.wrap(responseBuffer, 0, responseBuffer.capacity(), version, header.correlationId(), 0, (short)0,
            decoder.sessionId(), decoder.topicCount());
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
                final long highWatermark = decoder.fetchOffset() + 100;
                encoder.addPartition(decoder.partition(), (short)0, highWatermark, highWatermark, 0L,
                    decoder.partitionMaxBytes());
            }
        }
        while (decoder.nextForgottenTopic())
        {
            sink += decoder.forgottenPartitionCount();
        }
        sink += encoder.finish() + encoder.fileRegionPosition(0);
    }

    private static ProduceRequestData produceRequest(final int version)
    {
        final MemoryRecords records = MemoryRecords.withRecords(Compression.NONE, new SimpleRecord(new byte[1000]));
        final ProduceRequestData data = new ProduceRequestData().setAcks((short)-1).setTimeoutMs(1000);
        for (int t = 0; t < 3; t++)
        {
            final List<ProduceRequestData.PartitionProduceData> partitions = new ArrayList<>();
            for (int p = 0; p < 4; p++)
            {
                partitions.add(new ProduceRequestData.PartitionProduceData().setIndex(p).setRecords(records));
            }
            final ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData()
                .setPartitionData(partitions);
            data.topicData().add(version >= 13 ? topic.setTopicId(new Uuid(t + 1, t)) : topic.setName("orders-" + t));
        }
        return data;
    }

    private static FetchRequestData fetchRequest(final int version)
    {
        final FetchRequestData data = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(500).setMinBytes(1)
            .setMaxBytes(1 << 20);
        final List<FetchRequestData.FetchTopic> topics = new ArrayList<>();
        for (int t = 0; t < 3; t++)
        {
            final List<FetchRequestData.FetchPartition> partitions = new ArrayList<>();
            for (int p = 0; p < 4; p++)
            {
                partitions.add(new FetchRequestData.FetchPartition().setPartition(p).setFetchOffset(p * 1000L)
                    .setPartitionMaxBytes(65536));
            }
            final FetchRequestData.FetchTopic topic = new FetchRequestData.FetchTopic().setPartitions(partitions);
            topics.add(version >= 13 ? topic.setTopicId(new Uuid(t + 1, t)) : topic.setTopic("orders-" + t));
        }
        data.setTopics(topics);
        if (version >= 7)
        {
            data.setSessionId(1).setSessionEpoch(2).setForgottenTopicsData(List.of(
                new FetchRequestData.ForgottenTopic().setTopic("gone").setTopicId(new Uuid(9, 9))
                    .setPartitions(List.of(1))));
        }
        return data;
    }
}
