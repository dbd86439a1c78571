package io.loggia.perf;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Result documents shaped like {@link RunResult}'s, with latencies from synthetic histograms. */
final class SampleResults
{
    private SampleResults()
    {
    }

    static Map<String, Object> result(final String label, final long baseMicros, final double publishRate)
    {
        final Map<String, Object> result = new LinkedHashMap<>();
        result.put("tool", "loggia perf");
        result.put("formatVersion", RunResult.FORMAT_VERSION);
        result.put("label", label);
        result.put("bootstrapServers", "127.0.0.1:9092");
        result.put("startedAt", "2026-11-26T16:00:00Z");
        final Workload workload = Presets.get("e2e-10k-100b");
        final Map<String, Object> w = new LinkedHashMap<>();
        w.put("name", workload.name());
        w.put("description", workload.describe());
        result.put("workload", w);
        final Map<String, Object> status = new LinkedHashMap<>();
        status.put("aborted", false);
        status.put("drained", true);
        status.put("warnings", new ArrayList<Object>(List.of("a <warning> & more")));
        result.put("status", status);
        result.put("window", map("seconds", 60.001, "fromSecond", 10.0));
        result.put("publish", map("messages", 600_000L, "msgPerSec", publishRate, "mibPerSec", 0.954,
            "sentTotal", 700_000L, "ackedTotal", 700_000L, "errors", 0L));
        result.put("consume", map("messages", 600_010L, "msgPerSec", publishRate, "mibPerSec", 0.954,
            "consumedTotal", 700_000L));
        result.put("delivery", map("subscriptions", 1, "expected", 700_000L, "received", 700_000L, "lost", 0L,
            "duplicates", 0L, "foreign", 0L, "acknowledged", 700_000L));
        final Map<String, Object> latency = new LinkedHashMap<>();
        for (final String name : new String[] { "e2e", "e2e-uncorrected", "publish", "publish-uncorrected" })
        {
            final Map<String, Object> summary = LatencySummary.summarize(histogram(baseMicros));
            summary.put("description", name);
            latency.put(name, summary);
        }
        latency.put("send-delay", LatencySummary.summarize(new Histogram(3_600_000_000L, 3)));
        result.put("latencyMicros", latency);
        result.put("broker", map("pid", 1234L, "sampled", true, "exitedDuringRun", false, "cpuSeconds", 12.34,
            "cpuPercentOfOneCore", 17.2, "bytesMoved", 140_000_000L, "cpuSecondsPerGiB", 94.6,
            "rssAnonStartKb", 300_000L, "rssAnonMaxKb", 400_000L, "rssAnonEndKb", 390_000L,
            "rssFileMaxKb", 20_000L, "rssFileEndKb", 19_000L, "vmRssMaxKb", 420_000L, "vmRssEndKb", 410_000L,
            "vmHwmKb", 430_000L));
        result.put("machine", map("wallSeconds", 71.2, "cpuSecondsAvailable", 142.4, "busySeconds", 40.0,
            "brokerSeconds", 12.34, "harnessSeconds", 27.0, "otherSeconds", 0.66, "stealSeconds", 0.0,
            "sharedMachineSuspected", false));
        result.put("timeline", new ArrayList<Object>());
        return result;
    }

    /** Mostly baseMicros, with a tail to 50x. */
    static Histogram histogram(final long baseMicros)
    {
        final Histogram histogram = new Histogram(3_600_000_000L, 3);
        for (int i = 0; i < 100_000; i++)
        {
            final long value = i % 1000 == 0 ? baseMicros * 50 : i % 100 == 0 ? baseMicros * 5 : baseMicros + i % 97;
            histogram.recordValue(value);
        }
        return histogram;
    }

    static Map<String, Object> map(final Object... keysAndValues)
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2)
        {
            map.put((String)keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
