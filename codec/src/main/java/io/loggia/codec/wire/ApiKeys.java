package io.loggia.codec.wire;

import java.util.Arrays;

/**
 * The Kafka API keys, the version range each has in Kafka 4.4's message specs and, for each, the first
 * flexible version: the version from which the request uses header v2 and the response header v1, strings,
 * bytes and arrays are compact, and every struct ends with a tagged-field section.
 * <pre>
 *   request header version  = apiVersion &gt;= firstFlexibleVersion(apiKey) ? 2 : 1
 *   response header version = apiVersion &gt;= firstFlexibleVersion(apiKey) ? 1 : 0,
 *                             except ApiVersions, whose response header is always v0 (KIP-511): a client
 *                             that sent a version the broker does not know must still read the answer
 * </pre>
 * The ranges are what Kafka defines, not what Loggia serves; the broker advertises its own ranges in its
 * ApiVersions response. Keys 4..7 (the ZooKeeper-era inter-broker APIs) have no versions left and are unknown.
 * <p>
 * Lookups are array reads; the class holds no mutable state.
 */
public final class ApiKeys
{
    public static final int PRODUCE = 0;
    public static final int FETCH = 1;
    public static final int LIST_OFFSETS = 2;
    public static final int METADATA = 3;
    public static final int OFFSET_COMMIT = 8;
    public static final int OFFSET_FETCH = 9;
    public static final int FIND_COORDINATOR = 10;
    public static final int JOIN_GROUP = 11;
    public static final int HEARTBEAT = 12;
    public static final int LEAVE_GROUP = 13;
    public static final int SYNC_GROUP = 14;
    public static final int DESCRIBE_GROUPS = 15;
    public static final int LIST_GROUPS = 16;
    public static final int SASL_HANDSHAKE = 17;
    public static final int API_VERSIONS = 18;
    public static final int CREATE_TOPICS = 19;
    public static final int DELETE_TOPICS = 20;
    public static final int DELETE_RECORDS = 21;
    public static final int INIT_PRODUCER_ID = 22;
    public static final int OFFSET_FOR_LEADER_EPOCH = 23;
    public static final int ADD_PARTITIONS_TO_TXN = 24;
    public static final int ADD_OFFSETS_TO_TXN = 25;
    public static final int END_TXN = 26;
    public static final int WRITE_TXN_MARKERS = 27;
    public static final int TXN_OFFSET_COMMIT = 28;
    public static final int DESCRIBE_ACLS = 29;
    public static final int CREATE_ACLS = 30;
    public static final int DELETE_ACLS = 31;
    public static final int DESCRIBE_CONFIGS = 32;
    public static final int ALTER_CONFIGS = 33;
    public static final int ALTER_REPLICA_LOG_DIRS = 34;
    public static final int DESCRIBE_LOG_DIRS = 35;
    public static final int SASL_AUTHENTICATE = 36;
    public static final int CREATE_PARTITIONS = 37;
    public static final int CREATE_DELEGATION_TOKEN = 38;
    public static final int RENEW_DELEGATION_TOKEN = 39;
    public static final int EXPIRE_DELEGATION_TOKEN = 40;
    public static final int DESCRIBE_DELEGATION_TOKEN = 41;
    public static final int DELETE_GROUPS = 42;
    public static final int ELECT_LEADERS = 43;
    public static final int INCREMENTAL_ALTER_CONFIGS = 44;
    public static final int ALTER_PARTITION_REASSIGNMENTS = 45;
    public static final int LIST_PARTITION_REASSIGNMENTS = 46;
    public static final int OFFSET_DELETE = 47;
    public static final int DESCRIBE_CLIENT_QUOTAS = 48;
    public static final int ALTER_CLIENT_QUOTAS = 49;
    public static final int DESCRIBE_USER_SCRAM_CREDENTIALS = 50;
    public static final int ALTER_USER_SCRAM_CREDENTIALS = 51;
    public static final int VOTE = 52;
    public static final int BEGIN_QUORUM_EPOCH = 53;
    public static final int END_QUORUM_EPOCH = 54;
    public static final int DESCRIBE_QUORUM = 55;
    public static final int ALTER_PARTITION = 56;
    public static final int UPDATE_FEATURES = 57;
    public static final int ENVELOPE = 58;
    public static final int FETCH_SNAPSHOT = 59;
    public static final int DESCRIBE_CLUSTER = 60;
    public static final int DESCRIBE_PRODUCERS = 61;
    public static final int BROKER_REGISTRATION = 62;
    public static final int BROKER_HEARTBEAT = 63;
    public static final int UNREGISTER_BROKER = 64;
    public static final int DESCRIBE_TRANSACTIONS = 65;
    public static final int LIST_TRANSACTIONS = 66;
    public static final int ALLOCATE_PRODUCER_IDS = 67;
    public static final int CONSUMER_GROUP_HEARTBEAT = 68;
    public static final int CONSUMER_GROUP_DESCRIBE = 69;
    public static final int CONTROLLER_REGISTRATION = 70;
    public static final int GET_TELEMETRY_SUBSCRIPTIONS = 71;
    public static final int PUSH_TELEMETRY = 72;
    public static final int ASSIGN_REPLICAS_TO_DIRS = 73;
    public static final int LIST_CONFIG_RESOURCES = 74;
    public static final int DESCRIBE_TOPIC_PARTITIONS = 75;
    public static final int SHARE_GROUP_HEARTBEAT = 76;
    public static final int SHARE_GROUP_DESCRIBE = 77;
    public static final int SHARE_FETCH = 78;
    public static final int SHARE_ACKNOWLEDGE = 79;
    public static final int ADD_RAFT_VOTER = 80;
    public static final int REMOVE_RAFT_VOTER = 81;
    public static final int UPDATE_RAFT_VOTER = 82;
    public static final int INITIALIZE_SHARE_GROUP_STATE = 83;
    public static final int READ_SHARE_GROUP_STATE = 84;
    public static final int WRITE_SHARE_GROUP_STATE = 85;
    public static final int DELETE_SHARE_GROUP_STATE = 86;
    public static final int READ_SHARE_GROUP_STATE_SUMMARY = 87;
    public static final int STREAMS_GROUP_HEARTBEAT = 88;
    public static final int STREAMS_GROUP_DESCRIBE = 89;
    public static final int DESCRIBE_SHARE_GROUP_OFFSETS = 90;
    public static final int ALTER_SHARE_GROUP_OFFSETS = 91;
    public static final int DELETE_SHARE_GROUP_OFFSETS = 92;
    public static final int STREAMS_GROUP_TOPOLOGY_DESCRIPTION_UPDATE = 93;
    public static final int UNREGISTER_CONTROLLER = 94;

