package io.loggia.net.fuzz;

/** How the broker dealt with one input, as seen from the client's socket. */
final class Outcome
{
    /** One response frame came back. */
    static final int ANSWERED = 0;
    /** No response, and the connection stays usable (acks=0 Produce): the sentinel after it was answered. */
    static final int NO_RESPONSE = 1;
    /** The broker closed the connection. */
    static final int CLOSED = 2;
    /** The request may legitimately wait longer than the run lets it (a long poll); the client gave up. */
    static final int ABANDONED = 3;
    /** Nothing within the deadline. */
    static final int TIMED_OUT = 4;

    static final int COUNT = 5;

    private static final String[] NAMES = {"answered", "no-response", "closed", "abandoned", "timed-out"};

    private Outcome()
    {
    }

    static String name(final int outcome)
    {
        return NAMES[outcome];
    }
}
