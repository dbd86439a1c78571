package io.loggia.perf;

import io.loggia.perf.lean.DrainOptions;
import io.loggia.perf.lean.LeanFetchDrain;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code loggia perf}: the load harness. Subcommands:
 * <pre>
 *   loggia perf --bootstrap-server B [--preset NAME] [options]     run one workload against one broker
 *   loggia perf plot RUN.json... -o OUT.svg [--metric e2e,...] [--log-y] [--title T]
 *   loggia perf ratio --a A1.json[,A2.json...] --b B1.json[,...] [--a-label L] [--b-label L]
 *   loggia perf presets                                             list the named workloads
 *   loggia perf drain --bootstrap-server B --topic T [options]      read a topic's backlog at full speed
 * </pre>
 * Exit status: 0 on success, 1 when the run failed or lost, duplicated or failed to send messages, 2 for bad
 * arguments.
 */
public final class PerfMain
{
    private static final String USAGE =
        "usage: loggia perf --bootstrap-server HOST:PORT [--preset NAME] [options]\n" +
        "       loggia perf plot RUN.json... -o OUT.svg [--metric e2e[,publish...]] [--log-y] [--title TEXT]\n" +
        "       loggia perf ratio --a A.json[,A2.json...] --b B.json[,B2.json...] [--a-label NAME] [--b-label NAME]\n" +
        "       loggia perf presets\n" +
        "       loggia perf drain --bootstrap-server HOST:PORT --topic T [options] (see loggia perf drain --help)\n";

    private PerfMain()
    {
    }

    /**
     * @param args see the class comment.
     */
    public static void main(final String[] args)
    {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * @param args see the class comment.
     * @param out  normal output.
     * @param err  errors.
     * @return the exit status.
     */
    public static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        try
        {
            if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help"))
            {
                out.print(USAGE);
                out.println();
                out.print(PerfArgs.OPTIONS);
                return args.length == 0 ? 2 : 0;
            }
            switch (args[0])
            {
                case "presets":
                    printPresets(out);
                    return 0;
                case "plot":
                    return plot(tail(args), out);
                case "ratio":
                    return ratio(tail(args), out);
                case "drain":
                    return drain(tail(args), out, err);
                default:
                    return runWorkload(args, out);
            }
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("loggia perf: " + ex.getMessage());
            err.print(USAGE);
            return 2;
        }
        catch (final IOException | IllegalStateException ex)
        {
            // Expected failures (no broker, topic creation refused, groups not formed) carry their own explanation.
            err.println("loggia perf: " + ex.getMessage());
            return 1;
        }
        catch (final Exception ex)
        {
            err.println("loggia perf: " + ex);
            ex.printStackTrace(err);
            return 1;
        }
    }

