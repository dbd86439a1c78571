package io.loggia.net.broker.data;

import io.loggia.engine.writer.KafkaErrors;

/**
 * Kafka error codes the data path answers with that the engine never produces ({@link KafkaErrors} holds the
 * engine's). Kafka's {@code Errors} numbering.
 */
public final class DataErrors
{
    public static final short NONE = KafkaErrors.NONE;
    public static final short OFFSET_OUT_OF_RANGE = KafkaErrors.OFFSET_OUT_OF_RANGE;
    public static final short CORRUPT_MESSAGE = KafkaErrors.CORRUPT_MESSAGE;
    public static final short UNKNOWN_TOPIC_OR_PARTITION = KafkaErrors.UNKNOWN_TOPIC_OR_PARTITION;
    public static final short NOT_LEADER_OR_FOLLOWER = KafkaErrors.NOT_LEADER_OR_FOLLOWER;
    /** acks=all answer not complete within the request's timeout_ms. */
    public static final short REQUEST_TIMED_OUT = 7;
    public static final short MESSAGE_TOO_LARGE = KafkaErrors.MESSAGE_TOO_LARGE;
    public static final short INVALID_TOPIC_EXCEPTION = KafkaErrors.INVALID_TOPIC_EXCEPTION;
    public static final short INVALID_REQUIRED_ACKS = KafkaErrors.INVALID_REQUIRED_ACKS;
    public static final short UNSUPPORTED_FOR_MESSAGE_FORMAT = KafkaErrors.UNSUPPORTED_FOR_MESSAGE_FORMAT;
    /** Fetch: an incremental fetch names a session this broker does not have (it keeps none). */
    public static final short FETCH_SESSION_ID_NOT_FOUND = 70;
    /** Fetch: a session's epoch out of step; never sent, as no session exists to be out of step. */
    public static final short INVALID_FETCH_SESSION_EPOCH = 71;
    /** ListOffsets / OffsetForLeaderEpoch: the client's leader epoch is newer than the partition's. */
    public static final short UNKNOWN_LEADER_EPOCH = 75;
    /** ListOffsets / OffsetForLeaderEpoch: the client's leader epoch is older than the partition's. */
    public static final short FENCED_LEADER_EPOCH = 74;
    public static final short INVALID_RECORD = KafkaErrors.INVALID_RECORD;
    /** From v13 Produce and Fetch name topics by id: an id this broker does not know. */
    public static final short UNKNOWN_TOPIC_ID = 100;

    private DataErrors()
    {
    }

    public static String name(final short code)
    {
        switch (code)
        {
            case REQUEST_TIMED_OUT: return "REQUEST_TIMED_OUT";
            case FETCH_SESSION_ID_NOT_FOUND: return "FETCH_SESSION_ID_NOT_FOUND";
            case INVALID_FETCH_SESSION_EPOCH: return "INVALID_FETCH_SESSION_EPOCH";
            case FENCED_LEADER_EPOCH: return "FENCED_LEADER_EPOCH";
            case UNKNOWN_LEADER_EPOCH: return "UNKNOWN_LEADER_EPOCH";
            case UNKNOWN_TOPIC_ID: return "UNKNOWN_TOPIC_ID";
            default: return KafkaErrors.name(code);
        }
    }
}
