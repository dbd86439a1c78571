package io.loggia.engine.writer;

import io.loggia.engine.log.LogConfig;
import io.loggia.engine.log.LogSegment;
import io.loggia.engine.log.PartitionLog;
import io.loggia.engine.log.PreparedSegment;
import io.loggia.engine.partition.Partition;
import io.loggia.engine.partition.SegmentSpace;

/**
 * A writer's private state for one partition it owns: the delayed acknowledgements, the producer state, and
 * the flags of the current duty cycle. Owned by the writer thread.
 */
final class OwnedPartition
{
    final Partition partition;
    final PartitionLog log;
    final PendingAcks pendingAcks = new PendingAcks(16);
    final IdempotenceCheck producers;
    /** flush.messages == 1: nothing is acknowledged or visible before it is on disk. */
    boolean durable;
    /** flush.messages or flush.ms is finite: flushIfDue must run. */
    boolean flushConfigured;
    /** Appended to in this duty cycle: group commit and high watermark pending. */
    boolean dirty;
    /** The high watermark moved in this duty cycle: fetch waiters to signal. */
    boolean advanced;
    /** The writer told the housekeeper it waits for space. */
    boolean awaitingSpace;
    /** When the current wait at the writable limit began (System.nanoTime). */
    long awaitingSinceNs;
    /** The segment and writable limit the writer last saw after an append, and the low-water mark it set then. */
    LogSegment limitSegment;
    long seenLimit;
    long lowWater;
    /** The housekeeper was woken for the limit last seen. */
    boolean lowWaterWoken;
    /** The segment last published to the housekeeper. */
    LogSegment published;

    OwnedPartition(final Partition partition, final IdempotenceCheck producers)
    {
        this.partition = partition;
        this.log = partition.log();
        this.producers = producers;
        applyConfig(log.config());
    }

    void applyConfig(final LogConfig config)
    {
        durable = 1 == config.flushMessages();
        flushConfigured = config.flushMessages() != LogConfig.DEFAULT_FLUSH_MESSAGES ||
            config.flushMs() != LogConfig.DEFAULT_FLUSH_MS;
    }

    /**
     * Take a file the housekeeper prepared for the next roll, publish the active segment to the housekeeper if it
     * changed (roll, truncation, retention), and cut the segments rolled since if the housekeeper is seen outside:
     * they are no longer published, so it cannot be touching them (until then it may be pre-touching the old
     * active segment's tail, and a cut under it would fault).
     *
     * @return true if the published segment changed.
     */
    boolean publishActive()
    {
        final SegmentSpace space = partition.space();
        final PreparedSegment next = space.takeNext();
        if (null != next)
        {
            log.offerPrepared(next);
        }
        final LogSegment active = log.activeSegment();
        final boolean changed = active != published;
        if (changed)
        {
            published = active;
            space.publish(active);
        }
        if (log.hasPendingSeals() && space.isHousekeeperOut())
        {
            log.completePendingSeals();
        }
        return changed;
    }

    public String toString()
    {
        return "OwnedPartition{" + partition + ", pendingAcks=" + pendingAcks.size() + ", durable=" + durable + '}';
    }
}
