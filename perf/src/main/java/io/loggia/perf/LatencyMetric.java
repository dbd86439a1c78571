package io.loggia.perf;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.concurrent.TimeUnit;

/**
 * One latency measured by the harness, in microseconds, with two {@link Recorder}s: one takes every sample and
 * feeds the per-second progress line and interval log; the other takes only samples of messages intended in the
 * measurement window, and its intervals add up to the histogram the summary reports. Warm-up and drain samples so
 * reach the interval log but never the summary.
 * <p>
 * <b>Assumptions and Guarantees.</b> {@link #recordNanos(long, boolean)} may be called from any number of producer
 * and consumer threads at once (Recorder is wait-free for writers). {@link #sampleInterval()},
 * {@link #lastInterval()}, {@link #measured()} and {@link #all()} are called only by the run's main thread.
 */
public final class LatencyMetric
{
    /** Largest latency tracked, one hour; longer samples are recorded as one hour. */
    public static final long HIGHEST_TRACKABLE_MICROS = TimeUnit.HOURS.toMicros(1);

    /** Three significant digits: 0.1% value resolution at any magnitude. */
    public static final int SIGNIFICANT_DIGITS = 3;

    private final String name;
    private final String description;
    private final Recorder allRecorder = new Recorder(HIGHEST_TRACKABLE_MICROS, SIGNIFICANT_DIGITS);
    private final Recorder measuredRecorder = new Recorder(HIGHEST_TRACKABLE_MICROS, SIGNIFICANT_DIGITS);
    private final Histogram measured = new Histogram(HIGHEST_TRACKABLE_MICROS, SIGNIFICANT_DIGITS);
    private final Histogram all = new Histogram(HIGHEST_TRACKABLE_MICROS, SIGNIFICANT_DIGITS);
    private Histogram allInterval;
    private Histogram measuredInterval;

    /**
     * @param name        short name used in files and JSON, e.g. {@code e2e}.
     * @param description what is measured, for the summary and the log header.
     */
    public LatencyMetric(final String name, final String description)
    {
        this.name = name;
        this.description = description;
    }

    public String name()
    {
        return name;
    }

    public String description()
    {
        return description;
    }

    /**
     * Record one sample.
     *
     * @param latencyNs the latency in nanoseconds; truncated to whole microseconds, clamped to [0, 1 hour].
     * @param measured  true when the message was intended within the measurement window.
     */
    public void recordNanos(final long latencyNs, final boolean measured)
    {
        final long micros = toMicros(latencyNs);
        allRecorder.recordValue(micros);
        if (measured)
        {
            measuredRecorder.recordValue(micros);
        }
    }

    /**
     * Take the samples recorded since the last call: add them to {@link #all()} and {@link #measured()}.
     *
     * @return every sample of the interval, valid until the next call; start and end time stamps are set.
     */
    public Histogram sampleInterval()
    {
        allInterval = allRecorder.getIntervalHistogram(allInterval);
        measuredInterval = measuredRecorder.getIntervalHistogram(measuredInterval);
        all.add(allInterval);
        measured.add(measuredInterval);
        return allInterval;
    }

    /** @return the interval taken by the last {@link #sampleInterval()}, or null before the first. */
    public Histogram lastInterval()
    {
        return allInterval;
    }

    /** @return the samples of messages intended within the measurement window, up to the last interval. */
    public Histogram measured()
    {
        return measured;
    }

    /** @return every sample up to the last interval, warm-up included. */
    public Histogram all()
    {
        return all;
    }

    /**
     * @param latencyNs nanoseconds.
     * @return whole microseconds within the trackable range.
     */
    public static long toMicros(final long latencyNs)
    {
        if (latencyNs <= 0)
        {
            return 0;
        }
        return Math.min(latencyNs / 1000, HIGHEST_TRACKABLE_MICROS);
    }
}
