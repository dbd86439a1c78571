package io.loggia.perf;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PerfArgsTest
{
    @Test
    void presetThenOverridesInAnyOrder()
    {
        final PerfArgs args = PerfArgs.parse(new String[] {
            "--warmup", "1", "--bootstrap-server", "127.0.0.1:19092", "--preset", "e2e-50k-100b", "--duration=3",
            "--label", "kafka", "--broker-pid", "4321", "--out", "/tmp/x", "--keep-topics", "--idle", "spin",
            "--producer-property", "max.in.flight.requests.per.connection=1", "--client-property", "a=b=c" });

        final Workload workload = args.workload();
        // A producer property may change what the workload does, so the result no longer claims the preset's name.
        assertThat(workload.name()).isEqualTo("e2e-50k-100b-modified");
        assertThat(workload.producerRate()).isEqualTo(50_000);
        assertThat(workload.messageSize()).isEqualTo(100);
        assertThat(workload.acks()).isEqualTo("1");
        assertThat(workload.warmupSeconds()).isEqualTo(1);
        assertThat(workload.testSeconds()).isEqualTo(3);
        final RunOptions options = args.options();
        assertThat(options.bootstrapServers).isEqualTo("127.0.0.1:19092");
        assertThat(options.label).isEqualTo("kafka");
        assertThat(options.brokerPid).isEqualTo(4321);
        assertThat(options.outDir).isEqualTo(Path.of("/tmp/x"));
        assertThat(options.keepTopics).isTrue();
        assertThat(options.idleMode).isEqualTo(IdleMode.SPIN);
        assertThat(options.producerProperties).containsEntry("max.in.flight.requests.per.connection", "1");
        assertThat(options.commonProperties).containsEntry("a", "b=c");
    }

    @Test
    void changingThePresetsShapeRenamesTheWorkload()
    {
        final Workload timingOnly = PerfArgs.parse(new String[] {
            "--bootstrap-server", "h:1", "--preset", "e2e-10k-100b", "--warmup", "0", "--duration", "2" }).workload();
        assertThat(timingOnly.name()).isEqualTo("e2e-10k-100b");

        final Workload changed = PerfArgs.parse(new String[] {
            "--bootstrap-server", "h:1", "--preset", "e2e-10k-100b", "--rate", "max" }).workload();
        assertThat(changed.name()).isEqualTo("e2e-10k-100b-modified");
        assertThat(changed.producerRate()).isEqualTo(Workload.MAX_RATE);

        final Workload named = PerfArgs.parse(new String[] {
            "--bootstrap-server", "h:1", "--preset", "e2e-10k-100b", "--partitions", "4", "--name", "mine" }).workload();
        assertThat(named.name()).isEqualTo("mine");
    }

    @Test
    void workloadOptionsWithoutPreset()
    {
        final Workload workload = PerfArgs.parse(new String[] {
            "--bootstrap-server", "h:1", "--topics", "2", "--partitions", "16", "--message-size", "1024",
            "--keys", "round-robin", "--producers", "3", "--rate", "30_000", "--subscriptions", "2",
            "--consumers", "4", "--acks", "-1", "--batch-size", "0", "--linger-ms", "0", "--compression", "ZSTD",
            "--replication-factor", "3" }).workload();
        assertThat(workload.name()).isEqualTo("custom");
        assertThat(workload.topics()).isEqualTo(2);
        assertThat(workload.partitionsPerTopic()).isEqualTo(16);
        assertThat(workload.messageSize()).isEqualTo(1024);
        assertThat(workload.keyDistribution()).isEqualTo(KeyDistribution.ROUND_ROBIN);
        assertThat(workload.producerCount()).isEqualTo(6);
        assertThat(workload.producerRate()).isEqualTo(30_000);
        assertThat(workload.consumerCount()).isEqualTo(16);
        assertThat(workload.acks()).isEqualTo("all");
        assertThat(workload.compression()).isEqualTo("zstd");
        assertThat(workload.replicationFactor()).isEqualTo((short)3);
    }

    @Test
    void leanProducerClient()
    {
        final PerfArgs args = PerfArgs.parse(new String[] {
            "--bootstrap-server", "h:1", "--preset", "max-rate-1-topic-1-partition-100b", "--producer-client", "lean" });
        assertThat(args.options().producerClient).isEqualTo(ClientKind.LEAN);
        assertThat(args.workload().name()).isEqualTo("max-rate-1-topic-1-partition-100b");
        assertThat(PerfArgs.parse(new String[] { "--bootstrap-server", "h:1" }).options().producerClient)
            .isEqualTo(ClientKind.KAFKA);
    }

    @Test
    void rejectsBadInput()
    {
        final String[][] bad = {
            {},
            { "--preset", "e2e-10k-100b" },
            { "--bootstrap-server", "h:1", "--preset", "nope" },
            { "--bootstrap-server", "h:1", "--rate", "fast" },
            { "--bootstrap-server", "h:1", "--rate", "-5" },
            { "--bootstrap-server", "h:1", "--rate", "3", "--producers", "4" },
            { "--bootstrap-server", "h:1", "--partitions", "0" },
            { "--bootstrap-server", "h:1", "--message-size", "31" },
            { "--bootstrap-server", "h:1", "--acks", "2" },
            { "--bootstrap-server", "h:1", "--compression", "brotli" },
            { "--bootstrap-server", "h:1", "--keys", "zipf" },
            { "--bootstrap-server", "h:1", "--idle", "sleep" },
            { "--bootstrap-server", "h:1", "--producer-property", "novalue" },
            { "--bootstrap-server", "h:1", "--frobnicate", "1" },
            { "--bootstrap-server", "h:1", "--keep-topics=yes" },
            { "--bootstrap-server", "h:1", "--backlog", "10", "--subscriptions", "0" },
            { "--bootstrap-server" },
            { "--bootstrap-server", "h:1", "--producer-client", "rust" },
            { "--bootstrap-server", "h:1", "--producer-client", "lean", "--keys", "random" },
            { "--bootstrap-server", "h:1", "--producer-client", "lean", "--producer-property", "acks=1" },
        };
        for (final String[] args : bad)
        {
            assertThatThrownBy(() -> PerfArgs.parse(args)).as(String.join(" ", args))
                .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
