package io.loggia.net.broker;

import io.loggia.engine.agent.WakeSignal;
import org.agrona.concurrent.Agent;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * An agent the broker can hold back at start-up and close on its own thread while the thread goes on running the
 * agents composed with it. In shared threading mode network agent 0 shares its thread with the writers, which
 * must keep running after the network closed (the engine's shutdown drains them), so closing the runner is not
 * an option; the broker closes the gate instead and the agent's {@code onClose} runs in its next duty cycle, on
 * its own thread.
 * <pre>
 *   HELD ──open()──► OPEN ──requestClose()──► CLOSING ──next duty cycle: agent.onClose()──► CLOSED
 *     └──────────────requestClose()──────────────┘
 * </pre>
 * <b>Assumptions and Guarantees</b>: {@link #doWork()}, {@link #onStart()} and {@link #onClose()} run on the
 * runner's thread; {@link #open()}, {@link #requestClose()} and {@link #isClosed()} on any thread. The state is
 * atomic, so the agent's {@code onClose} runs once, on the runner's thread (or on the closing thread if no
 * runner ever started).
 */
final class GatedAgent implements Agent
{
    static final int HELD = 0;
    static final int OPEN = 1;
    static final int CLOSING = 2;
    static final int CLOSED = 3;

    private final Agent agent;
    private final WakeSignal threadWake;
    private final AtomicInteger state;

    /**
     * @param threadWake wakes the thread that runs this agent.
     * @param open       false: hold the agent back until {@link #open()}.
     */
    GatedAgent(final Agent agent, final WakeSignal threadWake, final boolean open)
    {
        this.agent = agent;
        this.threadWake = threadWake;
        this.state = new AtomicInteger(open ? OPEN : HELD);
    }

    public String roleName()
    {
        return agent.roleName();
    }

    public void onStart()
    {
        agent.onStart();
    }

    public int doWork() throws Exception
    {
        switch (state.get())
        {
            case OPEN:
                return agent.doWork();
            case CLOSING:
                if (state.compareAndSet(CLOSING, CLOSED))
                {
                    agent.onClose();
                }
                return 1;
            default:
                return 0;
        }
    }

    public void onClose()
    {
        if (CLOSED != state.getAndSet(CLOSED))
        {
            agent.onClose();
        }
    }

    /** Any thread: let the agent run. */
    void open()
    {
        state.compareAndSet(HELD, OPEN);
        threadWake.wake();
    }

    /** Any thread: close the agent on its own thread at its next duty cycle. */
    void requestClose()
    {
        if (state.compareAndSet(OPEN, CLOSING) || state.compareAndSet(HELD, CLOSING))
        {
            threadWake.wake();
        }
    }

    /** Any thread. */
    boolean isClosed()
    {
        return CLOSED == state.get();
    }

    Agent agent()
    {
        return agent;
    }
}
