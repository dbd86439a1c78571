package io.loggia.engine.group;

import io.loggia.engine.log.PartitionLog;

import java.util.Map;

/**
 * What the coordinator needs from the broker about {@code __consumer_offsets}: whether it exists, a way to have
 * it created, its logs to read at load time, and (for {@link AppendOffsetsLog}) where its partitions are
 * written. The broker implements it over its topic registry and partition table.
 * <p>
 * <b>Assumptions and Guarantees</b>: called only from the coordinator thread. The broker publishes a created
 * topic safely (its registry is read with acquire semantics), so once {@link #partitionCount()} is positive
 * every other method answers for all those partitions.
 */
public interface OffsetsTopic
{
    /** @return the topic's partition count, 0 while it does not exist. */
    int partitionCount();

    /**
     * Asks the broker to create the topic, compacted, with {@code partitions} partitions and the topic-level
     * {@code config} ({@link GroupConfig#offsetsTopicConfig()}). Asynchronous and idempotent: the coordinator
     * calls it once and watches {@link #partitionCount()}.
     */
    void create(int partitions, Map<String, String> config);

    /** @return the log of {@code partition}, for reading while loading; readers need no lock. */
    PartitionLog partitionLog(int partition);

    /** @return the index of the writer that owns {@code partition}, or -1 if it has none. */
    int writerIndex(int partition);

    /** @return the key of {@code partition} in its writer's partition table (the append's partition id). */
    int partitionKey(int partition);
}
