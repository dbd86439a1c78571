package io.loggia.perf;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws latency-by-percentile curves as a standalone SVG, the way HdrHistogram's plotter does: the x axis is
 * {@code log10(1 / (1 - percentile))}, so 90%, 99%, 99.9%... are evenly spaced and the tail gets as much room as
 * the median; it runs from 50% to 99.999%. The y axis is latency in milliseconds, linear from zero (or logarithmic
 * on request, which keeps a median visible next to a tail a hundred times higher). Several series overlay, so two
 * brokers' runs can be shown side by side.
 * <p>
 * Stateless; safe on any thread.
 */
public final class LatencyPlot
{
    /** Highest percentile drawn; the maximum of a run lies beyond it and is clamped onto this edge. */
    public static final double MAX_PERCENTILE = 99.999;
    private static final double MIN_PERCENTILE = 50.0;
    private static final double[] X_TICKS = { 50.0, 90.0, 99.0, 99.9, 99.99, 99.999 };
    private static final String[] X_LABELS = { "50%", "90%", "99%", "99.9%", "99.99%", "99.999%" };
    private static final String[] COLOURS =
        { "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf" };

    private static final int WIDTH = 960;
    private static final int HEIGHT = 560;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;

    private LatencyPlot()
    {
    }

    /** One curve: percentiles rising, with the latency at each in microseconds. */
    public static final class Series
    {
        private final String label;
        private final double[] percentiles;
        private final double[] micros;

        /**
         * @param label       the legend text.
         * @param percentiles percentile levels, rising, in [0, 100].
         * @param micros      latency at each level, microseconds.
         */
        public Series(final String label, final double[] percentiles, final double[] micros)
        {
            if (percentiles.length != micros.length)
            {
                throw new IllegalArgumentException("percentiles and values differ in length");
            }
            this.label = label;
            this.percentiles = percentiles.clone();
            this.micros = micros.clone();
        }

        /**
         * @param label        the legend text.
         * @param distribution {@code [percentile, micros]} pairs as {@link LatencySummary#distribution} makes them
         *                     (or as read back from a result file).
         * @return the series.
         */
        public static Series fromDistribution(final String label, final List<?> distribution)
        {
            final double[] percentiles = new double[distribution.size()];
            final double[] micros = new double[distribution.size()];
            for (int i = 0; i < distribution.size(); i++)
            {
                final List<?> point = (List<?>)distribution.get(i);
                percentiles[i] = ((Number)point.get(0)).doubleValue();
                micros[i] = ((Number)point.get(1)).doubleValue();
            }
            return new Series(label, percentiles, micros);
        }

        public String label()
        {
            return label;
        }

        /** @return points drawn, which is none for an empty series. */
        public int size()
        {
            return percentiles.length;
        }
    }

