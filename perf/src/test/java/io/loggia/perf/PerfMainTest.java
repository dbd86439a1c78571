package io.loggia.perf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class PerfMainTest
{
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void plotOverlaysRunsFromResultFiles() throws Exception
    {
        final Path a = write("loggia", 90);
        final Path b = write("kafka", 700);
        final Path svg = dir.resolve("out.svg");

        assertThat(run("plot", a.toString(), b.toString(), "-o", svg.toString(), "--metric", "e2e,publish")).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("4 curve(s)");
        final var document = LatencyPlotTest.parse(Files.readString(svg));
        assertThat(document.getElementsByTagName("polyline").getLength()).isEqualTo(4);
        assertThat(Files.readString(svg)).contains("loggia e2e", "kafka publish");
    }

    @Test
    void ratioPrintsTheComparison() throws Exception
    {
        final Path a = write("loggia", 90);
        final Path b = write("kafka", 700);

        assertThat(run("ratio", "--a", a + "," + a, "--b", b.toString())).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("loggia (A, 2 run(s)) vs kafka (B, 1 run(s))");
    }

    @Test
    void presetsAndHelpAndBadArguments()
    {
        assertThat(run("presets")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("e2e-10k-100b:", "backlog-drain:");
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--bootstrap-server HOST:PORT");
        assertThat(run("--rate", "5")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--bootstrap-server is required");
        assertThat(run("plot", "-o")).isEqualTo(2);
    }

    private Path write(final String label, final long micros) throws Exception
    {
        final Path directory = Files.createDirectories(dir.resolve(label));
        final Path file = directory.resolve("result.json");
        Files.writeString(file, Json.write(SampleResults.result(label, micros, 10_000.0)));
        return file;
    }

    private int run(final String... args)
    {
        return PerfMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
