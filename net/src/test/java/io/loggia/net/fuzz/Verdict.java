package io.loggia.net.fuzz;

/**
 * What the oracle concluded about one input's outcome. Everything but {@link #OK} is a finding.
 */
final class Verdict
{
    static final int OK = 0;
    /** The broker closed the connection although it should have answered (kafka-clients reads the request). */
    static final int UNEXPECTED_CLOSE = 1;
    /** The broker answered a request it should have refused (unserved API or version, unreadable header). */
    static final int UNEXPECTED_ANSWER = 2;
    /** The answer does not decode at the request's version, or carries another correlation id. */
    static final int BAD_RESPONSE = 3;
    /** The answer carries UNKNOWN_SERVER_ERROR (-1) or a code Kafka does not define. */
    static final int SERVER_ERROR = 4;
    /** A Fetch answer served a batch that fails its CRC or whose records do not parse. */
    static final int CORRUPT_RECORDS_SERVED = 5;
    /** Neither an answer nor a close within the deadline. */
    static final int HANG = 6;
    /** An acks=0 Produce was answered, or another request was not. */
    static final int WRONG_RESPONSE_COUNT = 7;
    /** The broker answered a Produce or Fetch body kafka-clients cannot read (more lenient than Kafka). */
    static final int LENIENT_DECODE = 8;
    /**
     * A Fetch answer served a compressed batch whose records do not decompress or parse: stored because the
     * broker does not decompress batches on Produce (a documented difference from Kafka, which does).
     */
    static final int CORRUPT_COMPRESSED_SERVED = 9;

    static final int COUNT = 10;

    /** Verdicts that are known, documented differences from Kafka: counted and shown, not failures. */
    static boolean isKnownDifference(final int verdict)
    {
        return verdict == LENIENT_DECODE || verdict == CORRUPT_COMPRESSED_SERVED;
    }

    private static final String[] NAMES = {
        "ok", "unexpected-close", "unexpected-answer", "bad-response", "server-error", "corrupt-records-served",
        "hang", "wrong-response-count", "lenient-decode", "corrupt-compressed-served",
    };

    private Verdict()
    {
    }

    static String name(final int verdict)
    {
        return NAMES[verdict];
    }
}
