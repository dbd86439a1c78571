package io.loggia.perf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compares two brokers' runs of one workload: for each figure, the median over each side's runs (with the range
 * when a side has several), and the ratio A/B. With A = Loggia and B = Kafka, a latency or CPU ratio below 1 and a
 * throughput ratio above 1 favour Loggia; the last column says which direction is better.
 * <p>
 * Stateless; safe on any thread.
 */
public final class RatioTable
{
    private static final String LOWER = "lower";
    private static final String HIGHER = "higher";

    /** One compared figure: where it is in a result document, how to show it, and which way is better. */
    private static final class Row
    {
        final String label;
        final String[] path;
        final double scale;
        final int decimals;
        final String better;

        Row(final String label, final double scale, final int decimals, final String better, final String... path)
        {
            this.label = label;
            this.path = path;
            this.scale = scale;
            this.decimals = decimals;
            this.better = better;
        }
    }

    private static final List<Row> ROWS = rows();

    private RatioTable()
    {
    }

    /**
     * @param labelA  name of side A.
     * @param resultsA side A's result documents.
     * @param labelB  name of side B.
     * @param resultsB side B's result documents.
     * @return the table, with a header naming the workload and warnings where the two sides differ.
     */
    public static String format(
        final String labelA, final List<Map<String, Object>> resultsA,
        final String labelB, final List<Map<String, Object>> resultsB)
    {
        final StringBuilder sb = new StringBuilder(4096);
        final String workloadA = resultsA.isEmpty() ? null : Json.string(resultsA.get(0), "workload", "description");
        final String workloadB = resultsB.isEmpty() ? null : Json.string(resultsB.get(0), "workload", "description");
        sb.append("== ").append(labelA).append(" (A, ").append(resultsA.size()).append(" run(s)) vs ")
            .append(labelB).append(" (B, ").append(resultsB.size()).append(" run(s)); medians, (min-max) ==\n");
        sb.append("workload  ").append(workloadA).append('\n');
        final String clientA = resultsA.isEmpty() ? null : Json.string(resultsA.get(0), "producerClient");
        final String clientB = resultsB.isEmpty() ? null : Json.string(resultsB.get(0), "producerClient");
        sb.append("producers A: ").append(clientA).append(", B: ").append(clientB).append('\n');
        if (workloadA != null && !workloadA.equals(workloadB))
        {
            sb.append("WARNING   the two sides ran different workloads; B: ").append(workloadB).append('\n');
        }
        for (final List<Map<String, Object>> side : List.of(resultsA, resultsB))
        {
            for (final Map<String, Object> result : side)
            {
                if (Boolean.TRUE.equals(Json.get(result, "machine", "sharedMachineSuspected")))
                {
                    sb.append("WARNING   run ").append(Json.string(result, "label")).append(' ')
                        .append(Json.string(result, "startedAt")).append(" shared the machine with another load\n");
                }
            }
        }
        sb.append(String.format(Locale.ROOT, "%-32s %26s %26s %9s  %s%n", "figure", labelA, labelB, "A/B", "better"));
        for (final Row row : ROWS)
        {
            final double[] a = values(resultsA, row);
            final double[] b = values(resultsB, row);
            if (a.length == 0 && b.length == 0)
            {
                continue;
            }
            final double medianA = median(a);
            final double medianB = median(b);
            final double ratio = medianB != 0 && !Double.isNaN(medianA) && !Double.isNaN(medianB) ?
                medianA / medianB : Double.NaN;
            sb.append(String.format(Locale.ROOT, "%-32s %26s %26s %9s  %s%n", row.label,
                cell(a, row.decimals), cell(b, row.decimals), SummaryTable.fixed(ratio, 3), row.better));
        }
        return sb.toString();
    }

    /**
     * @param values numbers, NaN ignored.
     * @return their median, or NaN when there are none.
     */
    public static double median(final double[] values)
    {
        if (values.length == 0)
        {
            return Double.NaN;
        }
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        final int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2.0;
    }

