package io.loggia.engine.topic;

import io.loggia.codec.wire.WireStrings;
import io.loggia.engine.group.GroupConfig;
import io.loggia.engine.log.LogConfig;
import io.loggia.engine.partition.Partition;
import org.agrona.DirectBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * One topic as the registry publishes it: name, id, partitions, config overrides and the config they give.
 * Immutable: the controller replaces a topic with a changed copy ({@link #withPartitions}, {@link #withConfig})
 * and publishes a new registry snapshot, so a reader holding a topic sees one consistent state.
 * <pre>
 *   name        UTF-8 bytes kept with their WireStrings hash, to match names in request buffers in place
 *   id          the Kafka topic id (KIP-516), also as two longs for lookups from Produce v13 / Fetch v13+
 *   partitions  index i holds partition i; never null entries
 *   overrides   topic-level configs set by CreateTopics / AlterConfigs (Kafka names, values as given)
 *   config      the broker defaults with the overrides applied
 * </pre>
 */
public final class Topic
{
    private final String name;
    private final byte[] nameBytes;
    private final int nameHash;
    private final UUID id;
    private final long idMsb;
    private final long idLsb;
    private final Partition[] partitions;
    private final Map<String, String> overrides;
    private final LogConfig config;

    /**
     * @param partitions partition i at index i, none null; the array is copied.
     * @param overrides  copied.
     */
    public Topic(
        final String name,
        final UUID id,
        final Partition[] partitions,
        final Map<String, String> overrides,
        final LogConfig config)
    {
        this.name = name;
        this.nameBytes = name.getBytes(StandardCharsets.UTF_8);
        this.nameHash = WireStrings.hash(nameBytes);
        this.id = id;
        this.idMsb = id.getMostSignificantBits();
        this.idLsb = id.getLeastSignificantBits();
        this.partitions = partitions.clone();
        for (int i = 0; i < this.partitions.length; i++)
        {
            if (null == this.partitions[i] || this.partitions[i].index() != i)
            {
                throw new IllegalArgumentException(name + ": no partition " + i + " at index " + i);
            }
        }
        this.overrides = Collections.unmodifiableMap(new TreeMap<>(overrides));
        this.config = config;
    }

    public String name()
    {
        return name;
    }

    /** The name's UTF-8 bytes; never modify. */
    byte[] nameBytes()
    {
        return nameBytes;
    }

    /** {@link WireStrings#hash(byte[])} of the name. */
    int nameHash()
    {
        return nameHash;
    }

    public UUID id()
    {
        return id;
    }

    public long idMsb()
    {
        return idMsb;
    }

    public long idLsb()
    {
        return idLsb;
    }

    public int partitionCount()
    {
        return partitions.length;
    }

    /** @return partition {@code index}, or null if the topic has no such partition. */
    public Partition partition(final int index)
    {
        return index >= 0 && index < partitions.length ? partitions[index] : null;
    }

    /** A copy of the partitions array. */
    public Partition[] partitions()
    {
        return partitions.clone();
    }

    /** Topic-level overrides, sorted by name; unmodifiable. */
    public Map<String, String> overrides()
    {
        return overrides;
    }

    /** The effective config: broker defaults with the overrides applied. */
    public LogConfig config()
    {
        return config;
    }

    /** Kafka's internal topics (here only {@code __consumer_offsets}): clients may not delete them. */
    public boolean isInternal()
    {
        return isInternal(name);
    }

    public static boolean isInternal(final String topic)
    {
        return GroupConfig.OFFSETS_TOPIC.equals(topic);
    }

    /** The same topic with more partitions; the first ones must be this topic's. */
    public Topic withPartitions(final Partition[] newPartitions)
    {
        return new Topic(name, id, newPartitions, overrides, config);
    }

    /** The same topic with new overrides and the config they give. */
    public Topic withConfig(final Map<String, String> newOverrides, final LogConfig newConfig)
    {
        return new Topic(name, id, partitions, newOverrides, newConfig);
    }

    boolean nameEquals(final DirectBuffer buffer, final int offset, final int length)
    {
        return WireStrings.equals(buffer, offset, length, nameBytes);
    }

    public String toString()
    {
        return "Topic{" + name + ", id=" + TopicIds.toString(id) + ", partitions=" + partitions.length +
            ", overrides=" + overrides + '}';
    }
}
