package io.loggia.tools;

import java.io.PrintStream;

/**
 * Where a command writes: results to {@link #out()}, failures to {@link #err()} as one line each, and stack
 * traces only when {@link #debug()} ({@code LOGGIA_DEBUG=1}). Tests pass captured streams.
 */
public final class Terminal
{
    private final PrintStream out;
    private final PrintStream err;
    private final boolean debug;

    public Terminal(final PrintStream out, final PrintStream err, final boolean debug)
    {
        this.out = out;
        this.err = err;
        this.debug = debug;
    }

    public PrintStream out()
    {
        return out;
    }

    public PrintStream err()
    {
        return err;
    }

    /** True when {@code LOGGIA_DEBUG=1}: failures carry their stack traces. */
    public boolean debug()
    {
        return debug;
    }

    /**
     * Report a failure: {@code line} on {@link #err()}, then, in debug mode only, the stack trace of
     * {@code cause} (which may be null).
     */
    public void error(final String line, final Throwable cause)
    {
        err.println(line);
        if (debug && null != cause)
        {
            cause.printStackTrace(err);
        }
        err.flush();
    }
}
