package io.loggia.net.broker;

import io.loggia.engine.Engine;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a broker until SIGTERM or Ctrl-C: {@code java ... io.loggia.net.broker.BrokerMain [server.properties]
 * [--override key=value]...}. The {@code loggia broker} command and the tests that need a real process use it.
 * <pre>
 *   stdout: one line when ready (address, data dir, start-up time from JVM start), one when stopped and one of
 *           the engine's counters
 *   stderr: one line per unknown key (warning); a bad setting is one line naming the key, exit 2
 *   exit:   0 after a clean shutdown, 2 bad arguments or settings, 3 the broker could not start
 * </pre>
 * SIGTERM and SIGINT request a clean shutdown (network closed, writers drained, logs closed and trimmed,
 * checkpoints and the clean-shutdown marker written); a second signal while it runs changes nothing. A shutdown
 * hook closes the broker as well if the JVM exits some other way.
 */
public final class BrokerMain
{
    public static final int OK = 0;
    public static final int USAGE = 2;
    public static final int START_FAILED = 3;

    private static final String PREFIX = "loggia broker: ";

    private BrokerMain()
    {
    }

    public static void main(final String[] args)
    {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Start a broker and block until a signal asks it to stop.
     *
     * @return the exit code.
     */
    public static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        // one line per log record unless the operator configured logging
        if (null == System.getProperty("java.util.logging.SimpleFormatter.format") &&
            null == System.getProperty("java.util.logging.config.file"))
        {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        }
        final BrokerConfig config;
        try
        {
            final BrokerArgs parsed = BrokerArgs.parse(args);
            if (parsed.help())
            {
                out.println(BrokerArgs.USAGE);
                return OK;
            }
            config = BrokerConfig.parse(parsed.settings());
        }
        catch (final IllegalArgumentException | IOException ex)
        {
            err.println(PREFIX + ex.getMessage());
            err.flush();
            return USAGE;
        }
        for (final String warning : config.warnings())
        {
            err.println(PREFIX + "warning: " + warning);
        }

        // a signal during start-up is kept and acted on once the broker has started
        final CountDownLatch stopRequested = new CountDownLatch(1);
        final ShutdownSignals signals = ShutdownSignals.install(stopRequested::countDown);
        final Broker broker;
        try
        {
            broker = Broker.start(config);
        }
        catch (final IOException | RuntimeException | LinkageError ex)
        {
            signals.close();
            err.println(PREFIX + "cannot start: " + (ex instanceof IOException ? ex.getMessage() : ex.toString()));
            err.flush();
            return START_FAILED;
        }
        final long readyMillis = System.currentTimeMillis();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "loggia-shutdown"));
        out.println(broker.readyLine(readyMillis - ManagementFactory.getRuntimeMXBean().getStartTime()));
        out.flush();

        awaitUninterruptibly(stopRequested);
        final long stopStartNs = System.nanoTime();
        broker.close();
        signals.close();
        out.println("Loggia broker " + config.nodeId() + " stopped cleanly in " +
            (System.nanoTime() - stopStartNs) / 1_000_000 + " ms");
        out.println(countersLine(broker.engine()));
        out.flush();
        return OK;
    }

    /** The engine's counters since start, one line, for whoever reads the broker's output after a run. */
    private static String countersLine(final Engine engine)
    {
        final StringBuilder line = new StringBuilder("counters:");
        for (int i = 0; i < engine.writerCount(); i++)
        {
            line.append(" writer-").append(i).append(' ').append(engine.writer(i).counters());
        }
        return line.append(" housekeeper ").append(engine.housekeeper().counters()).toString();
    }

    private static void awaitUninterruptibly(final CountDownLatch latch)
    {
        while (true)
        {
            try
            {
                latch.await();
                return;
            }
            catch (final InterruptedException ignored)
            {
                // only a signal ends the wait
            }
        }
    }
}
