package io.loggia.engine.writer;

import io.loggia.engine.log.LogCodes;

/**
 * The Kafka error codes the engine answers with (Kafka's {@code Errors} numbering), and the mapping from the
 * log's return codes. Completions carry these codes, so the produce handler copies them into its response.
 */
public final class KafkaErrors
{
    public static final short UNKNOWN_SERVER_ERROR = -1;
    public static final short NONE = 0;
    public static final short OFFSET_OUT_OF_RANGE = 1;
    public static final short CORRUPT_MESSAGE = 2;
    public static final short UNKNOWN_TOPIC_OR_PARTITION = 3;
    public static final short NOT_LEADER_OR_FOLLOWER = 6;
    public static final short BROKER_NOT_AVAILABLE = 8;
    public static final short MESSAGE_TOO_LARGE = 10;
    public static final short INVALID_TOPIC_EXCEPTION = 17;
    public static final short RECORD_LIST_TOO_LARGE = 18;
    public static final short INVALID_REQUIRED_ACKS = 21;
    public static final short TOPIC_ALREADY_EXISTS = 36;
    public static final short INVALID_PARTITIONS = 37;
    /** Kafka's answer to transactional batches, which Loggia's storage cannot carry (see the producer draft). */
    public static final short UNSUPPORTED_FOR_MESSAGE_FORMAT = 43;
    public static final short OUT_OF_ORDER_SEQUENCE_NUMBER = 45;
    /** Not sent for retries: a retried duplicate gets {@link #NONE} and its original offsets, as Kafka does. */
    public static final short DUPLICATE_SEQUENCE_NUMBER = 46;
    public static final short INVALID_PRODUCER_EPOCH = 47;
    public static final short KAFKA_STORAGE_ERROR = 56;
    public static final short UNKNOWN_PRODUCER_ID = 59;
    public static final short INVALID_RECORD = 87;

    private KafkaErrors()
    {
    }

    /** The Kafka error for a {@link LogCodes} result of an append or a writer command. */
    public static short fromLogCode(final int logCode)
    {
        switch (logCode)
        {
            case LogCodes.OK:
                return NONE;
            case LogCodes.OFFSET_OUT_OF_RANGE:
                return OFFSET_OUT_OF_RANGE;
            case LogCodes.MESSAGE_TOO_LARGE:
                return MESSAGE_TOO_LARGE;
            case LogCodes.BATCH_LARGER_THAN_SEGMENT:
                return RECORD_LIST_TOO_LARGE;
            case LogCodes.CORRUPT_INPUT:
                return CORRUPT_MESSAGE;
            case LogCodes.STORAGE_ERROR:
            case LogCodes.WRITABLE_LIMIT_REACHED:
                return KAFKA_STORAGE_ERROR;
            case LogCodes.CLOSED:
                return NOT_LEADER_OR_FOLLOWER;
            default:
                return UNKNOWN_SERVER_ERROR;
        }
    }

    public static String name(final short code)
    {
        switch (code)
        {
            case UNKNOWN_SERVER_ERROR: return "UNKNOWN_SERVER_ERROR";
            case NONE: return "NONE";
            case OFFSET_OUT_OF_RANGE: return "OFFSET_OUT_OF_RANGE";
            case CORRUPT_MESSAGE: return "CORRUPT_MESSAGE";
            case UNKNOWN_TOPIC_OR_PARTITION: return "UNKNOWN_TOPIC_OR_PARTITION";
            case NOT_LEADER_OR_FOLLOWER: return "NOT_LEADER_OR_FOLLOWER";
            case BROKER_NOT_AVAILABLE: return "BROKER_NOT_AVAILABLE";
            case MESSAGE_TOO_LARGE: return "MESSAGE_TOO_LARGE";
            case INVALID_TOPIC_EXCEPTION: return "INVALID_TOPIC_EXCEPTION";
            case RECORD_LIST_TOO_LARGE: return "RECORD_LIST_TOO_LARGE";
            case INVALID_REQUIRED_ACKS: return "INVALID_REQUIRED_ACKS";
            case TOPIC_ALREADY_EXISTS: return "TOPIC_ALREADY_EXISTS";
            case INVALID_PARTITIONS: return "INVALID_PARTITIONS";
            case UNSUPPORTED_FOR_MESSAGE_FORMAT: return "UNSUPPORTED_FOR_MESSAGE_FORMAT";
            case OUT_OF_ORDER_SEQUENCE_NUMBER: return "OUT_OF_ORDER_SEQUENCE_NUMBER";
            case DUPLICATE_SEQUENCE_NUMBER: return "DUPLICATE_SEQUENCE_NUMBER";
            case INVALID_PRODUCER_EPOCH: return "INVALID_PRODUCER_EPOCH";
            case KAFKA_STORAGE_ERROR: return "KAFKA_STORAGE_ERROR";
            case UNKNOWN_PRODUCER_ID: return "UNKNOWN_PRODUCER_ID";
            case INVALID_RECORD: return "INVALID_RECORD";
            default: return "ERROR_" + code;
        }
    }
}
