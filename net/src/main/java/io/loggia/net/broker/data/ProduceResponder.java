package io.loggia.net.broker.data;

/**
 * Where {@link ProduceHandler} hands a request once every partition has its outcome. The broker answers
 * through the request's {@code InFlightRequest}; a benchmark encodes into a buffer of its own.
 * <p>
 * Called on the owning network thread; the state is valid only during the call (it goes back to the pool).
 */
public interface ProduceResponder
{
    /** acks 1 or -1: encode and send the response from the state's outcomes. */
    void respond(ProduceRequestState state);

    /** acks=0: every batch was offered or refused; nothing is sent. */
    void completeWithoutResponse(ProduceRequestState state);
}
