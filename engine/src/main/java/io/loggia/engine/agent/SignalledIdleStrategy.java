package io.loggia.engine.agent;

import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Base for idle strategies that sleep until a {@link WakeSignal} or a deadline: spin a little (cheap when
 * work arrives in bursts), then block. The state word makes {@link #wake()} free while the thread is awake.
 * <p>
 * <b>Assumptions and Guarantees</b>: {@link #idle(int)} and {@link #reset()} are called only by the thread
 * that runs the agents; {@link #wake()} from any thread. A wake that races with the decision to sleep is never
 * lost: the sleeper publishes SLEEPING before its last check for work, and a waker that sees SLEEPING
 * always calls {@link #unblock()}.
 */
public abstract class SignalledIdleStrategy implements IdleStrategy, WakeSignal
{
    static final int AWAKE = 0;
    static final int SLEEPING = 1;
    static final int SIGNALLED = 2;

    private final AtomicInteger state = new AtomicInteger(AWAKE);
    private final int spins;
    private int idleCount;

    protected SignalledIdleStrategy(final int spins)
    {
        this.spins = spins;
    }

    public final void idle(final int workCount)
    {
        if (workCount > 0)
        {
            idleCount = 0;
            onActive();
            return;
        }
        idle();
    }

    /** The agent found work or was woken: a hook for strategies that back off while neither happens. */
    protected void onActive()
    {
    }

    public final void idle()
    {
        if (idleCount < spins)
        {
            idleCount++;
            Thread.onSpinWait();
            return;
        }
        if (state.compareAndSet(AWAKE, SLEEPING))
        {
            block();
        }
        else
        {
            onActive();
        }
        // SIGNALLED (woken before sleeping) or back from block(): either way go round the duty cycle again.
        state.set(AWAKE);
    }

    public final void reset()
    {
        idleCount = 0;
    }

    public final void wake()
    {
        while (true)
        {
            final int current = state.get();
            if (current == SIGNALLED)
            {
                return;
            }
            if (state.compareAndSet(current, SIGNALLED))
            {
                if (current == SLEEPING)
                {
                    unblock();
                }
                return;
            }
        }
    }

    /** True while the sleeper must not block: a wake arrived since it last found no work. */
    protected final boolean signalled()
    {
        return state.get() == SIGNALLED;
    }

    /** Blocks until {@link #unblock()} or the strategy's own deadline. Must return at once if already unblocked. */
    protected abstract void block();

    /** Makes a current or imminent {@link #block()} return. */
    protected abstract void unblock();
}
