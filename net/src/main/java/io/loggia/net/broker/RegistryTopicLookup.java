package io.loggia.net.broker;

import io.loggia.engine.partition.Partition;
import io.loggia.engine.topic.Topic;
import io.loggia.engine.topic.TopicRegistry;
import io.loggia.net.broker.data.TopicLookup;
import org.agrona.DirectBuffer;
import org.apache.kafka.common.Uuid;

/**
 * The topic registry as the data path and the group handlers look topics up. The data path's lookups are the
 * registry's own (one acquire load, a probe, no allocation); the group handlers' convert between Kafka's
 * {@link Uuid} and the registry's two longs.
 * <p>
 * <b>Assumptions and Guarantees</b>: stateless; every network thread calls it concurrently, as the registry
 * allows.
 */
final class RegistryTopicLookup implements TopicLookup, io.loggia.net.group.TopicLookup
{
    private final TopicRegistry registry;

    RegistryTopicLookup(final TopicRegistry registry)
    {
        this.registry = registry;
    }

    public Partition partition(
        final DirectBuffer nameBuffer, final int nameOffset, final int nameLength, final int partitionIndex)
    {
        return registry.partition(nameBuffer, nameOffset, nameLength, partitionIndex);
    }

    public Partition partition(final long topicIdMsb, final long topicIdLsb, final int partitionIndex)
    {
        return registry.partition(topicIdMsb, topicIdLsb, partitionIndex);
    }

    public int partitionCount(final DirectBuffer nameBuffer, final int nameOffset, final int nameLength)
    {
        return registry.partitionCount(nameBuffer, nameOffset, nameLength);
    }

    public int partitionCount(final long topicIdMsb, final long topicIdLsb)
    {
        return registry.partitionCount(topicIdMsb, topicIdLsb);
    }

    public Partition partition(final String topic, final int partitionIndex)
    {
        return registry.partition(topic, partitionIndex);
    }

    public int partitionCount(final String topic)
    {
        return registry.partitionCount(topic);
    }

    public String topicName(final Uuid topicId)
    {
        final Topic topic = registry.topic(topicId.getMostSignificantBits(), topicId.getLeastSignificantBits());
        return null == topic ? null : topic.name();
    }

    public Uuid topicId(final String name)
    {
        final Topic topic = registry.topic(name);
        return null == topic ? Uuid.ZERO_UUID : new Uuid(topic.idMsb(), topic.idLsb());
    }
}
