package io.loggia.tools.torture;

import io.loggia.net.broker.BrokerMain;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One broker process: {@code java <launcher flags> -cp <this JVM's classpath> io.loggia.net.broker.BrokerMain
 * --override ...}, its output copied line by line into the run's {@code broker.log}, its start-up measured:
 * <ul>
 *     <li>{@link #readyMillis()}: from just before the process was forked to the moment its ready line was read,
 *     what an operator waits for after a crash;</li>
 *     <li>{@link #reportedStartMillis()}: the broker's own "started in N ms" (JVM start to ready);</li>
 *     <li>{@link #recoveryScanMillis()}: the sum of the scan times of the recovery reports it logged
 *     ({@code recovered ...} and {@code recovery cut data: ...}, one per partition recovered).</li>
 * </ul>
 * <p>
 * <b>Assumptions and Guarantees.</b> Two pump threads read the process's output and publish what they find
 * through volatile fields and concurrent lists; the harness's main thread calls everything else.
 */
final class BrokerUnderTest implements AutoCloseable
{
    /** The launcher's flags for {@code loggia broker} (heap, collector, and the opens agrona and chronicle need). */
    static final List<String> JVM_FLAGS = List.of(
        "-Xms32m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:MaxDirectMemorySize=512m", "-XX:+ExitOnOutOfMemoryError",
        "-Dchronicle.analytics.disable=true",
        "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
        "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED", "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED", "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
        "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED");

    private static final Pattern READY = Pattern.compile(" ready on PLAINTEXT://\\S+ .*started in (\\d+) ms");
    private static final Pattern RECOVERY =
        Pattern.compile("(?:recovered |recovery cut data: )\\S+: recovered, .*scanned=\\d+ segments/\\d+ bytes in (\\d+) ms");

    private final Process process;
    private final long startNanos;
    private final PrintStream log;
    private final String label;
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private final Thread stdoutPump;
    private final Thread stderrPump;
    private volatile long readyNanos;
    private volatile long reportedStartMillis = -1;
    private volatile long recoveryScanMillis;
    private volatile int recoveryReports;
    private volatile int recoveryCuts;

    private BrokerUnderTest(final Process process, final long startNanos, final PrintStream log, final String label)
    {
        this.process = process;
        this.startNanos = startNanos;
        this.log = log;
        this.label = label;
        this.stdoutPump = pump(process.getInputStream(), false);
        this.stderrPump = pump(process.getErrorStream(), true);
    }

    /** The command line of a broker with these settings, on this JVM's java and classpath. */
    static List<String> command(final List<String> overrides)
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.add("-cp");
        // under surefire the JVM's own classpath is a manifest-only jar; the test classpath is the real one
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add(BrokerMain.class.getName());
        for (final String override : overrides)
        {
            command.add("--override");
            command.add(override);
        }
        return command;
    }

    /**
     * Fork the broker; returns at once. {@link #awaitReady} waits for its ready line.
     *
     * @param log   where its output goes, each line prefixed with the label.
     * @param label e.g. {@code "iteration 12"}.
     */
    static BrokerUnderTest start(final List<String> command, final PrintStream log, final String label)
        throws IOException
    {
        synchronized (log)
        {
            log.println("---- " + label + ": broker starting");
        }
        final long startNanos = System.nanoTime();
        final Process process = new ProcessBuilder(command).start();
        return new BrokerUnderTest(process, startNanos, log, label);
    }

    /**
     * Wait for the ready line.
     *
     * @return true once ready; false if the process ended first or the timeout passed (then it is killed).
     */
    boolean awaitReady(final long timeoutMs) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (0 == readyNanos)
        {
            if (!process.isAlive() || System.nanoTime() - deadline > 0)
            {
                if (process.isAlive())
                {
                    kill();
                }
                return 0 != readyNanos;
            }
            process.waitFor(5, TimeUnit.MILLISECONDS);
        }
        return true;
    }

    /**
     * Wait until the broker is ready or this deadline ({@link System#nanoTime()}) passes, whichever comes first.
     *
     * @return true if it became ready.
     */
    boolean awaitReadyUntil(final long deadlineNanos) throws InterruptedException
    {
        while (0 == readyNanos && process.isAlive() && System.nanoTime() - deadlineNanos < 0)
        {
            process.waitFor(1, TimeUnit.MILLISECONDS);
        }
        return 0 != readyNanos;
    }

    boolean isReady()
    {
        return 0 != readyNanos;
    }

    /** Fork to ready line, in milliseconds; -1 if not ready. */
    long readyMillis()
    {
        final long ready = readyNanos;
        return 0 == ready ? -1 : TimeUnit.NANOSECONDS.toMillis(ready - startNanos);
    }

    /** Nanos since the fork. */
    long sinceStartNanos()
    {
        return System.nanoTime() - startNanos;
    }

    long reportedStartMillis()
    {
        return reportedStartMillis;
    }

    long recoveryScanMillis()
    {
        return recoveryScanMillis;
    }

    /** Partitions the broker reported as recovered (scanned) at this start. */
    int recoveryReports()
    {
        return recoveryReports;
    }

    /** Of those, the ones whose recovery cut more than a preallocated zero tail (the broker's WARNING). */
    int recoveryCuts()
    {
        return recoveryCuts;
    }

    List<String> stderr()
    {
        return List.copyOf(stderr);
    }

    long pid()
    {
        return process.pid();
    }

    boolean isAlive()
    {
        return process.isAlive();
    }

    /** kill -9, and wait for the process to be gone. */
    void kill() throws InterruptedException
    {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        note("killed (SIGKILL)");
    }

    /**
     * SIGTERM: a clean shutdown.
     *
     * @return the exit code, or -1 if it did not stop within the timeout (it is killed then).
     */
    int terminate(final long timeoutMs) throws IOException, InterruptedException
    {
        new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor(10, TimeUnit.SECONDS);
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS))
        {
            kill();
            return -1;
        }
        awaitPumps();
        note("stopped, exit " + process.exitValue());
        return process.exitValue();
    }

    /** The exit code once it ended, -1 while it runs. */
    int exitCode()
    {
        return process.isAlive() ? -1 : process.exitValue();
    }

    private void awaitPumps() throws InterruptedException
    {
        stdoutPump.join(5_000);
        stderrPump.join(5_000);
    }

    private void note(final String line)
    {
        synchronized (log)
        {
            log.println("---- " + label + ": " + line);
        }
    }

    private Thread pump(final InputStream stream, final boolean isErr)
    {
        final Thread thread = new Thread(() ->
        {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8)))
            {
                String line;
                while (null != (line = reader.readLine()))
                {
                    onLine(line, isErr);
                }
            }
            catch (final IOException ignored)
            {
                // the process ended
            }
        }, "torture-broker-" + (isErr ? "err" : "out"));
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void onLine(final String line, final boolean isErr)
    {
        final long now = System.nanoTime();
        synchronized (log)
        {
            log.println((isErr ? "err " : "out ") + line);
        }
        if (isErr)
        {
            stderr.add(line);
            final Matcher recovery = RECOVERY.matcher(line);
            if (recovery.find())
            {
                recoveryScanMillis += Long.parseLong(recovery.group(1));
                recoveryReports++;
                if (line.contains("recovery cut data: "))
                {
                    recoveryCuts++;
                }
            }
            return;
        }
        final Matcher ready = READY.matcher(line);
        if (ready.find())
        {
            reportedStartMillis = Long.parseLong(ready.group(1));
            readyNanos = now;
        }
    }

    public void close() throws InterruptedException
    {
        if (process.isAlive())
        {
            kill();
        }
    }
}
