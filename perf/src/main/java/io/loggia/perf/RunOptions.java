package io.loggia.perf;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything about a run that is not the workload: where the broker is, what to call it, where results go.
 * <p>
 * Not thread safe: filled by the argument parser, then only read.
 */
public final class RunOptions
{
    /** The broker's bootstrap address, host:port[,host:port...]. */
    public String bootstrapServers;
    /** Name of the broker under test in results and plots, e.g. "loggia" or "kafka-4.4". */
    public String label = "broker";
    /** Result directory; null picks perf-results/TIME-LABEL-WORKLOAD. */
    public Path outDir;
    /** The broker's process id for CPU and memory sampling, or {@link CostTracker#NO_PID}. */
    public long brokerPid = CostTracker.NO_PID;
    /** Topic name prefix; null picks a fresh one per run. */
    public String topicPrefix;
    /** Leave the topics in place after the run. */
    public boolean keepTopics;
    /** How fixed-rate producers wait between sends. */
    public IdleMode idleMode = IdleMode.PARK;
    /** Longest wait after the producers stop for consumers to receive every acknowledged message. */
    public int drainTimeoutSeconds = 120;
    /** Longest wait for every consumer group to hold all partitions before producing. */
    public int assignmentTimeoutSeconds = 60;
    /** Extra producer properties; override the workload's. */
    public final Map<String, String> producerProperties = new LinkedHashMap<>();
    /** Extra consumer properties; override the harness's. */
    public final Map<String, String> consumerProperties = new LinkedHashMap<>();
    /** Extra properties for every client (security, for instance). */
    public final Map<String, String> commonProperties = new LinkedHashMap<>();
    /** Which producer implementation sends: the Kafka client, or the lean one on Loggia's codec. */
    public ClientKind producerClient = ClientKind.KAFKA;
    /** Which consumer implementation receives: the Kafka client in a group, or the lean one on Loggia's codec. */
    public ClientKind consumerClient = ClientKind.KAFKA;
    /** Print no progress lines. */
    public boolean quiet;
}
