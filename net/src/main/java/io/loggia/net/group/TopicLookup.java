package io.loggia.net.group;

import org.apache.kafka.common.Uuid;

/**
 * What the group handlers need from the broker's topic registry: whether a committed partition exists
 * (UNKNOWN_TOPIC_OR_PARTITION otherwise, as Kafka answers) and the mapping between topic names and topic ids
 * for OffsetCommit and OffsetFetch v10 (KIP-516).
 * <p>
 * <b>Assumptions and Guarantees</b>: called from every network thread concurrently; the implementation reads
 * a safely published snapshot of the registry and takes no lock on the hot path.
 */
public interface TopicLookup
{
    /** Returned by {@link #partitionCount(String)} for a topic that does not exist. */
    int UNKNOWN_TOPIC = -1;

    /** @return the topic's partition count, or {@link #UNKNOWN_TOPIC}. */
    int partitionCount(String topic);

    /** @return the name of the topic with this id, or null if there is none. */
    String topicName(Uuid topicId);

    /** @return the topic's id, or {@link Uuid#ZERO_UUID} if it has none or does not exist. */
    Uuid topicId(String topic);
}
