package io.loggia.perf;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Formats a result document (fresh or read back from {@code result.json}) as the text summary printed at the end
 * of a run. Latencies are shown in milliseconds with three decimals, i.e. to the microsecond they were recorded at.
 * <p>
 * Stateless; safe on any thread.
 */
public final class SummaryTable
{
    private static final String[] LATENCY_ORDER =
        { "e2e", "e2e-uncorrected", "publish", "publish-uncorrected", "send-delay" };

    private SummaryTable()
    {
    }

    /**
     * @param result a result document.
     * @return the summary, several lines ending in a newline.
     */
    public static String format(final Map<String, Object> result)
    {
        final StringBuilder sb = new StringBuilder(2048);
        sb.append(String.format(Locale.ROOT, "== loggia perf: %s @ %s, workload %s ==%n",
            Json.string(result, "label"), Json.string(result, "bootstrapServers"),
            Json.string(result, "workload", "name")));
        sb.append("workload  ").append(Json.string(result, "workload", "description"));
        final String client = Json.string(result, "producerClient");
        final String consumerClient = Json.string(result, "consumerClient");
        sb.append("; producer client ").append(null == client ? "kafka-clients" : client)
            .append(", consumer client ").append(null == consumerClient ? "kafka-clients" : consumerClient).append('\n');
        final boolean backlog = Json.get(result, "backlogDrain") != null;
        if (backlog)
        {
            sb.append(String.format(Locale.ROOT,
                "backlog   %s messages: fill %s s (%s msg/s, %s MiB/s); drain %s s, first record after %s s " +
                "(%s msg/s, %s MiB/s over all groups; %s msg/s after the first record)%s%n",
                count(Json.number(result, "backlogDrain", "messages")),
                fixed(Json.number(result, "backlogDrain", "fillSeconds"), 3),
                count(Json.number(result, "backlogDrain", "fillMsgPerSec")),
                fixed(Json.number(result, "backlogDrain", "fillMibPerSec"), 2),
                fixed(Json.number(result, "backlogDrain", "drainSeconds"), 3),
                fixed(Json.number(result, "backlogDrain", "firstRecordSeconds"), 3),
                count(Json.number(result, "backlogDrain", "drainMsgPerSec")),
                fixed(Json.number(result, "backlogDrain", "drainMibPerSec"), 2),
                count(Json.number(result, "backlogDrain", "readMsgPerSec")),
                Boolean.TRUE.equals(Json.get(result, "backlogDrain", "drained")) ? "" : "  NOT FULLY DRAINED"));
        }
        else
        {
            sb.append(String.format(Locale.ROOT, "window    %s s measured, from second %s (after warm-up)%n",
                fixed(Json.number(result, "window", "seconds"), 1),
                fixed(Json.number(result, "window", "fromSecond"), 1)));
        }

        sb.append(String.format(Locale.ROOT, "%-22s %14s %14s %12s%n", "throughput", "messages", "msg/s", "MiB/s"));
        sb.append(throughputRow(backlog ? "publish (fill)" : "publish", result, "publish"));
        sb.append(throughputRow(backlog ? "consume (drain)" : "consume", result, "consume"));
        sb.append(String.format(Locale.ROOT,
            "delivery  %s group(s): expected %s, received %s, lost %s, duplicates %s, foreign %s; send errors %s%n",
            count(Json.number(result, "delivery", "subscriptions")),
            count(Json.number(result, "delivery", "expected")),
            count(Json.number(result, "delivery", "received")),
            count(Json.number(result, "delivery", "lost")),
            count(Json.number(result, "delivery", "duplicates")),
            count(Json.number(result, "delivery", "foreign")),
            count(Json.number(result, "publish", "errors"))));

        sb.append(String.format(Locale.ROOT, "%-22s %12s", "latency (ms)", "count"));
        for (final String label : LatencySummary.PERCENTILE_LABELS)
        {
            sb.append(String.format(Locale.ROOT, " %9s", label));
        }
        sb.append(String.format(Locale.ROOT, " %9s%n", "max"));
        for (final String name : LATENCY_ORDER)
        {
            final Object metric = Json.get(result, "latencyMicros", name);
            if (null != metric)
            {
                sb.append(latencyRow(name, metric));
            }
        }

        sb.append(brokerLine(result));
        sb.append(machineLine(result));
        final Object warnings = Json.get(result, "status", "warnings");
        if (warnings instanceof List)
        {
            for (final Object warning : (List<?>)warnings)
            {
                sb.append("warning   ").append(warning).append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * @param micros a latency in microseconds, or null.
     * @return milliseconds with three decimals, or "-".
     */
    public static String millis(final Number micros)
    {
        if (null == micros || Double.isNaN(micros.doubleValue()))
        {
            return "-";
        }
        return String.format(Locale.ROOT, "%.3f", micros.doubleValue() / 1000.0);
    }

    /**
     * @param value a count or rate.
     * @return rounded to a whole number with thousands separators, or "-" for NaN.
     */
    public static String count(final double value)
    {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%,.0f", value);
    }

    /**
     * @param value    a number.
     * @param decimals digits after the point.
     * @return the number, or "-" for NaN.
     */
    public static String fixed(final double value, final int decimals)
    {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static String throughputRow(final String label, final Map<String, Object> result, final String key)
    {
        return String.format(Locale.ROOT, "%-22s %14s %14s %12s%n", label,
            count(Json.number(result, key, "messages")),
            fixed(Json.number(result, key, "msgPerSec"), 1),
            fixed(Json.number(result, key, "mibPerSec"), 3));
    }

    private static String latencyRow(final String name, final Object metric)
    {
        final StringBuilder sb = new StringBuilder(128);
        sb.append(String.format(Locale.ROOT, "%-22s %12s", name, count(Json.number(metric, "count"))));
        for (final String key : LatencySummary.PERCENTILE_KEYS)
        {
            sb.append(String.format(Locale.ROOT, " %9s", millis(numberOrNull(metric, key))));
        }
        sb.append(String.format(Locale.ROOT, " %9s%n", millis(numberOrNull(metric, "max"))));
        return sb.toString();
    }

    private static String brokerLine(final Map<String, Object> result)
    {
        if (!Boolean.TRUE.equals(Json.get(result, "broker", "sampled")))
        {
            return "broker    not sampled (give --broker-pid PID for broker CPU and memory)\n";
        }
        return String.format(Locale.ROOT,
            "broker    pid %s: cpu %s s (%s%% of one core), %s cpu-s per GiB moved (%s GiB produced + consumed)%n" +
            "          RssAnon max %s MiB, end %s MiB (start %s MiB); RssFile (mapped/page cache) max %s MiB, " +
            "end %s MiB; VmRSS max %s MiB; VmHWM %s MiB%s%n",
            count(Json.number(result, "broker", "pid")),
            fixed(Json.number(result, "broker", "cpuSeconds"), 2),
            fixed(Json.number(result, "broker", "cpuPercentOfOneCore"), 1),
            fixed(Json.number(result, "broker", "cpuSecondsPerGiB"), 3),
            fixed(Json.number(result, "broker", "bytesMoved") / RunResult.GIB, 3),
            mib(Json.number(result, "broker", "rssAnonMaxKb")),
            mib(Json.number(result, "broker", "rssAnonEndKb")),
            mib(Json.number(result, "broker", "rssAnonStartKb")),
            mib(Json.number(result, "broker", "rssFileMaxKb")),
            mib(Json.number(result, "broker", "rssFileEndKb")),
            mib(Json.number(result, "broker", "vmRssMaxKb")),
            mib(Json.number(result, "broker", "vmHwmKb")),
            Boolean.TRUE.equals(Json.get(result, "broker", "exitedDuringRun")) ? "  BROKER EXITED DURING RUN" : "");
    }

    private static String machineLine(final Map<String, Object> result)
    {
        final boolean broker = Json.get(result, "machine", "otherSeconds") != null;
        return String.format(Locale.ROOT,
            "machine   wall %s s; busy %s of %s cpu-s: broker %s, harness %s, %s %s, steal %s%s%n",
            fixed(Json.number(result, "machine", "wallSeconds"), 1),
            fixed(Json.number(result, "machine", "busySeconds"), 1),
            fixed(Json.number(result, "machine", "cpuSecondsAvailable"), 1),
            broker ? fixed(Json.number(result, "machine", "brokerSeconds"), 1) : "-",
            fixed(Json.number(result, "machine", "harnessSeconds"), 1),
            broker ? "other" : "other+broker",
            fixed(Json.number(result, "machine", broker ? "otherSeconds" : "otherPlusBrokerSeconds"), 1),
            fixed(Json.number(result, "machine", "stealSeconds"), 1),
            Boolean.TRUE.equals(Json.get(result, "machine", "sharedMachineSuspected")) ?
                "  ANOTHER LOAD SHARED THE MACHINE: treat these numbers as suspect" : "");
    }

    private static Number numberOrNull(final Object node, final String key)
    {
        final Object value = Json.get(node, key);
        return value instanceof Number ? (Number)value : null;
    }

    private static String mib(final double kb)
    {
        return fixed(kb / 1024.0, 1);
    }
}
