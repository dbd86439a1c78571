package io.loggia.perf.lean;

import io.loggia.codec.wire.WireWriter;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One drain connection: sends a Fetch for its unfinished partitions, reads the whole response off the socket
 * ({@link FetchResponseStream}), moves the partitions forward and fetches again, one request in flight, until
 * every partition reached its end offset. Its loop allocates nothing.
 * <p>
 * The socket's receive buffer is left to the kernel's autotuning: a fixed SO_RCVBUF would cap the TCP window.
 * <p>
 * <b>Assumptions and Guarantees.</b> {@link #run()} runs on one drain thread per drain; the main thread resets
 * it ({@link #reset()}) before starting that thread and reads its counters after joining it, so Thread.start
 * and Thread.join order every field; nothing is shared while the thread runs, except that any thread may call
 * {@link #stop()} (a volatile flag, then a close of the channel).
 */
public final class DrainWorker implements Runnable, AutoCloseable
{
    private static final byte[] CLIENT_ID = "loggia-perf-drain".getBytes(StandardCharsets.UTF_8);
    private static final int REQUEST_OVERHEAD = 128;
    private static final int PARTITION_REQUEST_LENGTH = 37;
    private static final long STALL_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);

    private final DrainTopic topic;
    private final DrainPartitions partitions;
    private final int fetchVersion;
    private final int maxWaitMs;
    private final int maxBytes;
    private final int partitionMaxBytes;
    private final boolean follow;
    private final SocketChannel channel;
    private final FetchResponseStream stream;
    private final ByteBuffer requestBytes;
    private final UnsafeBuffer requestBuffer;
    private final WireWriter writer = new WireWriter();
    private int correlationId;
    private long fetches;
    private long frameBytes;
    private long recordBytes;
    private long wholeBatchBytes;
    private long partialBytes;
    private String failure;
    private volatile boolean running = true;

    /**
     * @param host              broker host.
     * @param port              broker port.
     * @param topic             the topic, with ids and offsets.
     * @param slots             the topic slots this connection reads.
     * @param fetchVersion      12 or 13.
     * @param options           limits and the read window size.
     * @throws IOException when the connection fails.
     */
    public DrainWorker(
        final String host,
        final int port,
        final DrainTopic topic,
        final int[] slots,
        final int fetchVersion,
        final DrainOptions options) throws IOException
    {
        this(host, port, topic, slots, fetchVersion, options, false);
    }

    /**
     * @param follow true: fetch on from the earliest offsets without end until {@link #stop()}, as a consumer
     *               following the log's tail does; no progress is then no failure.
     */
    public DrainWorker(
        final String host,
        final int port,
        final DrainTopic topic,
        final int[] slots,
        final int fetchVersion,
        final DrainOptions options,
        final boolean follow) throws IOException
    {
        this.topic = topic;
        this.follow = follow;
        this.partitions = new DrainPartitions(topic, slots, follow);
        this.fetchVersion = fetchVersion;
        this.maxWaitMs = options.maxWaitMs();
        this.maxBytes = options.maxBytes();
        this.partitionMaxBytes = options.partitionMaxBytes();
        this.requestBytes = ByteBuffer.allocateDirect(
            REQUEST_OVERHEAD + topic.nameBuffer().capacity() + slots.length * PARTITION_REQUEST_LENGTH);
        this.requestBuffer = new UnsafeBuffer(requestBytes);
        this.channel = SocketChannel.open();
        try
        {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.connect(new InetSocketAddress(host, port));
            channel.configureBlocking(true);
        }
        catch (final IOException ex)
        {
            channel.close();
            throw ex;
        }
        this.stream = new FetchResponseStream(channel, options.readBufferBytes());
    }

    /** Hand every record value of the responses to {@code visitor}; call before {@link #run()}. */
    public void visitor(final RecordVisitor visitor)
    {
        stream.visitor(visitor);
    }

    /** Any thread: make {@link #run()} return; the connection is closed, which ends a blocked read. */
    public void stop()
    {
        running = false;
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // closing is all that is wanted
        }
    }

    /** Start over from the earliest offsets with zeroed counters. */
    public void reset()
    {
        partitions.reset();
        fetches = 0;
        frameBytes = 0;
        recordBytes = 0;
        wholeBatchBytes = 0;
        partialBytes = 0;
        failure = null;
    }

    public void run()
    {
        try
        {
            long lastProgressNs = System.nanoTime();
            while (running && partitions.pending() > 0)
            {
                final int length = DrainProtocol.fetchRequest(writer.wrap(requestBuffer, 0), ++correlationId,
                    CLIENT_ID, fetchVersion, topic, maxWaitMs, maxBytes, partitionMaxBytes, partitions);
                if (length < 0)
                {
                    failure = "the Fetch request does not fit its buffer";
                    return;
                }
                requestBytes.limit(length).position(0);
                while (requestBytes.hasRemaining())
                {
                    channel.write(requestBytes);
                }
                final int result = stream.read(correlationId, fetchVersion, partitions);
                fetches++;
                frameBytes += stream.frameBytes();
                recordBytes += stream.recordBytes();
                wholeBatchBytes += stream.wholeBatchBytes();
                partialBytes += stream.partialBytes();
                if (result != FetchResponseStream.OK)
                {
                    failure = result == FetchResponseStream.MALFORMED ? "malformed Fetch response" :
                        "Fetch error " + result + (stream.errorPartition() >= 0 ?
                        " on partition " + stream.errorPartition() : "");
                    return;
                }
                final long nowNs = System.nanoTime();
                if (stream.advanced() > 0 || follow)
                {
                    lastProgressNs = nowNs;
                }
                else if (nowNs - lastProgressNs > STALL_TIMEOUT_NS)
                {
                    failure = "no progress for 30 s with " + partitions.pending() + " partition(s) unfinished";
                    return;
                }
            }
        }
        catch (final IOException ex)
        {
            if (running)
            {
                failure = ex.getClass().getSimpleName() + ": " + ex.getMessage();
            }
        }
    }

    /** @return null after a drain that finished, else what stopped it. */
    public String failure()
    {
        return failure;
    }

    public long fetches()
    {
        return fetches;
    }

    /** @return bytes of all response frames, size fields included. */
    public long frameBytes()
    {
        return frameBytes;
    }

    /** @return bytes of the records fields received: whole and partial batches. */
    public long recordBytes()
    {
        return recordBytes;
    }

    public long wholeBatchBytes()
    {
        return wholeBatchBytes;
    }

    public long partialBytes()
    {
        return partialBytes;
    }

    public void close() throws IOException
    {
        channel.close();
    }
}
