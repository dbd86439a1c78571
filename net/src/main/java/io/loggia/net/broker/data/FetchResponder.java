package io.loggia.net.broker.data;

/**
 * Where {@link FetchHandler} hands a request whose answer is ready. The broker writes it through the request's
 * {@code InFlightRequest}, splicing the file regions in; a benchmark encodes into a buffer of its own.
 * <p>
 * Called on the owning network thread; the state is valid only during the call (it goes back to the pool).
 */
public interface FetchResponder
{
    void respond(FetchRequestState state);
}
