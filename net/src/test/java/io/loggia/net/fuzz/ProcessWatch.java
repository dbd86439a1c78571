package io.loggia.net.fuzz;

import io.loggia.net.broker.BrokerProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Watches a broker running in another process through a fuzz run, from outside as an operator would: the process
 * alive, its broker threads all still there (names from /proc/[pid]/task/[tid]/comm), nothing logged at SEVERE
 * (the broker logs every error it counts, and every request-handler failure, at that level) and no thread dying of
 * an exception, and its memory (RssAnon and thread count from /proc/[pid]/status).
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
            if (line.startsWith("SEVERE") || line.startsWith("Exception in thread"))
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
        return new MemorySample(inputs, -1, -1, -1, BrokerWatch.ProcessStatus.rssAnon(status),
            BrokerWatch.ProcessStatus.threads(status));
    }

    /** The broker's own threads by name ("loggia-..."; comm keeps 15 characters). */
    private Set<String> brokerThreads()
    {
        final Set<String> names = new TreeSet<>();
        try (Stream<Path> tasks = Files.list(proc.resolve("task")))
        {
            for (final Path task : (Iterable<Path>)tasks::iterator)
            {
                try
                {
                    final String name = Files.readString(task.resolve("comm")).trim();
                    if (name.startsWith("loggia-"))
                    {
                        names.add(name);
                    }
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
