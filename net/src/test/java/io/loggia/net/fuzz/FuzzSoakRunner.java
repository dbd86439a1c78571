package io.loggia.net.fuzz;

import io.loggia.net.broker.BrokerFixture;
import io.loggia.net.broker.BrokerProcess;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The protocol fuzzer's soak: the same layers as the CI tests with budgets of millions of inputs, for
 * {@code io.loggia.perf.fuzz.FuzzSoak}. Each run prints its progress, its counts, its findings and the broker's
 * health, and answers whether it passed: no finding but the known differences, a healthy broker, stored data
 * unchanged, memory flat after the warm-up, and (live) the canary served throughout.
 */
public final class FuzzSoakRunner
{
    /** Growth allowed after the warm-up sample (the first round) for each kind of memory. */
    public static final long MEMORY_ALLOWANCE = 64L * 1024 * 1024;
    private static final long ROUND_INPUTS = 50_000;

    private FuzzSoakRunner()
    {
    }

    /** Mutated frames straight into the decoders, no broker. */
    public static boolean decoder(final long inputs, final long seed, final PrintStream out)
    {
        final Dictionary dictionary = new Dictionary(1);
        dictionary.scratchTopics.add("fz-0");
        dictionary.scratchTopics.add("fz-1");
        dictionary.storedTopics.add("keep-0");
        dictionary.scratchTopicIds.add(org.apache.kafka.common.Uuid.randomUuid());
        final SupportedVersions supported = SupportedVersions.ofKafkaClients(SupportedVersions.LOGGIA_API_KEYS);
        final DecoderFuzzer fuzzer = new DecoderFuzzer(new InputSource(dictionary, supported, seed, false), supported);
        final long startNs = System.nanoTime();
        for (long done = 0; done < inputs; done += ROUND_INPUTS * 10)
        {
            fuzzer.run(Math.min(ROUND_INPUTS * 10, inputs - done));
            out.printf(Locale.ROOT, "decoder: %,d inputs, %,.0f/s, disagreements %d%n", fuzzer.inputs(),
                fuzzer.inputs() * 1e9 / (System.nanoTime() - startNs), fuzzer.disagreements());
        }
        out.println(fuzzer);
        fuzzer.findings().forEach(out::println);
        out.println("lenient examples:");
        fuzzer.lenientExamples().stream().limit(5).forEach(out::println);
        return fuzzer.disagreements() == 0;
    }

    /** A broker in this JVM, data in {@code dir}. */
    public static boolean inProcess(
        final long inputs, final long minutes, final int connections, final long seed, final Path dir,
        final PrintStream out) throws Exception
    {
        Files.createDirectories(dir);
        try (BrokerFixture broker = BrokerFixture.start(dir, FuzzCampaign.BROKER_SETTINGS);
            FuzzCampaign campaign = new FuzzCampaign(broker.broker().localAddress(), seed))
        {
            campaign.prepare(50, true);
            final BrokerWatch watch = new BrokerWatch(broker.broker());
            out.println("broker threads: " + watch.threads());
            final FuzzCampaign.Rounds rounds = campaign.runRounds(inputs, connections,
                System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes), ROUND_INPUTS, watch::problems, watch::sample,
                line -> out.println("in-process: " + line));
            out.println(watch.counters());
            return verdict(campaign, rounds, watch.problems(), null, out);
        }
    }

    /** A broker process of its own, data in {@code dir}, with the canary beside the fuzzer. */
    public static boolean live(
        final long inputs, final long minutes, final int connections, final long seed, final Path dir,
        final PrintStream out) throws Exception
    {
        Files.createDirectories(dir);
        try (BrokerProcess broker = BrokerProcess.start(dir, FuzzCampaign.BROKER_SETTINGS, FuzzCampaign.BROKER_JVM_FLAGS))
        {
            final String[] hostPort = broker.bootstrapServers().split(":");
            final InetSocketAddress address = new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
            out.println("broker pid " + broker.pid() + " on " + broker.bootstrapServers());
            try (FuzzCampaign campaign = new FuzzCampaign(address, seed))
            {
                campaign.prepare(50, true);
                final ProcessWatch watch = new ProcessWatch(broker);
                out.println("broker threads: " + watch.threadsAtStart());
                final FuzzCampaign.Rounds rounds;
                final String canaryFailure;
                try (Canary canary = new Canary(address).start())
                {
                    rounds = campaign.runRounds(inputs, connections,
                        System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes), ROUND_INPUTS, watch::problems,
                        watch::sample, line -> out.println("live: " + line));
                    if (null != rounds.problem || rounds.report.findingCount() > 0)
                    {
                        PostMortem.print(broker, out);
                    }
                    out.println(canary);
                    canaryFailure = canary.failure();
                }
                return verdict(campaign, rounds, watch.problems(), canaryFailure, out);
            }
        }
    }

    private static boolean verdict(
        final FuzzCampaign campaign,
        final FuzzCampaign.Rounds rounds,
        final String health,
        final String canaryFailure,
        final PrintStream out) throws Exception
    {
        out.println(rounds.report);
        boolean storedIntact;
        try
        {
            storedIntact = campaign.readStored().equals(campaign.stored().written());
        }
        catch (final IOException ex)
        {
            out.println("stored data not read back: " + ex);
            storedIntact = false;
        }
        final String memory = MemorySample.check(rounds.samples, 1, MEMORY_ALLOWANCE);
        out.printf(Locale.ROOT, "inputs %,d in %.1f s (%,.0f/s); corpus %d seeds, %d interesting inputs, %d answer " +
            "signatures; %d inputs held back by the stored-topic guard; %d stray topics deleted by the janitor%n",
            rounds.report.inputs(), rounds.elapsedNs / 1e9, rounds.inputsPerSecond(),
            campaign.source().corpusSize(), campaign.source().interestingSize(), campaign.source().signatureCount(),
            campaign.source().guarded(), campaign.janitorDeletes());
        out.println("memory: first " + rounds.samples.get(0) + "; after warm-up " +
            rounds.samples.get(Math.min(1, rounds.samples.size() - 1)) + "; last " +
            rounds.samples.get(rounds.samples.size() - 1));
        out.println("stored data intact: " + storedIntact + "; broker health: " + (null == health ? "ok" : health) +
            (null == rounds.problem ? "" : "; stopped: " + rounds.problem) + "; memory: " +
            (null == memory ? "flat" : memory) + (null == canaryFailure ? "" : "; canary: " + canaryFailure));
        final boolean passed = rounds.report.findingCount() == 0 && storedIntact && null == health &&
            null == rounds.problem && null == memory && null == canaryFailure;
        out.println(passed ? "PASSED" : "FAILED");
        return passed;
    }
}
