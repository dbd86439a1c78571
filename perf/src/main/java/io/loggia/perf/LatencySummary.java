package io.loggia.perf;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a latency histogram (microseconds) into the numbers a result reports: count, mean, p50, p90, p99, p99.9,
 * p99.99, max, and the latency-by-percentile curve the plot draws.
 * <p>
 * Stateless; safe on any thread for histograms no other thread is changing.
 */
public final class LatencySummary
{
    /** Percentiles every summary reports, and their JSON keys. */
    public static final double[] PERCENTILES = { 50.0, 90.0, 99.0, 99.9, 99.99 };
    public static final String[] PERCENTILE_KEYS = { "p50", "p90", "p99", "p999", "p9999" };
    /** Column headers for {@link #PERCENTILES}. */
    public static final String[] PERCENTILE_LABELS = { "p50", "p90", "p99", "p99.9", "p99.99" };

    /** Curve points per halving of the distance to 100%, as HdrHistogram's percentile output uses. */
    public static final int TICKS_PER_HALF_DISTANCE = 5;

    private LatencySummary()
    {
    }

    /**
     * @param histogram samples in microseconds.
     * @return {@code count, mean, p50 ... p9999, max} in microseconds and {@code distribution}: a list of
     * {@code [percentile, micros]} pairs up to the maximum.
     */
    public static Map<String, Object> summarize(final Histogram histogram)
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        final long count = histogram.getTotalCount();
        map.put("count", count);
        map.put("mean", count == 0 ? Double.NaN : round1(histogram.getMean()));
        for (int i = 0; i < PERCENTILES.length; i++)
        {
            map.put(PERCENTILE_KEYS[i], count == 0 ? null : histogram.getValueAtPercentile(PERCENTILES[i]));
        }
        map.put("max", count == 0 ? null : histogram.getMaxValue());
        map.put("distribution", distribution(histogram));
        return map;
    }

    /**
     * @param histogram samples in microseconds.
     * @return {@code [percentile, micros]} pairs, percentiles rising to 100.
     */
    public static List<Object> distribution(final Histogram histogram)
    {
        final List<Object> points = new ArrayList<>();
        if (histogram.getTotalCount() == 0)
        {
            return points;
        }
        for (final HistogramIterationValue value : histogram.percentiles(TICKS_PER_HALF_DISTANCE))
        {
            points.add(List.of(round6(value.getPercentileLevelIteratedTo()), value.getValueIteratedTo()));
        }
        return points;
    }

    private static double round1(final double value)
    {
        return Math.round(value * 10.0) / 10.0;
    }

    private static double round6(final double value)
    {
        return Math.round(value * 1e6) / 1e6;
    }
}
