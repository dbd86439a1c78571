package io.loggia.perf;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One consumer group on one topic: which partitions its consumers hold, and which messages of each of the
 * topic's producers it has received.
 * <p>
 * <b>Assumptions and Guarantees.</b> The group's consumer threads update it concurrently (atomics, and
 * {@link SequenceTracker}s that allow it); the main thread reads it.
 */
public final class Subscription
{
    private final String topic;
    private final String groupId;
    private final int partitions;
    private final int firstProducerIndex;
    private final SequenceTracker[] trackers;
    private final AtomicInteger assignedPartitions = new AtomicInteger();
    private final AtomicLong foreign = new AtomicLong();
    private final AtomicLong firstReceiveNs = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong lastReceiveNs = new AtomicLong(Long.MIN_VALUE);

    /**
     * @param topic              the topic.
     * @param groupId            the consumer group.
     * @param partitions         partitions of the topic.
     * @param firstProducerIndex global index of the topic's first producer.
     * @param producers          producers of the topic.
     */
    public Subscription(
        final String topic, final String groupId, final int partitions, final int firstProducerIndex, final int producers)
    {
        this.topic = topic;
        this.groupId = groupId;
        this.partitions = partitions;
        this.firstProducerIndex = firstProducerIndex;
        this.trackers = new SequenceTracker[producers];
        for (int i = 0; i < producers; i++)
        {
            trackers[i] = new SequenceTracker();
        }
    }

    public String topic()
    {
        return topic;
    }

    public String groupId()
    {
        return groupId;
    }

    /**
     * @param producerIndex a global producer index from a payload.
     * @return that producer's tracker, or null when the producer does not write to this topic.
     */
    public SequenceTracker tracker(final int producerIndex)
    {
        final int local = producerIndex - firstProducerIndex;
        return local >= 0 && local < trackers.length ? trackers[local] : null;
    }

    /** @return the tracker of the topic's {@code local}-th producer. */
    public SequenceTracker trackerOfLocal(final int local)
    {
        return trackers[local];
    }

    public int producers()
    {
        return trackers.length;
    }

    public int firstProducerIndex()
    {
        return firstProducerIndex;
    }

    /** @param delta partitions gained (positive) or given up (negative) by one consumer of the group. */
    public void onAssignmentChange(final int delta)
    {
        assignedPartitions.addAndGet(delta);
    }

    /** @return true when the group's consumers together hold every partition of the topic. */
    public boolean fullyAssigned()
    {
        return assignedPartitions.get() >= partitions;
    }

    /** Count a record that was not sent by this run (another run's data in a reused topic, or garbage). */
    public void onForeign()
    {
        foreign.incrementAndGet();
    }

    public long foreign()
    {
        return foreign.get();
    }

    /** @param nowNs run clock time a record was received. */
    public void onReceiveTime(final long nowNs)
    {
        firstReceiveNs.accumulateAndGet(nowNs, Math::min);
        lastReceiveNs.accumulateAndGet(nowNs, Math::max);
    }

    /** @return run clock time of the first record received, or Long.MAX_VALUE. */
    public long firstReceiveNs()
    {
        return firstReceiveNs.get();
    }

    /** @return run clock time of the last record received, or Long.MIN_VALUE. */
    public long lastReceiveNs()
    {
        return lastReceiveNs.get();
    }

    /** @return distinct messages received over all producers. */
    public long distinct()
    {
        long sum = 0;
        for (final SequenceTracker tracker : trackers)
        {
            sum += tracker.distinct();
        }
        return sum;
    }

    /** @return duplicate receptions over all producers. */
    public long duplicates()
    {
        long sum = 0;
        for (final SequenceTracker tracker : trackers)
        {
            sum += tracker.duplicates();
        }
        return sum;
    }
}
