package io.loggia.net.transport;

import org.agrona.DirectBuffer;

/**
 * What the broker plugs into a {@link NetworkAgent}: one instance per agent, made by a
 * {@link RequestHandlerFactory}, called only on that agent's thread, so it may keep per-thread state (parked
 * fetches, flyweights, encoders) without synchronisation.
 * <p>
 * The contract:
 * <ul>
 * <li>{@link #onRequest} receives one frame: the request header and body, without the 4-byte size prefix. The
 * bytes are valid only until it returns; copy what must outlive the call.</li>
 * <li>Every request must be completed exactly once, with {@link InFlightRequest#complete()} after writing a
 * response through {@link InFlightRequest#responseWriter()}, or with
 * {@link InFlightRequest#completeWithoutResponse()}. Completion may happen inside {@code onRequest} or later,
 * on this thread: from {@link #doWork(long)} after a completion arrives from another thread (which then calls
 * the agent's {@link NetworkAgent#wakeSignal()}), or from another connection's {@code onRequest}.</li>
 * <li>Responses leave in request order per connection whatever the completion order; the transport adds the
 * 4-byte size prefix. Up to {@code loggia.network.max.in.flight.requests.per.connection} requests of one
 * connection are in flight; the transport stops reading that connection while it is full.</li>
 * <li>To complete later, keep {@link InFlightRequest#id()} and resolve it with
 * {@link NetworkAgent#inFlight(long)}, which returns null once the connection has gone: the
 * {@link InFlightRequest} object itself is reused for a later request once this one is done.</li>
 * <li>An exception thrown from {@code onRequest} closes that connection only and is logged; the thread
 * goes on. One thrown from {@link #doWork(long)} is logged and counted; the thread goes on.</li>
 * </ul>
 */
public interface RequestHandler
{
    /** No deadline: the value of {@link #nextDeadlineNs()} when the handler has no timer. */
    long NO_DEADLINE = Long.MAX_VALUE;

    /**
     * One complete request frame.
     *
     * @param buffer  holds the frame; valid only during this call.
     * @param offset  of the first byte after the size prefix (the request api key).
     * @param length  of the frame, the value of the size prefix.
     * @param request the handle to answer through.
     */
    void onRequest(DirectBuffer buffer, int offset, int length, InFlightRequest request);

    /**
     * Called once per duty cycle of the agent before its sockets are polled: drain completion rings, expire
     * parked requests, complete what became ready.
     *
     * @param nowNs the agent's {@link System#nanoTime()} for this cycle.
     * @return the amount of work done, 0 if none.
     */
    default int doWork(final long nowNs)
    {
        return 0;
    }

    /**
     * The earliest {@link System#nanoTime()} at which {@link #doWork(long)} must run again although no socket
     * or wake asks for it (a parked fetch's max wait), or {@link #NO_DEADLINE}. Read after every duty cycle.
     */
    default long nextDeadlineNs()
    {
        return NO_DEADLINE;
    }

    /**
     * A connection closed. Its in-flight requests are gone: {@link NetworkAgent#inFlight(long)} no longer
     * finds them, and the handler may drop whatever it parked for them.
     */
    default void onConnectionClosed(final long connectionId)
    {
    }

    /** The agent is closing, after all its connections closed. */
    default void onClose()
    {
    }
}
