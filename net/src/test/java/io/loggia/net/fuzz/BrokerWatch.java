package io.loggia.net.fuzz;

import io.loggia.net.broker.Broker;
import io.loggia.net.transport.NetworkCounters;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Watches a broker running in this JVM through a fuzz run: its threads (all still alive), its error count and its
 * network agents' handler-error counters (both still zero), and its memory (sampled with {@link #sample}).
 */
final class BrokerWatch
{
    private final Broker broker;
    private final List<Thread> threads = new ArrayList<>();
    private final List<MemorySample> samples = new ArrayList<>();

    BrokerWatch(final Broker broker)
    {
        this.broker = broker;
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.getName().startsWith("loggia-"))
            {
                threads.add(thread);
            }
        }
    }

    List<Thread> threads()
    {
        return threads;
    }

    /** Null if the broker is healthy, else what is wrong. */
    String problems()
    {
        final StringBuilder problems = new StringBuilder();
        if (threads.isEmpty())
        {
            problems.append("no broker threads found; ");
        }
        for (final Thread thread : threads)
        {
            if (!thread.isAlive())
            {
                problems.append("thread ").append(thread.getName()).append(" died; ");
            }
        }
        if (broker.errorCount() != 0)
        {
            problems.append("broker error count ").append(broker.errorCount()).append("; ");
        }
        final long handlerErrors = handlerErrors();
        if (handlerErrors != 0)
        {
            problems.append("request handler errors ").append(handlerErrors).append("; ");
        }
        return problems.length() == 0 ? null : problems.toString();
    }

    long handlerErrors()
    {
        long errors = 0;
        for (int i = 0; i < broker.server().agentCount(); i++)
        {
            errors += broker.server().agent(i).counters().get(NetworkCounters.HANDLER_ERRORS);
        }
        return errors;
    }

    /** The network counters of every agent, for the report. */
    String counters()
    {
        final StringBuilder out = new StringBuilder();
        for (int i = 0; i < broker.server().agentCount(); i++)
        {
            out.append("agent ").append(i).append(":\n").append(broker.server().agent(i).counters());
        }
        return out.toString();
    }

    /**
     * Full GC, then heap in use, direct buffers and network buffers. Not this process's RssAnon: the test JVM's
     * heap may grow its committed size and the JIT its arenas by tens of MiB over a run (CI saw +52 MiB with the
     * heap in use flat), which says nothing about the broker; the live-process layer holds a broker process with
     * a fixed heap to its RssAnon.
     */
    MemorySample sample(final long inputs)
    {
        System.gc();
        final long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long direct = -1;
        for (final BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class))
        {
            if ("direct".equals(pool.getName()))
            {
                direct = pool.getMemoryUsed();
            }
        }
        long pool = 0;
        for (int i = 0; i < broker.server().agentCount(); i++)
        {
            pool += broker.server().agent(i).counters().get(NetworkCounters.BUFFER_BYTES);
        }
        final MemorySample sample = new MemorySample(inputs, heap, direct, pool, -1, -1);
        samples.add(sample);
        return sample;
    }

    List<MemorySample> samples()
    {
        return samples;
    }

    /** Reads /proc/[pid]/status fields. */
    static final class ProcessStatus
    {
        private ProcessStatus()
        {
        }

        static long rssAnon(final Path status)
        {
            return field(status, "RssAnon:") * 1024;
        }

        static long threads(final Path status)
        {
            return field(status, "Threads:");
        }

        private static long field(final Path status, final String name)
        {
            try
            {
                for (final String line : Files.readAllLines(status))
                {
                    if (line.startsWith(name))
                    {
                        return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
                    }
                }
            }
            catch (final IOException | RuntimeException ex)
            {
                return -1;
            }
            return -1;
        }
    }
}
