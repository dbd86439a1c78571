package io.loggia.perf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named workloads. The first four follow the OpenMessaging Benchmark workloads of the same names (scaled to a
 * small machine); the {@code e2e-*} ones are the end-to-end latency targets: acks=1, 100 B, fixed rate, no linger.
 * Command-line options given with {@code --preset} override the preset's values.
 */
public final class Presets
{
    private static final Map<String, Workload> PRESETS = build();

    private Presets()
    {
    }

    /**
     * @param name a preset name.
     * @return a fresh copy of the preset, or null when no preset has that name.
     */
    public static Workload get(final String name)
    {
        final Workload workload = PRESETS.get(name);
        return workload == null ? null : workload.copy();
    }

    /** @return every preset by name, in a stable order; the values must not be changed. */
    public static Map<String, Workload> all()
    {
        return Collections.unmodifiableMap(PRESETS);
    }

    private static Map<String, Workload> build()
    {
        final Map<String, Workload> presets = new LinkedHashMap<>();
        // OMB's Kafka driver defaults: acks=all, linger.ms=1; batch.size is smaller here than OMB's 1 MiB so a
        // batch still fits the default max.request.size with room to spare.
        add(presets, omb("1-topic-1-partition-100b").partitionsPerTopic(1).messageSize(100).producerRate(10_000));
        add(presets, omb("1-topic-16-partitions-1kb").partitionsPerTopic(16).messageSize(1024).producerRate(10_000));
        // Same settings as perf.sh's produce-1p-100B-acks1 so the two tools can be checked against each other.
        add(presets, omb("max-rate-1-topic-1-partition-100b").messageSize(100).producerRate(Workload.MAX_RATE)
            .acks("1").batchSize(65_536).lingerMs(5));
        // The same data perf.sh's consume-1p-100B reads: 2M x 100 B in one partition.
        add(presets, omb("backlog-drain").messageSize(100).producerRate(Workload.MAX_RATE).acks("1")
            .batchSize(65_536).lingerMs(5).backlogMessages(2_000_000));
        add(presets, e2e("e2e-10k-100b", 10_000));
        add(presets, e2e("e2e-50k-100b", 50_000));
        return presets;
    }

    private static Workload omb(final String name)
    {
        return new Workload().name(name).topics(1).partitionsPerTopic(1).producersPerTopic(1)
            .subscriptionsPerTopic(1).consumersPerSubscription(1).keyDistribution(KeyDistribution.NONE)
            .acks("all").batchSize(131_072).lingerMs(1).compression("none").warmupSeconds(10).testSeconds(60);
    }

    private static Workload e2e(final String name, final long rate)
    {
        // linger.ms=0: every record goes out as soon as the sender thread is free, so batching comes only
        // from records that arrive while a request is in flight; that is the latency a client sees.
        return new Workload().name(name).topics(1).partitionsPerTopic(1).producersPerTopic(1)
            .subscriptionsPerTopic(1).consumersPerSubscription(1).messageSize(100).producerRate(rate)
            .acks("1").batchSize(16_384).lingerMs(0).compression("none").warmupSeconds(10).testSeconds(60);
    }

    private static void add(final Map<String, Workload> presets, final Workload workload)
    {
        workload.validate();
        presets.put(workload.name(), workload);
    }
}
