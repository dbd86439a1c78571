package io.loggia.net.fuzz;

import io.loggia.net.broker.BrokerProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Watches a broker running in another process through a fuzz run, from outside as an operator would: the process
 * alive, its broker threads all still there (names from /proc/[pid]/task/[tid]/comm), nothing logged at SEVERE
 * (the broker logs every error it counts, and every request-handler failure, at that level) and no thread dying of
 * an exception, and its memory (RssAnon from /proc/[pid]/status, and its threads less the JVM's on-demand ones).
 */
final class ProcessWatch
{
    private final BrokerProcess broker;
    private final Path proc;
    private final Set<String> threadsAtStart;

    ProcessWatch(final BrokerProcess broker)
    {
        this.broker = broker;
        this.proc = Path.of("/proc", Long.toString(broker.pid()));
        this.threadsAtStart = brokerThreads();
    }

    Set<String> threadsAtStart()
    {
        return threadsAtStart;
    }

    /** Null if the broker looks healthy, else what is wrong. */
    String problems()
    {
        if (!broker.isAlive())
        {
            return "the broker process died: " + tail(broker.stderr());
        }
        final StringBuilder problems = new StringBuilder();
        if (threadsAtStart.isEmpty())
        {
            problems.append("no broker threads found; ");
        }
        final Set<String> now = brokerThreads();
        for (final String thread : threadsAtStart)
        {
            if (!now.contains(thread))
            {
                problems.append("thread ").append(thread).append(" is gone; ");
            }
        }
        for (final String line : broker.stderr())
        {
            // the broker's log lines start with a timestamp: "2026-11-26 21:17:46.855 SEVERE io.loggia..."
            if (line.contains(" SEVERE ") || line.startsWith("SEVERE") || line.startsWith("Exception in thread"))
            {
                problems.append("logged: ").append(line).append("; ");
                break;
            }
        }
        return problems.length() == 0 ? null : problems.toString();
    }

    MemorySample sample(final long inputs)
    {
        final Path status = proc.resolve("status");
        return new MemorySample(inputs, -1, -1, -1, BrokerWatch.ProcessStatus.rssAnon(status), threadsNotJvms());
    }

    /**
     * The process's threads less those the JVM starts on demand as load grows (compiler and collector threads),
     * so a thread the broker leaks shows and the JIT warming up does not.
     */
    private long threadsNotJvms()
    {
        long count = 0;
        for (final String name : threadNames())
        {
            if (!name.startsWith("C1 CompilerThre") && !name.startsWith("C2 CompilerThre") &&
                !name.startsWith("GC Thread") && !name.startsWith("G1 "))
            {
                count++;
            }
        }
        return count;
    }

    /** The broker's own threads by name ("loggia-..."; comm keeps 15 characters). */
    private Set<String> brokerThreads()
    {
        final Set<String> names = new TreeSet<>();
        for (final String name : threadNames())
        {
            if (name.startsWith("loggia-"))
            {
                names.add(name);
            }
        }
        return names;
    }

    /** Every thread's name, one entry per thread. */
    private List<String> threadNames()
    {
        final List<String> names = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(proc.resolve("task")))
        {
            for (final Path task : (Iterable<Path>)tasks::iterator)
            {
                try
                {
                    names.add(Files.readString(task.resolve("comm")).trim());
                }
                catch (final IOException ex)
                {
                    // the thread ended while listing
                }
            }
        }
        catch (final IOException ex)
        {
            return names;
        }
        return names;
    }

    private static String tail(final List<String> lines)
    {
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }
}
