package io.loggia.net.fuzz;

import io.loggia.net.broker.WireClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * A fuzz run against a broker reachable on a socket, in this JVM or another process: sets up the topics the
 * {@link Dictionary} speaks of and the {@link StoredTopics} it checksums, asks the broker which APIs it serves,
 * sends inputs in rounds with a janitor between them (topics the run created under names outside the dictionary
 * are deleted, scratch topics the run deleted are made again, as an operator would), and finally reads the stored
 * data back. Invariants on the broker's threads and memory are checked by the caller, who can see the broker.
 */
final class FuzzCampaign implements AutoCloseable
{
    /**
     * Broker settings for fuzzing, on top of the test defaults: short group sessions, so members a run leaves
     * behind expire; small segments with size retention, so what a run produces does not pile up on disk.
     */
    /**
     * The live broker runs as in production: native calls on (the test default turns them off to save their load
     * time), so windows are reserved and populated by system calls, not pre-touched from Java.
     */
    static final Map<String, String> BROKER_SETTINGS = Map.of(
        "loggia.housekeeper.native", "true",
        "group.max.session.timeout.ms", "10000",
        "group.min.session.timeout.ms", "1000",
        "log.segment.bytes", Integer.toString(1 << 20),
        "log.retention.bytes", Integer.toString(4 << 20),
        "log.retention.check.interval.ms", "1000",
        "offsets.retention.check.interval.ms", "10000",
        "num.partitions", "1");
    /**
     * The broker's heap committed and touched at start, so RssAnon after the warm-up moves only with memory outside
     * the heap (direct buffers, native allocations, stacks); a heap leak ends in OutOfMemoryError, which the
     * watch sees in the log.
     */
    static final List<String> BROKER_JVM_FLAGS = List.of("-Xms256m", "-XX:+AlwaysPreTouch");
    static final long GROUP_MAX_SESSION_TIMEOUT_MS = 10_000;
    /** A request that may legitimately wait longer than this (a long poll) is cut short by closing its connection. */
    static final long ABANDON_AFTER_MS = 2_000;

    private boolean lastRunStalled;

    private static final Map<String, Integer> SCRATCH = Map.of("fz-0", 1, "fz-1", 3, "fz-2", 2, "fz-3", 1);
    private static final Map<String, Map<String, String>> SCRATCH_CONFIGS = Map.of(
        "fz-2", Map.of("cleanup.policy", "compact"),
        "fz-3", Map.of("message.timestamp.type", "LogAppendTime"));
    private static final List<String> STORED = List.of("keep-0", "keep-1");
    private static final int STORED_PARTITIONS = 2;

    private final InetSocketAddress address;
    private final long seed;
    private final Admin admin;
    private final StoredTopics stored = new StoredTopics(STORED, STORED_PARTITIONS);
    private final Set<String> keep = new TreeSet<>();
    private Dictionary dictionary;
    private SupportedVersions supported;
    private InputSource source;
    private ResponseOracle oracle;
    private long janitorDeletes;

