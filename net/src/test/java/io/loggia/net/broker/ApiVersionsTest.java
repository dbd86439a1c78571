package io.loggia.net.broker;

import io.loggia.codec.wire.ApiKeys;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** ApiVersions at every version, read back with kafka-clients, and the KIP-511 answer to a version it does not know. */
class ApiVersionsTest
{
    @TempDir
    static Path dir;

    private static BrokerFixture broker;

    /** The ranges the broker must advertise: Kafka 4.x's oldest to kafka-clients 4.4's newest. */
    private static final Map<Integer, short[]> EXPECTED = Map.ofEntries(
        Map.entry(ApiKeys.PRODUCE, new short[]{3, 13}),
        Map.entry(ApiKeys.FETCH, new short[]{4, 18}),
        Map.entry(ApiKeys.LIST_OFFSETS, new short[]{1, 11}),
        Map.entry(ApiKeys.METADATA, new short[]{0, 13}),
        Map.entry(ApiKeys.OFFSET_COMMIT, new short[]{2, 10}),
        Map.entry(ApiKeys.OFFSET_FETCH, new short[]{1, 10}),
        Map.entry(ApiKeys.FIND_COORDINATOR, new short[]{0, 6}),
        Map.entry(ApiKeys.JOIN_GROUP, new short[]{0, 9}),
        Map.entry(ApiKeys.HEARTBEAT, new short[]{0, 4}),
        Map.entry(ApiKeys.LEAVE_GROUP, new short[]{0, 5}),
        Map.entry(ApiKeys.SYNC_GROUP, new short[]{0, 5}),
        Map.entry(ApiKeys.DESCRIBE_GROUPS, new short[]{0, 6}),
        Map.entry(ApiKeys.LIST_GROUPS, new short[]{0, 5}),
        Map.entry(ApiKeys.API_VERSIONS, new short[]{0, 5}),
        Map.entry(ApiKeys.CREATE_TOPICS, new short[]{2, 7}),
        Map.entry(ApiKeys.DELETE_TOPICS, new short[]{1, 6}),
        Map.entry(ApiKeys.INIT_PRODUCER_ID, new short[]{0, 5}),
        Map.entry(ApiKeys.OFFSET_FOR_LEADER_EPOCH, new short[]{2, 4}),
        Map.entry(ApiKeys.DESCRIBE_CONFIGS, new short[]{1, 4}),
        Map.entry(ApiKeys.ALTER_CONFIGS, new short[]{0, 2}),
        Map.entry(ApiKeys.CREATE_PARTITIONS, new short[]{0, 3}),
        Map.entry(ApiKeys.DELETE_GROUPS, new short[]{0, 3}),
        Map.entry(ApiKeys.INCREMENTAL_ALTER_CONFIGS, new short[]{0, 1}),
        Map.entry(ApiKeys.OFFSET_DELETE, new short[]{0, 0}),
        Map.entry(ApiKeys.DESCRIBE_CLUSTER, new short[]{0, 2}));

    @BeforeAll
    static void start() throws Exception
    {
        broker = BrokerFixture.start(dir);
    }

    @AfterAll
    static void stop()
    {
        broker.close();
    }

    @Test
    void everyVersionListsTheSupportedApis() throws Exception
    {
        try (WireClient client = new WireClient(broker.broker().localAddress()))
        {
            for (int version = 0; version <= 5; version++)
            {
                final ApiVersionsRequestData request = new ApiVersionsRequestData();
                if (version >= 3)
                {
                    request.setClientSoftwareName("wire-test").setClientSoftwareVersion("1");
                }
                final ApiVersionsResponseData response =
                    client.call(ApiKeys.API_VERSIONS, version, request, ApiVersionsResponseData::new);
                assertThat(response.errorCode()).isZero();
                assertThat(response.apiKeys()).hasSize(EXPECTED.size());
                for (final Map.Entry<Integer, short[]> expected : EXPECTED.entrySet())
                {
                    final ApiVersionsResponseData.ApiVersion api =
                        response.apiKeys().find(expected.getKey().shortValue());
                    assertThat(api).as("API %d v%d", expected.getKey(), version).isNotNull();
                    assertThat(api.minVersion()).as("API %d", expected.getKey()).isEqualTo(expected.getValue()[0]);
                    assertThat(api.maxVersion()).as("API %d", expected.getKey()).isEqualTo(expected.getValue()[1]);
                }
            }
        }
    }

    @Test
    void anUnknownVersionIsAnsweredInVersionZeroWithUnsupportedVersion() throws Exception
    {
        try (WireClient client = new WireClient(broker.broker().localAddress()))
        {
            // v6 would be flexible: a v2 request header, but the answer is v0 with a v0 body
            client.write(WireClient.frame(ApiKeys.API_VERSIONS, 6, 77, new ApiVersionsRequestData()
                .setClientSoftwareName("future").setClientSoftwareVersion("9"), 5));
            final ByteBuffer frame = ByteBuffer.wrap(client.readFrame());
            assertThat(frame.getInt()).isEqualTo(77);
            final ApiVersionsResponseData response =
                new ApiVersionsResponseData(new ByteBufferAccessor(frame), (short)0);
            assertThat(response.errorCode()).isEqualTo((short)35);
            assertThat(response.apiKeys().find((short)ApiKeys.API_VERSIONS).maxVersion()).isEqualTo((short)5);
            assertThat(frame.hasRemaining()).isFalse();
            // the connection stays usable for the retry at a known version
            assertThat(client.call(ApiKeys.API_VERSIONS, 3, new ApiVersionsRequestData(), ApiVersionsResponseData::new)
                .errorCode()).isZero();
        }
    }
}
