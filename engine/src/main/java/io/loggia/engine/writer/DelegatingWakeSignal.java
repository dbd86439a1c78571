package io.loggia.engine.writer;

import io.loggia.engine.agent.WakeSignal;

/**
 * A {@link WakeSignal} that forwards to the signal of whichever thread ends up running an agent. Proxies and
 * other agents hold this object from the start; the broker points it at the runner's idle strategy before it
 * starts the runner (shared mode: the network thread's; dedicated mode: the agent's own).
 * <p>
 * <b>Assumptions and Guarantees</b>: {@link #target(WakeSignal)} is a control-plane call, normally once before
 * start; {@link #wake()} from any thread loads the target with a volatile read.
 */
public final class DelegatingWakeSignal implements WakeSignal
{
    private volatile WakeSignal target = WakeSignal.NONE;

    public void target(final WakeSignal target)
    {
        this.target = null == target ? WakeSignal.NONE : target;
    }

    public WakeSignal target()
    {
        return target;
    }

    public void wake()
    {
        target.wake();
    }
}