    /** {@link #firstFlexibleVersion(int)} of an API that has no flexible version. */
    public static final int NEVER_FLEXIBLE = Short.MAX_VALUE;
    /** Returned by the lookups for a key that is not in the table. */
    public static final int UNKNOWN = -1;

    private static final int MAX_API_KEY = 94;
    private static final short[] OLDEST_VERSION = new short[MAX_API_KEY + 1];
    private static final short[] LATEST_VERSION = new short[MAX_API_KEY + 1];
    private static final short[] FIRST_FLEXIBLE_VERSION = new short[MAX_API_KEY + 1];
    private static final String[] NAME = new String[MAX_API_KEY + 1];

    static
    {
        Arrays.fill(OLDEST_VERSION, (short)UNKNOWN);
        Arrays.fill(LATEST_VERSION, (short)UNKNOWN);
        Arrays.fill(FIRST_FLEXIBLE_VERSION, (short)UNKNOWN);
        define(PRODUCE, "Produce", 3, 13, 9);
        define(FETCH, "Fetch", 4, 18, 12);
        define(LIST_OFFSETS, "ListOffsets", 1, 11, 6);
        define(METADATA, "Metadata", 0, 13, 9);
        define(OFFSET_COMMIT, "OffsetCommit", 2, 10, 8);
        define(OFFSET_FETCH, "OffsetFetch", 1, 10, 6);
        define(FIND_COORDINATOR, "FindCoordinator", 0, 6, 3);
        define(JOIN_GROUP, "JoinGroup", 0, 9, 6);
        define(HEARTBEAT, "Heartbeat", 0, 4, 4);
        define(LEAVE_GROUP, "LeaveGroup", 0, 5, 4);
        define(SYNC_GROUP, "SyncGroup", 0, 5, 4);
        define(DESCRIBE_GROUPS, "DescribeGroups", 0, 6, 5);
        define(LIST_GROUPS, "ListGroups", 0, 5, 3);
        define(SASL_HANDSHAKE, "SaslHandshake", 0, 1, NEVER_FLEXIBLE);
        define(API_VERSIONS, "ApiVersions", 0, 5, 3);
        define(CREATE_TOPICS, "CreateTopics", 2, 7, 5);
        define(DELETE_TOPICS, "DeleteTopics", 1, 6, 4);
        define(DELETE_RECORDS, "DeleteRecords", 0, 2, 2);
        define(INIT_PRODUCER_ID, "InitProducerId", 0, 6, 2);
        define(OFFSET_FOR_LEADER_EPOCH, "OffsetForLeaderEpoch", 2, 4, 4);
        define(ADD_PARTITIONS_TO_TXN, "AddPartitionsToTxn", 0, 5, 3);
        define(ADD_OFFSETS_TO_TXN, "AddOffsetsToTxn", 0, 4, 3);
        define(END_TXN, "EndTxn", 0, 5, 3);
        define(WRITE_TXN_MARKERS, "WriteTxnMarkers", 1, 2, 1);
        define(TXN_OFFSET_COMMIT, "TxnOffsetCommit", 0, 6, 3);
        define(DESCRIBE_ACLS, "DescribeAcls", 1, 3, 2);
        define(CREATE_ACLS, "CreateAcls", 1, 3, 2);
        define(DELETE_ACLS, "DeleteAcls", 1, 3, 2);
        define(DESCRIBE_CONFIGS, "DescribeConfigs", 1, 4, 4);
        define(ALTER_CONFIGS, "AlterConfigs", 0, 2, 2);
        define(ALTER_REPLICA_LOG_DIRS, "AlterReplicaLogDirs", 1, 2, 2);
        define(DESCRIBE_LOG_DIRS, "DescribeLogDirs", 1, 5, 2);
        define(SASL_AUTHENTICATE, "SaslAuthenticate", 0, 2, 2);
        define(CREATE_PARTITIONS, "CreatePartitions", 0, 3, 2);
        define(CREATE_DELEGATION_TOKEN, "CreateDelegationToken", 1, 3, 2);
        define(RENEW_DELEGATION_TOKEN, "RenewDelegationToken", 1, 2, 2);
        define(EXPIRE_DELEGATION_TOKEN, "ExpireDelegationToken", 1, 2, 2);
        define(DESCRIBE_DELEGATION_TOKEN, "DescribeDelegationToken", 1, 3, 2);
        define(DELETE_GROUPS, "DeleteGroups", 0, 3, 2);
        define(ELECT_LEADERS, "ElectLeaders", 0, 2, 2);
        define(INCREMENTAL_ALTER_CONFIGS, "IncrementalAlterConfigs", 0, 1, 1);
        define(ALTER_PARTITION_REASSIGNMENTS, "AlterPartitionReassignments", 0, 1, 0);
        define(LIST_PARTITION_REASSIGNMENTS, "ListPartitionReassignments", 0, 0, 0);
        define(OFFSET_DELETE, "OffsetDelete", 0, 0, NEVER_FLEXIBLE);
        define(DESCRIBE_CLIENT_QUOTAS, "DescribeClientQuotas", 0, 1, 1);
        define(ALTER_CLIENT_QUOTAS, "AlterClientQuotas", 0, 1, 1);
        define(DESCRIBE_USER_SCRAM_CREDENTIALS, "DescribeUserScramCredentials", 0, 0, 0);
        define(ALTER_USER_SCRAM_CREDENTIALS, "AlterUserScramCredentials", 0, 0, 0);
        define(VOTE, "Vote", 0, 2, 0);
        define(BEGIN_QUORUM_EPOCH, "BeginQuorumEpoch", 0, 1, 1);
        define(END_QUORUM_EPOCH, "EndQuorumEpoch", 0, 1, 1);
        define(DESCRIBE_QUORUM, "DescribeQuorum", 0, 2, 0);
        define(ALTER_PARTITION, "AlterPartition", 2, 3, 0);
        define(UPDATE_FEATURES, "UpdateFeatures", 0, 2, 0);
        define(ENVELOPE, "Envelope", 0, 0, 0);
        define(FETCH_SNAPSHOT, "FetchSnapshot", 0, 1, 0);
        define(DESCRIBE_CLUSTER, "DescribeCluster", 0, 2, 0);
        define(DESCRIBE_PRODUCERS, "DescribeProducers", 0, 0, 0);
        define(BROKER_REGISTRATION, "BrokerRegistration", 0, 4, 0);
        define(BROKER_HEARTBEAT, "BrokerHeartbeat", 0, 2, 0);
        define(UNREGISTER_BROKER, "UnregisterBroker", 0, 0, 0);
        define(DESCRIBE_TRANSACTIONS, "DescribeTransactions", 0, 0, 0);
        define(LIST_TRANSACTIONS, "ListTransactions", 0, 2, 0);
        define(ALLOCATE_PRODUCER_IDS, "AllocateProducerIds", 0, 0, 0);
        define(CONSUMER_GROUP_HEARTBEAT, "ConsumerGroupHeartbeat", 0, 1, 0);
        define(CONSUMER_GROUP_DESCRIBE, "ConsumerGroupDescribe", 0, 1, 0);
        define(CONTROLLER_REGISTRATION, "ControllerRegistration", 0, 0, 0);
        define(GET_TELEMETRY_SUBSCRIPTIONS, "GetTelemetrySubscriptions", 0, 0, 0);
        define(PUSH_TELEMETRY, "PushTelemetry", 0, 0, 0);
        define(ASSIGN_REPLICAS_TO_DIRS, "AssignReplicasToDirs", 0, 0, 0);
        define(LIST_CONFIG_RESOURCES, "ListConfigResources", 0, 1, 0);
        define(DESCRIBE_TOPIC_PARTITIONS, "DescribeTopicPartitions", 0, 0, 0);
        define(SHARE_GROUP_HEARTBEAT, "ShareGroupHeartbeat", 1, 1, 0);
        define(SHARE_GROUP_DESCRIBE, "ShareGroupDescribe", 1, 1, 0);
        define(SHARE_FETCH, "ShareFetch", 1, 2, 0);
        define(SHARE_ACKNOWLEDGE, "ShareAcknowledge", 1, 2, 0);
        define(ADD_RAFT_VOTER, "AddRaftVoter", 0, 1, 0);
        define(REMOVE_RAFT_VOTER, "RemoveRaftVoter", 0, 0, 0);
        define(UPDATE_RAFT_VOTER, "UpdateRaftVoter", 0, 0, 0);
        define(INITIALIZE_SHARE_GROUP_STATE, "InitializeShareGroupState", 0, 0, 0);
        define(READ_SHARE_GROUP_STATE, "ReadShareGroupState", 0, 0, 0);
        define(WRITE_SHARE_GROUP_STATE, "WriteShareGroupState", 0, 1, 0);
        define(DELETE_SHARE_GROUP_STATE, "DeleteShareGroupState", 0, 0, 0);
        define(READ_SHARE_GROUP_STATE_SUMMARY, "ReadShareGroupStateSummary", 0, 1, 0);
        define(STREAMS_GROUP_HEARTBEAT, "StreamsGroupHeartbeat", 0, 1, 0);
        define(STREAMS_GROUP_DESCRIBE, "StreamsGroupDescribe", 0, 1, 0);
        define(DESCRIBE_SHARE_GROUP_OFFSETS, "DescribeShareGroupOffsets", 0, 1, 0);
        define(ALTER_SHARE_GROUP_OFFSETS, "AlterShareGroupOffsets", 0, 0, 0);
        define(DELETE_SHARE_GROUP_OFFSETS, "DeleteShareGroupOffsets", 0, 0, 0);
        define(STREAMS_GROUP_TOPOLOGY_DESCRIPTION_UPDATE, "StreamsGroupTopologyDescriptionUpdate", 0, 0, 0);
        define(UNREGISTER_CONTROLLER, "UnregisterController", 0, 0, 0);
    }

