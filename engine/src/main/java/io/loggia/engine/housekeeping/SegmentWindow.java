package io.loggia.engine.housekeeping;

import io.loggia.engine.log.LogSegment;
import io.loggia.engine.log.PreparedSegment;
import io.loggia.engine.partition.Partition;

/**
 * The housekeeper's record of one partition's active segment: how far it has reserved disk blocks and
 * populated pages, and the descriptor it reserves them through.
 * <pre>
 *   0            size           writableLimit        allocatedEnd                 capacity
 *   |  written   | prepared, the writer may write     | reserved, not yet populated |   sparse   |
 * </pre>
 * Work comes in rounds: when the prepared range ahead of the size shrinks to half the window, a round sets
 * {@link #targetEnd} to size + window and steps towards it a chunk at a time. For a segment whose limit is its
 * capacity while native calls are not ready (or not available at all) {@link #preparedEnd} tracks the touched range
 * instead of the limit; once they are ready such a segment is gated ({@link #gated}) like any other.
 * <p>
 * Housekeeper thread only.
 */
final class SegmentWindow
{
    final Partition partition;
    LogSegment segment;
    int fd = -1;
    long allocatedEnd;
    /** End of the current round: a gated segment's limit, or an ungated one's populated range, moves to it. */
    long targetEnd;
    /** Ungated segments: end of the populated range. */
    long preparedEnd;
    long retryAtMs;
    /** Gated segments: the range of both index files the writer can reach is reserved (before the first raise). */
    boolean indexesReserved;
    /**
     * The segment's writable limit is this housekeeper's to raise over reserved space: seen below its capacity with
     * native calls ready, or gated here after it was loaded or handed its whole capacity without them.
     */
    boolean gated;
    /** The segment's mapping was advised not to read around (MADV_RANDOM). */
    boolean readAroundOff;
    /** The next segment's file being prepared (owned by the housekeeper until handed over), and its state. */
    PreparedSegment next;
    int nextFd = -1;
    boolean nextAllocated;
    /** The active segment a next file was handed over for: one per active segment. */
    LogSegment nextHandedOverFor;
    /**
     * Flush on roll: the sealed segment being forced, compared by identity only (never touched outside
     * SegmentSpace.enter/exit, where it is found again in the log's segments), its seal epoch, and how far it is
     * forced.
     */
    LogSegment forcing;
    int forcingEpoch;
    int forcedPosition;
    long forceRetryAtMs;

    SegmentWindow(final Partition partition)
    {
        this.partition = partition;
    }

    void reset(final LogSegment segment)
    {
        this.segment = segment;
        allocatedEnd = 0;
        targetEnd = 0;
        preparedEnd = 0;
        retryAtMs = 0;
        indexesReserved = false;
        gated = false;
        readAroundOff = false;
    }

    public String toString()
    {
        return "SegmentWindow{" + partition + ", allocatedEnd=" + allocatedEnd + ", preparedEnd=" + preparedEnd + '}';
    }
}
