package io.loggia.engine.topic;

/**
 * The Kafka error codes (Kafka's {@code Errors} numbering) that topic administration answers with. The
 * controller fills them into its ops; the network side copies them into the responses.
 */
public final class TopicErrors
{
    public static final short UNKNOWN_SERVER_ERROR = -1;
    public static final short NONE = 0;
    public static final short UNKNOWN_TOPIC_OR_PARTITION = 3;
    public static final short LEADER_NOT_AVAILABLE = 5;
    public static final short REQUEST_TIMED_OUT = 7;
    public static final short BROKER_NOT_AVAILABLE = 8;
    /** Retriable: InitProducerId when no producer id block could be persisted. */
    public static final short COORDINATOR_NOT_AVAILABLE = 15;
    public static final short INVALID_TOPIC_EXCEPTION = 17;
    public static final short UNSUPPORTED_VERSION = 35;
    public static final short TOPIC_ALREADY_EXISTS = 36;
    public static final short INVALID_PARTITIONS = 37;
    public static final short INVALID_REPLICATION_FACTOR = 38;
    public static final short INVALID_REPLICA_ASSIGNMENT = 39;
    public static final short INVALID_CONFIG = 40;
    public static final short INVALID_REQUEST = 42;
    /** CreateTopics or CreatePartitions asking for more than 10,000 new partitions in one request, as Kafka. */
    public static final short POLICY_VIOLATION = 44;
    public static final short KAFKA_STORAGE_ERROR = 56;
    /** DeleteTopics while {@code delete.topic.enable=false}. */
    public static final short TOPIC_DELETION_DISABLED = 73;
    public static final short UNKNOWN_TOPIC_ID = 100;
    /**
     * Loggia's answer to an InitProducerId that names a transactional id: no transaction coordinator exists here,
     * so no transactional id is ever known. Non-retriable for every client.
     */
    public static final short TRANSACTIONAL_ID_NOT_FOUND = 105;

    private TopicErrors()
    {
    }

    public static String name(final short code)
    {
        switch (code)
        {
            case UNKNOWN_SERVER_ERROR: return "UNKNOWN_SERVER_ERROR";
            case NONE: return "NONE";
            case UNKNOWN_TOPIC_OR_PARTITION: return "UNKNOWN_TOPIC_OR_PARTITION";
            case LEADER_NOT_AVAILABLE: return "LEADER_NOT_AVAILABLE";
            case REQUEST_TIMED_OUT: return "REQUEST_TIMED_OUT";
            case BROKER_NOT_AVAILABLE: return "BROKER_NOT_AVAILABLE";
            case COORDINATOR_NOT_AVAILABLE: return "COORDINATOR_NOT_AVAILABLE";
            case INVALID_TOPIC_EXCEPTION: return "INVALID_TOPIC_EXCEPTION";
            case UNSUPPORTED_VERSION: return "UNSUPPORTED_VERSION";
            case TOPIC_ALREADY_EXISTS: return "TOPIC_ALREADY_EXISTS";
            case INVALID_PARTITIONS: return "INVALID_PARTITIONS";
            case INVALID_REPLICATION_FACTOR: return "INVALID_REPLICATION_FACTOR";
            case INVALID_REPLICA_ASSIGNMENT: return "INVALID_REPLICA_ASSIGNMENT";
            case INVALID_CONFIG: return "INVALID_CONFIG";
            case INVALID_REQUEST: return "INVALID_REQUEST";
            case POLICY_VIOLATION: return "POLICY_VIOLATION";
            case KAFKA_STORAGE_ERROR: return "KAFKA_STORAGE_ERROR";
            case TOPIC_DELETION_DISABLED: return "TOPIC_DELETION_DISABLED";
            case UNKNOWN_TOPIC_ID: return "UNKNOWN_TOPIC_ID";
            case TRANSACTIONAL_ID_NOT_FOUND: return "TRANSACTIONAL_ID_NOT_FOUND";
            default: return "ERROR_" + code;
        }
    }
}
