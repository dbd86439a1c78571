package io.loggia.engine;

import io.loggia.engine.agent.ParkingIdleStrategy;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The dedicated placement of the engine's agents: each writer and the housekeeper on a thread of its own, each
 * with a {@link ParkingIdleStrategy} whose wake-up the engine's proxies call. The broker's shared mode composes
 * the writers with a network agent instead; tests and benchmarks use this.
 * <p>
 * Close order: {@link #close()} closes the engine first (the writers drain and close their logs on their own
 * threads), then stops the runners.
 */
public final class EngineThreads implements AutoCloseable
{
    /** Spins before a writer parks: cheap when appends arrive in bursts. */
    public static final int IDLE_SPINS = 100;
    /** Each spin is a pass over every partition, and the housekeeper's work is never urgent to the microsecond. */
    public static final int HOUSEKEEPER_IDLE_SPINS = 2;
    /** Longest park of a writer: bounds how late its timers run (retention, flush.ms, delayed deletes). */
    public static final long WRITER_MAX_PARK_NS = TimeUnit.MILLISECONDS.toNanos(1);
    /** The housekeeper's park while its passes find work; it backs off to the longest park while they find none. */
    public static final long HOUSEKEEPER_MAX_PARK_NS = TimeUnit.MILLISECONDS.toNanos(10);
    /**
     * Longest park of an idle housekeeper: an idle pass still visits every partition (5,000 idle partitions took
     * 13.6% of a vCPU at one pass per 10 ms), and what it would find comes with a wake anyway (a writer at its gate, a roll,
     * every few MiB appended); only retries of failed steps and delayed deletes wait for this timer.
     */
    public static final long HOUSEKEEPER_IDLE_PARK_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Engine engine;
    private final List<AgentRunner> runners = new ArrayList<>();

    private EngineThreads(final Engine engine)
    {
        this.engine = engine;
    }

    /** Point each agent's wake signal at its thread's idle strategy and start the threads. */
    public static EngineThreads start(final Engine engine, final ErrorHandler errorHandler)
    {
        final EngineThreads threads = new EngineThreads(engine);
        final ParkingIdleStrategy housekeeperIdle =
            new ParkingIdleStrategy(HOUSEKEEPER_IDLE_SPINS, HOUSEKEEPER_MAX_PARK_NS, HOUSEKEEPER_IDLE_PARK_NS);
        engine.housekeeperWakeSignal(housekeeperIdle);
        for (int i = 0; i < engine.writerCount(); i++)
        {
            final ParkingIdleStrategy idle = new ParkingIdleStrategy(IDLE_SPINS, WRITER_MAX_PARK_NS);
            engine.writerWakeSignal(i, idle);
            threads.runners.add(new AgentRunner(idle, errorHandler, null, engine.writer(i)));
        }
        threads.runners.add(new AgentRunner(housekeeperIdle, errorHandler, null, engine.housekeeper()));
        for (final AgentRunner runner : threads.runners)
        {
            AgentRunner.startOnThread(runner);
        }
        return threads;
    }

    public Engine engine()
    {
        return engine;
    }

    public void close()
    {
        engine.close();
        CloseHelper.closeAll(runners);
    }
}
