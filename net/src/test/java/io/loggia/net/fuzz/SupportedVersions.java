package io.loggia.net.fuzz;

import org.apache.kafka.common.message.ApiVersionsResponseData;

import java.util.ArrayList;
import java.util.List;

/**
 * What the broker under test says it serves, from its own ApiVersions answer: the fuzzer generates every API and
 * version listed, and expects everything else to be refused.
 */
final class SupportedVersions
{
    private final short[] min = new short[128];
    private final short[] max = new short[128];
    private final List<Integer> keys = new ArrayList<>();

    SupportedVersions(final ApiVersionsResponseData answer)
    {
        java.util.Arrays.fill(min, (short)1);
        java.util.Arrays.fill(max, (short)0);
        for (final ApiVersionsResponseData.ApiVersion version : answer.apiKeys())
        {
            min[version.apiKey()] = version.minVersion();
            max[version.apiKey()] = version.maxVersion();
            keys.add((int)version.apiKey());
        }
    }

    /**
     * The APIs a Loggia broker serves (the keys of its ApiVersions answer) at every version kafka-clients knows:
     * for runs without a broker to ask, such as the decoder layer.
     */
    static SupportedVersions ofKafkaClients(final int... apiKeys)
    {
        final ApiVersionsResponseData answer = new ApiVersionsResponseData();
        for (final int key : apiKeys)
        {
            final org.apache.kafka.common.message.ApiMessageType type =
                org.apache.kafka.common.message.ApiMessageType.fromApiKey((short)key);
            answer.apiKeys().add(new ApiVersionsResponseData.ApiVersion().setApiKey((short)key)
                .setMinVersion(type.lowestSupportedVersion()).setMaxVersion(type.highestSupportedVersion(true)));
        }
        return new SupportedVersions(answer);
    }

    /** The keys Loggia serves, as its ApiVersions answer lists them. */
    static final int[] LOGGIA_API_KEYS = {0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 19, 20, 22, 23, 32, 33, 37,
        42, 44, 47, 60};

    List<Integer> keys()
    {
        return keys;
    }

    short min(final int apiKey)
    {
        return min[apiKey];
    }

    short max(final int apiKey)
    {
        return max[apiKey];
    }

    boolean isSupported(final int apiKey, final int version)
    {
        return apiKey >= 0 && apiKey < min.length && version >= min[apiKey] && version <= max[apiKey];
    }

    /** API-version pairs served, for the summary: "25 APIs, 176 versions". */
    int versionCount()
    {
        int count = 0;
        for (final int key : keys)
        {
            count += max[key] - min[key] + 1;
        }
        return count;
    }
}
