package io.loggia.perf;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

import java.io.FileNotFoundException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One HdrHistogram interval log ({@code NAME.hlog}) per latency metric: a histogram per progress tick, tagged
 * with the run phase ({@code warmup}, {@code test}, {@code drain}, {@code fill}), values in microseconds. The
 * {@code Interval_Max} column is in milliseconds. HdrHistogram's {@code HistogramLogProcessor} reads these files
 * ({@code -tag test} selects the measured intervals, {@code -outputValueUnitRatio 1000} prints milliseconds).
 * <p>
 * Not thread safe: used only by the run's main thread.
 */
public final class HistogramLogs implements AutoCloseable
{
    private static final double INTERVAL_MAX_UNIT_RATIO = 1000.0;

    private final List<LatencyMetric> metrics;
    private final List<HistogramLogWriter> writers = new ArrayList<>();
    private final long baseTimeMs;

    /**
     * @param directory  where the logs go.
     * @param metrics    one log per metric, named after it.
     * @param baseTimeMs wall-clock time the interval times count from.
     * @throws FileNotFoundException when a log cannot be created.
     */
    public HistogramLogs(final Path directory, final List<LatencyMetric> metrics, final long baseTimeMs)
        throws FileNotFoundException
    {
        this.metrics = metrics;
        this.baseTimeMs = baseTimeMs;
        for (final LatencyMetric metric : metrics)
        {
            final HistogramLogWriter writer = new HistogramLogWriter(directory.resolve(metric.name() + ".hlog").toFile());
            writer.outputComment("loggia perf: " + metric.description());
            writer.outputComment("values in microseconds; Interval_Max in milliseconds; tags name the run phase");
            writer.outputLogFormatVersion();
            writer.setBaseTime(baseTimeMs);
            writer.outputStartTime(baseTimeMs);
            writer.outputBaseTime(baseTimeMs);
            writer.outputLegend();
            writers.add(writer);
        }
    }

    /**
     * Append each metric's last interval ({@link LatencyMetric#lastInterval()}).
     *
     * @param phase tag for these intervals.
     */
    public void writeIntervals(final String phase)
    {
        for (int i = 0; i < metrics.size(); i++)
        {
            final Histogram interval = metrics.get(i).lastInterval();
            if (null != interval)
            {
                interval.setTag(phase);
                writers.get(i).outputIntervalHistogram(
                    (interval.getStartTimeStamp() - baseTimeMs) / 1000.0,
                    (interval.getEndTimeStamp() - baseTimeMs) / 1000.0,
                    interval,
                    INTERVAL_MAX_UNIT_RATIO);
            }
        }
    }

    public void close()
    {
        for (final HistogramLogWriter writer : writers)
        {
            writer.close();
        }
    }
}
