package io.loggia.perf.jmh;

import io.loggia.codec.wire.ProduceResponseEncoder;
import io.loggia.engine.Engine;
import io.loggia.engine.EngineConfig;
import io.loggia.engine.EngineThreads;
import io.loggia.engine.log.LogConfig;
import io.loggia.engine.log.LogConfigParser;
import io.loggia.engine.partition.Partition;
import io.loggia.engine.writer.Caller;
import io.loggia.engine.writer.KafkaErrors;
import io.loggia.net.broker.data.ProduceHandler;
import io.loggia.net.broker.data.ProduceRequestState;
import io.loggia.net.broker.data.ProduceResponder;
import io.loggia.net.broker.data.ProduceResponses;
import io.loggia.net.broker.data.TopicLookup;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The broker's produce path without sockets: the benchmark thread plays the network thread and hands a
 * Produce v13 request (one topic by id, 8 partitions, one 16 KiB batch of 1 KiB records each) to
 * {@link ProduceHandler}, which decodes it with the flyweight, validates every batch (CRC-32C included), offers
 * each into the append ring of a {@code PartitionWriter} on its own thread and wakes it once; the benchmark
 * thread then runs the handler's duty cycle until the 8 completions arrived and the response frame is encoded.
 * One operation is one request answered: 128 KiB appended, a hand-off to the writer and back.
 * <p>
 * The segments (256 MiB each) are written once so their pages are resident, and truncated back before each
 * iteration (one second holds less than a segment). {@code bytes} counts batch bytes acknowledged (per second).
 * Run with {@code -prof gc}: the allocation rate covers every thread, the writer's included, and the iteration
 * set-up: the eight truncations (commands to the writer, about 1.4 KB each) are the few bytes per operation that
 * remain.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 10, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {
    "-Xmx1g", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED" })
@State(Scope.Thread)
public class ProducePathBenchmark
{
    static final int PARTITIONS = 8;
    static final int SEGMENT_BYTES = 256 * 1024 * 1024;
    static final int VERSION = 13;
    static final long WAIT_NS = TimeUnit.SECONDS.toNanos(60);

    @Param({"1", "-1"})
    public short acks;

    private Path logDir;
    private Engine engine;
    private EngineThreads threads;
    private final Partition[] partitions = new Partition[PARTITIONS];
    private ProduceHandler handler;
    private UnsafeBuffer request;
    private int requestLength;
    private int batchBytes;
    private long requestId;
    private final UnsafeBuffer response = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
    private final ProduceResponseEncoder encoder = new ProduceResponseEncoder();
    private final Responder responder = new Responder();

    /** Batch bytes acknowledged, reported per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Bytes
    {
        public long bytes;

        @Setup(Level.Iteration)
        public void reset()
        {
            bytes = 0;
        }
    }

    final class Responder implements ProduceResponder
    {
        long answered;
        int frameLength;

        public void respond(final ProduceRequestState state)
        {
            for (int p = 0; p < state.partitionCount(); p++)
            {
                if (KafkaErrors.NONE != state.errorCode(p))
                {
                    throw new IllegalStateException("partition " + p + ": " + KafkaErrors.name(state.errorCode(p)));
                }
            }
            frameLength = ProduceResponses.encode(state, encoder, response, 0, response.capacity());
            answered++;
        }

        public void completeWithoutResponse(final ProduceRequestState state)
        {
            answered++;
        }
    }

    /** One topic of {@link #PARTITIONS} partitions, found by id without allocating. */
    static final class OneTopic implements TopicLookup
    {
        final UUID id;
        final Partition[] partitions;

        OneTopic(final UUID id, final Partition[] partitions)
        {
            this.id = id;
            this.partitions = partitions;
        }

        public Partition partition(final DirectBuffer name, final int offset, final int length, final int index)
        {
            return null;
        }

        public Partition partition(final long msb, final long lsb, final int index)
        {
            return msb == id.getMostSignificantBits() && lsb == id.getLeastSignificantBits() &&
                index >= 0 && index < partitions.length ? partitions[index] : null;
        }

        public int partitionCount(final DirectBuffer name, final int offset, final int length)
        {
            return UNKNOWN_TOPIC;
        }

        public int partitionCount(final long msb, final long lsb)
        {
            return null == partition(msb, lsb, 0) ? UNKNOWN_TOPIC : partitions.length;
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception
    {
        logDir = Files.createTempDirectory("produce-path-bench");
        engine = AppendPathBenchmark.openEngine(logDir, new EngineConfig());
        threads = EngineThreads.start(engine, Throwable::printStackTrace);
        AppendPathBenchmark.awaitNative(engine);
        final UUID id = UUID.randomUUID();
        final LogConfig config = LogConfigParser.parseTopic(
            Map.of(LogConfig.SEGMENT_BYTES, Integer.toString(SEGMENT_BYTES)), LogConfig.DEFAULTS).config();
        for (int i = 0; i < PARTITIONS; i++)
        {
            partitions[i] = engine.createPartition("bench", id, i, config).partition();
        }
        final Caller caller = engine.registerCaller(() -> {});
        handler = new ProduceHandler(new OneTopic(id, partitions), caller, responder);

        final UnsafeBuffer batch = new UnsafeBuffer(ByteBuffer.allocateDirect(2 * AppendPathBenchmark.BATCH_BYTES));
        batchBytes = AppendPathBenchmark.buildBatch(batch, 1024);
        final byte[] batchCopy = new byte[batchBytes];
        batch.getBytes(0, batchCopy);
        request = new UnsafeBuffer(ByteBuffer.allocateDirect(PARTITIONS * (batchBytes + 64) + 256));
        requestLength = encodeRequest(id, batchCopy, request);

        // one pass over the segments makes every page resident
        final long fill = SEGMENT_BYTES - 256L * AppendPathBenchmark.BATCH_BYTES;
        while (partitions[PARTITIONS - 1].log().activeSegment().size() < fill)
        {
            produce();
        }
    }

    @Setup(Level.Iteration)
    public void rewind()
    {
        for (final Partition partition : partitions)
        {
            AppendPathBenchmark.truncate(engine, partition, 0);
        }
    }

    /**
     * With {@code -Djvm.prof.threads=true} (pass it through {@code -jvmArgsAppend}), each iteration prints the bytes
     * every thread allocated in it, to say which thread the {@code -prof gc} figure comes from; off by default, as
     * the report allocates.
     */
    @Setup(Level.Iteration)
    public void startThreadCount()
    {
        if (THREAD_REPORT)
        {
            threadBytes.snapshot();
        }
    }

    @TearDown(Level.Iteration)
    public void printThreadCount()
    {
        if (THREAD_REPORT)
        {
            threadBytes.print(System.out);
        }
    }

    private static final boolean THREAD_REPORT = Boolean.getBoolean("jvm.prof.threads");
    private final ThreadAllocations threadBytes = new ThreadAllocations();

    /**
     * The engine's close (flushing every segment) and the file deletions would allocate inside the last
     * measured iteration, where {@code -prof gc} counts them; the forked JVM does them on its way out instead.
     */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            threads.close();
            try
            {
                AppendPathBenchmark.deleteRecursively(logDir);
            }
            catch (final IOException ex)
            {
                ex.printStackTrace();
            }
        }));
    }

    @Benchmark
    public int produce(final Bytes bytes)
    {
        produce();
        bytes.bytes += (long)PARTITIONS * batchBytes;
        return responder.frameLength;
    }

    private void produce()
    {
        final long answered = responder.answered;
        long nowNs = System.nanoTime();
        if (ProduceHandler.ACCEPTED != handler.onRequest(request, 0, requestLength, VERSION, 1, ++requestId, 1, nowNs))
        {
            throw new IllegalStateException("request refused");
        }
        final long deadline = nowNs + WAIT_NS;
        while (responder.answered == answered)
        {
            nowNs = System.nanoTime();
            handler.doWork(nowNs);
            if (nowNs - deadline > 0)
            {
                throw new IllegalStateException("no answer");
            }
        }
    }

    private int encodeRequest(final UUID id, final byte[] batch, final UnsafeBuffer into)
    {
        final ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData()
            .setTopicId(new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits()));
        for (int i = 0; i < PARTITIONS; i++)
        {
            topic.partitionData().add(new ProduceRequestData.PartitionProduceData()
                .setIndex(i)
                .setRecords(MemoryRecords.readableRecords(ByteBuffer.wrap(batch))));
        }
        final ProduceRequestData.TopicProduceDataCollection topics =
            new ProduceRequestData.TopicProduceDataCollection();
        topics.add(topic);
        final ProduceRequestData data = new ProduceRequestData().setAcks(acks).setTimeoutMs(30_000)
            .setTopicData(topics);
        final ObjectSerializationCache cache = new ObjectSerializationCache();
        final int size = data.size(cache, (short)VERSION);
        final ByteBuffer body = ByteBuffer.allocate(size);
        data.write(new ByteBufferAccessor(body), cache, (short)VERSION);
        into.putBytes(0, body.array(), 0, size);
        return size;
    }
}
