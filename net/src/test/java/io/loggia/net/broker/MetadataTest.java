package io.loggia.net.broker;

import io.loggia.codec.wire.ApiKeys;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Metadata at every version, with and without auto-creation; topic ids stable across a restart. */
class MetadataTest
{
    @TempDir
    Path dir;

    private static MetadataRequestData request(
        final int version, final boolean allowAutoCreation, final String... names)
    {
        final MetadataRequestData request = new MetadataRequestData();
        if (version >= 4)
        {
            request.setAllowAutoTopicCreation(allowAutoCreation);
        }
        for (final String name : names)
        {
            request.topics().add(new MetadataRequestData.MetadataRequestTopic().setName(name));
        }
        return request;
    }

    private static MetadataResponseData call(final WireClient client, final int version, final MetadataRequestData body)
        throws Exception
    {
        return client.call(ApiKeys.METADATA, version, body, MetadataResponseData::new);
    }

    @Test
    void answersEveryVersionAndAutoCreatesWhenAllowed() throws Exception
    {
        try (BrokerFixture broker = BrokerFixture.start(dir, Map.of("num.partitions", "2", "node.id", "9"));
            WireClient client = new WireClient(broker.broker().localAddress()))
        {
            for (int version = 0; version <= 13; version++)
            {
                final String name = "auto-" + version;
                final MetadataResponseData response = call(client, version, request(version, true, name, "bad/name"));
                final MetadataResponseData.MetadataResponseTopic topic = response.topics().find(name);
                assertThat(topic.errorCode()).as("v%d", version).isZero();
                assertThat(topic.partitions()).hasSize(2);
                assertThat(topic.partitions().get(1).leaderId()).isEqualTo(9);
                assertThat(topic.partitions().get(1).isrNodes()).containsExactly(9);
                assertThat(response.topics().find("bad/name").errorCode()).isEqualTo((short)17);
                assertThat(response.brokers()).hasSize(1);
                assertThat(response.brokers().find(9).port()).isEqualTo(broker.broker().localAddress().getPort());
                if (version >= 2)
                {
                    assertThat(response.clusterId()).isEqualTo(broker.broker().meta().clusterId());
                }
                if (version >= 10)
                {
                    assertThat(topic.topicId()).isEqualTo(new Uuid(
                        broker.broker().topics().topic(name).idMsb(), broker.broker().topics().topic(name).idLsb()));
                }
            }
            final MetadataResponseData refused = call(client, 13, request(13, false, "not-created"));
            assertThat(refused.topics().find("not-created").errorCode()).isEqualTo((short)3);
            assertThat(broker.broker().topics().topic("not-created")).isNull();

            final MetadataResponseData all = call(client, 13, new MetadataRequestData().setTopics(null));
            assertThat(all.topics()).hasSize(14);
            final MetadataResponseData allV0 = call(client, 0, new MetadataRequestData());
            assertThat(allV0.topics()).hasSize(14);
            final MetadataResponseData none = call(client, 13, new MetadataRequestData());
            assertThat(none.topics()).isEmpty();
        }
    }

    @Test
    void autoCreationCanBeTurnedOff() throws Exception
    {
        try (BrokerFixture broker = BrokerFixture.start(dir, Map.of("auto.create.topics.enable", "false"));
            WireClient client = new WireClient(broker.broker().localAddress()))
        {
            final MetadataResponseData response = call(client, 12, request(12, true, "missing"));
            assertThat(response.topics().find("missing").errorCode()).isEqualTo((short)3);
            assertThat(broker.broker().topics().size()).isZero();
        }
    }

    @Test
    void topicIdsAreStableAcrossARestartAndFoundById() throws Exception
    {
        try (BrokerFixture broker = BrokerFixture.start(dir))
        {
            Uuid id;
            try (WireClient client = new WireClient(broker.broker().localAddress()))
            {
                id = call(client, 13, request(13, true, "stable")).topics().find("stable").topicId();
                assertThat(id).isNotEqualTo(Uuid.ZERO_UUID);
            }
            broker.restart();
            try (WireClient client = new WireClient(broker.broker().localAddress()))
            {
                assertThat(call(client, 13, request(13, false, "stable")).topics().find("stable").topicId())
                    .isEqualTo(id);
                final MetadataRequestData byId = new MetadataRequestData();
                byId.topics().add(new MetadataRequestData.MetadataRequestTopic().setName(null).setTopicId(id));
                byId.topics().add(new MetadataRequestData.MetadataRequestTopic().setName(null)
                    .setTopicId(Uuid.randomUuid()));
                final MetadataResponseData answer = call(client, 12, byId);
                final List<MetadataResponseData.MetadataResponseTopic> topics = List.copyOf(answer.topics());
                assertThat(topics.get(0).name()).isEqualTo("stable");
                assertThat(topics.get(0).topicId()).isEqualTo(id);
                assertThat(topics.get(1).errorCode()).isEqualTo((short)100);
                assertThat(topics.get(1).name()).isNull();

            }
        }
    }
}
