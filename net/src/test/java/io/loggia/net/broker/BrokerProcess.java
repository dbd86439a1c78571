package io.loggia.net.broker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real broker process for tests that need signals or {@code kill -9}: {@code java -cp <test classpath>
 * io.loggia.net.broker.BrokerMain --override ...}, started with the test defaults of {@link BrokerFixture} and
 * waited for until it prints its ready line.
 * <pre>
 *   try (BrokerProcess broker = BrokerProcess.start(dir, Map.of()))
 *   {
 *       ... clients on broker.bootstrapServers() ...
 *       broker.terminate();                    // SIGTERM: clean shutdown, exit 0
 *       broker.kill();                         // SIGKILL: as a crash
 *   }
 *   BrokerProcess.Result result = BrokerProcess.run(List.of("--override", "num.partitions=x"));
 * </pre>
 * Exported in net's test-jar.
 */
public final class BrokerProcess implements AutoCloseable
{
    /** JVM flags the broker needs (agrona's Unsafe access), as the launcher passes them. */
    public static final List<String> JVM_FLAGS = List.of(
        "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED",
        "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
        "-Xmx256m",
        "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1");

    private static final Pattern READY = Pattern.compile("ready on PLAINTEXT://([^ ]+) \\(advertised ([^)]+)\\)");
    private static final long START_TIMEOUT_MS = 60_000;

    /**
     * How a process ended.
     *
     * @param exitCode its exit status.
     * @param stdout   its standard output lines.
     * @param stderr   its standard error lines.
     */
    public record Result(int exitCode, List<String> stdout, List<String> stderr)
    {
    }

    private final Process process;
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private final BlockingQueue<String> stdoutLines = new LinkedBlockingQueue<>();
    private final Thread stdoutPump;
    private final Thread stderrPump;
    private String bootstrapServers;

    private BrokerProcess(final Process process)
    {
        this.process = process;
        this.stdoutPump = pump(process.getInputStream(), stdout, stdoutLines, "out");
        this.stderrPump = pump(process.getErrorStream(), stderr, null, "err");
    }

    /** Start a broker process with the test defaults and these settings, and wait for its ready line. */
    public static BrokerProcess start(final Path dataDir, final Map<String, String> overrides) throws IOException
    {
        return start(dataDir, overrides, List.of());
    }

    /** As {@link #start(Path, Map)}, with JVM flags added after {@link #JVM_FLAGS}. */
    public static BrokerProcess start(
        final Path dataDir, final Map<String, String> overrides, final List<String> jvmFlags) throws IOException
    {
        final List<String> args = new ArrayList<>();
        for (final Map.Entry<String, String> entry : BrokerFixture.TEST_DEFAULTS.entrySet())
        {
            if (!overrides.containsKey(entry.getKey()))
            {
                args.add("--override");
                args.add(entry.getKey() + '=' + entry.getValue());
            }
        }
        args.add("--override");
        args.add("log.dirs=" + dataDir);
        for (final Map.Entry<String, String> entry : overrides.entrySet())
        {
            args.add("--override");
            args.add(entry.getKey() + '=' + entry.getValue());
        }
        final BrokerProcess broker = new BrokerProcess(fork(jvmFlags, args));
        broker.awaitReady();
        return broker;
    }

    /** Run BrokerMain with these arguments to its end (for arguments that make it exit at once). */
    public static Result run(final List<String> args) throws IOException, InterruptedException
    {
        final BrokerProcess broker = new BrokerProcess(fork(List.of(), args));
        if (!broker.process.waitFor(START_TIMEOUT_MS, TimeUnit.MILLISECONDS))
        {
            broker.process.destroyForcibly();
            throw new IllegalStateException("BrokerMain " + args + " did not exit; stdout " + broker.stdout +
                ", stderr " + broker.stderr);
        }
        return broker.result();
    }

    private static Process fork(final List<String> jvmFlags, final List<String> args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add(BrokerMain.class.getName());
        command.addAll(args);
        return new ProcessBuilder(command).start();
    }

    private void awaitReady() throws IOException
    {
        final long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (true)
        {
            final long remaining = deadline - System.currentTimeMillis();
            final String line;
            try
            {
                line = remaining > 0 ? stdoutLines.poll(Math.min(remaining, 100), TimeUnit.MILLISECONDS) : null;
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for the broker");
            }
            if (null != line)
            {
                final Matcher matcher = READY.matcher(line);
                if (matcher.find())
                {
                    bootstrapServers = matcher.group(2);
                    return;
                }
            }
            else if (!process.isAlive() || remaining <= 0)
            {
                process.destroyForcibly();
                throw new IOException("broker did not become ready: exit " +
                    (process.isAlive() ? "none" : process.exitValue()) + ", stdout " + stdout + ", stderr " + stderr);
            }
        }
    }

    private static Thread pump(
        final InputStream stream, final List<String> lines, final BlockingQueue<String> queue, final String name)
    {
        final Thread thread = new Thread(() ->
        {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8)))
            {
                String line;
                while (null != (line = reader.readLine()))
                {
                    lines.add(line);
                    if (null != queue)
                    {
                        queue.add(line);
                    }
                }
            }
            catch (final IOException ignored)
            {
                // the process ended
            }
        }, "broker-process-" + name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    public String bootstrapServers()
    {
        return bootstrapServers;
    }

    public long pid()
    {
        return process.pid();
    }

    public boolean isAlive()
    {
        return process.isAlive();
    }

    /**
     * SIGTERM: a clean shutdown. Sent with {@code kill}: {@link Process#destroy()} would also close this side of the
     * process's output, losing what it prints while it stops.
     */
    public void terminate() throws IOException, InterruptedException
    {
        signal("TERM");
    }

    /** Send a signal by name ({@code TERM}, {@code INT}, {@code KILL}) with {@code kill}. */
    public void signal(final String name) throws IOException, InterruptedException
    {
        final Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
        kill.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGKILL: as a crash; nothing is flushed, trimmed or checkpointed. */
    public void kill() throws InterruptedException
    {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Wait for the process to end and return how it ended. */
    public Result await(final long timeoutMs) throws InterruptedException
    {
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS))
        {
            throw new IllegalStateException("broker still running after " + timeoutMs + " ms; stdout " + stdout +
                ", stderr " + stderr);
        }
        return result();
    }

    private Result result() throws InterruptedException
    {
        // the pumps reach the end of their streams once the process is gone
        stdoutPump.join(5_000);
        stderrPump.join(5_000);
        return new Result(process.exitValue(), List.copyOf(stdout), List.copyOf(stderr));
    }

    public List<String> stdout()
    {
        return List.copyOf(stdout);
    }

    public List<String> stderr()
    {
        return List.copyOf(stderr);
    }

    public void close() throws InterruptedException
    {
        if (process.isAlive())
        {
            kill();
        }
    }
}
