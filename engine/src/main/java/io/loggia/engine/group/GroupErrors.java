package io.loggia.engine.group;

/**
 * The Kafka error codes the group coordinator answers with (the numbers of Kafka's {@code Errors} enum), so
 * the engine needs no Kafka library. The network side copies them into the response messages unchanged.
 */
public final class GroupErrors
{
    public static final short UNKNOWN_SERVER_ERROR = -1;
    public static final short NONE = 0;
    public static final short CORRUPT_MESSAGE = 2;
    public static final short UNKNOWN_TOPIC_OR_PARTITION = 3;
    public static final short NOT_LEADER_OR_FOLLOWER = 6;
    public static final short REQUEST_TIMED_OUT = 7;
    public static final short MESSAGE_TOO_LARGE = 10;
    public static final short OFFSET_METADATA_TOO_LARGE = 12;
    public static final short COORDINATOR_LOAD_IN_PROGRESS = 14;
    public static final short COORDINATOR_NOT_AVAILABLE = 15;
    public static final short NOT_COORDINATOR = 16;
    public static final short RECORD_LIST_TOO_LARGE = 18;
    public static final short NOT_ENOUGH_REPLICAS = 19;
    public static final short NOT_ENOUGH_REPLICAS_AFTER_APPEND = 20;
    public static final short ILLEGAL_GENERATION = 22;
    public static final short INCONSISTENT_GROUP_PROTOCOL = 23;
    public static final short INVALID_GROUP_ID = 24;
    public static final short UNKNOWN_MEMBER_ID = 25;
    public static final short INVALID_SESSION_TIMEOUT = 26;
    public static final short REBALANCE_IN_PROGRESS = 27;
    public static final short INVALID_COMMIT_OFFSET_SIZE = 28;
    public static final short INVALID_REQUEST = 42;
    public static final short KAFKA_STORAGE_ERROR = 56;
    public static final short NON_EMPTY_GROUP = 68;
    public static final short GROUP_ID_NOT_FOUND = 69;
    public static final short MEMBER_ID_REQUIRED = 79;
    public static final short GROUP_MAX_SIZE_REACHED = 81;
    public static final short FENCED_INSTANCE_ID = 82;
    public static final short GROUP_SUBSCRIBED_TO_TOPIC = 86;
    public static final short UNSTABLE_OFFSET_COMMIT = 88;
    public static final short UNKNOWN_TOPIC_ID = 100;

    private GroupErrors()
    {
    }

    /**
     * The error an OffsetCommit answers when appending its records failed, as Kafka maps it: the client
     * retries or finds the coordinator again, and a batch too large for the log is the commit's own fault.
     */
    public static short forFailedCommit(final short appendError)
    {
        switch (appendError)
        {
            case MESSAGE_TOO_LARGE:
            case RECORD_LIST_TOO_LARGE:
                return INVALID_COMMIT_OFFSET_SIZE;
            default:
                return forFailedGroupWrite(appendError);
        }
    }

    /** The error a group write (SyncGroup, static member rejoin, deletion) answers when its append failed. */
    public static short forFailedGroupWrite(final short appendError)
    {
        switch (appendError)
        {
            case NONE:
                return NONE;
            case UNKNOWN_TOPIC_OR_PARTITION:
            case NOT_ENOUGH_REPLICAS:
            case NOT_ENOUGH_REPLICAS_AFTER_APPEND:
            case REQUEST_TIMED_OUT:
                return COORDINATOR_NOT_AVAILABLE;
            case NOT_LEADER_OR_FOLLOWER:
            case KAFKA_STORAGE_ERROR:
                return NOT_COORDINATOR;
            case MESSAGE_TOO_LARGE:
            case RECORD_LIST_TOO_LARGE:
                return UNKNOWN_SERVER_ERROR;
            default:
                return appendError;
        }
    }

    /** Kafka's upper-case name, for log lines. */
    public static String name(final short code)
    {
        switch (code)
        {
            case UNKNOWN_SERVER_ERROR: return "UNKNOWN_SERVER_ERROR";
            case NONE: return "NONE";
            case CORRUPT_MESSAGE: return "CORRUPT_MESSAGE";
            case UNKNOWN_TOPIC_OR_PARTITION: return "UNKNOWN_TOPIC_OR_PARTITION";
            case NOT_LEADER_OR_FOLLOWER: return "NOT_LEADER_OR_FOLLOWER";
            case REQUEST_TIMED_OUT: return "REQUEST_TIMED_OUT";
            case MESSAGE_TOO_LARGE: return "MESSAGE_TOO_LARGE";
            case OFFSET_METADATA_TOO_LARGE: return "OFFSET_METADATA_TOO_LARGE";
            case COORDINATOR_LOAD_IN_PROGRESS: return "COORDINATOR_LOAD_IN_PROGRESS";
            case COORDINATOR_NOT_AVAILABLE: return "COORDINATOR_NOT_AVAILABLE";
            case NOT_COORDINATOR: return "NOT_COORDINATOR";
            case RECORD_LIST_TOO_LARGE: return "RECORD_LIST_TOO_LARGE";
            case NOT_ENOUGH_REPLICAS: return "NOT_ENOUGH_REPLICAS";
            case NOT_ENOUGH_REPLICAS_AFTER_APPEND: return "NOT_ENOUGH_REPLICAS_AFTER_APPEND";
            case ILLEGAL_GENERATION: return "ILLEGAL_GENERATION";
            case INCONSISTENT_GROUP_PROTOCOL: return "INCONSISTENT_GROUP_PROTOCOL";
            case INVALID_GROUP_ID: return "INVALID_GROUP_ID";
            case UNKNOWN_MEMBER_ID: return "UNKNOWN_MEMBER_ID";
            case INVALID_SESSION_TIMEOUT: return "INVALID_SESSION_TIMEOUT";
            case REBALANCE_IN_PROGRESS: return "REBALANCE_IN_PROGRESS";
            case INVALID_COMMIT_OFFSET_SIZE: return "INVALID_COMMIT_OFFSET_SIZE";
            case INVALID_REQUEST: return "INVALID_REQUEST";
            case KAFKA_STORAGE_ERROR: return "KAFKA_STORAGE_ERROR";
            case NON_EMPTY_GROUP: return "NON_EMPTY_GROUP";
            case GROUP_ID_NOT_FOUND: return "GROUP_ID_NOT_FOUND";
            case MEMBER_ID_REQUIRED: return "MEMBER_ID_REQUIRED";
            case GROUP_MAX_SIZE_REACHED: return "GROUP_MAX_SIZE_REACHED";
            case FENCED_INSTANCE_ID: return "FENCED_INSTANCE_ID";
            case GROUP_SUBSCRIBED_TO_TOPIC: return "GROUP_SUBSCRIBED_TO_TOPIC";
            case UNSTABLE_OFFSET_COMMIT: return "UNSTABLE_OFFSET_COMMIT";
            case UNKNOWN_TOPIC_ID: return "UNKNOWN_TOPIC_ID";
            default: return "ERROR_" + code;
        }
    }
}
