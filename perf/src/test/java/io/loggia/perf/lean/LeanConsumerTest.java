package io.loggia.perf.lean;

import io.loggia.net.broker.BrokerFixture;
import io.loggia.perf.Json;
import io.loggia.perf.PerfMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whole {@code loggia perf} runs against a real broker on loopback with the lean consumer: every acknowledged
 * message arrives once, its end-to-end latency is measured, with the lean and the Kafka producer, one consumer or
 * several sharing the partitions.
 */
class LeanConsumerTest
{
    @TempDir
    Path dir;

    @Test
    void theLeanConsumerReceivesAndMeasuresEveryMessageOfAFixedRateRun() throws Exception
    {
        try (BrokerFixture broker = BrokerFixture.start(dir.resolve("broker")))
        {
            final Object lean = run(broker, "lean-lean", "--producer-client", "lean");
            assertDelivered(lean, "lean");

            final Object split = run(broker, "kafka-lean", "--producer-client", "kafka", "--partitions", "3",
                "--consumers", "2");
            assertDelivered(split, "kafka-clients");
        }
    }

    @Test
    void theLeanConsumerRefusesCompressionAndConsumerProperties()
    {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final PrintStream none = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThat(PerfMain.run(new String[]{"--bootstrap-server", "127.0.0.1:1", "--consumer-client", "lean",
            "--compression", "lz4"}, none, new PrintStream(err, true, StandardCharsets.UTF_8))).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--compression none");
    }

    private Object run(final BrokerFixture broker, final String name, final String... extra) throws Exception
    {
        final Path out = dir.resolve(name);
        final String[] base = {"--bootstrap-server", broker.bootstrapServers(), "--preset", "e2e-10k-100b",
            "--rate", "2000", "--warmup", "1", "--duration", "2", "--consumer-client", "lean", "--quiet",
            "--out", out.toString()};
        final String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        final ByteArrayOutputStream text = new ByteArrayOutputStream();
        final int status = PerfMain.run(args, new PrintStream(text, true, StandardCharsets.UTF_8),
            new PrintStream(text, true, StandardCharsets.UTF_8));
        assertThat(status).as(text.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(text.toString(StandardCharsets.UTF_8)).contains("consumer client lean");
        return Json.parse(Files.readString(out.resolve("result.json")));
    }

    private static void assertDelivered(final Object result, final String producerClient)
    {
        assertThat(Json.string(result, "consumerClient")).isEqualTo("lean");
        assertThat(Json.string(result, "producerClient")).isEqualTo(producerClient);
        final double acknowledged = Json.number(result, "delivery", "acknowledged");
        assertThat(acknowledged).isGreaterThan(4_000);
        assertThat(Json.number(result, "delivery", "received")).isEqualTo(acknowledged);
        assertThat(Json.number(result, "delivery", "lost")).isZero();
        assertThat(Json.number(result, "delivery", "duplicates")).isZero();
        assertThat(Json.number(result, "delivery", "foreign")).isZero();
        assertThat(Json.number(result, "latencyMicros", "e2e", "count")).isGreaterThan(3_000);
    }
}