    private static int runWorkload(final String[] args, final PrintStream out) throws Exception
    {
        final PerfArgs parsed = PerfArgs.parse(args);
        final PerfRun run = new PerfRun(parsed.options(), parsed.workload(), out);
        final CountDownLatch finished = new CountDownLatch(1);
        final Thread hook = new Thread(() ->
        {
            run.abort();
            try
            {
                finished.await(30, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }, "perf-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try
        {
            final Map<String, Object> result = run.execute();
            final boolean clean = !Boolean.TRUE.equals(Json.get(result, "status", "aborted")) &&
                Json.number(result, "delivery", "lost") == 0 &&
                Json.number(result, "delivery", "duplicates") == 0 &&
                Json.number(result, "publish", "errors") == 0 &&
                (parsed.workload().subscriptionsPerTopic() == 0 ||
                    Boolean.TRUE.equals(Json.get(result, "status", "drained")));
            return clean ? 0 : 1;
        }
        finally
        {
            finished.countDown();
        }
    }

    private static int drain(final String[] args, final PrintStream out, final PrintStream err) throws Exception
    {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h")))
        {
            out.print(DrainOptions.USAGE);
            return 0;
        }
        try
        {
            return LeanFetchDrain.run(args, out);
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("loggia perf drain: " + ex.getMessage());
            err.print(DrainOptions.USAGE);
            return 2;
        }
    }

    private static int plot(final String[] args, final PrintStream out) throws IOException
    {
        final List<Path> files = new ArrayList<>();
        Path output = null;
        String metrics = "e2e";
        String title = null;
        boolean logY = false;
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "-o":
                case "--out":
                    output = Path.of(value(args, ++i, "-o"));
                    break;
                case "--metric":
                    metrics = value(args, ++i, "--metric");
                    break;
                case "--title":
                    title = value(args, ++i, "--title");
                    break;
                case "--log-y":
                    logY = true;
                    break;
                default:
                    if (args[i].startsWith("-"))
                    {
                        throw new IllegalArgumentException("plot: unknown option '" + args[i] + "'");
                    }
                    files.add(Path.of(args[i]));
            }
        }
        if (files.isEmpty() || null == output)
        {
            throw new IllegalArgumentException("plot needs at least one RUN.json and -o OUT.svg");
        }
        final String[] names = metrics.split(",");
        final List<Map<String, Object>> results = new ArrayList<>();
        final List<String> labels = new ArrayList<>();
        for (final Path file : files)
        {
            final Map<String, Object> result = read(file);
            results.add(result);
            labels.add(Json.string(result, "label"));
        }
        final List<LatencyPlot.Series> series = new ArrayList<>();
        for (int f = 0; f < files.size(); f++)
        {
            final Map<String, Object> result = results.get(f);
            // Runs of one broker are told apart by their result directory (or file) name.
            final boolean ambiguous = labels.indexOf(labels.get(f)) != labels.lastIndexOf(labels.get(f));
            for (final String name : names)
            {
                final Object distribution = Json.get(result, "latencyMicros", name, "distribution");
                if (!(distribution instanceof List))
                {
                    out.println("# " + files.get(f) + " has no " + name + " latency; skipped");
                    continue;
                }
                final String label = labels.get(f) + (names.length > 1 ? " " + name : "") +
                    (ambiguous ? " [" + runName(files.get(f)) + "]" : "");
                series.add(LatencyPlot.Series.fromDistribution(label, (List<?>)distribution));
            }
        }
        final String workloadName = Json.string(results.get(0), "workload", "name");
        final String heading = null != title ? title : "latency by percentile: " + workloadName + " (" + metrics + ")";
        Files.writeString(output, LatencyPlot.svg(heading, series, logY), StandardCharsets.UTF_8);
        out.println("wrote " + output + " (" + series.size() + " curve(s))");
        return 0;
    }

    private static String runName(final Path file)
    {
        final Path parent = file.toAbsolutePath().getParent();
        return null != parent && file.getFileName().toString().equals("result.json") ?
            parent.getFileName().toString() : file.getFileName().toString();
    }

    private static int ratio(final String[] args, final PrintStream out) throws IOException
    {
        final List<Map<String, Object>> a = new ArrayList<>();
        final List<Map<String, Object>> b = new ArrayList<>();
        String labelA = null;
        String labelB = null;
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--a":
                    for (final String file : value(args, ++i, "--a").split(","))
                    {
                        a.add(read(Path.of(file)));
                    }
                    break;
                case "--b":
                    for (final String file : value(args, ++i, "--b").split(","))
                    {
                        b.add(read(Path.of(file)));
                    }
                    break;
                case "--a-label":
                    labelA = value(args, ++i, "--a-label");
                    break;
                case "--b-label":
                    labelB = value(args, ++i, "--b-label");
                    break;
                default:
                    throw new IllegalArgumentException("ratio: unknown option '" + args[i] + "'");
            }
        }
        if (a.isEmpty() || b.isEmpty())
        {
            throw new IllegalArgumentException("ratio needs --a FILES and --b FILES");
        }
        out.print(RatioTable.format(null != labelA ? labelA : Json.string(a.get(0), "label"), a,
            null != labelB ? labelB : Json.string(b.get(0), "label"), b));
        return 0;
    }

    private static void printPresets(final PrintStream out)
    {
        for (final Map.Entry<String, Workload> entry : Presets.all().entrySet())
        {
            out.println(entry.getValue().describe());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(final Path file) throws IOException
    {
        final Object parsed = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
        if (!(parsed instanceof Map))
        {
            throw new IllegalArgumentException(file + " is not a loggia perf result");
        }
        return (Map<String, Object>)parsed;
    }

    private static String value(final String[] args, final int index, final String option)
    {
        if (index >= args.length)
        {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static String[] tail(final String[] args)
    {
        final String[] tail = new String[args.length - 1];
        System.arraycopy(args, 1, tail, 0, tail.length);
        return tail;
    }
}
