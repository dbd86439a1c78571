package io.loggia.perf;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ProcStatTest
{
    private static final long SELF = ProcessHandle.current().pid();

    @Test
    void readsThisProcess()
    {
        final ProcessSample sample = new ProcessSample();
        assertThat(ProcStat.readProcess(SELF, sample)).isTrue();
        assertThat(sample.cpuTicks).isPositive();
        assertThat(sample.rssAnonKb).isPositive();
        assertThat(sample.rssFileKb).isPositive();
        assertThat(sample.vmRssKb).isGreaterThanOrEqualTo(sample.rssAnonKb);
        assertThat(sample.vmHwmKb).isGreaterThanOrEqualTo(sample.vmRssKb);
        assertThat(ProcStat.CLOCK_TICKS_PER_SECOND).isPositive();
    }

    @Test
    void readsTheMachine()
    {
        final MachineSample sample = new MachineSample();
        assertThat(ProcStat.readMachine(sample)).isTrue();
        assertThat(sample.busyTicks).isPositive();
        assertThat(sample.totalTicks).isGreaterThan(sample.busyTicks);
        assertThat(sample.stealTicks).isNotNegative();
    }

    @Test
    void missingProcessIsReportedNotThrown()
    {
        assertThat(ProcStat.readProcess(Integer.MAX_VALUE, new ProcessSample())).isFalse();
        final CostTracker cost = new CostTracker(Integer.MAX_VALUE, SELF);
        cost.start(0);
        assertThat(cost.hasBroker()).isFalse();
    }

    @Test
    void costTrackerCountsCpuBurntByTheWatchedProcess()
    {
        final RunClock clock = new RunClock();
        final CostTracker cost = new CostTracker(SELF, SELF);
        cost.start(clock.nanoTime());
        // Spin until /proc shows at least 50 ms of CPU (5 ticks); on a loaded machine that takes longer than 50 ms.
        final long deadlineNs = clock.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        long spins = 0;
        do
        {
            for (int i = 0; i < 1_000_000; i++)
            {
                spins++;
            }
            cost.sample(clock.nanoTime());
        }
        while (cost.brokerCpuSeconds() < 0.05 && clock.nanoTime() < deadlineNs);

        assertThat(spins).isPositive();
        assertThat(cost.hasBroker()).isTrue();
        assertThat(cost.brokerCpuSeconds()).isGreaterThanOrEqualTo(0.05);
        // Broker and harness are the same process here, read a moment apart: a tick may fall between the reads.
        assertThat(cost.harnessCpuSeconds()).isCloseTo(cost.brokerCpuSeconds(), org.assertj.core.data.Offset.offset(0.02));
        assertThat(cost.wallSeconds()).isPositive();
        assertThat(cost.rssAnonMaxKb()).isGreaterThanOrEqualTo(cost.brokerEnd().rssAnonKb).isPositive();
        assertThat(cost.vmRssMaxKb()).isPositive();
        assertThat(cost.machineTotalSeconds()).isGreaterThanOrEqualTo(cost.machineBusySeconds());
    }
}
