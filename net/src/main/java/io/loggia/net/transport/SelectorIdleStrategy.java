package io.loggia.net.transport;

import io.loggia.engine.agent.SignalledIdleStrategy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.function.Consumer;

/**
 * Idle strategy of a network thread: after the spins, block in {@code selector.select(timeout)}, so socket
 * readiness, a {@link #wake()} from another thread (a {@link Selector#wakeup()}) or the earliest timer ends the
 * sleep. {@link #wake()} costs a volatile load and no system call while the thread is awake.
 * <p>
 * The timeout is the smaller of the deadline the agent set with {@link #blockUntil(long)} during its last duty
 * cycle and {@code maxBlockNs}, which bounds the timers of other agents composed on the same thread.
 * <p>
 * Readiness found while blocked is not consumed here: the selector is level-triggered, so the agent's next
 * {@code selectNow} reports the same keys again. One selector can block a thread, so a thread runs at most one
 * {@link NetworkAgent}.
 * <p>
 * <b>Assumptions and Guarantees</b>: {@link #idle(int)}, {@link #blockUntil(long)} are called by the thread
 * that runs the agent; {@link #wake()} and {@link #stopBlocking()} from any thread.
 */
public final class SelectorIdleStrategy extends SignalledIdleStrategy
{
    private static final Consumer<SelectionKey> IGNORE_READY_KEYS = key -> {};

    private final Selector selector;
    private final long maxBlockNs;
    private long deadlineNs = Long.MAX_VALUE;
    private volatile boolean stopBlocking;

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
        selector.wakeup();
    }

    public String alias()
    {
        return "selector";
    }
}
