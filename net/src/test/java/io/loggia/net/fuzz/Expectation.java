package io.loggia.net.fuzz;

/**
 * What the broker may do with an input, worked out by reading it with kafka-clients the way a Kafka broker
 * would: answer a request it can read, close the connection of one it cannot, stay silent for an acks=0
 * Produce. Where Loggia's own decoders may rightly differ from kafka-clients (a frame kafka-clients reads but
 * would not write back byte for byte: a length of -2 read as null, an overlong varint, bytes after the body),
 * more than one outcome is allowed. {@link #waitMs} is how long the request may legitimately take (a long poll,
 * a rebalance).
 */
final class Expectation
{
    final boolean answer;
    final boolean close;
    final boolean noResponse;
    /** Whether kafka-clients reads the request at all; Loggia's own decoders answering one it cannot is lenient. */
    final boolean kafkaReads;
    final long waitMs;
    final String why;

    Expectation(
        final boolean answer,
        final boolean close,
        final boolean noResponse,
        final boolean kafkaReads,
        final long waitMs,
        final String why)
    {
        this.answer = answer;
        this.close = close;
        this.noResponse = noResponse;
        this.kafkaReads = kafkaReads;
        this.waitMs = waitMs;
        this.why = why;
    }

    static Expectation close(final String why)
    {
        return new Expectation(false, true, false, false, 0, why);
    }

    static Expectation answer(final long waitMs, final String why)
    {
        return new Expectation(true, false, false, true, waitMs, why);
    }

    public String toString()
    {
        return (answer ? "answer " : "") + (close ? "close " : "") + (noResponse ? "no-response " : "") + "(" + why +
            ")";
    }
}
