package io.loggia.perf;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One producer: a Kafka client and the thread that runs its {@link PacedLoop}. Each message gets the payload
 * header ({@link PayloadFlyweight}) and a key per the workload; its acknowledgement records the publish latencies.
 * <p>
 * The value and key arrays are reused: {@code KafkaProducer.send} serializes and copies them into its batch before
 * it returns. The {@link ProducerRecord} and callback are allocated per message, as the client requires.
 * <p>
 * <b>Assumptions and Guarantees.</b> {@link #run()} and {@link #send(long, long)} run on the worker's thread.
 * Acknowledgement callbacks run on the client's I/O thread, or on the worker's thread when {@code send} fails at
 * once, so the acknowledgement counters are atomics updated with read-modify-write. {@code sent} has the worker as
 * its only writer. The main thread reads the counters and calls {@link #stop()}.
 */
public final class ProducerWorker implements LoadProducer, PacedLoop.Sender
{
    private final int index;
    private final String topic;
    private final Producer<byte[], byte[]> producer;
    private final PacedLoop loop;
    private final RunClock clock;
    private final MeasurementWindow window;
    private final LatencyMetrics metrics;
    private final KeyDistribution keyDistribution;
    private final byte[] value;
    private final byte[] key = new byte[KeyDistribution.KEY_LENGTH];
    private final UnsafeBuffer keyBuffer = new UnsafeBuffer(key);
    private final PayloadFlyweight payload = new PayloadFlyweight();
    private final SplittableRandom random;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile String firstError;
    private long doneNs;
    private volatile boolean done;
    private long sequence;

    /**
     * @param index    global producer index, written into every payload.
     * @param runId    the run's id, written into every payload.
     * @param topic    the topic this producer writes.
     * @param producer the client; closed by the caller.
     * @param loop     the send loop.
     * @param workload message size and key distribution.
     * @param clock    the run clock.
     * @param window   the measurement window.
     * @param metrics  where latencies go.
     * @param seed     seed for the filler bytes and random keys.
     */
    public ProducerWorker(
        final int index,
        final int runId,
        final String topic,
        final Producer<byte[], byte[]> producer,
        final PacedLoop loop,
        final Workload workload,
        final RunClock clock,
        final MeasurementWindow window,
        final LatencyMetrics metrics,
        final long seed)
    {
        this.index = index;
        this.topic = topic;
        this.producer = producer;
        this.loop = loop;
        this.clock = clock;
        this.window = window;
        this.metrics = metrics;
        this.keyDistribution = workload.keyDistribution();
        this.random = new SplittableRandom(seed);
        this.value = new byte[workload.messageSize()];
        // Random filler: compression then reflects a payload that does not compress, as OMB's random payloads do.
        for (int i = PayloadFlyweight.HEADER_LENGTH; i < value.length; i++)
        {
            value[i] = (byte)random.nextInt(256);
        }
        payload.wrap(value).runId(runId).producerIndex(index);
    }

    public void run()
    {
        try
        {
            loop.run(this);
            producer.flush();
        }
        catch (final RuntimeException ex)
        {
            onError(ex);
        }
        finally
        {
            doneNs = clock.nanoTime();
            // The volatile write publishes doneNs to a reader that has seen done() return true.
            done = true;
        }
    }

    public void send(final long intendedNs, final long sendNs)
    {
        payload.sequence(sequence).intendedSendTimeNs(intendedNs).sendTimeNs(sendNs);
        sequence++;
        final byte[] recordKey = nextKey();
        final boolean measured = window.contains(intendedNs);
        metrics.sendDelay.recordNanos(sendNs - intendedNs, measured);
        // Counted before send(): a callback on this thread (immediate failure) must find the message counted.
        sent.setRelease(sent.getPlain() + 1);
        producer.send(new ProducerRecord<>(topic, recordKey, value), new Ack(this, intendedNs, sendNs, measured));
    }

    /** Make the loop stop before its next message; {@link #run()} then flushes and returns. */
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
        return topic;
    }

    /** @return messages handed to {@code send()}. */
    public long sent()
    {
        return sent.getAcquire();
    }

    /** @return messages the broker acknowledged (for acks=0: the client wrote them). */
    public long acked()
    {
        return acked.get();
    }

    /** @return messages whose send failed. */
    public long errors()
    {
        return errors.get();
    }

    /** @return the first send failure, or null. */
    public String firstError()
    {
        return firstError;
    }

    /** @return run clock time the last message was acknowledged and flushed; valid once {@link #done()}. */
    public long doneNs()
    {
        return doneNs;
    }

    /** @return true once {@link #run()} has returned. */
    public boolean done()
    {
        return done;
    }

    private byte[] nextKey()
    {
        switch (keyDistribution)
        {
            case RANDOM:
                keyBuffer.putLong(0, random.nextLong());
                return key;
            case ROUND_ROBIN:
                keyBuffer.putLong(0, sequence % KeyDistribution.ROUND_ROBIN_KEYS);
                return key;
            default:
                return null;
        }
    }

    private void onAck(final long intendedNs, final long sendNs, final boolean measured)
    {
        final long nowNs = clock.nanoTime();
        metrics.publish.recordNanos(nowNs - intendedNs, measured);
        metrics.publishUncorrected.recordNanos(nowNs - sendNs, measured);
        acked.incrementAndGet();
    }

    private void onError(final Exception ex)
    {
        errors.incrementAndGet();
        if (null == firstError)
        {
            firstError = ex.getClass().getSimpleName() + ": " + ex.getMessage();
        }
    }

    private static final class Ack implements Callback
    {
        private final ProducerWorker worker;
        private final long intendedNs;
        private final long sendNs;
        private final boolean measured;

        Ack(final ProducerWorker worker, final long intendedNs, final long sendNs, final boolean measured)
        {
            this.worker = worker;
            this.intendedNs = intendedNs;
            this.sendNs = sendNs;
            this.measured = measured;
        }

        public void onCompletion(final RecordMetadata metadata, final Exception exception)
        {
            if (null == exception)
            {
                worker.onAck(intendedNs, sendNs, measured);
            }
            else
            {
                worker.onError(exception);
            }
        }
    }
}
