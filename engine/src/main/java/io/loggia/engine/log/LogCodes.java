package io.loggia.engine.log;

/**
 * Results of {@link PartitionLog} operations. Expected outcomes are codes, not exceptions; the comment on each
 * says which Kafka error code a request handler answers with.
 */
public final class LogCodes
{
    /** Done. */
    public static final int OK = 0;
    /** Read: nothing at or after the fetch offset below the bound yet. Kafka: NONE with no records. */
    public static final int NO_DATA = 1;
    /** Read, deleteRecords: offset below the log start offset or above the end. Kafka: OFFSET_OUT_OF_RANGE. */
    public static final int OFFSET_OUT_OF_RANGE = 2;
    /**
     * Read without minOneBatch: the first batch is larger than maxBytes. Nothing is returned (Kafka would send
     * a partial batch that the client drops). Kafka: NONE with no records.
     */
    public static final int MAX_BYTES_TOO_SMALL = 3;
    /** Append: a batch is larger than max.message.bytes. Kafka: MESSAGE_TOO_LARGE. */
    public static final int MESSAGE_TOO_LARGE = 4;
    /** Append: the region would not fit an empty segment of segment.bytes. Kafka: RECORD_LIST_TOO_LARGE. */
    public static final int BATCH_LARGER_THAN_SEGMENT = 5;
    /** Append: the batch headers do not tile the region (the caller skipped validation). Kafka: CORRUPT_MESSAGE. */
    public static final int CORRUPT_INPUT = 6;
    /** A file could not be created, extended, cut, mapped or forced; the log is unchanged. Kafka: KAFKA_STORAGE_ERROR. */
    public static final int STORAGE_ERROR = 7;
    /** Append: the batch would pass the segment's writable limit (space not prepared). Kafka: KAFKA_STORAGE_ERROR. */
    public static final int WRITABLE_LIMIT_REACHED = 8;
    /** The log is closed. Kafka: NOT_LEADER_OR_FOLLOWER. */
    public static final int CLOSED = 9;

    private LogCodes()
    {
    }

    public static String describe(final int code)
    {
        switch (code)
        {
            case OK: return "ok";
            case NO_DATA: return "no data";
            case OFFSET_OUT_OF_RANGE: return "offset out of range";
            case MAX_BYTES_TOO_SMALL: return "first batch larger than max bytes";
            case MESSAGE_TOO_LARGE: return "batch larger than max.message.bytes";
            case BATCH_LARGER_THAN_SEGMENT: return "batches larger than segment.bytes";
            case CORRUPT_INPUT: return "batch headers do not tile the input";
            case STORAGE_ERROR: return "storage error";
            case WRITABLE_LIMIT_REACHED: return "segment space not prepared";
            case CLOSED: return "log closed";
            default: return "unknown code " + code;
        }
    }
}
