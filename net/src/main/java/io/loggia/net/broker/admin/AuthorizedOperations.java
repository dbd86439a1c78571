package io.loggia.net.broker.admin;

/**
 * The authorized-operations bitfields of Metadata and DescribeCluster (KIP-430): bit {@code n} set means the
 * client may perform the ACL operation with code {@code n}. Loggia has no ACLs, so a client may do everything
 * Kafka defines for the resource. A client that did not ask gets {@link #NOT_REQUESTED}, as Kafka sends.
 */
final class AuthorizedOperations
{
    static final int NOT_REQUESTED = Integer.MIN_VALUE;

    private static final int READ = 3;
    private static final int WRITE = 4;
    private static final int CREATE = 5;
    private static final int DELETE = 6;
    private static final int ALTER = 7;
    private static final int DESCRIBE = 8;
    private static final int CLUSTER_ACTION = 9;
    private static final int DESCRIBE_CONFIGS = 10;
    private static final int ALTER_CONFIGS = 11;
    private static final int IDEMPOTENT_WRITE = 12;

    /** What Kafka allows on a topic. */
    static final int TOPIC = bits(READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, DESCRIBE_CONFIGS, ALTER_CONFIGS);
    /** What Kafka allows on the cluster. */
    static final int CLUSTER =
        bits(CREATE, ALTER, DESCRIBE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS, IDEMPOTENT_WRITE);

    private AuthorizedOperations()
    {
    }

    private static int bits(final int... operations)
    {
        int bits = 0;
        for (final int operation : operations)
        {
            bits |= 1 << operation;
        }
        return bits;
    }
}
