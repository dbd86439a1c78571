package io.loggia.net.group;

import org.apache.kafka.common.protocol.Message;

/**
 * Where the answer to one request goes: the broker's dispatcher writes the response header for the request
 * (its correlation id, the header version of the API and version) and the body. {@link InFlightResponseSink}
 * is the transport's implementation.
 * <p>
 * Called exactly once per request, on the network thread that received it, either inside
 * {@link GroupApis#handle} or later from {@link GroupApis#doWork()}.
 */
@FunctionalInterface
public interface ResponseSink
{
    /**
     * @param body    the response body, a kafka-clients {@code *ResponseData}.
     * @param version the API version to write it at (the request's).
     */
    void send(Message body, short version);
}
