package io.loggia.engine.agent;

/**
 * What another thread calls to make an agent's thread run its duty cycle soon, after handing it work through
 * a ring or queue. It belongs to the thread (the idle strategy that runner uses), not to one agent, because
 * in shared mode several agents sleep and wake together.
 * <p>
 * Implementations must be cheap when the target is awake: a volatile load and no system call.
 */
@FunctionalInterface
public interface WakeSignal
{
    WakeSignal NONE = () -> {};

    /** Called from any thread after the work it hands over has been published. */
    void wake();
}
