package io.loggia.perf;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a run's files next to its {@code *.hlog} interval logs: {@code result.json} (the whole result document),
 * {@code summary.txt} (what is printed at the end) and {@code latency.svg} (the run's latency curves).
 * <p>
 * Stateless; called by the run's main thread.
 */
public final class RunOutput
{
    /** Metrics drawn in a run's own plot. */
    private static final String[] PLOTTED = { "e2e", "e2e-uncorrected", "publish", "publish-uncorrected" };

    private RunOutput()
    {
    }

    /**
     * @param directory the run's result directory.
     * @param result    the result document.
     * @param out       where the summary is printed.
     * @throws IOException when a file cannot be written.
     */
    public static void write(final Path directory, final Map<String, Object> result, final PrintStream out)
        throws IOException
    {
        Files.writeString(directory.resolve("result.json"), Json.write(result), StandardCharsets.UTF_8);
        final String summary = SummaryTable.format(result);
        Files.writeString(directory.resolve("summary.txt"), summary, StandardCharsets.UTF_8);
        Files.writeString(directory.resolve("latency.svg"), plot(result), StandardCharsets.UTF_8);
        out.println();
        out.print(summary);
        out.println("files     " + directory.resolve("result.json") + ", summary.txt, latency.svg, *.hlog");
        out.flush();
    }

    /**
     * @param result a result document.
     * @return an SVG with each latency curve of that run.
     */
    public static String plot(final Map<String, Object> result)
    {
        final List<LatencyPlot.Series> series = new ArrayList<>();
        for (final String name : PLOTTED)
        {
            final Object distribution = Json.get(result, "latencyMicros", name, "distribution");
            if (distribution instanceof List && !((List<?>)distribution).isEmpty())
            {
                series.add(LatencyPlot.Series.fromDistribution(name, (List<?>)distribution));
            }
        }
        final String title = Json.string(result, "label") + ": " + Json.string(result, "workload", "name") +
            " (" + Json.string(result, "startedAt") + ")";
        return LatencyPlot.svg(title, series, false);
    }
}
