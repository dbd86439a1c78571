package io.loggia.net.fuzz;

import io.loggia.net.broker.BrokerFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The protocol fuzzer against a broker in this JVM, a short budget for CI (the soak runs {@code FuzzSoak} in
 * perf): inputs for every API and version the broker serves, over many connections, then the broker must be
 * whole. Its threads alive, no error counted anywhere, every input answered correctly or its connection closed
 * within its deadline, the data stored before the run served unchanged, memory flat after the warm-up.
 */
class InProcessFuzzTest
{
    private static final long INPUTS = 60_000;
    private static final long BUDGET_NS = TimeUnit.SECONDS.toNanos(25);
    private static final long MEMORY_ALLOWANCE = 48L * 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void everyInputIsAnsweredOrRefusedAndTheBrokerStaysWhole() throws Exception
    {
        try (BrokerFixture broker = BrokerFixture.start(dir, FuzzCampaign.BROKER_SETTINGS);
            FuzzCampaign campaign = new FuzzCampaign(broker.broker().localAddress(), seed()))
        {
            campaign.prepare(10, true);
            final BrokerWatch watch = new BrokerWatch(broker.broker());
            final FuzzCampaign.Rounds rounds = campaign.runRounds(INPUTS, 24, System.nanoTime() + BUDGET_NS, 5_000,
                watch::problems, watch::sample, line -> System.out.println("fuzz: " + line));

            System.out.println(rounds.report);
            System.out.println(watch.counters());
            assertThat(rounds.problem).as("broker health").isNull();
            assertThat(rounds.report.findingCount()).as(rounds.report.toString()).isZero();
            assertThat(rounds.report.inputs()).isGreaterThan(5_000);
            assertThat(rounds.report.outcomes(Outcome.ANSWERED)).isPositive();
            assertThat(rounds.report.outcomes(Outcome.CLOSED)).isPositive();
            assertThat(campaign.readStored()).as("data stored before the run").isEqualTo(campaign.stored().written());
            assertThat(MemorySample.check(rounds.samples, 1, MEMORY_ALLOWANCE)).as("memory").isNull();
            assertThat(watch.problems()).isNull();
        }
    }

    /** The same seed every CI run unless -Dloggia.fuzz.seed says otherwise (the soak explores with new ones). */
    static long seed()
    {
        final long seed = Long.getLong("loggia.fuzz.seed", 20_261_126L);
        System.out.println("fuzz seed " + seed + " (-Dloggia.fuzz.seed=" + seed + " to replay)");
        return seed;
    }
}
