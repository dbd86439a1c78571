package io.loggia.engine.topic;

import io.loggia.engine.Engine;
import io.loggia.engine.log.LogConfig;
import io.loggia.engine.partition.Partition;
import org.agrona.ErrorHandler;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * What the controller's jobs work on: the engine, the registry and the config store, the command backlog, the
 * broker's defaults. Controller thread only.
 */
final class ControllerState
{
    final Engine engine;
    final TopicRegistry registry;
    final TopicConfigStore configStore;
    final WriterCommandBacklog backlog;
    final LogConfig brokerDefaults;
    final int defaultPartitions;
    final int nodeId;
    final ErrorHandler errorHandler;
    final PartitionBudget budget = new PartitionBudget();
    /** Names of the topics whose creation has begun and not ended (not yet in the registry). */
    final Set<String> creating = new HashSet<>();

    ControllerState(
        final Engine engine,
        final TopicRegistry registry,
        final TopicConfigStore configStore,
        final LogConfig brokerDefaults,
        final int defaultPartitions,
        final int nodeId,
        final ErrorHandler errorHandler)
    {
        this.engine = engine;
        this.registry = registry;
        this.configStore = configStore;
        this.backlog = new WriterCommandBacklog(engine, errorHandler);
        this.brokerDefaults = brokerDefaults;
        this.defaultPartitions = defaultPartitions;
        this.nodeId = nodeId;
        this.errorHandler = errorHandler;
    }

    /** A topic id no topic in the registry has. */
    UUID newTopicId()
    {
        while (true)
        {
            final UUID id = TopicIds.random();
            if (null == registry.topic(id))
            {
                return id;
            }
        }
    }

    /**
     * Create partition {@code index} of a topic in the engine and write its {@code partition.metadata}; a
     * partition whose file cannot be written is deleted again.
     *
     * @return the engine's answer, with KAFKA_STORAGE_ERROR if the file could not be written.
     */
    Engine.Created createPartition(final String topic, final UUID topicId, final int index, final LogConfig config)
    {
        final Engine.Created created = engine.createPartition(topic, topicId, index, config);
        if (!created.isOk())
        {
            return created;
        }
        budget.created(1);
        final Partition partition = created.partition();
        try
        {
            PartitionMetadataFile.write(partition.log().dir(), topicId);
        }
        catch (final IOException ex)
        {
            errorHandler.onError(ex);
            backlog.delete(partition);
            return new Engine.Created(null, TopicErrors.KAFKA_STORAGE_ERROR,
                "writing " + PartitionMetadataFile.FILE_NAME + " of " + partition.topicPartition() + ": " + ex);
        }
        return created;
    }
}
