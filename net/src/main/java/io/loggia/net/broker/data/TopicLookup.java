package io.loggia.net.broker.data;

import io.loggia.engine.partition.Partition;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * How the data path finds the partition a request names: by topic name bytes where they lie in the request
 * buffer (Produce v3..v12, Fetch v4..v12, ListOffsets, OffsetForLeaderEpoch) or by topic id (Produce v13,
 * Fetch v13+). Implemented by the broker's topic registry.
 * <pre>
 *   request names topic T, partition p
 *     partition(T, p) != null                   ──► serve it (check Partition.isOpen() before reading)
 *     partition(T, p) == null
 *        partitionCount(T) == UNKNOWN_TOPIC     ──► UNKNOWN_TOPIC_OR_PARTITION (3), by id: UNKNOWN_TOPIC_ID (100)
 *        partitionCount(T) >= 0                 ──► UNKNOWN_TOPIC_OR_PARTITION (3): the topic exists, p does not
 * </pre>
 * The name or id of a partition for a response is {@link Partition#topic()} and {@link Partition#topicId()};
 * the data path echoes the request's own bytes instead, so it never needs them on the hot path.
 * <p>
 * <b>Assumptions and Guarantees</b>
 * <ul>
 *     <li>Called on network threads, concurrently from several of them, and on no other hot path.</li>
 *     <li>The lookups take no lock and allocate nothing: the registry publishes immutable copy-on-write
 *     snapshots (a release store of the new snapshot after it is fully built) and a lookup reads the current
 *     one with one acquire load. A topic created or deleted while a request is being looked up may be seen or
 *     not; both are answers Kafka could have given.</li>
 *     <li>A {@link Partition} returned may be closing (deleted a moment ago): callers check
 *     {@link Partition#isOpen()} before reading its log and answer UNKNOWN_TOPIC_OR_PARTITION otherwise.</li>
 *     <li>The name buffer is only read during the call; the registry keeps no reference to it.</li>
 * </ul>
 */
public interface TopicLookup
{
    /** {@link #partitionCount} of a topic this broker does not host. */
    int UNKNOWN_TOPIC = -1;

    /**
     * @param nameBuffer     holds the topic name as UTF-8 bytes (a request buffer).
     * @param nameOffset     index of the first name byte.
     * @param nameLength     name bytes.
     * @param partitionIndex the partition within the topic.
     * @return the partition, or null if the topic or the partition is unknown.
     */
    Partition partition(DirectBuffer nameBuffer, int nameOffset, int nameLength, int partitionIndex);

    /**
     * @return the partition of the topic with this id, or null if the topic or the partition is unknown.
     */
    Partition partition(long topicIdMsb, long topicIdLsb, int partitionIndex);

    /**
     * Only asked after a miss, to tell an unknown topic from an unknown partition.
     *
     * @return the topic's partition count, or {@link #UNKNOWN_TOPIC}.
     */
    int partitionCount(DirectBuffer nameBuffer, int nameOffset, int nameLength);

    /**
     * Only asked after a miss, to tell an unknown topic id from an unknown partition.
     *
     * @return the topic's partition count, or {@link #UNKNOWN_TOPIC}.
     */
    int partitionCount(long topicIdMsb, long topicIdLsb);

    /**
     * Control-plane convenience (ListOffsets, OffsetForLeaderEpoch decode names into {@link String}s); encodes
     * the name, so it allocates.
     *
     * @return the partition, or null if the topic or the partition is unknown.
     */
    default Partition partition(final String topic, final int partitionIndex)
    {
        final byte[] name = topic.getBytes(StandardCharsets.UTF_8);
        return partition(new UnsafeBuffer(name), 0, name.length, partitionIndex);
    }

    /**
     * Control-plane convenience, as {@link #partition(String, int)}.
     *
     * @return the topic's partition count, or {@link #UNKNOWN_TOPIC}.
     */
    default int partitionCount(final String topic)
    {
        final byte[] name = topic.getBytes(StandardCharsets.UTF_8);
        return partitionCount(new UnsafeBuffer(name), 0, name.length);
    }
}
