package io.loggia.perf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/**
 * Reads process and machine CPU and memory figures from Linux's {@code /proc}, the same fields
 * {@code bench/kafka/perf.sh} reads, so the two report comparable numbers.
 * <p>
 * Stateless; safe on any thread.
 */
public final class ProcStat
{
    /** USER_HZ, the unit of every CPU figure in /proc: asked of {@code getconf CLK_TCK}, else Linux's 100. */
    public static final long CLOCK_TICKS_PER_SECOND = clockTicksPerSecond();

    private static final int STAT_UTIME = 11;
    private static final int STAT_STIME = 12;

    private ProcStat()
    {
    }

    /**
     * @param pid  a process id.
     * @param into filled on success.
     * @return false when the process is gone or /proc cannot be read.
     */
    public static boolean readProcess(final long pid, final ProcessSample into)
    {
        try
        {
            final String stat = Files.readString(Paths.get("/proc", Long.toString(pid), "stat"));
            // The command name in parentheses may hold spaces and parentheses; the fields start after the last ')'.
            final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            into.cpuTicks = Long.parseLong(fields[STAT_UTIME]) + Long.parseLong(fields[STAT_STIME]);
            into.rssAnonKb = 0;
            into.rssFileKb = 0;
            into.vmRssKb = 0;
            into.vmHwmKb = 0;
            for (final String line : Files.readAllLines(Paths.get("/proc", Long.toString(pid), "status")))
            {
                if (line.startsWith("RssAnon:"))
                {
                    into.rssAnonKb = kilobytes(line);
                }
                else if (line.startsWith("RssFile:"))
                {
                    into.rssFileKb = kilobytes(line);
                }
                else if (line.startsWith("VmRSS:"))
                {
                    into.vmRssKb = kilobytes(line);
                }
                else if (line.startsWith("VmHWM:"))
                {
                    into.vmHwmKb = kilobytes(line);
                }
            }
            return true;
        }
        catch (final IOException | RuntimeException ex)
        {
            return false;
        }
    }

    /**
     * @param into filled on success.
     * @return false when /proc/stat cannot be read.
     */
    public static boolean readMachine(final MachineSample into)
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/stat")))
            {
                if (line.startsWith("cpu "))
                {
                    final String[] f = line.trim().split("\\s+");
                    final long user = Long.parseLong(f[1]);
                    final long nice = Long.parseLong(f[2]);
                    final long system = Long.parseLong(f[3]);
                    final long idle = Long.parseLong(f[4]);
                    final long iowait = Long.parseLong(f[5]);
                    final long irq = Long.parseLong(f[6]);
                    final long softirq = Long.parseLong(f[7]);
                    final long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
                    into.busyTicks = user + nice + system + irq + softirq;
                    into.stealTicks = steal;
                    into.totalTicks = into.busyTicks + idle + iowait + steal;
                    return true;
                }
            }
            return false;
        }
        catch (final IOException | RuntimeException ex)
        {
            return false;
        }
    }

    /**
     * @param ticks clock ticks.
     * @return seconds.
     */
    public static double seconds(final long ticks)
    {
        return (double)ticks / CLOCK_TICKS_PER_SECOND;
    }

    private static long kilobytes(final String statusLine)
    {
        final String[] parts = statusLine.trim().split("\\s+");
        return Long.parseLong(parts[1]);
    }

    private static long clockTicksPerSecond()
    {
        try
        {
            final Process process = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            try (InputStream in = process.getInputStream())
            {
                final String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
                if (process.waitFor(5, TimeUnit.SECONDS) && process.exitValue() == 0)
                {
                    final long ticks = Long.parseLong(text);
                    if (ticks > 0)
                    {
                        return ticks;
                    }
                }
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            return 100;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}
