package io.loggia.net.broker;

import io.loggia.codec.wire.ApiKeys;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input on raw sockets: each is answered with a closed connection (or, for ApiVersions, an error), the broker
 * logs it and goes on, and a well-behaved client on another connection keeps working throughout.
 */
class RawSocketTest
{
    @TempDir
    static Path dir;

    private static BrokerFixture broker;
    private static WireClient good;

    @BeforeAll
    static void start() throws Exception
    {
        broker = BrokerFixture.start(dir, Map.of("socket.request.max.bytes", "2097152"));
        good = new WireClient(broker.broker().localAddress());
    }

    @AfterAll
    static void stop() throws Exception
    {
        good.close();
        broker.close();
        assertThat(broker.broker().errorCount()).isZero();
    }

    private static void goodClientStillWorks() throws Exception
    {
        final MetadataResponseData metadata =
            good.call(ApiKeys.METADATA, 12, new MetadataRequestData().setTopics(null), MetadataResponseData::new);
        assertThat(metadata.brokers()).hasSize(1);
    }

    private static WireClient connect() throws Exception
    {
        return new WireClient(broker.broker().localAddress());
    }

    private static byte[] withSize(final byte[] body)
    {
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }

    @Test
    void randomBytesCloseTheConnection() throws Exception
    {
        final Random random = new Random(7);
        for (int i = 0; i < 20; i++)
        {
            final byte[] garbage = new byte[1 + random.nextInt(200)];
            random.nextBytes(garbage);
            // a plausible size prefix, then noise
            try (WireClient client = connect())
            {
                client.write(withSize(garbage));
                assertThat(client.isClosedByPeer()).isTrue();
            }
        }
        goodClientStillWorks();
    }

    @Test
    void hugeAndNegativeSizePrefixesCloseTheConnection() throws Exception
    {
        for (final int size : new int[]{Integer.MAX_VALUE, 2 * 1024 * 1024 + 1, -1, Integer.MIN_VALUE})
        {
            try (WireClient client = connect())
            {
                client.write(ByteBuffer.allocate(8).putInt(size).putInt(0).array());
                assertThat(client.isClosedByPeer()).as("size %d", size).isTrue();
            }
        }
        goodClientStillWorks();
    }

    @Test
    void truncatedHeadersAndBodiesCloseTheConnection() throws Exception
    {
        final byte[] metadata = WireClient.frame(ApiKeys.METADATA, 12, 1, new MetadataRequestData().setTopics(null));
        final byte[] create = WireClient.frame(ApiKeys.CREATE_TOPICS, 7, 1, new CreateTopicsRequestData()
            .setTopics(new CreateTopicsRequestData.CreatableTopicCollection(List.of(
                new CreateTopicsRequestData.CreatableTopic().setName("t").setNumPartitions(1)
                    .setReplicationFactor((short)1)).iterator())));
        for (final byte[] frame : List.of(metadata, create))
        {
            for (final int cut : new int[]{5, 7, 10, frame.length - 5})
            {
                // the frame claims fewer bytes than the request needs: the decoder runs out
                final byte[] body = Arrays.copyOfRange(frame, 4, cut);
                try (WireClient client = connect())
                {
                    client.write(withSize(body));
                    assertThat(client.isClosedByPeer()).as("cut at %d", cut).isTrue();
                }
            }
        }
        assertThat(broker.broker().topics().topic("t")).isNull();
        goodClientStillWorks();
    }

    @Test
    void unknownApiKeysAndUnsupportedVersionsCloseTheConnection() throws Exception
    {
        final int[][] refused = {
            {999, 0},                               // no such API
            {ApiKeys.SASL_HANDSHAKE, 1},            // known to Kafka, not served
            {ApiKeys.METADATA, 14},                 // newer than advertised
            {ApiKeys.CREATE_TOPICS, 1},             // older than Kafka 4 accepts (KIP-896)
            {ApiKeys.PRODUCE, 2},
            {ApiKeys.FETCH, 19},
            {ApiKeys.JOIN_GROUP, 10},
            {ApiKeys.INIT_PRODUCER_ID, 6},
        };
        for (final int[] request : refused)
        {
            try (WireClient client = connect())
            {
                client.write(withSize(ByteBuffer.allocate(10).putShort((short)request[0]).putShort((short)request[1])
                    .putInt(5).putShort((short)-1).array()));
                assertThat(client.isClosedByPeer()).as("API %d v%d", request[0], request[1]).isTrue();
            }
        }
        goodClientStillWorks();
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderAcrossTheControllerRoundTrip() throws Exception
    {
        try (WireClient client = connect())
        {
            final byte[] create = WireClient.frame(ApiKeys.CREATE_TOPICS, 7, 1, new CreateTopicsRequestData()
                .setTopics(new CreateTopicsRequestData.CreatableTopicCollection(List.of(
                    new CreateTopicsRequestData.CreatableTopic().setName("piped").setNumPartitions(40)
                        .setReplicationFactor((short)1)).iterator())));
            final byte[] versions = WireClient.frame(ApiKeys.API_VERSIONS, 3, 2, new ApiVersionsRequestData());
            final byte[] both = Arrays.copyOf(create, create.length + versions.length);
            System.arraycopy(versions, 0, both, create.length, versions.length);
            client.write(both);
            assertThat(ByteBuffer.wrap(client.readFrame()).getInt()).isEqualTo(1);
            assertThat(ByteBuffer.wrap(client.readFrame()).getInt()).isEqualTo(2);
        }
        assertThat(broker.broker().topics().topic("piped").partitionCount()).isEqualTo(40);
        assertThat(broker.admin().createTopics(List.of(new NewTopic("after", 1, (short)1))).all()
            .get(30, TimeUnit.SECONDS)).isNull();
        goodClientStillWorks();
    }

    @Test
    void aClientThatVanishesMidRequestLeavesNothingBehind() throws Exception
    {
        for (int i = 0; i < 10; i++)
        {
            try (WireClient client = connect())
            {
                final byte[] frame = WireClient.frame(ApiKeys.CREATE_TOPICS, 7, 1, new CreateTopicsRequestData()
                    .setTopics(new CreateTopicsRequestData.CreatableTopicCollection(List.of(
                        new CreateTopicsRequestData.CreatableTopic().setName("vanish-" + i).setNumPartitions(1)
                            .setReplicationFactor((short)1)).iterator())));
                client.write(frame);
            }
        }
        final ApiVersionsResponseData versions =
            good.call(ApiKeys.API_VERSIONS, 3, new ApiVersionsRequestData(), ApiVersionsResponseData::new);
        assertThat(versions.errorCode()).isZero();
        goodClientStillWorks();
    }
}
