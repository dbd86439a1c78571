package io.loggia.perf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the result document of a finished {@link PerfRun}: the map written to {@code result.json} and read back by
 * {@code plot} and {@code ratio}. Latencies are in microseconds, sizes in bytes or kB as named, rates per second,
 * and MiB is 2^20 bytes (the unit Kafka's perf tools call MB).
 * <p>
 * Stateless; called by the run's main thread after every worker has stopped.
 */
public final class RunResult
{
    /** Version of the result document's shape. */
    public static final int FORMAT_VERSION = 1;
    /** Bytes in a MiB. */
    public static final double MIB = 1024.0 * 1024.0;
    /** Bytes in a GiB. */
    public static final double GIB = MIB * 1024.0;
    /**
     * A run is flagged as sharing the machine when other processes used more than this share of one core on
     * average, and more than {@link #SUSPECT_OTHER_SECONDS} in total.
     */
    public static final double SUSPECT_OTHER_CORE_SHARE = 0.05;
    public static final double SUSPECT_OTHER_SECONDS = 1.0;

    private RunResult()
    {
    }

    /**
     * @param run a finished run.
     * @return the result document.
     */
    public static Map<String, Object> build(final PerfRun run)
    {
        final Workload workload = run.workload();
        final Map<String, Object> result = new LinkedHashMap<>();
        result.put("tool", "loggia perf");
        result.put("formatVersion", FORMAT_VERSION);
        result.put("label", run.options().label);
        result.put("bootstrapServers", run.options().bootstrapServers);
        result.put("startedAt", run.startedAt().toString());
        result.put("runId", Integer.toHexString(run.runId()));
        result.put("host", host());
        result.put("workload", workload(workload));
        result.put("producerClient", run.options().producerClient.label());
        result.put("consumerClient", run.options().consumerClient.label());
        result.put("idle", run.options().idleMode.name().toLowerCase(Locale.ROOT));
        result.put("topics", new ArrayList<Object>(run.topics()));

        final Map<String, Object> status = new LinkedHashMap<>();
        status.put("aborted", run.aborted());
        status.put("drained", run.drained());
        status.put("warnings", new ArrayList<Object>(run.warnings()));
        result.put("status", status);

        long sentTotal = 0;
        long ackedTotal = 0;
        long errorsTotal = 0;
        for (final LoadProducer producer : run.producers())
        {
            sentTotal += producer.sent();
            ackedTotal += producer.acked();
            errorsTotal += producer.errors();
        }
        long consumedTotal = 0;
        long consumedBytesTotal = 0;
        for (final LoadConsumer consumer : run.consumers())
        {
            consumedTotal += consumer.received();
            consumedBytesTotal += consumer.receivedBytes();
        }
        final int size = workload.messageSize();

        if (workload.isBacklogDrain())
        {
            result.put("backlogDrain", backlogDrain(run, ackedTotal, size));
        }
        final Progress progress = run.progress();
        final MeasurementWindow window = run.window();
        final Tick from = progress.firstAtOrAfter(window.startNs());
        final Tick to = progress.firstAtOrAfter(window.endNs());
        final double seconds = Math.max(1e-9, (to.atNs - from.atNs) / 1e9);
        if (!workload.isBacklogDrain())
        {
            final Map<String, Object> measured = new LinkedHashMap<>();
            measured.put("seconds", round3(seconds));
            measured.put("fromSecond", round3((from.atNs - run.producersStartNs()) / 1e9));
            result.put("window", measured);
        }

        final Map<String, Object> publish = new LinkedHashMap<>();
        if (workload.isBacklogDrain())
        {
            final double fillSeconds = Math.max(1e-9, (run.fillEndNs() - run.producersStartNs()) / 1e9);
            publish.put("messages", ackedTotal);
            publish.put("msgPerSec", round1(ackedTotal / fillSeconds));
            publish.put("mibPerSec", round3(ackedTotal * (double)size / MIB / fillSeconds));
        }
        else
        {
            publish.put("messages", to.acked - from.acked);
            publish.put("msgPerSec", round1((to.acked - from.acked) / seconds));
            publish.put("mibPerSec", round3((to.acked - from.acked) * size / MIB / seconds));
        }
        publish.put("sentTotal", sentTotal);
        publish.put("ackedTotal", ackedTotal);
        publish.put("errors", errorsTotal);
        result.put("publish", publish);

        final Map<String, Object> consume = new LinkedHashMap<>();
        if (workload.isBacklogDrain())
        {
            final double drainSeconds = drainSeconds(run);
            consume.put("messages", consumedTotal);
            consume.put("msgPerSec", round1(consumedTotal / drainSeconds));
            consume.put("mibPerSec", round3(consumedBytesTotal / MIB / drainSeconds));
        }
        else
        {
            consume.put("messages", to.consumed - from.consumed);
            consume.put("msgPerSec", round1((to.consumed - from.consumed) / seconds));
            consume.put("mibPerSec", round3((to.consumedBytes - from.consumedBytes) / MIB / seconds));
        }
        consume.put("consumedTotal", consumedTotal);
        result.put("consume", consume);

        result.put("delivery", delivery(run, ackedTotal));

        final Map<String, Object> latency = new LinkedHashMap<>();
        for (final LatencyMetric metric : run.metrics().list())
        {
            if ((workload.isBacklogDrain() || workload.subscriptionsPerTopic() == 0) && metric.name().startsWith("e2e"))
            {
                continue;
            }
            final Map<String, Object> summary = LatencySummary.summarize(metric.measured());
            summary.put("description", metric.description());
            latency.put(metric.name(), summary);
        }
        result.put("latencyMicros", latency);

        final double bytesMoved = (double)ackedTotal * size + consumedBytesTotal;
        result.put("broker", broker(run.cost(), bytesMoved));
        result.put("machine", machine(run.cost()));
        result.put("timeline", progress.timeline());
        return result;
    }

    private static Map<String, Object> workload(final Workload workload)
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", workload.name());
        map.put("topics", workload.topics());
        map.put("partitionsPerTopic", workload.partitionsPerTopic());
        map.put("replicationFactor", (int)workload.replicationFactor());
        map.put("messageSize", workload.messageSize());
        map.put("keys", workload.keyDistribution().label());
        map.put("producersPerTopic", workload.producersPerTopic());
        map.put("producerRate", workload.producerRate() == Workload.MAX_RATE ? "max" : workload.producerRate());
        map.put("subscriptionsPerTopic", workload.subscriptionsPerTopic());
        map.put("consumersPerSubscription", workload.consumersPerSubscription());
        map.put("acks", workload.acks());
        map.put("batchSize", workload.batchSize());
        map.put("lingerMs", workload.lingerMs());
        map.put("compression", workload.compression());
        map.put("warmupSeconds", workload.warmupSeconds());
        map.put("testSeconds", workload.testSeconds());
        map.put("backlogMessages", workload.backlogMessages());
        map.put("description", workload.describe());
        return map;
    }

    private static Map<String, Object> backlogDrain(final PerfRun run, final long ackedTotal, final int size)
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        final double fillSeconds = Math.max(1e-9, (run.fillEndNs() - run.producersStartNs()) / 1e9);
        final double drainSeconds = drainSeconds(run);
        long firstReceiveNs = Long.MAX_VALUE;
        for (final Subscription subscription : run.subscriptions())
        {
            firstReceiveNs = Math.min(firstReceiveNs, subscription.firstReceiveNs());
        }
        final long drainedMessages = ackedTotal * run.subscriptions().size();
        map.put("messages", ackedTotal);
        map.put("fillSeconds", round3(fillSeconds));
        map.put("fillMsgPerSec", round1(ackedTotal / fillSeconds));
        map.put("fillMibPerSec", round3(ackedTotal * (double)size / MIB / fillSeconds));
        map.put("drainSeconds", round3(drainSeconds));
        map.put("firstRecordSeconds", firstReceiveNs == Long.MAX_VALUE ? null :
            round3((firstReceiveNs - run.drainStartNs()) / 1e9));
        map.put("drainMsgPerSec", round1(drainedMessages / drainSeconds));
        map.put("drainMibPerSec", round3(drainedMessages * (double)size / MIB / drainSeconds));
        // Without the group join: comparable with ConsumerPerformance's fetch-only rate.
        final double readSeconds = firstReceiveNs == Long.MAX_VALUE ? Double.NaN :
            Math.max(1e-9, drainSeconds - (firstReceiveNs - run.drainStartNs()) / 1e9);
        map.put("readMsgPerSec", round1(drainedMessages / readSeconds));
        map.put("drained", run.drained());
        return map;
    }

    /** @return seconds from starting the consumers to the last record any group received. */
    private static double drainSeconds(final PerfRun run)
    {
        long lastReceiveNs = Long.MIN_VALUE;
        for (final Subscription subscription : run.subscriptions())
        {
            lastReceiveNs = Math.max(lastReceiveNs, subscription.lastReceiveNs());
        }
        if (lastReceiveNs == Long.MIN_VALUE || run.drainStartNs() == 0)
        {
            return Double.NaN;
        }
        return Math.max(1e-9, (lastReceiveNs - run.drainStartNs()) / 1e9);
    }

    private static Map<String, Object> delivery(final PerfRun run, final long ackedTotal)
    {
        long expected = 0;
        long distinct = 0;
        long lost = 0;
        long duplicates = 0;
        long foreign = 0;
        for (final Subscription subscription : run.subscriptions())
        {
            for (int p = 0; p < subscription.producers(); p++)
            {
                final long acked = run.producers().get(subscription.firstProducerIndex() + p).acked();
                final long seen = subscription.trackerOfLocal(p).distinct();
                expected += acked;
                distinct += seen;
                lost += Math.max(0, acked - seen);
            }
            duplicates += subscription.duplicates();
            foreign += subscription.foreign();
        }
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("subscriptions", run.subscriptions().size());
        map.put("expected", expected);
        map.put("received", distinct);
        map.put("lost", lost);
        map.put("duplicates", duplicates);
        map.put("foreign", foreign);
        map.put("acknowledged", ackedTotal);
        return map;
    }

    private static Map<String, Object> broker(final CostTracker cost, final double bytesMoved)
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        if (!cost.hasBroker())
        {
            map.put("pid", cost.brokerPid() == CostTracker.NO_PID ? null : cost.brokerPid());
            map.put("sampled", false);
            return map;
        }
        final double cpuSeconds = cost.brokerCpuSeconds();
        map.put("pid", cost.brokerPid());
        map.put("sampled", true);
        map.put("exitedDuringRun", cost.brokerLost());
        map.put("cpuSeconds", round3(cpuSeconds));
        map.put("cpuPercentOfOneCore", round1(100.0 * cpuSeconds / Math.max(1e-9, cost.wallSeconds())));
        map.put("bytesMoved", (long)bytesMoved);
        map.put("cpuSecondsPerGiB", bytesMoved > 0 ? round3(cpuSeconds / (bytesMoved / GIB)) : null);
        map.put("rssAnonStartKb", cost.brokerStart().rssAnonKb);
        map.put("rssAnonMaxKb", cost.rssAnonMaxKb());
        map.put("rssAnonEndKb", cost.brokerEnd().rssAnonKb);
        map.put("rssFileMaxKb", cost.rssFileMaxKb());
        map.put("rssFileEndKb", cost.brokerEnd().rssFileKb);
        map.put("vmRssMaxKb", cost.vmRssMaxKb());
        map.put("vmRssEndKb", cost.brokerEnd().vmRssKb);
        map.put("vmHwmKb", cost.brokerEnd().vmHwmKb);
        return map;
    }

    private static Map<String, Object> machine(final CostTracker cost)
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        final double other = cost.otherSeconds();
        map.put("wallSeconds", round3(cost.wallSeconds()));
        map.put("cpuSecondsAvailable", round3(cost.machineTotalSeconds()));
        map.put("busySeconds", round3(cost.machineBusySeconds()));
        map.put("brokerSeconds", cost.hasBroker() ? round3(cost.brokerCpuSeconds()) : null);
        map.put("harnessSeconds", round3(cost.harnessCpuSeconds()));
        map.put(cost.hasBroker() ? "otherSeconds" : "otherPlusBrokerSeconds", round3(other));
        map.put("stealSeconds", round3(cost.stealSeconds()));
        map.put("sharedMachineSuspected", cost.hasBroker() && other > SUSPECT_OTHER_SECONDS &&
            other > SUSPECT_OTHER_CORE_SHARE * cost.wallSeconds());
        return map;
    }

    private static Map<String, Object> host()
    {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("cpus", Runtime.getRuntime().availableProcessors());
        map.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        map.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        map.put("clockTicksPerSecond", ProcStat.CLOCK_TICKS_PER_SECOND);
        return map;
    }

    private static double round1(final double value)
    {
        return Double.isFinite(value) ? Math.round(value * 10.0) / 10.0 : Double.NaN;
    }

    private static double round3(final double value)
    {
        return Double.isFinite(value) ? Math.round(value * 1000.0) / 1000.0 : Double.NaN;
    }
}