    private ApiKeys()
    {
    }

    public static boolean isKnown(final int apiKey)
    {
        return apiKey >= 0 && apiKey <= MAX_API_KEY && NAME[apiKey] != null;
    }

    /**
     * @return the largest API key in the table.
     */
    public static int maxApiKey()
    {
        return MAX_API_KEY;
    }

    /**
     * @return the first flexible version, {@link #NEVER_FLEXIBLE}, or {@link #UNKNOWN} for an unknown key.
     */
    public static int firstFlexibleVersion(final int apiKey)
    {
        return isKnown(apiKey) ? FIRST_FLEXIBLE_VERSION[apiKey] : UNKNOWN;
    }

    /**
     * @return 1 or 2, or {@link #UNKNOWN} for an unknown key.
     */
    public static int requestHeaderVersion(final int apiKey, final int apiVersion)
    {
        if (!isKnown(apiKey))
        {
            return UNKNOWN;
        }
        return apiVersion >= FIRST_FLEXIBLE_VERSION[apiKey] ? 2 : 1;
    }

    /**
     * @return 0 or 1, or {@link #UNKNOWN} for an unknown key.
     */
    public static int responseHeaderVersion(final int apiKey, final int apiVersion)
    {
        if (!isKnown(apiKey))
        {
            return UNKNOWN;
        }
        if (apiKey == API_VERSIONS)
        {
            return 0;
        }
        return apiVersion >= FIRST_FLEXIBLE_VERSION[apiKey] ? 1 : 0;
    }

