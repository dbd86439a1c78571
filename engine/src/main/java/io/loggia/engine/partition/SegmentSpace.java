package io.loggia.engine.partition;

import io.loggia.engine.log.LogSegment;
import io.loggia.engine.log.PreparedSegment;

/**
 * Where a partition's writer and the housekeeper meet over the active segment's space: the writer publishes
 * the segment to prepare, the housekeeper prepares space ahead of its write position and raises its
 * {@link LogSegment#writableLimit(long) writable limit}, and reports a full disk.
 * <pre>
 *   writer                                      housekeeper
 *   publish(active)        segment ─────────►   enter(): busy = 1, load segment
 *   before unmapping or re-opening a segment:     fallocate, populate, raise writableLimit
 *     publish(other) or unpublish()            exit(): busy = 0
 *     isHousekeeperOut()?  ◄───────── busy
 * </pre>
 * <b>Assumptions and Guarantees</b>
 * <ul>
 *     <li>The partition's writer thread calls {@link #publish}, {@link #unpublish}, {@link #isHousekeeperOut},
 *     {@link #awaitSpace}, {@link #spaceArrived}, {@link #isStorageFull} and {@link #takeNext}. The housekeeper
 *     thread calls {@link #enter}, {@link #exit}, {@link #storageFull(boolean)}, {@link #isAwaitingSpace} and
 *     {@link #offerNext}. Each field has one writing thread, except the next-segment slot, which the housekeeper
 *     fills only when it is empty and the writer empties only when it is full.</li>
 *     <li>A {@link PreparedSegment} changes owner with the slot: the housekeeper's volatile store publishes the
 *     file and everything it did to it; it never touches it again. The writer's volatile load takes it.</li>
 *     <li>Every field is volatile, so the two sides form Dekker's handshake: the writer stores the segment then
 *     loads {@code busy}; the housekeeper stores {@code busy} then loads the segment. In the single total order
 *     of volatile accesses one of them sees the other's store. So once the writer has published another segment
 *     (or none) and then seen {@code busy == 0}, the housekeeper is not working on the old segment and never
 *     will again: the writer may unmap it, seal it or re-open it.</li>
 *     <li>The same handshake carries {@code awaitingSpace} (writer stores it, then re-checks the limit) against
 *     the housekeeper's limit store followed by {@link #isAwaitingSpace}: a writer that stalls on the limit is
 *     always woken.</li>
 * </ul>
 */
public final class SegmentSpace
{
    private volatile LogSegment segment;
    private volatile int busy;
    private volatile boolean storageFull;
    private volatile boolean awaitingSpace;
    private volatile PreparedSegment next;

    /** Writer thread: the segment the housekeeper should prepare, normally the active one. */
    public void publish(final LogSegment segment)
    {
        this.segment = segment;
    }

    /** Writer thread: stop the housekeeper from touching any segment of this partition. */
    public void unpublish()
    {
        this.segment = null;
    }

    /** Writer thread: the segment published last, null if none. */
    public LogSegment published()
    {
        return segment;
    }

    /**
     * Writer thread, after {@link #publish} or {@link #unpublish}: true if the housekeeper is not inside
     * {@link #enter()}..{@link #exit()}, so it cannot be touching a segment that is no longer published.
     */
    public boolean isHousekeeperOut()
    {
        return 0 == busy;
    }

    /**
     * Writer thread: it stalled on the writable limit and wants a wake-up when the limit moves. The writer must
     * load the limit again after this call before it sleeps.
     */
    public void awaitSpace()
    {
        awaitingSpace = true;
    }

    /** Writer thread: an append fitted again; no wake-up needed any more. */
    public void spaceArrived()
    {
        awaitingSpace = false;
    }

    /** Any thread: the housekeeper could not allocate space for this partition's next window. */
    public boolean isStorageFull()
    {
        return storageFull;
    }

    /** Housekeeper thread: begin working on the published segment; always pair with {@link #exit()}. */
    public LogSegment enter()
    {
        busy = 1;
        return segment;
    }

    /** Housekeeper thread: done with the segment {@link #enter()} returned. */
    public void exit()
    {
        busy = 0;
    }

    /** Housekeeper thread: fallocate failed for lack of space (true) or succeeded again (false). */
    public void storageFull(final boolean full)
    {
        if (storageFull != full)
        {
            storageFull = full;
        }
    }

    /** Housekeeper thread, after moving the limit or the full flag: whether the writer waits to be woken. */
    public boolean isAwaitingSpace()
    {
        return awaitingSpace;
    }

    /** Housekeeper thread: hand over the next segment's file; false if the previous one was not taken yet. */
    public boolean offerNext(final PreparedSegment prepared)
    {
        if (null != next)
        {
            return false;
        }
        next = prepared;
        return true;
    }

    /** Writer thread: the file prepared for the next roll, null if none; it is the writer's from now on. */
    public PreparedSegment takeNext()
    {
        final PreparedSegment prepared = next;
        if (null != prepared)
        {
            next = null;
        }
        return prepared;
    }

    public String toString()
    {
        return "SegmentSpace{segment=" + segment + ", busy=" + busy + ", storageFull=" + storageFull +
            ", awaitingSpace=" + awaitingSpace + '}';
    }
}
