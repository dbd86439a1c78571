package io.loggia.codec.wire;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ApiKeysTest
{
    @Test
    void agreesWithKafkaOnEveryApiAndVersion()
    {
        int checked = 0;
        for (final org.apache.kafka.common.protocol.ApiKeys kafka : org.apache.kafka.common.protocol.ApiKeys.values())
        {
            if (!kafka.hasValidVersion())
            {
                assertThat(ApiKeys.isKnown(kafka.id)).as(kafka.name).isFalse();
                continue;
            }
            assertThat(ApiKeys.isKnown(kafka.id)).as(kafka.name).isTrue();
            assertThat(ApiKeys.oldestVersion(kafka.id)).as(kafka.name).isEqualTo(kafka.oldestVersion());
            assertThat(ApiKeys.latestVersion(kafka.id)).as(kafka.name).isEqualTo(kafka.latestVersion(true));
            for (short version = kafka.oldestVersion(); version <= kafka.latestVersion(true); version++)
            {
                assertThat(ApiKeys.requestHeaderVersion(kafka.id, version)).as(kafka.name + " v" + version)
                    .isEqualTo(kafka.requestHeaderVersion(version));
                assertThat(ApiKeys.responseHeaderVersion(kafka.id, version)).as(kafka.name + " v" + version)
                    .isEqualTo(kafka.responseHeaderVersion(version));
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(300);
    }

    @Test
    void coversTheApisTheBrokerServes()
    {
        final int[] served = {0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 19, 20, 22, 23, 32, 37, 42, 44, 47, 60};
        for (final int apiKey : served)
        {
            assertThat(ApiKeys.isKnown(apiKey)).as("api key " + apiKey).isTrue();
        }
        assertThat(ApiKeys.firstFlexibleVersion(ApiKeys.OFFSET_DELETE)).isEqualTo(ApiKeys.NEVER_FLEXIBLE);
        assertThat(ApiKeys.requestHeaderVersion(ApiKeys.OFFSET_DELETE, 0)).isEqualTo(1);
    }

    @Test
    void answersApiVersionsWithResponseHeaderZeroEvenWhenFlexible()
    {
        assertThat(ApiKeys.requestHeaderVersion(ApiKeys.API_VERSIONS, 3)).isEqualTo(2);
        assertThat(ApiKeys.responseHeaderVersion(ApiKeys.API_VERSIONS, 3)).isZero();
        assertThat(ApiKeys.responseHeaderVersion(ApiKeys.API_VERSIONS, 99)).isZero();
    }

    @Test
    void knowsNoRemovedOrOutOfRangeKey()
    {
        for (final int apiKey : new int[] {-1, 4, 5, 6, 7, ApiKeys.maxApiKey() + 1, Short.MAX_VALUE})
        {
            assertThat(ApiKeys.isKnown(apiKey)).isFalse();
            assertThat(ApiKeys.requestHeaderVersion(apiKey, 0)).isEqualTo(ApiKeys.UNKNOWN);
            assertThat(ApiKeys.responseHeaderVersion(apiKey, 0)).isEqualTo(ApiKeys.UNKNOWN);
        }
    }
}
