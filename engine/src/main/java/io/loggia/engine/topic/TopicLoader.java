package io.loggia.engine.topic;

import io.loggia.engine.Engine;
import io.loggia.engine.log.LogConfig;
import io.loggia.engine.partition.Partition;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Rebuilds the {@link TopicRegistry} at start-up from what the engine found on disk: the partitions
 * ({@link Engine#loadedPartitions()}), each directory's {@code partition.metadata} and the overrides in the
 * {@link TopicConfigStore}.
 * <pre>
 *   partitions grouped by topic, sorted by index
 *     topic id   = the id in partition.metadata (the lowest partition that has one); partitions without the
 *                  file, or with another id, get that id written; a topic where none has one gets a new id
 *     gaps       = a missing partition directory (deleted by hand) is created again, empty, so the topic is
 *                  whole; the loss is logged
 *     overrides  = the topic's file in the config store; a bad value stops the start (one line naming it)
 *   config files of topics without partitions (a crash between the file and the first partition) are deleted
 * </pre>
 * Runs on the broker's start-up thread before any agent runs.
 */
public final class TopicLoader
{
    private static final System.Logger LOG = System.getLogger(TopicLoader.class.getName());

    private TopicLoader()
    {
    }

    /**
     * @return the number of topics loaded into {@code registry}.
     * @throws IOException if a file cannot be read or written, or holds something invalid (the message names
     *                     it).
     */
    public static int load(
        final Engine engine,
        final TopicRegistry registry,
        final TopicConfigStore configStore,
        final LogConfig brokerDefaults) throws IOException
    {
        final Map<String, List<Partition>> byTopic = new TreeMap<>();
        for (final Partition partition : engine.loadedPartitions())
        {
            byTopic.computeIfAbsent(partition.topic(), name -> new ArrayList<>()).add(partition);
        }
        final Map<String, Map<String, String>> allOverrides = configStore.loadAll();
        for (final String orphan : new ArrayList<>(allOverrides.keySet()))
        {
            if (!byTopic.containsKey(orphan))
            {
                LOG.log(System.Logger.Level.INFO, "deleting the configs of topic {0}, which has no partitions", orphan);
                configStore.delete(orphan);
            }
        }
        for (final Map.Entry<String, List<Partition>> entry : byTopic.entrySet())
        {
            final String name = entry.getKey();
            final Map<String, String> overrides = allOverrides.getOrDefault(name, Collections.emptyMap());
            final TopicConfigCatalog.Resolved resolved = TopicConfigCatalog.resolve(overrides, brokerDefaults);
            if (!resolved.isValid())
            {
                throw new IOException(configStore.directory().resolve(name) + ": " + resolved.error());
            }
            final List<Partition> found = entry.getValue();
            found.sort(Comparator.comparingInt(Partition::index));
            final UUID id = topicId(found, registry);
            final Partition[] partitions = new Partition[found.get(found.size() - 1).index() + 1];
            for (final Partition partition : found)
            {
                partitions[partition.index()] = partition;
            }
            for (int i = 0; i < partitions.length; i++)
            {
                if (null == partitions[i])
                {
                    partitions[i] = recreate(engine, name, id, i, resolved.config());
                }
            }
            for (final Partition partition : partitions)
            {
                if (!id.equals(partition.topicId()))
                {
                    PartitionMetadataFile.write(partition.log().dir(), id);
                    partition.topicId(id);
                }
            }
            registry.put(new Topic(name, id, partitions, overrides, resolved.config()));
        }
        return byTopic.size();
    }

    private static UUID topicId(final List<Partition> partitions, final TopicRegistry registry) throws IOException
    {
        UUID chosen = null;
        for (final Partition partition : partitions)
        {
            final UUID id = PartitionMetadataFile.read(partition.log().dir());
            partition.topicId(id);
            if (null == chosen && null != id && null == registry.topic(id))
            {
                chosen = id;
            }
            else if (null != id && !id.equals(chosen))
            {
                LOG.log(System.Logger.Level.WARNING, "{0} has topic id {1}, unlike its topic''s; rewriting it",
                    partition.topicPartition(), TopicIds.toString(id));
            }
        }
        if (null == chosen)
        {
            chosen = TopicIds.random();
            while (null != registry.topic(chosen))
            {
                chosen = TopicIds.random();
            }
        }
        return chosen;
    }

    private static Partition recreate(
        final Engine engine, final String topic, final UUID id, final int index, final LogConfig config)
        throws IOException
    {
        LOG.log(System.Logger.Level.WARNING, "partition {0}-{1} is missing from the log dir; creating it empty",
            topic, index);
        final Engine.Created created = engine.createPartition(topic, id, index, config);
        if (!created.isOk())
        {
            throw new IOException("re-creating missing partition " + topic + "-" + index + ": " + created.message());
        }
        PartitionMetadataFile.write(created.partition().log().dir(), id);
        return created.partition();
    }
}
