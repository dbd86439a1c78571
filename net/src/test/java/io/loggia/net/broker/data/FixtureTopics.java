package io.loggia.net.broker.data;

import io.loggia.engine.partition.Partition;
import io.loggia.net.broker.BrokerFixture;
import org.apache.kafka.clients.admin.NewTopic;

import java.util.List;
import java.util.Map;

/** Topics on the broker of a {@link BrokerFixture}, created through its admin client as a user would. */
final class FixtureTopics
{
    private FixtureTopics()
    {
    }

    static void create(
        final BrokerFixture fixture, final String topic, final int partitions, final Map<String, String> configs)
        throws Exception
    {
        fixture.admin().createTopics(List.of(new NewTopic(topic, partitions, (short)1).configs(configs))).all().get();
    }

    /** The engine's partition, to look at its log. */
    static Partition partition(final BrokerFixture fixture, final String topic, final int index)
    {
        return fixture.broker().engine().partition(topic, index);
    }
}