    FuzzCampaign(final InetSocketAddress address, final long seed)
    {
        this.address = address;
        this.seed = seed;
        final Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, address.getHostString() + ":" + address.getPort());
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "30000");
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "60000");
        this.admin = Admin.create(properties);
        keep.addAll(SCRATCH.keySet());
        keep.addAll(STORED);
        keep.add(Canary.TOPIC);
        keep.add("__consumer_offsets");
    }

    /** Topics made, stored data written and read back, the served APIs learnt, the corpus generated. */
    FuzzCampaign prepare(final int storedBatches, final boolean framing) throws Exception
    {
        try (WireClient client = new WireClient(address))
        {
            final ApiVersionsResponseData versions =
                client.call(18, 3, new ApiVersionsRequestData().setClientSoftwareName("loggia-fuzz")
                    .setClientSoftwareVersion("1"), ApiVersionsResponseData::new);
            supported = new SupportedVersions(versions);
        }
        final List<NewTopic> topics = new ArrayList<>();
        SCRATCH.forEach((name, partitions) ->
            topics.add(new NewTopic(name, partitions, (short)1).configs(SCRATCH_CONFIGS.getOrDefault(name, Map.of()))));
        for (final String name : STORED)
        {
            // kept whatever their records' timestamps and size: the run must not lose them to retention either
            topics.add(new NewTopic(name, STORED_PARTITIONS, (short)1)
                .configs(Map.of("retention.ms", "-1", "retention.bytes", "-1")));
        }
        topics.add(new NewTopic(Canary.TOPIC, 1, (short)1));
        admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
        stored.write(address, storedBatches, seed);
        dictionary = new Dictionary(nodeId());
        refreshDictionary();
        oracle = new ResponseOracle(supported, GROUP_MAX_SESSION_TIMEOUT_MS);
        source = new InputSource(dictionary, supported, seed, framing);
        return this;
    }

    SupportedVersions supported()
    {
        return supported;
    }

    InputSource source()
    {
        return source;
    }

    StoredTopics stored()
    {
        return stored;
    }

    long janitorDeletes()
    {
        return janitorDeletes;
    }

    /**
     * Send {@code inputs} inputs over {@code connections} connections, or fewer if {@code endNs} comes first.
     *
     * @return the run's counts and findings.
     */
    FuzzReport run(final long inputs, final int connections, final long endNs, final long abandonAfterMs)
        throws IOException
    {
        final FuzzReport report = new FuzzReport();
        try (SocketFuzzer fuzzer = new SocketFuzzer(address, connections, oracle, source, report, abandonAfterMs))
        {
            fuzzer.run(inputs, endNs);
            lastRunStalled = fuzzer.stalled();
        }
        return report;
    }

    /**
     * Rounds of {@code roundInputs} inputs, with the janitor and a health check and memory sample after each, until
     * {@code inputs} were sent, {@code endNs} came, or the health check failed.
     *
     * @param health   null while the broker is healthy, else what is wrong; stops the run.
     * @param sampler  memory of the broker, after the round of the given number of inputs.
     * @param progress gets one line per round.
     */
    Rounds runRounds(
        final long inputs,
        final int connections,
        final long endNs,
        final long roundInputs,
        final java.util.function.Supplier<String> health,
        final java.util.function.LongFunction<MemorySample> sampler,
        final java.util.function.Consumer<String> progress) throws Exception
    {
        final Rounds rounds = new Rounds();
        final long startNs = System.nanoTime();
        rounds.samples.add(sampler.apply(0));
        while (rounds.report.inputs() < inputs && System.nanoTime() - endNs < 0)
        {
            final FuzzReport round =
                run(Math.min(roundInputs, inputs - rounds.report.inputs()), connections, endNs, ABANDON_AFTER_MS);
            rounds.report.add(round);
            rounds.problem = lastRunStalled ? "no input answered or closed for " +
                TimeUnit.NANOSECONDS.toSeconds(SocketFuzzer.STALL_NS) + " s: the broker hangs" : health.get();
            try
            {
                janitor();
            }
            catch (final java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException ex)
            {
                // an admin call the broker did not answer in 60 s is a hang; the run ends with its report
                rounds.problem = null != rounds.problem ? rounds.problem :
                    "the janitor's admin calls failed or were not answered in 60 s: " + ex;
            }
            final MemorySample sample = sampler.apply(rounds.report.inputs());
            rounds.samples.add(sample);
            rounds.elapsedNs = System.nanoTime() - startNs;
            progress.accept(String.format(java.util.Locale.ROOT, "%,d inputs, %,.0f/s, findings %d, %s%s",
                rounds.report.inputs(), rounds.report.inputs() * 1e9 / rounds.elapsedNs, rounds.report.findingCount(),
                sample, null == rounds.problem ? "" : ", PROBLEM: " + rounds.problem));
            if (null != rounds.problem)
            {
                break;
            }
        }
        return rounds;
    }

    /** What {@link #runRounds} saw. */
    static final class Rounds
    {
        final FuzzReport report = new FuzzReport();
        final List<MemorySample> samples = new ArrayList<>();
        String problem;
        long elapsedNs;

        double inputsPerSecond()
        {
            return elapsedNs == 0 ? 0 : report.inputs() * 1e9 / elapsedNs;
        }
    }

    /** Deletes topics outside the dictionary, makes missing scratch topics again, refreshes the topic ids. */
    void janitor() throws Exception
    {
        final Set<String> names = admin.listTopics().names().get(60, TimeUnit.SECONDS);
        final List<String> strays = new ArrayList<>();
        for (final String name : names)
        {
            if (!keep.contains(name))
            {
                strays.add(name);
            }
        }
        if (!strays.isEmpty())
        {
            // a stray may go between the listing and the delete (a fuzzed DeleteTopics, a create that timed out),
            // or the delete may time out behind a fuzzed partition increase of the same topic (the next round
            // deletes it): neither is the broker failing, so each delete is waited on alone
            final Map<String, org.apache.kafka.common.KafkaFuture<Void>> deletes =
                admin.deleteTopics(strays).topicNameValues();
            for (final org.apache.kafka.common.KafkaFuture<Void> delete : deletes.values())
            {
                try
                {
                    delete.get(60, TimeUnit.SECONDS);
                    janitorDeletes++;
                }
                catch (final java.util.concurrent.ExecutionException ex)
                {
                    if (!(ex.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) &&
                        !(ex.getCause() instanceof org.apache.kafka.common.errors.TimeoutException))
                    {
                        throw ex;
                    }
                }
            }
        }
        final List<NewTopic> missing = new ArrayList<>();
        SCRATCH.forEach((name, partitions) ->
        {
            if (!names.contains(name))
            {
                missing.add(new NewTopic(name, partitions, (short)1)
                    .configs(SCRATCH_CONFIGS.getOrDefault(name, Map.of())));
            }
        });
        if (!missing.isEmpty())
        {
            try
            {
                admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
            }
            catch (final java.util.concurrent.ExecutionException ex)
            {
                // a topic the run is creating at the same time: fine
            }
        }
        refreshDictionary();
    }

    /** The stored batches as the broker serves them now; must equal {@link StoredTopics#written()}. */
    List<StoredTopics.StoredBatch> readStored() throws IOException
    {
        return stored.readBack(address);
    }

    private int nodeId() throws Exception
    {
        return admin.describeCluster().controller().get(60, TimeUnit.SECONDS).id();
    }

    private void refreshDictionary() throws Exception
    {
        final Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
        final Map<String, TopicDescription> descriptions =
            admin.describeTopics(keep.stream().filter(name -> !name.startsWith("__") && existing.contains(name))
                .toList()).allTopicNames().get(60, TimeUnit.SECONDS);
        final List<String> scratch = new ArrayList<>();
        final List<Uuid> scratchIds = new ArrayList<>();
        final List<Uuid> storedIds = new ArrayList<>();
        final List<Uuid> protectedIds = new ArrayList<>();
        for (final TopicDescription description : descriptions.values())
        {
            if (STORED.contains(description.name()) || Canary.TOPIC.equals(description.name()))
            {
                protectedIds.add(description.topicId());
                if (!Canary.TOPIC.equals(description.name()))
                {
                    storedIds.add(description.topicId());
                }
            }
            else
            {
                scratch.add(description.name());
                scratchIds.add(description.topicId());
            }
        }
        synchronized (dictionary)
        {
            dictionary.scratchTopics.clear();
            dictionary.scratchTopics.addAll(scratch);
            dictionary.scratchTopicIds.clear();
            dictionary.scratchTopicIds.addAll(scratchIds);
            dictionary.storedTopics.clear();
            dictionary.storedTopics.addAll(STORED);
            dictionary.storedTopicIds.clear();
            dictionary.storedTopicIds.addAll(storedIds);
            dictionary.protectedNames.clear();
            dictionary.protectedNames.addAll(STORED);
            dictionary.protectedNames.add(Canary.TOPIC);
            dictionary.protectedIds.clear();
            dictionary.protectedIds.addAll(protectedIds);
        }
    }

    public void close()
    {
        admin.close(Duration.ofSeconds(5));
    }
}
