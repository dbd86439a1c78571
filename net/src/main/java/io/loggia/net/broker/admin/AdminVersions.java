package io.loggia.net.broker.admin;

import io.loggia.codec.wire.ApiKeys;

/**
 * The versions of the admin APIs {@link AdminApis} serves: from the oldest Kafka 4.x accepts (KIP-896) to the
 * newest kafka-clients 4.4 sends. Plain data, so the dispatcher can check a version without loading any
 * kafka-clients class.
 */
public final class AdminVersions
{
    /** Key, oldest, newest; in key order. */
    private static final short[][] RANGES = {
        {ApiKeys.METADATA, 0, 13},
        {ApiKeys.CREATE_TOPICS, 2, 7},
        {ApiKeys.DELETE_TOPICS, 1, 6},
        {ApiKeys.INIT_PRODUCER_ID, 0, 5},
        {ApiKeys.DESCRIBE_CONFIGS, 1, 4},
        {ApiKeys.ALTER_CONFIGS, 0, 2},
        {ApiKeys.CREATE_PARTITIONS, 0, 3},
        {ApiKeys.INCREMENTAL_ALTER_CONFIGS, 0, 1},
        {ApiKeys.DESCRIBE_CLUSTER, 0, 2},
    };

    private AdminVersions()
    {
    }

    /** Whether the key is one of the admin APIs. */
    public static boolean isAdminApi(final int apiKey)
    {
        return null != range(apiKey);
    }

    /** Whether {@link AdminApis#handle} takes this API at this version. */
    public static boolean isSupported(final int apiKey, final int version)
    {
        final short[] range = range(apiKey);
        return null != range && version >= range[1] && version <= range[2];
    }

    /** @return {key, oldest, newest} of each admin API; a copy. */
    public static short[][] ranges()
    {
        final short[][] copy = new short[RANGES.length][];
        for (int i = 0; i < RANGES.length; i++)
        {
            copy[i] = RANGES[i].clone();
        }
        return copy;
    }

    private static short[] range(final int apiKey)
    {
        for (final short[] range : RANGES)
        {
            if (range[0] == apiKey)
            {
                return range;
            }
        }
        return null;
    }
}
