package io.loggia.perf;

import java.util.List;

/**
 * The latencies every run measures. "Corrected" ones start at the message's intended send time (see
 * {@link SendSchedule}); "uncorrected" ones start when {@code send()} was called. At max rate the two are equal.
 * <p>
 * Immutable holder; the metrics themselves say which thread may call what.
 */
public final class LatencyMetrics
{
    /** Intended send time to the consumer's poll returning the record. */
    public final LatencyMetric endToEnd =
        new LatencyMetric("e2e", "end-to-end, intended send to consume (corrected for coordinated omission)");
    /** {@code send()} call to the consumer's poll returning the record. */
    public final LatencyMetric endToEndUncorrected =
        new LatencyMetric("e2e-uncorrected", "end-to-end, send() call to consume (uncorrected)");
    /** Intended send time to the producer's acknowledgement callback. */
    public final LatencyMetric publish =
        new LatencyMetric("publish", "publish, intended send to ack callback (corrected for coordinated omission)");
    /** {@code send()} call to the producer's acknowledgement callback. */
    public final LatencyMetric publishUncorrected =
        new LatencyMetric("publish-uncorrected", "publish, send() call to ack callback (uncorrected)");
    /** Intended send time to the {@code send()} call: how far the harness itself fell behind its schedule. */
    public final LatencyMetric sendDelay =
        new LatencyMetric("send-delay", "send delay, intended send to send() call (harness lateness)");

    /** @return all metrics, in report order. */
    public List<LatencyMetric> list()
    {
        return List.of(endToEnd, endToEndUncorrected, publish, publishUncorrected, sendDelay);
    }
}
