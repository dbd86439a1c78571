package io.loggia.engine.writer;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who drives an engine agent, so that a shutdown never runs it on two threads at once:
 * <pre>
 *   NEW ──onStart (a runner's thread)──► ON_RUNNER ──shutdown done──► CLOSED
 *    │
 *    └──claim (the closing thread, the agent never started)──► CLAIMED ──shutdown done──► CLOSED
 * </pre>
 * An agent driven by hand (tests call {@code doWork()} without {@code onStart()}) stays NEW until it is
 * claimed by the thread that closes it, which must then be the thread that drove it.
 * <p>
 * <b>Assumptions and Guarantees</b>: any thread; transitions are compare-and-set, so exactly one of a runner's
 * {@link #onStart()} and a closer's {@link #claim()} wins.
 */
public final class AgentLifecycle
{
    public static final int NEW = 0;
    public static final int ON_RUNNER = 1;
    public static final int CLAIMED = 2;
    public static final int CLOSED = 3;

    private final AtomicInteger state = new AtomicInteger(NEW);
    private volatile Thread claimer;

    /** A runner's thread starts the agent; false if a closer claimed it first (the agent stays idle). */
    public boolean onStart()
    {
        return state.compareAndSet(NEW, ON_RUNNER);
    }

    /** The closing thread takes over an agent no runner started; false if a runner has it. */
    public boolean claim()
    {
        if (state.compareAndSet(NEW, CLAIMED))
        {
            claimer = Thread.currentThread();
            return true;
        }
        return CLAIMED == state.get() && claimer == Thread.currentThread();
    }

    /** Whether the calling thread may run the duty cycle. */
    public boolean mayWork()
    {
        final int current = state.get();
        return NEW == current || ON_RUNNER == current || (CLAIMED == current && claimer == Thread.currentThread());
    }

    public void closed()
    {
        state.set(CLOSED);
    }

    public boolean isClosed()
    {
        return CLOSED == state.get();
    }

    public boolean isOnRunner()
    {
        return ON_RUNNER == state.get();
    }

    public int state()
    {
        return state.get();
    }

    public String toString()
    {
        return "AgentLifecycle{state=" + state.get() + '}';
    }
}
