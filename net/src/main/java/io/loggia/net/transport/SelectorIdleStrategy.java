package io.loggia.net.transport;

import io.loggia.engine.agent.SignalledIdleStrategy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Idle strategy of a network thread: after the spins, block in {@code selector.select(timeout)}, so socket
 * readiness, a {@link #wake()} from another thread (a {@link Selector#wakeup()}) or the earliest timer ends the
 * sleep. {@link #wake()} costs a volatile load and no system call while the thread is awake.
 * <p>
 * Once the agent has closed its selector the thread may still run other agents composed with it (shared threading
 * mode during shutdown: the writers drain, the engine closes): it then parks ({@link LockSupport#parkNanos}) for
 * as long as it would have selected, and {@link #wake()} unparks it, so it neither spins nor misses a wake.
 * <pre>
 *   block():   signalled or stopBlocking ──► return at once
 *              selector open             ──► select(min(deadline, maxBlock))     unblock(): selector.wakeup()
 *              selector closed           ──► parkNanos(min(deadline, maxBlock))  unblock(): unpark(owner)
 * </pre>
 * <p>
 * The timeout is the smaller of the deadline the agent set with {@link #blockUntil(long)} during its last duty
 * cycle and {@code maxBlockNs}, which bounds the timers of other agents composed on the same thread.
 * <p>
 * Readiness found while blocked is not consumed here: the selector is level-triggered, so the agent's next
 * {@code selectNow} reports the same keys again. One selector can block a thread, so a thread runs at most one
 * {@link NetworkAgent}.
 * <p>
 * <b>Assumptions and Guarantees</b>: {@link #idle(int)}, {@link #blockUntil(long)} are called by the thread
 * that runs the agent; {@link #wake()} and {@link #stopBlocking()} from any thread. The selector is closed only by
 * that thread (the agent's {@code onClose}), never while it is asleep, so a waker that found it asleep sees whether
 * it sleeps in the selector or in a park. A park never misses a wake: the thread stores itself as the owner and
 * then checks the signal and the stop flag; a waker stores the signal (or the flag) and then loads the owner.
 */
public final class SelectorIdleStrategy extends SignalledIdleStrategy
{
    private static final Consumer<SelectionKey> IGNORE_READY_KEYS = key -> {};

    private final Selector selector;
    private final long maxBlockNs;
    private long deadlineNs = Long.MAX_VALUE;
    private volatile boolean stopBlocking;
    private volatile Thread owner;

    public SelectorIdleStrategy(final Selector selector, final int spins, final long maxBlockNs)
    {
        super(spins);
        this.selector = selector;
        this.maxBlockNs = maxBlockNs;
    }

    /**
     * Sets the {@link System#nanoTime()} by which the next block must return ({@link Long#MAX_VALUE}: none);
     * replaces the previous deadline. Called by the agent at the end of each duty cycle.
     */
    public void blockUntil(final long deadlineNs)
    {
        this.deadlineNs = deadlineNs;
    }

    /**
     * Makes every later block return at once, and ends the current one. Called at shutdown before
     * {@code AgentRunner.close()}, so the runner sees its stop flag promptly and never interrupts the thread: an
     * interrupt during {@code FileChannel.transferTo} would close a log segment's channel for every reader.
     */
    public void stopBlocking()
    {
        stopBlocking = true;
        selector.wakeup();
        unparkOwner();
    }

    protected void block()
    {
        if (signalled() || stopBlocking)
        {
            return;
        }
        final long remainingNs = Math.min(maxBlockNs, deadlineNs - System.nanoTime());
        if (remainingNs <= 0)
        {
            return;
        }
        if (!selector.isOpen())
        {
            park(remainingNs);
            return;
        }
        final long timeoutMs = Math.max(1, (remainingNs + 999_999) / 1_000_000);
        try
        {
            selector.select(IGNORE_READY_KEYS, timeoutMs);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    protected void unblock()
    {
        if (selector.isOpen())
        {
            selector.wakeup();
        }
        else
        {
            unparkOwner();
        }
    }

    /** The selector is closed: sleep until a wake, the stop, or the timeout. */
    private void park(final long timeoutNs)
    {
        if (null == owner)
        {
            owner = Thread.currentThread();
        }
        // the owner is stored before these loads: a waker that stored its signal or the stop flag after them
        // loads the owner and unparks it
        if (!signalled() && !stopBlocking)
        {
            LockSupport.parkNanos(this, timeoutNs);
        }
    }

    private void unparkOwner()
    {
        final Thread thread = owner;
        if (null != thread)
        {
            LockSupport.unpark(thread);
        }
    }

    public String alias()
    {
        return "selector";
    }
}