    /**
     * @return true when this version of the API uses the flexible (compact, tagged) encoding.
     */
    public static boolean isFlexible(final int apiKey, final int apiVersion)
    {
        return isKnown(apiKey) && apiVersion >= FIRST_FLEXIBLE_VERSION[apiKey];
    }

    /**
     * @return the oldest version Kafka 4.4 defines, or {@link #UNKNOWN}.
     */
    public static int oldestVersion(final int apiKey)
    {
        return isKnown(apiKey) ? OLDEST_VERSION[apiKey] : UNKNOWN;
    }

    /**
     * @return the latest version Kafka 4.4 defines, or {@link #UNKNOWN}.
     */
    public static int latestVersion(final int apiKey)
    {
        return isKnown(apiKey) ? LATEST_VERSION[apiKey] : UNKNOWN;
    }

    /**
     * @return the API's name as the message specs spell it, such as "Produce", or "Unknown".
     */
    public static String name(final int apiKey)
    {
        return isKnown(apiKey) ? NAME[apiKey] : "Unknown";
    }

    private static void define(
        final int apiKey, final String name, final int oldest, final int latest, final int firstFlexible)
    {
        NAME[apiKey] = name;
        OLDEST_VERSION[apiKey] = (short)oldest;
        LATEST_VERSION[apiKey] = (short)latest;
        FIRST_FLEXIBLE_VERSION[apiKey] = (short)firstFlexible;
    }
}
