package io.loggia.net.fuzz;

import io.loggia.net.broker.BrokerProcess;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What a live broker was doing when a soak found something: its threads' stacks and CPU times and the tail of its
 * output, taken while it still runs. The broker is the harness's child and its output lives only in the harness,
 * so without this a hang ends the run with nothing to read (live soak run 13).
 */
final class PostMortem
{
    private static final int OUTPUT_LINES = 200;

    private PostMortem()
    {
    }

    static void print(final BrokerProcess broker, final PrintStream out)
    {
        out.println("post-mortem of broker pid " + broker.pid() + (broker.isAlive() ? "" : " (no longer alive)"));
        out.println("-- thread CPU (utime+stime ticks):");
        threadTimes(broker.pid()).forEach(out::println);
        out.println("-- jcmd Thread.print:");
        out.println(threadDump(broker.pid()));
        out.println("-- last " + OUTPUT_LINES + " lines of stderr:");
        tail(broker.stderr()).forEach(out::println);
        out.println("-- last " + OUTPUT_LINES + " lines of stdout:");
        tail(broker.stdout()).forEach(out::println);
        out.println("-- end of post-mortem");
    }

    private static List<String> threadTimes(final long pid)
    {
        final List<String> lines = new ArrayList<>();
        final Path tasks = Path.of("/proc", Long.toString(pid), "task");
        try (var stream = Files.list(tasks))
        {
            for (final Path task : (Iterable<Path>)stream::iterator)
            {
                try
                {
                    final String stat = Files.readString(task.resolve("stat"), StandardCharsets.US_ASCII);
                    final int close = stat.lastIndexOf(')');
                    final String name = stat.substring(stat.indexOf('(') + 1, close);
                    final String[] fields = stat.substring(close + 2).split(" ");
                    // after the name: state is field 0, utime 11, stime 12
                    final long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    lines.add(String.format(Locale.ROOT, "%8d %s %s", ticks, fields[0], name));
                }
                catch (final IOException | RuntimeException ex)
                {
                    lines.add(task.getFileName() + ": " + ex);
                }
            }
        }
        catch (final IOException ex)
        {
            lines.add("no threads listed: " + ex);
        }
        return lines;
    }

    private static String threadDump(final long pid)
    {
        final Path java = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try
        {
            final Process jcmd = new ProcessBuilder(java.toString(), Long.toString(pid), "Thread.print")
                .redirectErrorStream(true).start();
            final byte[] bytes = jcmd.getInputStream().readAllBytes();
            if (!jcmd.waitFor(30, TimeUnit.SECONDS))
            {
                jcmd.destroyForcibly();
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            return "jcmd failed: " + ex;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static List<String> tail(final List<String> lines)
    {
        return lines.subList(Math.max(0, lines.size() - OUTPUT_LINES), lines.size());
    }
}
