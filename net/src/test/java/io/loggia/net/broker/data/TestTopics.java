package io.loggia.net.broker.data;

import io.loggia.codec.wire.WireStrings;
import io.loggia.engine.partition.Partition;
import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

/**
 * A {@link TopicLookup} for tests: a copy-on-write array of topics, searched linearly, allocation-free.
 */
final class TestTopics implements TopicLookup
{
    record Topic(String name, byte[] nameBytes, UUID id, Partition[] partitions)
    {
    }

    private volatile Topic[] topics = new Topic[0];

    synchronized void add(final String name, final UUID id, final Partition[] partitions)
    {
        final Topic[] next = Arrays.copyOf(topics, topics.length + 1);
        next[topics.length] = new Topic(name, name.getBytes(StandardCharsets.UTF_8), id, partitions);
        topics = next;
    }

    Topic[] all()
    {
        return topics;
    }

    Topic topic(final String name)
    {
        for (final Topic topic : topics)
        {
            if (topic.name().equals(name))
            {
                return topic;
            }
        }
        return null;
    }

    public Partition partition(
        final DirectBuffer nameBuffer, final int nameOffset, final int nameLength, final int partitionIndex)
    {
        final Topic topic = byName(nameBuffer, nameOffset, nameLength);
        return null == topic ? null : at(topic, partitionIndex);
    }

    public Partition partition(final long topicIdMsb, final long topicIdLsb, final int partitionIndex)
    {
        final Topic topic = byId(topicIdMsb, topicIdLsb);
        return null == topic ? null : at(topic, partitionIndex);
    }

    public int partitionCount(final DirectBuffer nameBuffer, final int nameOffset, final int nameLength)
    {
        final Topic topic = byName(nameBuffer, nameOffset, nameLength);
        return null == topic ? UNKNOWN_TOPIC : topic.partitions().length;
    }

    public int partitionCount(final long topicIdMsb, final long topicIdLsb)
    {
        final Topic topic = byId(topicIdMsb, topicIdLsb);
        return null == topic ? UNKNOWN_TOPIC : topic.partitions().length;
    }

    private Topic byName(final DirectBuffer buffer, final int offset, final int length)
    {
        for (final Topic topic : topics)
        {
            if (WireStrings.equals(buffer, offset, length, topic.nameBytes()))
            {
                return topic;
            }
        }
        return null;
    }

    private Topic byId(final long msb, final long lsb)
    {
        for (final Topic topic : topics)
        {
            if (topic.id().getMostSignificantBits() == msb && topic.id().getLeastSignificantBits() == lsb)
            {
                return topic;
            }
        }
        return null;
    }

    private static Partition at(final Topic topic, final int index)
    {
        return index >= 0 && index < topic.partitions().length ? topic.partitions()[index] : null;
    }
}
