package io.loggia.net.broker.admin;

import io.loggia.codec.wire.ApiKeys;
import io.loggia.net.broker.BrokerFixture;
import io.loggia.net.broker.WireClient;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin APIs at every version they are served at, over a raw connection, read back with kafka-clients. */
class AdminWireTest
{
    @TempDir
    Path dir;

    private static CreateTopicsRequestData create(final String... names)
    {
        final CreateTopicsRequestData request = new CreateTopicsRequestData().setTimeoutMs(30_000);
        for (final String name : names)
        {
            request.topics().add(new CreateTopicsRequestData.CreatableTopic().setName(name).setNumPartitions(2)
                .setReplicationFactor((short)-1));
        }
        return request;
    }

    @Test
    void everyVersionOfEveryAdminApi() throws Exception
    {
        try (BrokerFixture broker = BrokerFixture.start(dir);
            WireClient client = new WireClient(broker.broker().localAddress()))
        {
            for (int version = 2; version <= 7; version++)
            {
                final CreateTopicsResponseData created = client.call(ApiKeys.CREATE_TOPICS, version,
                    create("t" + version), CreateTopicsResponseData::new);
                final CreateTopicsResponseData.CreatableTopicResult result = created.topics().find("t" + version);
                assertThat(result.errorCode()).as("v%d", version).isZero();
                if (version >= 5)
                {
                    assertThat(result.numPartitions()).isEqualTo(2);
                    assertThat(result.configs()).isNotEmpty();
                }
            }
            final CreateTopicsResponseData duplicates = client.call(ApiKeys.CREATE_TOPICS, 7, create("dup", "dup"),
                CreateTopicsResponseData::new);
            assertThat(duplicates.topics()).allSatisfy(result -> assertThat(result.errorCode()).isEqualTo((short)42));
            assertThat(broker.broker().topics().topic("dup")).isNull();

            for (int version = 0; version <= 3; version++)
            {
                final CreatePartitionsRequestData request = new CreatePartitionsRequestData().setTimeoutMs(30_000);
                request.topics().add(new CreatePartitionsRequestData.CreatePartitionsTopic().setName("t2")
                    .setCount(3 + version).setAssignments(null));
                final CreatePartitionsResponseData response =
                    client.call(ApiKeys.CREATE_PARTITIONS, version, request, CreatePartitionsResponseData::new);
                assertThat(response.results().get(0).errorCode()).as("v%d", version).isZero();
            }
            assertThat(broker.broker().topics().topic("t2").partitionCount()).isEqualTo(6);

            for (int version = 1; version <= 4; version++)
            {
                final DescribeConfigsRequestData request = new DescribeConfigsRequestData()
                    .setIncludeSynonyms(true);
                request.resources().add(new DescribeConfigsRequestData.DescribeConfigsResource()
                    .setResourceType((byte)2).setResourceName("t3").setConfigurationKeys(List.of("retention.ms")));
                request.resources().add(new DescribeConfigsRequestData.DescribeConfigsResource()
                    .setResourceType((byte)4).setResourceName("1").setConfigurationKeys(null));
                request.resources().add(new DescribeConfigsRequestData.DescribeConfigsResource()
                    .setResourceType((byte)4).setResourceName("2").setConfigurationKeys(null));
                final DescribeConfigsResponseData response =
                    client.call(ApiKeys.DESCRIBE_CONFIGS, version, request, DescribeConfigsResponseData::new);
                assertThat(response.results().get(0).configs()).hasSize(1);
                assertThat(response.results().get(0).configs().get(0).value()).isEqualTo("604800000");
                assertThat(response.results().get(1).configs()).isNotEmpty();
                assertThat(response.results().get(2).errorCode()).isEqualTo((short)42);
            }

            for (int version = 0; version <= 2; version++)
            {
                final AlterConfigsRequestData request = new AlterConfigsRequestData();
                final AlterConfigsRequestData.AlterConfigsResource resource =
                    new AlterConfigsRequestData.AlterConfigsResource().setResourceType((byte)2).setResourceName("t4");
                resource.configs().add(new AlterConfigsRequestData.AlterableConfig()
                    .setName("retention.ms").setValue(Integer.toString(1000 + version)));
                request.resources().add(resource);
                request.resources().add(new AlterConfigsRequestData.AlterConfigsResource()
                    .setResourceType((byte)4).setResourceName("1"));
                final AlterConfigsResponseData response =
                    client.call(ApiKeys.ALTER_CONFIGS, version, request, AlterConfigsResponseData::new);
                assertThat(response.responses().get(0).errorCode()).as("v%d", version).isZero();
                assertThat(response.responses().get(1).errorCode()).isEqualTo((short)42);
            }
            // AlterConfigs replaces the whole set: the last one wins, nothing else remains
            assertThat(broker.broker().topics().topic("t4").overrides()).isEqualTo(Map.of("retention.ms", "1002"));

            long lastProducerId = -1;
            for (int version = 0; version <= 5; version++)
            {
                final InitProducerIdResponseData response = client.call(ApiKeys.INIT_PRODUCER_ID, version,
                    new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(60_000),
                    InitProducerIdResponseData::new);
                assertThat(response.errorCode()).isZero();
                assertThat(response.producerId()).isGreaterThan(lastProducerId);
                assertThat(response.producerEpoch()).isZero();
                lastProducerId = response.producerId();
            }
            final InitProducerIdResponseData transactional = client.call(ApiKeys.INIT_PRODUCER_ID, 5,
                new InitProducerIdRequestData().setTransactionalId("tx").setTransactionTimeoutMs(60_000),
                InitProducerIdResponseData::new);
            assertThat(transactional.errorCode()).isEqualTo((short)105);
            assertThat(transactional.producerId()).isEqualTo(-1);

            for (int version = 0; version <= 2; version++)
            {
                final DescribeClusterResponseData response = client.call(ApiKeys.DESCRIBE_CLUSTER, version,
                    new DescribeClusterRequestData(), DescribeClusterResponseData::new);
                assertThat(response.errorCode()).isZero();
                assertThat(response.brokers()).hasSize(1);
                assertThat(response.controllerId()).isEqualTo(1);
            }
            final DescribeClusterResponseData controllers = client.call(ApiKeys.DESCRIBE_CLUSTER, 2,
                new DescribeClusterRequestData().setEndpointType((byte)2), DescribeClusterResponseData::new);
            assertThat(controllers.errorCode()).isEqualTo((short)114);

            for (int version = 1; version <= 6; version++)
            {
                final DeleteTopicsRequestData request = new DeleteTopicsRequestData().setTimeoutMs(30_000);
                if (version < 6)
                {
                    request.setTopicNames(List.of("t" + (version + 1)));
                }
                else
                {
                    request.topics().add(new DeleteTopicsRequestData.DeleteTopicState().setName("t7"));
                }
                final DeleteTopicsResponseData response =
                    client.call(ApiKeys.DELETE_TOPICS, version, request, DeleteTopicsResponseData::new);
                assertThat(response.responses().iterator().next().errorCode()).as("v%d", version).isZero();
            }
            assertThat(broker.broker().topics().size()).isZero();
        }
    }

    @Test
    void deletionCanBeDisabled() throws Exception
    {
        try (BrokerFixture broker = BrokerFixture.start(dir, Map.of("delete.topic.enable", "false"));
            WireClient client = new WireClient(broker.broker().localAddress()))
        {
            client.call(ApiKeys.CREATE_TOPICS, 7, create("kept"), CreateTopicsResponseData::new);
            final DeleteTopicsResponseData response = client.call(ApiKeys.DELETE_TOPICS, 5,
                new DeleteTopicsRequestData().setTopicNames(List.of("kept")), DeleteTopicsResponseData::new);
            assertThat(response.responses().iterator().next().errorCode()).isEqualTo((short)73);
            assertThat(broker.broker().topics().topic("kept")).isNotNull();
        }
    }
}
