package io.loggia.net.fuzz;

import io.loggia.net.broker.BrokerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The protocol fuzzer against a live broker process over sockets, a short budget for CI, with a well-behaved
 * client ({@link Canary}) producing and fetching beside it on its own connection. The broker process must come
 * out whole: alive, every thread still there, nothing logged at SEVERE, every input answered correctly or its
 * connection closed in time, the canary served throughout, the stored data unchanged, RssAnon and the thread
 * count flat after the warm-up.
 */
class LiveBrokerFuzzTest
{
    private static final long INPUTS = 40_000;
    private static final long BUDGET_NS = TimeUnit.SECONDS.toNanos(20);
    private static final long RSS_ALLOWANCE = 64L * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void aLiveBrokerSurvivesTheFuzzerAndKeepsServingAWellBehavedClient() throws Exception
    {
        try (BrokerProcess broker = BrokerProcess.start(dir, FuzzCampaign.BROKER_SETTINGS, FuzzCampaign.BROKER_JVM_FLAGS))
        {
            final String[] hostPort = broker.bootstrapServers().split(":");
            final InetSocketAddress address = new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
            try (FuzzCampaign campaign = new FuzzCampaign(address, InProcessFuzzTest.seed() + 1))
            {
                campaign.prepare(10, true);
                final ProcessWatch watch = new ProcessWatch(broker);
                final FuzzCampaign.Rounds rounds;
                try (Canary canary = new Canary(address).start())
                {
                    rounds = campaign.runRounds(INPUTS, 24, System.nanoTime() + BUDGET_NS, 5_000, watch::problems,
                        watch::sample, line -> System.out.println("live fuzz: " + line));
                    System.out.println(canary);
                    assertThat(canary.failure()).as("the well-behaved client").isNull();
                    assertThat(canary.fetched()).isPositive();
                }
                System.out.println(rounds.report);
                assertThat(rounds.problem).as("broker health").isNull();
                assertThat(rounds.report.findingCount()).as(rounds.report.toString()).isZero();
                assertThat(rounds.report.inputs()).isGreaterThan(5_000);
                assertThat(campaign.readStored()).as("data stored before the run")
                    .isEqualTo(campaign.stored().written());
                assertThat(MemorySample.check(rounds.samples, 1, RSS_ALLOWANCE)).as("memory").isNull();
                assertThat(watch.problems()).isNull();
            }
        }
    }
}
