package io.loggia.tools.torture;

/**
 * Holds a group of worker threads still while the harness checks the broker: {@link #close()} stops them at
 * their next {@link #pass()} and returns once every one of them is parked there, so no request of theirs is in
 * flight when the check starts; {@link #open()} lets them run again. {@link #shutDown()} releases them for good.
 * <p>
 * <b>Assumptions and Guarantees.</b> Workers call {@link #pass()} between units of work, the harness's main
 * thread calls the rest. All state is guarded by the gate's monitor.
 */
final class Gate
{
    private final int workers;
    private boolean closed;
    private boolean shutDown;
    private int parked;

    Gate(final int workers)
    {
        this.workers = workers;
    }

    /**
     * Worker: park here while the gate is closed.
     *
     * @return false once the gate was shut down: the worker should end.
     */
    synchronized boolean pass() throws InterruptedException
    {
        if (closed && !shutDown)
        {
            parked++;
            notifyAll();
            while (closed && !shutDown)
            {
                wait();
            }
            parked--;
        }
        return !shutDown;
    }

    /** Worker: true once the gate is closing, so a long wait can end early. */
    synchronized boolean closing()
    {
        return closed || shutDown;
    }

    /**
     * Stop the workers at their next {@link #pass()}.
     *
     * @return true if every worker parked before the deadline.
     */
    synchronized boolean close(final long timeoutMs) throws InterruptedException
    {
        closed = true;
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (parked < workers && !shutDown)
        {
            final long remaining = deadline - System.currentTimeMillis();
            if (remaining <= 0)
            {
                return false;
            }
            wait(remaining);
        }
        return true;
    }

    synchronized void open()
    {
        closed = false;
        notifyAll();
    }

    /** A worker ended for good (it counts as parked for {@link #close}). */
    synchronized void workerEnded()
    {
        parked++;
        notifyAll();
    }

    synchronized void shutDown()
    {
        shutDown = true;
        notifyAll();
    }
}
