package io.loggia.perf.jmh;

import io.loggia.codec.wire.FetchResponseEncoder;
import io.loggia.engine.Engine;
import io.loggia.engine.EngineConfig;
import io.loggia.engine.EngineThreads;
import io.loggia.engine.log.LogConfig;
import io.loggia.engine.log.LogConfigParser;
import io.loggia.engine.partition.Partition;
import io.loggia.engine.writer.AppendProxy;
import io.loggia.engine.writer.Caller;
import io.loggia.engine.writer.KafkaErrors;
import io.loggia.net.broker.data.FetchHandler;
import io.loggia.net.broker.data.FetchRequestState;
import io.loggia.net.broker.data.FetchResponder;
import io.loggia.net.broker.data.FetchResponses;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
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
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The broker's fetch path without the transport: the benchmark thread plays the network thread and hands a
 * Fetch v18 request (one topic by id, 8 partitions, 64 KiB per partition, offsets spread over a warm 64 MiB log
 * per partition) to {@link FetchHandler}, which finds each partition's region with {@code PartitionLog.read}
 * (index lookup, header walk) and answers at once; the response's buffer part is encoded with
 * {@link FetchResponses}. With {@code transfer=true} each region then goes to a loopback socket with
 * {@code FileChannel.transferTo} (sendfile), drained by a reader thread, as the transport sends it.
 * <p>
 * The fetch offsets move through the log from one operation to the next, so each read does its own index
 * lookup. {@code bytes} counts record bytes served (per second). Run with {@code -prof gc}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 10, time = 1, timeUnit = TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {
    "-Xmx1g", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED" })
@State(Scope.Thread)
public class FetchPathBenchmark
{
    static final int PARTITIONS = 8;
    static final int LOG_BYTES = 64 * 1024 * 1024;
    static final int PARTITION_MAX_BYTES = 64 * 1024;
    static final int VERSION = 18;
    /** Distinct sets of fetch offsets the operations cycle through. */
    static final int OFFSET_SETS = 64;
    static final long WAIT_NS = TimeUnit.SECONDS.toNanos(60);

    @Param({"false", "true"})
    public boolean transfer;

    private Path logDir;
    private Engine engine;
    private EngineThreads threads;
    private final Partition[] partitions = new Partition[PARTITIONS];
    private FetchHandler handler;
    private final List<UnsafeBuffer> requests = new ArrayList<>();
    private final List<Integer> requestLengths = new ArrayList<>();
    private UnsafeBuffer[] requestArray;
    private int[] lengthArray;
    private int next;
    private long requestId;
    private final UnsafeBuffer response = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));
    private final FetchResponseEncoder encoder = new FetchResponseEncoder(PARTITIONS);
    private final Responder responder = new Responder();
    private ServerSocketChannel server;
    private SocketChannel sender;
    private Thread drainer;
    private volatile boolean running = true;

    /** Record bytes served, reported per second. */
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

    final class Responder implements FetchResponder
    {
        long answered;
        long recordBytes;
        int frameLength;

        public void respond(final FetchRequestState state)
        {
            frameLength = FetchResponses.encode(state, encoder, response, 0, response.capacity());
            if (frameLength < 0)
            {
                throw new IllegalStateException("encoding failed: " + frameLength);
            }
            recordBytes = state.bytes();
            for (int p = 0; p < state.partitionCount(); p++)
            {
                if (KafkaErrors.NONE != state.errorCode(p) || 0 == state.length(p))
                {
                    throw new IllegalStateException("partition " + p + ": error " + state.errorCode(p));
                }
                if (transfer)
                {
                    send(state.channel(p), state.filePosition(p), state.length(p));
                }
            }
            answered++;
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception
    {
        logDir = Files.createTempDirectory("fetch-path-bench");
        engine = AppendPathBenchmark.openEngine(logDir, new EngineConfig());
        threads = EngineThreads.start(engine, Throwable::printStackTrace);
        AppendPathBenchmark.awaitNative(engine);
        final UUID id = UUID.randomUUID();
        final LogConfig config = LogConfigParser.parseTopic(
            Map.of(LogConfig.SEGMENT_BYTES, Integer.toString(2 * LOG_BYTES)), LogConfig.DEFAULTS).config();
        for (int i = 0; i < PARTITIONS; i++)
        {
            partitions[i] = engine.createPartition("bench", id, i, config).partition();
        }
        final Caller caller = engine.registerCaller(() -> {});
        fill(caller);
        handler = new FetchHandler(new ProducePathBenchmark.OneTopic(id, partitions), caller, responder);

        final long highWatermark = partitions[0].log().highWatermark();
        for (int set = 0; set < OFFSET_SETS; set++)
        {
            final UnsafeBuffer request = new UnsafeBuffer(ByteBuffer.allocateDirect(1024));
            requestLengths.add(encodeRequest(id, highWatermark * set / OFFSET_SETS, request));
            requests.add(request);
        }
        requestArray = requests.toArray(new UnsafeBuffer[0]);
        lengthArray = requestLengths.stream().mapToInt(Integer::intValue).toArray();

        if (transfer)
        {
            openLoopback();
        }
    }

    /**
     * The engine's close and the file deletions would allocate inside the last measured iteration, where
     * {@code -prof gc} counts them; the forked JVM does them on its way out instead.
     */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            running = false;
            try
            {
                if (null != sender)
                {
                    sender.close();
                    drainer.join();
                    server.close();
                }
                threads.close();
                AppendPathBenchmark.deleteRecursively(logDir);
            }
            catch (final Exception ex)
            {
                ex.printStackTrace();
            }
        }));
    }

    @Benchmark
    public int fetch(final Bytes bytes)
    {
        final int set = next;
        next = (set + 1) % OFFSET_SETS;
        final long answered = responder.answered;
        final int result = handler.onRequest(
            requestArray[set], 0, lengthArray[set], VERSION, 1, ++requestId, 1, System.nanoTime());
        if (FetchHandler.ACCEPTED != result || responder.answered == answered)
        {
            throw new IllegalStateException("fetch not answered at once");
        }
        bytes.bytes += responder.recordBytes;
        return responder.frameLength;
    }

    private void fill(final Caller caller)
    {
        final UnsafeBuffer batch = new UnsafeBuffer(ByteBuffer.allocateDirect(2 * AppendPathBenchmark.BATCH_BYTES));
        final int batchSize = AppendPathBenchmark.buildBatch(batch, 1024);
        final AppendProxy proxy = caller.appendProxy();
        final int batches = LOG_BYTES / batchSize;
        for (int b = 0; b < batches; b++)
        {
            for (final Partition partition : partitions)
            {
                while (AppendProxy.OFFERED !=
                    proxy.offer(partition.writerIndex(), b, partition.id(), (short)0, batch, 0, batchSize))
                {
                    proxy.wakeWriters();
                    Thread.onSpinWait();
                }
            }
            proxy.wakeWriters();
        }
        final long deadline = System.nanoTime() + WAIT_NS;
        for (final Partition partition : partitions)
        {
            while (partition.log().activeSegment().size() < (long)batches * batchSize ||
                partition.log().highWatermark() < partition.log().logEndOffset())
            {
                if (System.nanoTime() - deadline > 0)
                {
                    throw new IllegalStateException("log not filled");
                }
                Thread.onSpinWait();
            }
        }
    }

    private int encodeRequest(final UUID id, final long offset, final UnsafeBuffer into)
    {
        final FetchRequestData.FetchTopic topic = new FetchRequestData.FetchTopic()
            .setTopicId(new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits()));
        for (int i = 0; i < PARTITIONS; i++)
        {
            topic.partitions().add(new FetchRequestData.FetchPartition()
                .setPartition(i)
                .setFetchOffset(offset)
                .setPartitionMaxBytes(PARTITION_MAX_BYTES));
        }
        final FetchRequestData data = new FetchRequestData()
            .setMaxWaitMs(500).setMinBytes(1).setMaxBytes(Integer.MAX_VALUE).setSessionEpoch(-1)
            .setTopics(List.of(topic));
        final ObjectSerializationCache cache = new ObjectSerializationCache();
        final int size = data.size(cache, (short)VERSION);
        final ByteBuffer body = ByteBuffer.allocate(size);
        data.write(new ByteBufferAccessor(body), cache, (short)VERSION);
        into.putBytes(0, body.array(), 0, size);
        return size;
    }

    private void openLoopback() throws IOException
    {
        server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        sender = SocketChannel.open(server.getLocalAddress());
        sender.setOption(StandardSocketOptions.TCP_NODELAY, true);
        final SocketChannel receiver = server.accept();
        drainer = new Thread(() ->
        {
            final ByteBuffer sink = ByteBuffer.allocateDirect(1 << 20);
            try (receiver)
            {
                while (running)
                {
                    sink.clear();
                    if (receiver.read(sink) < 0)
                    {
                        return;
                    }
                }
            }
            catch (final IOException ignored)
            {
                // the sender closed at tear-down
            }
        }, "fetch-bench-drain");
        drainer.setDaemon(true);
        drainer.start();
    }

    private void send(final FileChannel channel, final long position, final int length)
    {
        try
        {
            long sent = 0;
            while (sent < length)
            {
                sent += channel.transferTo(position + sent, length - sent, sender);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
