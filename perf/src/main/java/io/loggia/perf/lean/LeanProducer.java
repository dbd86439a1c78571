package io.loggia.perf.lean;

import io.loggia.codec.record.BatchBuilder;
import io.loggia.codec.record.CompressionCodec;
import io.loggia.codec.wire.ApiKeys;
import io.loggia.codec.wire.WireReader;
import io.loggia.codec.wire.WireWriter;
import io.loggia.perf.DeadlineWaiter;
import io.loggia.perf.IdleMode;
import io.loggia.perf.LatencyMetrics;
import io.loggia.perf.LoadProducer;
import io.loggia.perf.MeasurementWindow;
import io.loggia.perf.PacedLoop;
import io.loggia.perf.PayloadFlyweight;
import io.loggia.perf.RunClock;
import io.loggia.perf.SendSchedule;
import io.loggia.perf.TopicLayout;
import io.loggia.perf.Workload;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A producer without the Kafka client: builds RecordBatches with Loggia's {@link BatchBuilder}, frames Produce
 * requests with {@link LeanProtocol} and writes them on one blocking connection, up to five requests in flight,
 * while a second thread reads the responses and records the publish latencies. It exists to load a broker harder
 * than the Kafka client can on a small machine: its send path allocates nothing and does no more than fill a
 * batch.
 * <p>
 * Behaviour follows the client's where it matters for comparisons: records join the open batch; the batch is sent
 * when it is full ({@code batch.size}), or when it is older than {@code linger.ms} and a request slot is free;
 * with all five slots busy, records keep joining the batch, and a full batch blocks {@code send} until a slot frees
 * (as a full buffer blocks the client's). Partitions take turns batch by batch, as the client's sticky partitioner
 * does without keys. What it does not do: keys, idempotence or transactions (acks=all is sent without a producer
 * id), retries (a failed batch counts as send errors), or more than one broker (every partition of the topic must
 * have the same leader). Record timestamps are the wall-clock milliseconds of each append.
 * <p>
 * <b>Assumptions and Guarantees.</b> {@link #run()}, {@link #send(long, long)} and
 * {@link #awaitDeadline(NanoClock, long)} run on the producer's thread, which owns the batch, the request buffer
 * and the writing side of the connection. The response thread it starts owns the reading side and the read
 * buffers; the two share only {@link InFlightBatches} (see its memory order), the latency recorders and the
 * atomic counters. The main thread reads counters and calls {@link #stop()}.
 */
public final class LeanProducer implements LoadProducer, PacedLoop.Sender, DeadlineWaiter
{
    /** Requests awaiting a response at most, the Kafka client's default. */
    public static final int MAX_IN_FLIGHT = 5;

    private static final int REQUEST_TIMEOUT_MS = 30_000;
    private static final long SLOT_POLL_NS = TimeUnit.MICROSECONDS.toNanos(20);
    private static final long DRAIN_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);
    /** Most bytes a record adds beyond its value with no key or headers: length, attributes and three varints. */
    private static final int RECORD_OVERHEAD = 32;
    private static final byte[] CLIENT_ID = "loggia-perf-lean".getBytes(StandardCharsets.UTF_8);

    private final int index;
    private final TopicLayout topic;
    private final UnsafeBuffer topicName;
    private final RunClock clock;
    private final MeasurementWindow window;
    private final LatencyMetrics metrics;
    private final IdleMode idle;
    private final PacedLoop loop;
    private final int acks;
    private final int codec;
    private final int batchSize;
    private final long lingerNs;
    private final byte[] value;
    private final PayloadFlyweight payload = new PayloadFlyweight();
    private final BatchBuilder builder = new BatchBuilder();
    private final UnsafeBuffer batchBuffer;
    private final ByteBuffer requestBytes;
    private final UnsafeBuffer requestBuffer;
    private final WireWriter writer = new WireWriter();
    private final WireReader responseReader = new WireReader();
    private final UnsafeBuffer responseView = new UnsafeBuffer(0, 0);
    private final InFlightBatches inFlight;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile String firstError;
    private volatile boolean readerFailed;
    private volatile boolean closing;
    private volatile boolean done;
    private long doneNs;
    private LeanConnection connection;
    private int produceVersion;
    private int correlationId;
    private int partition;
    private long sequence;
    private int batchRecords;
    private long batchStartNs;

    /**
     * @param index       global producer index, written into every payload.
     * @param runId       the run's id, written into every payload.
     * @param topic       the topic, its id and its leader.
     * @param workload    message size, acks, batch.size, linger.ms, compression.
     * @param clock       the run clock.
     * @param window      the measurement window.
     * @param metrics     where latencies go.
     * @param idle        how to wait between sends.
     * @param schedule    fixed-rate schedule, or null for max rate.
     * @param endNs       no message is due at or after this time.
     * @param maxMessages stop after this many messages.
     * @param seed        seed for the filler bytes.
     */
    public LeanProducer(
        final int index,
        final int runId,
        final TopicLayout topic,
        final Workload workload,
        final RunClock clock,
        final MeasurementWindow window,
        final LatencyMetrics metrics,
        final IdleMode idle,
        final SendSchedule schedule,
        final long endNs,
        final long maxMessages,
        final long seed)
    {
        this.index = index;
        this.topic = topic;
        this.topicName = new UnsafeBuffer(topic.name().getBytes(StandardCharsets.UTF_8));
        this.clock = clock;
        this.window = window;
        this.metrics = metrics;
        this.idle = idle;
        this.loop = new PacedLoop(clock, this, schedule, endNs, maxMessages);
        this.acks = "all".equals(workload.acks()) ? -1 : Integer.parseInt(workload.acks());
        this.codec = codec(workload.compression());
        this.batchSize = workload.batchSize();
        this.lingerNs = TimeUnit.MILLISECONDS.toNanos(workload.lingerMs());
        this.value = new byte[workload.messageSize()];
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = PayloadFlyweight.HEADER_LENGTH; i < value.length; i++)
        {
            value[i] = (byte)random.nextInt(256);
        }
        payload.wrap(value).runId(runId).producerIndex(index);
        final int maxRecords = Math.max(1, batchSize / (value.length + 1)) + 1;
        // Room for a batch that reached batch.size plus one record, and for compression that does not shrink.
        final int batchCapacity = batchSize + value.length + RECORD_OVERHEAD + batchSize / 8 + 1024;
        this.batchBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(batchCapacity));
        this.requestBytes = ByteBuffer.allocateDirect(batchCapacity + 256 + topicName.capacity());
        this.requestBuffer = new UnsafeBuffer(requestBytes);
        this.inFlight = new InFlightBatches(MAX_IN_FLIGHT, maxRecords);
    }

    public void run()
    {
        Thread responses = null;
        try
        {
            connection = LeanConnection.open(topic.leaderHost(), topic.leaderPort());
            produceVersion = negotiateProduceVersion();
            if (acks != 0)
            {
                responses = new Thread(this::readResponses, "perf-lean-responses-" + index);
                responses.setDaemon(true);
                responses.start();
            }
            loop.run(this);
            if (batchRecords > 0)
            {
                flushWhenSlotFree();
            }
            final long deadlineNs = clock.nanoTime() + DRAIN_TIMEOUT_NS;
            while (inFlight.inFlight() > 0 && !readerFailed && clock.nanoTime() < deadlineNs)
            {
                LockSupport.parkNanos(SLOT_POLL_NS);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            onError(ex.getClass().getSimpleName() + ": " + ex.getMessage(), 0);
        }
        finally
        {
            closing = true;
            closeConnection();
            join(responses);
            builder.close();
            doneNs = clock.nanoTime();
            // The volatile write publishes doneNs to a reader that has seen done() return true.
            done = true;
        }
    }

    public void send(final long intendedNs, final long sendNs)
    {
        if (batchRecords > 0 && builder.uncompressedSizeInBytes() + value.length + RECORD_OVERHEAD > batchSize)
        {
            flushWhenSlotFree();
        }
        if (batchRecords == 0)
        {
            builder.wrap(batchBuffer, 0).compression(codec);
            batchStartNs = sendNs;
        }
        payload.sequence(sequence).intendedSendTimeNs(intendedNs).sendTimeNs(sendNs);
        sequence++;
        builder.append(System.currentTimeMillis(), null, value);
        final int slot = inFlight.writeSlot();
        inFlight.intendedNs(slot)[batchRecords] = intendedNs;
        inFlight.sendNs(slot)[batchRecords] = sendNs;
        batchRecords++;
        sent.setRelease(sent.getPlain() + 1);
        metrics.sendDelay.recordNanos(sendNs - intendedNs, window.contains(intendedNs));
        if (clock.nanoTime() - batchStartNs >= lingerNs && inFlight.inFlight() < MAX_IN_FLIGHT)
        {
            flush();
        }
    }

    /**
     * Wait for the next intended send time, sending the open batch meanwhile once its linger time is up and a
     * request slot is free.
     */
    public void awaitDeadline(final NanoClock clock, final long deadlineNs)
    {
        long nowNs;
        while ((nowNs = clock.nanoTime()) < deadlineNs)
        {
            if (readerFailed)
            {
                throw new IllegalStateException("the response reader stopped: " + firstError);
            }
            long wakeNs = deadlineNs;
            if (batchRecords > 0)
            {
                final boolean slotFree = inFlight.inFlight() < MAX_IN_FLIGHT;
                if (slotFree && nowNs - batchStartNs >= lingerNs)
                {
                    flush();
                    continue;
                }
                wakeNs = Math.min(wakeNs, slotFree ? batchStartNs + lingerNs : nowNs + SLOT_POLL_NS);
            }
            idle.awaitDeadline(clock, wakeNs);
        }
    }

    public void stop()
    {
        loop.stop();
    }

    public int index()
    {
        return index;
    }

    public String topic()
    {
        return topic.name();
    }

    public long sent()
    {
        return sent.getAcquire();
    }

    public long acked()
    {
        return acked.get();
    }

    public long errors()
    {
        return errors.get();
    }

    public String firstError()
    {
        return firstError;
    }

    public boolean done()
    {
        return done;
    }

    public long doneNs()
    {
        return doneNs;
    }

    /** @return the Produce version in use, once connected. */
    public int produceVersion()
    {
        return produceVersion;
    }

    /**
     * @param compression a {@code compression.type} name.
     * @return its codec id.
     */
    static int codec(final String compression)
    {
        for (int codec = CompressionCodec.NONE; codec <= CompressionCodec.ZSTD; codec++)
        {
            if (CompressionCodec.name(codec).equals(compression))
            {
                return codec;
            }
        }
        throw new IllegalArgumentException("unknown compression " + compression);
    }

    private int negotiateProduceVersion() throws IOException
    {
        writer.wrap(requestBuffer, 0);
        final int length = LeanProtocol.apiVersionsRequest(writer, ++correlationId, CLIENT_ID);
        requestBytes.clear().limit(length);
        connection.write(requestBytes);
        final ByteBuffer frame = connection.readFrame();
        responseView.wrap(frame, 0, frame.limit());
        responseReader.wrap(responseView, 0, frame.limit());
        final int max = LeanProtocol.maxVersion(responseReader, ApiKeys.PRODUCE);
        if (max < LeanProtocol.MIN_PRODUCE_VERSION)
        {
            throw new IllegalStateException("the broker's Produce versions end at " + max + "; the lean producer needs " +
                LeanProtocol.MIN_PRODUCE_VERSION + " or later");
        }
        final int version = Math.min(max, LeanProtocol.MAX_PRODUCE_VERSION);
        // v13 names topics by id; a broker that gave the topic no id is spoken to by name.
        return version == LeanProtocol.MAX_PRODUCE_VERSION && !topic.hasId() ? version - 1 : version;
    }

    private void flushWhenSlotFree()
    {
        while (inFlight.inFlight() >= MAX_IN_FLIGHT)
        {
            if (readerFailed)
            {
                throw new IllegalStateException("the response reader stopped: " + firstError);
            }
            LockSupport.parkNanos(SLOT_POLL_NS);
        }
        flush();
    }

    private void flush()
    {
        final int batchLength = builder.build();
        final int count = batchRecords;
        final int slot = inFlight.writeSlot();
        final int id = ++correlationId;
        writer.wrap(requestBuffer, 0);
        final int length = LeanProtocol.produceRequest(writer, id, CLIENT_ID, produceVersion, acks, REQUEST_TIMEOUT_MS,
            topic, topicName, partition, batchBuffer, 0, batchLength);
        if (length < 0)
        {
            throw new IllegalStateException("a Produce request did not fit its buffer");
        }
        partition = partition + 1 == topic.partitions() ? 0 : partition + 1;
        batchRecords = 0;
        if (acks != 0)
        {
            // Published before the write: the response can only come after the request.
            inFlight.publish(id, count);
        }
        requestBytes.clear().limit(length);
        try
        {
            connection.write(requestBytes);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("writing a Produce request: " + ex.getMessage(), ex);
        }
        if (acks == 0)
        {
            onAnswered(inFlight.intendedNs(slot), inFlight.sendNs(slot), count, 0, clock.nanoTime());
        }
    }

    private void readResponses()
    {
        try
        {
            while (true)
            {
                final ByteBuffer frame = connection.readFrame();
                final long nowNs = clock.nanoTime();
                responseView.wrap(frame, 0, frame.limit());
                responseReader.wrap(responseView, 0, frame.limit());
                final int id = responseReader.readInt32();
                responseReader.skipTaggedFields();
                final int errorCode = LeanProtocol.produceResponseError(responseReader, produceVersion);
                if (!inFlight.hasPublished() || inFlight.correlationId(inFlight.readSlot()) != id)
                {
                    throw new IOException("response " + id + " answers no request in flight");
                }
                final int slot = inFlight.readSlot();
                onAnswered(inFlight.intendedNs(slot), inFlight.sendNs(slot), inFlight.count(slot), errorCode, nowNs);
                inFlight.complete();
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            if (!closing)
            {
                onError("responses: " + ex.getMessage(), 0);
                readerFailed = true;
            }
        }
    }

    private void onAnswered(
        final long[] intendedNs, final long[] sendNs, final int count, final int errorCode, final long nowNs)
    {
        if (errorCode != 0)
        {
            onError(errorCode == LeanProtocol.MALFORMED ? "malformed Produce response" :
                "Produce error code " + errorCode, count);
            return;
        }
        for (int i = 0; i < count; i++)
        {
            final boolean measured = window.contains(intendedNs[i]);
            metrics.publish.recordNanos(nowNs - intendedNs[i], measured);
            metrics.publishUncorrected.recordNanos(nowNs - sendNs[i], measured);
        }
        acked.addAndGet(count);
    }

    private void onError(final String message, final int count)
    {
        errors.addAndGet(count);
        if (null == firstError)
        {
            firstError = message;
        }
    }

    private void closeConnection()
    {
        if (null != connection)
        {
            try
            {
                connection.close();
            }
            catch (final IOException ex)
            {
                onError("close: " + ex.getMessage(), 0);
            }
        }
    }

    private static void join(final Thread thread)
    {
        if (null == thread)
        {
            return;
        }
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
