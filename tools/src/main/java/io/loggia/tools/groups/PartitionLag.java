package io.loggia.tools.groups;

/**
 * One row of {@code loggia groups --describe}: a partition the group owns or has an offset for.
 *
 * @param group      the group id.
 * @param topic      the topic.
 * @param partition  the partition.
 * @param committed  the group's committed offset, {@link #UNKNOWN} when it has none.
 * @param logEnd     the partition's log end offset (high watermark), {@link #UNKNOWN} when the broker has no such
 *                   partition (a deleted topic).
 * @param lagTimeMs  age of the oldest unconsumed record in ms, {@link #UNKNOWN} when there is no lag, no committed
 *                   offset, or the record has no timestamp.
 * @param consumerId the owning member's id, null when no member owns the partition.
 * @param host       the owning member's host as the broker reports it.
 * @param clientId   the owning member's client id.
 */
record PartitionLag(
    String group,
    String topic,
    int partition,
    long committed,
    long logEnd,
    long lagTimeMs,
    String consumerId,
    String host,
    String clientId)
{
    static final long UNKNOWN = -1;

    /**
     * Records between the committed offset and the log end, or {@link #UNKNOWN} (use {@link #hasLag()} to tell
     * it from a negative lag, which a committed offset past the log end gives, as in Kafka's tool).
     */
    long lag()
    {
        return logEnd - committed;
    }

    /** Whether both offsets are known, so {@link #lag()} means something. */
    boolean hasLag()
    {
        return committed != UNKNOWN && logEnd != UNKNOWN;
    }

    PartitionLag withLagTime(final long lagTimeMs)
    {
        return new PartitionLag(group, topic, partition, committed, logEnd, lagTimeMs, consumerId, host, clientId);
    }
}
