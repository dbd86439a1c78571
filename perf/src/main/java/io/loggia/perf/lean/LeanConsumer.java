package io.loggia.perf.lean;

import io.loggia.perf.CostTracker;
import io.loggia.perf.LoadConsumer;
import io.loggia.perf.PayloadFlyweight;
import io.loggia.perf.ReceivedRecords;
import io.loggia.perf.RunClock;
import io.loggia.perf.Subscription;
import org.agrona.DirectBuffer;

import java.io.IOException;

/**
 * The lean consumer on Loggia's codec: follows the tail of its share of a topic's partitions over one connection,
 * one Fetch in flight (min bytes 1, a long max wait, so the broker answers as soon as records arrive), and hands
 * every record's value to {@link ReceivedRecords}. No group: it reads partitions {@code index, index + count, ...}
 * from their earliest offsets, as a freshly assigned kafka-clients consumer with {@code auto.offset.reset=earliest}
 * does, and commits nothing. Its loop allocates nothing, which is why it exists: on two cores the Kafka consumer
 * takes most of a core at 10k-50k msg/s, and the end-to-end tail then measures the harness as much as the broker.
 * <p>
 * <b>Assumptions and Guarantees.</b> {@link #run()} and the visitor callbacks run on the consumer's thread; the
 * main thread reads the counts (release stores in {@link ReceivedRecords}) and calls {@link #stop()}.
 */
public final class LeanConsumer implements LoadConsumer, RecordVisitor
{
    private static final int MAX_BYTES = 1024 * 1024;
    private static final int MAX_WAIT_MS = 500;
    private static final int READ_WINDOW_BYTES = 1024 * 1024;

    private final String host;
    private final int port;
    private final Subscription subscription;
    private final int index;
    private final int count;
    private final RunClock clock;
    private final ReceivedRecords records;
    private final PayloadFlyweight payload = new PayloadFlyweight();
    private volatile DrainWorker worker;
    private volatile boolean running = true;
    private volatile String failure;
    private long frameNs;
    private boolean frameHadRecords;

    /**
     * @param host         broker host.
     * @param port         broker port.
     * @param subscription the subscription this consumer counts towards.
     * @param index        this consumer's index within the subscription.
     * @param count        consumers of the subscription; partitions are dealt round-robin.
     * @param clock        the run clock.
     * @param records      where what it receives is counted and measured.
     */
    public LeanConsumer(
        final String host,
        final int port,
        final Subscription subscription,
        final int index,
        final int count,
        final RunClock clock,
        final ReceivedRecords records)
    {
        this.host = host;
        this.port = port;
        this.subscription = subscription;
        this.index = index;
        this.count = count;
        this.clock = clock;
        this.records = records;
    }

    public void run()
    {
        int[] slots = new int[0];
        try
        {
            final DrainOptions options = new DrainOptions(host, port, subscription.topic(), MAX_BYTES, MAX_BYTES, 1,
                CostTracker.NO_PID, 1, MAX_WAIT_MS, READ_WINDOW_BYTES);
            final DrainTopic topic = new DrainTopic(subscription.topic());
            final int fetchVersion = LeanFetchDrain.describe(options, topic);
            slots = LeanFetchDrain.slotsOf(topic, index, count);
            final DrainWorker worker = new DrainWorker(host, port, topic, slots, fetchVersion, options, true);
            worker.visitor(this);
            this.worker = worker;
            if (!running)
            {
                worker.close();
                return;
            }
            subscription.onAssignmentChange(slots.length);
            worker.run();
            if (null != worker.failure() && running)
            {
                failure = worker.failure();
            }
            worker.close();
        }
        catch (final IOException | RuntimeException ex)
        {
            if (running)
            {
                failure = ex.getClass().getSimpleName() + ": " + ex.getMessage();
            }
        }
    }

    public void onFrame()
    {
        frameNs = clock.nanoTime();
        frameHadRecords = false;
    }

    public void onValue(final DirectBuffer buffer, final int offset, final int length)
    {
        frameHadRecords = true;
        records.onValue(length < 0 ? null : payload.wrap(buffer, offset, length), Math.max(0, length), frameNs);
    }

    public void onSkippedBatch(final int recordCount)
    {
        frameHadRecords = true;
        for (int i = 0; i < recordCount; i++)
        {
            records.onValue(null, 0, frameNs);
        }
    }

    public void onFrameEnd()
    {
        if (frameHadRecords)
        {
            subscription.onReceiveTime(frameNs);
        }
    }

    public ReceivedRecords records()
    {
        return records;
    }

    public String failure()
    {
        return failure;
    }

    public void stop()
    {
        running = false;
        final DrainWorker current = worker;
        if (null != current)
        {
            current.stop();
        }
    }

    public void closeUnstarted()
    {
        running = false;
    }
}