    /**
     * @param title  drawn above the plot.
     * @param series the curves.
     * @param logY   logarithmic latency axis.
     * @return a complete SVG document.
     */
    public static String svg(final String title, final List<Series> series, final boolean logY)
    {
        double maxMicros = 0;
        double minMicros = Double.MAX_VALUE;
        for (final Series s : series)
        {
            for (int i = 0; i < s.size(); i++)
            {
                if (s.percentiles[i] >= MIN_PERCENTILE || i == s.size() - 1)
                {
                    maxMicros = Math.max(maxMicros, s.micros[i]);
                    if (s.micros[i] > 0)
                    {
                        minMicros = Math.min(minMicros, s.micros[i]);
                    }
                }
                if (s.percentiles[i] >= MAX_PERCENTILE)
                {
                    break;
                }
            }
        }
        final double maxMs = Math.max(maxMicros / 1000.0, 0.001);
        final double minMs = minMicros == Double.MAX_VALUE ? 0.001 : Math.max(minMicros / 1000.0, 0.001);
        final YAxis yAxis = logY ? YAxis.log(minMs, maxMs) : YAxis.linear(maxMs);

        final StringBuilder sb = new StringBuilder(16_384);
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append(String.format(Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" " +
            "font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        sb.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"16\" text-anchor=\"middle\">%s</text>%n",
            WIDTH / 2, TOP - 20, escape(title)));

        final int plotBottom = HEIGHT - BOTTOM;
        final int plotRight = WIDTH - RIGHT;
        for (int i = 0; i < X_TICKS.length; i++)
        {
            final double x = x(X_TICKS[i]);
            sb.append(String.format(Locale.ROOT,
                "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#dddddd\"/>%n", x, TOP, x, plotBottom));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                x, plotBottom + 18, X_LABELS[i]));
        }
        for (final double value : yAxis.ticks)
        {
            final double y = yAxis.y(value);
            sb.append(String.format(Locale.ROOT,
                "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#dddddd\"/>%n", LEFT, y, plotRight, y));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                LEFT - 6, y + 4, tickLabel(value)));
        }
        sb.append(String.format(Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333333\"/>%n",
            LEFT, TOP, plotRight - LEFT, plotBottom - TOP));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">percentile</text>%n",
            (LEFT + plotRight) / 2, HEIGHT - 15));
        sb.append(String.format(Locale.ROOT,
            "<text x=\"18\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 18 %d)\">latency (ms%s)</text>%n",
            (TOP + plotBottom) / 2, (TOP + plotBottom) / 2, logY ? ", log scale" : ""));

        for (int s = 0; s < series.size(); s++)
        {
            final Series curve = series.get(s);
            final String colour = COLOURS[s % COLOURS.length];
            final List<String> points = new ArrayList<>();
            for (int i = 0; i < curve.size(); i++)
            {
                final double percentile = Math.min(curve.percentiles[i], MAX_PERCENTILE);
                if (percentile < MIN_PERCENTILE && i + 1 < curve.size() && curve.percentiles[i + 1] <= MIN_PERCENTILE)
                {
                    continue;
                }
                final double clamped = Math.max(percentile, MIN_PERCENTILE);
                points.add(String.format(Locale.ROOT, "%.1f,%.1f", x(clamped), yAxis.y(curve.micros[i] / 1000.0)));
                if (curve.percentiles[i] >= MAX_PERCENTILE)
                {
                    break;
                }
            }
            if (!points.isEmpty())
            {
                sb.append(String.format(Locale.ROOT,
                    "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n",
                    colour, String.join(" ", points)));
            }
            final int legendY = TOP + 20 + s * 18;
            sb.append(String.format(Locale.ROOT,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>%n",
                LEFT + 12, legendY - 4, LEFT + 36, legendY - 4, colour));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n",
                LEFT + 42, legendY, escape(curve.label())));
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    /**
     * @param percentile a level in [50, 99.999].
     * @return its x coordinate.
     */
    static double x(final double percentile)
    {
        final double min = Math.log10(1.0 / (1.0 - MIN_PERCENTILE / 100.0));
        final double max = Math.log10(1.0 / (1.0 - MAX_PERCENTILE / 100.0));
        final double value = Math.log10(1.0 / (1.0 - percentile / 100.0));
        return LEFT + (value - min) / (max - min) * (WIDTH - RIGHT - LEFT);
    }

    /**
     * @param text any text.
     * @return the text safe inside an XML element or attribute.
     */
    static String escape(final String text)
    {
        final StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            switch (c)
            {
                case '<':
                    sb.append("&lt;");
                    break;
                case '>':
                    sb.append("&gt;");
                    break;
                case '&':
                    sb.append("&amp;");
                    break;
                case '"':
                    sb.append("&quot;");
                    break;
                case '\'':
                    sb.append("&apos;");
                    break;
                default:
                    // XML 1.0 forbids most control characters outright, even escaped.
                    sb.append(c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? ' ' : c);
            }
        }
        return sb.toString();
    }

    private static String tickLabel(final double ms)
    {
        if (ms >= 100)
        {
            return String.format(Locale.ROOT, "%.0f", ms);
        }
        if (ms >= 1)
        {
            return trim(String.format(Locale.ROOT, "%.2f", ms));
        }
        return trim(String.format(Locale.ROOT, "%.3f", ms));
    }

    private static String trim(final String number)
    {
        String s = number;
        while (s.contains(".") && (s.endsWith("0") || s.endsWith(".")))
        {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    private static final class YAxis
    {
        private final boolean log;
        private final double low;
        private final double high;
        private final List<Double> ticks = new ArrayList<>();

        private YAxis(final boolean log, final double low, final double high)
        {
            this.log = log;
            this.low = low;
            this.high = high;
        }

        static YAxis linear(final double maxMs)
        {
            final double step = niceStep(maxMs / 6.0);
            final double high = Math.ceil(maxMs / step) * step;
            final YAxis axis = new YAxis(false, 0, high);
            for (int i = 0; i * step <= high + step / 2; i++)
            {
                axis.ticks.add(i * step);
            }
            return axis;
        }

        static YAxis log(final double minMs, final double maxMs)
        {
            final double low = Math.pow(10, Math.floor(Math.log10(minMs)));
            final double high = Math.pow(10, Math.ceil(Math.log10(maxMs * 1.0001)));
            final YAxis axis = new YAxis(true, low, high);
            for (double decade = low; decade <= high * 1.0001; decade *= 10)
            {
                axis.ticks.add(decade);
            }
            return axis;
        }

        double y(final double ms)
        {
            final double fraction;
            if (log)
            {
                final double clamped = Math.max(ms, low);
                fraction = (Math.log10(clamped) - Math.log10(low)) / (Math.log10(high) - Math.log10(low));
            }
            else
            {
                fraction = high > 0 ? ms / high : 0;
            }
            return (HEIGHT - BOTTOM) - Math.min(1.0, fraction) * (HEIGHT - BOTTOM - TOP);
        }

        private static double niceStep(final double rough)
        {
            final double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
            final double normalized = rough / magnitude;
            if (normalized <= 1)
            {
                return magnitude;
            }
            if (normalized <= 2)
            {
                return 2 * magnitude;
            }
            if (normalized <= 5)
            {
                return 5 * magnitude;
            }
            return 10 * magnitude;
        }
    }
}
