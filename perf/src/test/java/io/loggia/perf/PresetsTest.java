package io.loggia.perf;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PresetsTest
{
    @Test
    void namedWorkloadsExistAndAreValid()
    {
        assertThat(Presets.all().keySet()).contains("1-topic-1-partition-100b", "1-topic-16-partitions-1kb",
            "max-rate-1-topic-1-partition-100b", "backlog-drain", "e2e-10k-100b", "e2e-50k-100b");
        for (final Workload workload : Presets.all().values())
        {
            workload.validate();
        }
    }

    @Test
    void latencyTargetsAreAcks1HundredBytesAtFixedRates()
    {
        for (final String name : new String[] { "e2e-10k-100b", "e2e-50k-100b" })
        {
            final Workload workload = Presets.get(name);
            assertThat(workload.acks()).isEqualTo("1");
            assertThat(workload.messageSize()).isEqualTo(100);
            assertThat(workload.isBacklogDrain()).isFalse();
            assertThat(workload.subscriptionsPerTopic()).isEqualTo(1);
        }
        assertThat(Presets.get("e2e-10k-100b").producerRate()).isEqualTo(10_000);
        assertThat(Presets.get("e2e-50k-100b").producerRate()).isEqualTo(50_000);
        assertThat(Presets.get("max-rate-1-topic-1-partition-100b").producerRate()).isEqualTo(Workload.MAX_RATE);
        assertThat(Presets.get("backlog-drain").isBacklogDrain()).isTrue();
        assertThat(Presets.get("1-topic-16-partitions-1kb").partitionsPerTopic()).isEqualTo(16);
    }

    @Test
    void getReturnsACopy()
    {
        Presets.get("e2e-10k-100b").producerRate(1);
        assertThat(Presets.get("e2e-10k-100b").producerRate()).isEqualTo(10_000);
        assertThat(Presets.get("no-such-preset")).isNull();
    }
}
