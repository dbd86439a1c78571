package io.loggia.perf;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What one consumer received: record and byte counts, each record's place in its producer's sequence, and its
 * end-to-end latencies from the payload header. Shared by the Kafka consumer ({@link ConsumerWorker}) and the
 * lean one ({@code lean.LeanConsumer}) so both count and measure alike.
 * <p>
 * <b>Assumptions and Guarantees.</b> The consumer's thread is the only caller of {@link #onValue}; the counts are
 * published with release stores for the main thread.
 */
public final class ReceivedRecords
{
    private final Subscription subscription;
    private final int runId;
    private final MeasurementWindow window;
    private final LatencyMetrics metrics;
    private final boolean recordLatency;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong receivedBytes = new AtomicLong();

    /**
     * @param subscription  the group the consumer belongs to.
     * @param runId         the run's id; records carrying another are counted as foreign.
     * @param window        the measurement window.
     * @param metrics       where latencies go.
     * @param recordLatency false in a backlog drain, where the time since sending is the backlog's age.
     */
    public ReceivedRecords(
        final Subscription subscription,
        final int runId,
        final MeasurementWindow window,
        final LatencyMetrics metrics,
        final boolean recordLatency)
    {
        this.subscription = subscription;
        this.runId = runId;
        this.window = window;
        this.metrics = metrics;
        this.recordLatency = recordLatency;
    }

    /**
     * One record received.
     *
     * @param payload the flyweight wrapped over the record's value, or null for a null value (or one not read).
     * @param length  the value's length in bytes, 0 if null.
     * @param nowNs   run clock time the record became available to the application.
     */
    public void onValue(final PayloadFlyweight payload, final int length, final long nowNs)
    {
        received.setRelease(received.getPlain() + 1);
        receivedBytes.setRelease(receivedBytes.getPlain() + length);
        if (null == payload || !payload.hasHeader() || payload.runId() != runId)
        {
            subscription.onForeign();
            return;
        }
        final SequenceTracker tracker = subscription.tracker(payload.producerIndex());
        if (null == tracker || tracker.onReceive(payload.sequence()) == SequenceTracker.OUT_OF_RANGE)
        {
            subscription.onForeign();
            return;
        }
        if (recordLatency)
        {
            final long intendedNs = payload.intendedSendTimeNs();
            final boolean measured = window.contains(intendedNs);
            metrics.endToEnd.recordNanos(nowNs - intendedNs, measured);
            metrics.endToEndUncorrected.recordNanos(nowNs - payload.sendTimeNs(), measured);
        }
    }

    public long received()
    {
        return received.getAcquire();
    }

    public long receivedBytes()
    {
        return receivedBytes.getAcquire();
    }
}