    private static double[] values(final List<Map<String, Object>> results, final Row row)
    {
        final List<Double> list = new ArrayList<>();
        for (final Map<String, Object> result : results)
        {
            final double value = Json.number(result, row.path);
            if (!Double.isNaN(value))
            {
                list.add(value * row.scale);
            }
        }
        final double[] values = new double[list.size()];
        for (int i = 0; i < values.length; i++)
        {
            values[i] = list.get(i);
        }
        return values;
    }

    private static String cell(final double[] values, final int decimals)
    {
        if (values.length == 0)
        {
            return "-";
        }
        final String median = SummaryTable.fixed(median(values), decimals);
        if (values.length == 1)
        {
            return median;
        }
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        return median + " (" + SummaryTable.fixed(sorted[0], decimals) + "-" +
            SummaryTable.fixed(sorted[sorted.length - 1], decimals) + ")";
    }

    private static List<Row> rows()
    {
        final double ms = 1.0 / 1000.0;
        final double mib = 1.0 / 1024.0;
        final List<Row> rows = new ArrayList<>();
        rows.add(new Row("publish msg/s", 1, 0, HIGHER, "publish", "msgPerSec"));
        rows.add(new Row("publish MiB/s", 1, 2, HIGHER, "publish", "mibPerSec"));
        rows.add(new Row("consume msg/s", 1, 0, HIGHER, "consume", "msgPerSec"));
        rows.add(new Row("backlog fill msg/s", 1, 0, HIGHER, "backlogDrain", "fillMsgPerSec"));
        rows.add(new Row("backlog drain s", 1, 3, LOWER, "backlogDrain", "drainSeconds"));
        rows.add(new Row("backlog drain msg/s", 1, 0, HIGHER, "backlogDrain", "drainMsgPerSec"));
        for (final String metric : List.of("e2e", "e2e-uncorrected", "publish", "publish-uncorrected"))
        {
            rows.add(new Row(metric + " p50 ms", ms, 3, LOWER, "latencyMicros", metric, "p50"));
            rows.add(new Row(metric + " p99 ms", ms, 3, LOWER, "latencyMicros", metric, "p99"));
            rows.add(new Row(metric + " p99.9 ms", ms, 3, LOWER, "latencyMicros", metric, "p999"));
            rows.add(new Row(metric + " p99.99 ms", ms, 3, LOWER, "latencyMicros", metric, "p9999"));
            rows.add(new Row(metric + " max ms", ms, 3, LOWER, "latencyMicros", metric, "max"));
        }
        rows.add(new Row("send-delay p99 ms", ms, 3, LOWER, "latencyMicros", "send-delay", "p99"));
        rows.add(new Row("broker cpu s", 1, 2, LOWER, "broker", "cpuSeconds"));
        rows.add(new Row("broker cpu s per GiB", 1, 3, LOWER, "broker", "cpuSecondsPerGiB"));
        rows.add(new Row("broker RssAnon max MiB", mib, 1, LOWER, "broker", "rssAnonMaxKb"));
        rows.add(new Row("broker RssAnon end MiB", mib, 1, LOWER, "broker", "rssAnonEndKb"));
        rows.add(new Row("broker RssFile max MiB", mib, 1, "-", "broker", "rssFileMaxKb"));
        rows.add(new Row("harness cpu s", 1, 2, "-", "machine", "harnessSeconds"));
        rows.add(new Row("other cpu s (noise)", 1, 2, "~0", "machine", "otherSeconds"));
        rows.add(new Row("lost messages", 1, 0, "0", "delivery", "lost"));
        rows.add(new Row("duplicate messages", 1, 0, "0", "delivery", "duplicates"));
        rows.add(new Row("send errors", 1, 0, "0", "publish", "errors"));
        return rows;
    }
}
