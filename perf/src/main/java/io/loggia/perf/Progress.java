package io.loggia.perf;

import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The once-a-second view of a run: keeps every {@link Tick}, prints the progress line and builds the timeline the
 * result file carries.
 * <p>
 * Not thread safe: used only by the run's main thread.
 */
public final class Progress
{
    private final Workload workload;
    private final LatencyMetrics metrics;
    private final CostTracker cost;
    private final PrintStream out;
    private final boolean quiet;
    private final List<Tick> ticks = new ArrayList<>();
    private final List<Object> timeline = new ArrayList<>();
    private long originNs;

    /**
     * @param workload what runs, for byte rates and the backlog.
     * @param metrics  latencies, already sampled for the interval when {@link #onTick} is called.
     * @param cost     broker and machine CPU, already sampled for the interval.
     * @param out      where progress lines go.
     * @param quiet    print nothing.
     */
    public Progress(
        final Workload workload,
        final LatencyMetrics metrics,
        final CostTracker cost,
        final PrintStream out,
        final boolean quiet)
    {
        this.workload = workload;
        this.metrics = metrics;
        this.cost = cost;
        this.out = out;
        this.quiet = quiet;
    }

    /**
     * Record the tick every later interval counts from; counters are all zero here.
     *
     * @param nowNs run clock time.
     */
    public void begin(final long nowNs)
    {
        originNs = nowNs;
        final Tick tick = new Tick();
        tick.atNs = nowNs;
        tick.phase = "start";
        ticks.add(tick);
    }

    /**
     * Record one tick, add it to the timeline and print the progress line.
     *
     * @param tick counters at the tick; kept.
     */
    public void onTick(final Tick tick)
    {
        final Tick previous = ticks.get(ticks.size() - 1);
        ticks.add(tick);
        final double seconds = Math.max(1e-9, (tick.atNs - previous.atNs) / 1e9);
        final double publishRate = (tick.acked - previous.acked) / seconds;
        final double consumeRate = (tick.consumed - previous.consumed) / seconds;
        final long backlog = tick.sent * workload.subscriptionsPerTopic() - tick.consumed;
        final Histogram e2e = metrics.endToEnd.lastInterval();
        final Histogram publish = metrics.publish.lastInterval();

        final Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("t", round3((tick.atNs - originNs) / 1e9));
        entry.put("phase", tick.phase);
        entry.put("publishMsgPerSec", Math.round(publishRate));
        entry.put("consumeMsgPerSec", Math.round(consumeRate));
        entry.put("backlog", backlog);
        entry.put("sendErrors", tick.errors);
        entry.put("e2eP50Micros", valueAt(e2e, 50.0));
        entry.put("e2eP99Micros", valueAt(e2e, 99.0));
        entry.put("e2eMaxMicros", null == e2e || e2e.getTotalCount() == 0 ? null : e2e.getMaxValue());
        entry.put("publishP99Micros", valueAt(publish, 99.0));
        if (cost.hasBroker())
        {
            entry.put("brokerCpuPercent", round1(cost.intervalBrokerCpuPercent()));
            entry.put("brokerRssAnonKb", cost.lastRssAnonKb());
        }
        entry.put("otherCpuPercent", round1(cost.intervalOtherCpuPercent()));
        timeline.add(entry);

        if (!quiet)
        {
            out.println(line(tick, publishRate, consumeRate, backlog));
            out.flush();
        }
    }

    /** @return every tick so far, the starting one first. */
    public List<Tick> ticks()
    {
        return ticks;
    }

    /** @return the last tick. */
    public Tick last()
    {
        return ticks.get(ticks.size() - 1);
    }

    /**
     * @param ns a run clock time.
     * @return the first tick read at or after it, else the last tick.
     */
    public Tick firstAtOrAfter(final long ns)
    {
        for (final Tick tick : ticks)
        {
            if (tick.atNs >= ns)
            {
                return tick;
            }
        }
        return last();
    }

    /** @return one map per tick, for the result file. */
    public List<Object> timeline()
    {
        return timeline;
    }

    private String line(final Tick tick, final double publishRate, final double consumeRate, final long backlog)
    {
        final StringBuilder sb = new StringBuilder(200);
        final double mib = (double)workload.messageSize() / (1024 * 1024);
        sb.append(String.format("%6.1fs %-6s pub %,9.0f msg/s %7.2f MiB/s", (tick.atNs - originNs) / 1e9, tick.phase,
            publishRate, publishRate * mib));
        final boolean filling = "fill".equals(tick.phase);
        if (workload.subscriptionsPerTopic() > 0 && !filling)
        {
            sb.append(String.format(" | cons %,9.0f msg/s", consumeRate));
        }
        // A backlog drain records no end-to-end latency (it would be the backlog's age): show publish while filling.
        final LatencyMetric latency = filling || workload.subscriptionsPerTopic() == 0 ? metrics.publish :
            workload.isBacklogDrain() ? null : metrics.endToEnd;
        if (null != latency)
        {
            final Histogram soFar = latency.measured().getTotalCount() > 0 ? latency.measured() : latency.all();
            sb.append(" | ").append(latency == metrics.endToEnd ? "e2e" : "pub").append(" p99 ")
                .append(SummaryTable.millis(valueAt(latency.lastInterval(), 99.0))).append(" ms (so far ")
                .append(SummaryTable.millis(valueAt(soFar, 99.0))).append(')');
        }
        if (workload.subscriptionsPerTopic() > 0)
        {
            sb.append(String.format(" | backlog %,d", backlog));
        }
        if (tick.errors > 0)
        {
            sb.append(String.format(" | send errors %,d", tick.errors));
        }
        if (cost.hasBroker())
        {
            sb.append(String.format(" | broker cpu %3.0f%% rssAnon %,d MiB", cost.intervalBrokerCpuPercent(),
                cost.lastRssAnonKb() / 1024));
        }
        sb.append(String.format(" | other cpu %3.0f%%", cost.intervalOtherCpuPercent()));
        return sb.toString();
    }

    private static Long valueAt(final Histogram histogram, final double percentile)
    {
        if (null == histogram || histogram.getTotalCount() == 0)
        {
            return null;
        }
        return histogram.getValueAtPercentile(percentile);
    }

    private static double round1(final double value)
    {
        return Math.round(value * 10.0) / 10.0;
    }

    private static double round3(final double value)
    {
        return Math.round(value * 1000.0) / 1000.0;
    }
}
