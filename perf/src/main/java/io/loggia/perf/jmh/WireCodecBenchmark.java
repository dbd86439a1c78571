package io.loggia.perf.jmh;

import io.loggia.codec.record.RecordBatch;
import io.loggia.codec.wire.ApiKeys;
import io.loggia.codec.wire.FetchResponseEncoder;
import io.loggia.codec.wire.Frame;
import io.loggia.codec.wire.ProduceRequestDecoder;
import io.loggia.codec.wire.ProduceResponseEncoder;
import io.loggia.codec.wire.RequestHeader;
import io.loggia.codec.wire.WireError;
import io.loggia.codec.wire.WireWriter;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The wire codec on the network thread's hot path: decoding a Produce v13 request of 8 partitions × 64 KiB
 * batches (the decoder checks the whole body, then the cursor walks it; record bytes are located, never copied)
 * with the Produce v13 response that answers it, and encoding the buffer part of a Fetch v18 response for 8
 * partitions whose records are file regions. Run with {@code -prof gc}: every benchmark should show ≈ 0 B/op.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
@State(Scope.Thread)
public class WireCodecBenchmark
{
    private static final int PARTITIONS = 8;
    private static final int BATCH_BYTES = 64 * 1024;
    private static final long TOPIC_ID_MSB = 0x0123_4567_89AB_CDEFL;
    private static final long TOPIC_ID_LSB = 0x0FED_CBA9_8765_4321L;

    private final RequestHeader header = new RequestHeader();
    private final ProduceRequestDecoder produceDecoder = new ProduceRequestDecoder();
    private final ProduceResponseEncoder produceEncoder = new ProduceResponseEncoder();
    private final FetchResponseEncoder fetchEncoder = new FetchResponseEncoder(PARTITIONS);
    private UnsafeBuffer produceRequest;
    private int produceRequestLength;
    private UnsafeBuffer responseBuffer;

    @Setup(Level.Trial)
    public void setup()
    {
        produceRequest = new UnsafeBuffer(ByteBuffer.allocateDirect(PARTITIONS * (BATCH_BYTES + 16) + 256));
        produceRequestLength = writeProduceRequest(produceRequest);
        responseBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
        if (decodeProduceV13() <= 0 || encodeFetchV18ResponseHeader() <= 0)
        {
            throw new IllegalStateException("benchmark inputs do not decode");
        }
    }

    /**
     * Header, whole-body check and a walk over every partition, as the network thread does before it hands
     * batches to the writers.
     */
    @Benchmark
    public long decodeProduceV13()
    {
        final UnsafeBuffer request = produceRequest;
        final int limit = produceRequestLength;
        if (header.wrap(request, Frame.HEADER_OFFSET, limit) != WireError.NONE)
        {
            return -1;
        }
        final ProduceRequestDecoder decoder = produceDecoder;
        if (decoder.wrap(request, header.bodyOffset(), limit, header.apiVersion()) != WireError.NONE)
        {
            return -1;
        }
        long checksum = decoder.acks();
        while (decoder.nextTopic())
        {
            checksum += decoder.topicIdMostSignificantBits();
            while (decoder.nextPartition())
            {
                checksum += decoder.partitionIndex() + decoder.recordsOffset() + decoder.recordsLength();
            }
        }
        return checksum;
    }

    /**
     * Decode as above, then encode the response that answers it.
     */
    @Benchmark
    public int decodeProduceV13AndEncodeResponse()
    {
        final UnsafeBuffer request = produceRequest;
        final int limit = produceRequestLength;
        header.wrap(request, Frame.HEADER_OFFSET, limit);
        final ProduceRequestDecoder decoder = produceDecoder;
        final ProduceResponseEncoder encoder = produceEncoder;
        decoder.wrap(request, header.bodyOffset(), limit, header.apiVersion());
        encoder.wrap(responseBuffer, 0, responseBuffer.capacity(), header.apiVersion(), header.correlationId(),
            decoder.topicCount());
        long baseOffset = 1_000_000L;
        while (decoder.nextTopic())
        {
            encoder.beginTopic(decoder.topicIdMostSignificantBits(), decoder.topicIdLeastSignificantBits(),
                decoder.partitionCount());
            while (decoder.nextPartition())
            {
                encoder.addPartition(decoder.partitionIndex(), (short)0, baseOffset, -1L, 0L);
                baseOffset += 100;
            }
        }
        return encoder.finish(0);
    }

    /**
     * Everything of a Fetch v18 response but the record bytes: the buffer part and the file-region slots.
     */
    @Benchmark
    public int encodeFetchV18ResponseHeader()
    {
        final FetchResponseEncoder encoder = fetchEncoder;
        encoder.wrap(responseBuffer, 0, responseBuffer.capacity(), 18, 42, 0, (short)0, 12345, 1);
        encoder.beginTopic(TOPIC_ID_MSB, TOPIC_ID_LSB, PARTITIONS);
        for (int partition = 0; partition < PARTITIONS; partition++)
        {
            encoder.addPartition(partition, (short)0, 1_000_000L, 1_000_000L, 0L, BATCH_BYTES);
        }
        return encoder.finish();
    }

    private static int writeProduceRequest(final UnsafeBuffer buffer)
    {
        final WireWriter writer = new WireWriter().wrap(buffer, 0);
        writer.writeInt32(0);
        writer.writeInt16(ApiKeys.PRODUCE);
        writer.writeInt16(13);
        writer.writeInt32(42);
        final byte[] clientId = "bench-producer".getBytes(StandardCharsets.UTF_8);
        writer.writeNullableString(clientId);
        writer.writeEmptyTaggedFields();

        writer.writeCompactNullableString(null);
        writer.writeInt16(-1);
        writer.writeInt32(30_000);
        writer.writeCompactArrayLength(1);
        writer.writeUuid(TOPIC_ID_MSB, TOPIC_ID_LSB);
        writer.writeCompactArrayLength(PARTITIONS);
        final UnsafeBuffer batch = new UnsafeBuffer(new byte[BATCH_BYTES]);
        batch.putInt(RecordBatch.LENGTH_OFFSET, BATCH_BYTES - RecordBatch.LOG_OVERHEAD, ByteOrder.BIG_ENDIAN);
        batch.putByte(RecordBatch.MAGIC_OFFSET, RecordBatch.MAGIC_V2);
        for (int partition = 0; partition < PARTITIONS; partition++)
        {
            writer.writeInt32(partition);
            writer.writeCompactBytes(batch, 0, BATCH_BYTES);
            writer.writeEmptyTaggedFields();
        }
        writer.writeEmptyTaggedFields();
        writer.writeEmptyTaggedFields();
        if (writer.hasError())
        {
            throw new IllegalStateException(WireError.name(writer.errorCode()));
        }
        Frame.size(buffer, 0, writer.position() - Frame.SIZE_FIELD_LENGTH);
        return writer.position();
    }
}
