package io.loggia.engine.log;

import io.loggia.codec.record.BatchValidator;
import io.loggia.codec.record.RecordBatch;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.collections.LongArrayList;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;

/**
 * The log of one partition: its segments in offset order, the newest one active, and the offsets that
 * bound what readers may see.
 * <pre>
 *   logStartOffset        highWatermark       logEndOffset
 *        |                      |                   |
 *   [ seg 0 ][ seg 1 ] ... [ active segment ...     ]
 *   ^ deleted whole by retention, never the active one unless rolled first
 * </pre>
 * <b>Assumptions and Guarantees</b>
 * <ul>
 *     <li>One writer thread owns every mutable field: it calls {@link #append}, {@link #roll},
 *     {@link #truncateTo}, {@link #truncateFullyAndStartAt}, {@link #advanceHighWatermark},
 *     {@link #deleteRecordsBefore}, {@link #applyRetention}, {@link #processDelayedDeletes}, {@link #flush},
 *     {@link #flushIfDue}, {@link #advanceFlushedOverForcedSegments}, {@link #hasPendingSeals},
 *     {@link #completePendingSeals}, {@link #updateConfig},
 *     {@link #gateNewSegments}, {@link #offerPrepared}, {@link #close}, {@link #abandon} and
 *     {@link #releaseRetired}.
 *     The loader builds the log before any other thread sees it.</li>
 *     <li>Any thread calls {@link #read}, {@link #offsetForTimestamp}, {@link #offsetOfMaxTimestamp}, the offset
 *     getters and {@link #segments()}. They allocate nothing and take no lock.</li>
 *     <li>An append writes the batch bytes and index entries, publishes the segment's size (release), then the
 *     log end offset (release). A roll publishes the new segments array (volatile) before the first append to
 *     it moves the log end offset. A deletion publishes the raised log start offset (release) before the
 *     shorter segments array. Readers therefore load the log end offset, then the array, then the log start
 *     offset, then each segment's size, all with acquire semantics.</li>
 *     <li>The high watermark moves only by {@link #advanceHighWatermark} (and down by truncation); it never
 *     passes the log end offset.</li>
 *     <li>A mapping is unmapped only when no reader can be reading it. The guarded reads ({@link #read},
 *     {@link #offsetForTimestamp}, {@link #offsetOfMaxTimestamp}) announce themselves on the thread's
 *     {@link ReaderSlot}; a segment taken out of the array is unmapped only after a {@link ReaderGrace} started
 *     then has passed ({@link LogReaders}). Removed segments are renamed {@code .deleted} at once and unmapped by
 *     {@link #processDelayedDeletes} after {@code file.delete.delay.ms} and their grace, so a {@link ReadResult}'s
 *     channel also stays open that long. {@link #close} and {@link #abandon} take every segment away at once and
 *     unmap them when their grace has passed ({@link #releaseRetired}), so a thread that saw the partition open
 *     just before may finish its read safely.</li>
 * </ul>
 */
public final class PartitionLog
{
    private static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;
    private static final long NO_TIMESTAMP = RecordBatch.NO_TIMESTAMP;
    private static final LogSegment[] NO_SEGMENTS = new LogSegment[0];
    private static final VarHandle LOG_START_OFFSET_VH;
    private static final VarHandle LOG_END_OFFSET_VH;
    private static final VarHandle HIGH_WATERMARK_VH;
    private static final VarHandle FLUSHED_OFFSET_VH;

    private static final int RETAIN_BY_TIME = 1;
    private static final int RETAIN_BY_SIZE = 2;
    private static final int RETAIN_BY_LOG_START = 3;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            LOG_START_OFFSET_VH = lookup.findVarHandle(PartitionLog.class, "logStartOffset", long.class);
            LOG_END_OFFSET_VH = lookup.findVarHandle(PartitionLog.class, "logEndOffset", long.class);
            HIGH_WATERMARK_VH = lookup.findVarHandle(PartitionLog.class, "highWatermark", long.class);
            FLUSHED_OFFSET_VH = lookup.findVarHandle(PartitionLog.class, "flushedOffset", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final TopicPartition topicPartition;
    private final Path dir;
    private final ErrorHandler errorHandler;
    private volatile LogSegment[] segments;
    @SuppressWarnings("unused") // accessed through LOG_START_OFFSET_VH
    private long logStartOffset;
    @SuppressWarnings("unused") // accessed through LOG_END_OFFSET_VH
    private long logEndOffset;
    @SuppressWarnings("unused") // accessed through HIGH_WATERMARK_VH
    private long highWatermark;
    @SuppressWarnings("unused") // accessed through FLUSHED_OFFSET_VH
    private long flushedOffset;

    // writer thread only
    private LogConfig config;
    private LogSegment active;
    private final ArrayList<LogSegment> pendingDeletes = new ArrayList<>();
    private final LongArrayList pendingDeleteDueMs = new LongArrayList();
    private final ArrayList<ReaderGrace> pendingDeleteGraces = new ArrayList<>();
    private final ArrayList<LogSegment> retiredToClose = new ArrayList<>();
    private final ArrayList<LogSegment> retiredToDelete = new ArrayList<>();
    private ReaderGrace retiredGrace = ReaderGrace.PASSED;
    private final BatchValidator crc = new BatchValidator();
    private long lastFlushMs;
    private boolean failed;
    private boolean closed;
    private boolean sealsPending;
    private boolean gateNewSegments;
    private PreparedSegment prepared;

    PartitionLog(
        final TopicPartition topicPartition,
        final Path dir,
        final LogConfig config,
        final LogSegment[] segments,
        final long logStartOffset,
        final long highWatermark,
        final long flushedOffset,
        final long nowMs,
        final ErrorHandler errorHandler)
    {
        this.topicPartition = topicPartition;
        this.dir = dir;
        this.config = config;
        this.errorHandler = errorHandler;
        this.active = segments[segments.length - 1];
        this.lastFlushMs = nowMs;
        final long logEnd = active.nextOffset();
        LOG_START_OFFSET_VH.setRelease(this, logStartOffset);
        LOG_END_OFFSET_VH.setRelease(this, logEnd);
        HIGH_WATERMARK_VH.setRelease(this, highWatermark);
        FLUSHED_OFFSET_VH.setRelease(this, Math.min(flushedOffset, logEnd));
        this.segments = segments;
    }

    // ------------------------------------------------------------------------------------------------------
    // Any thread
    // ------------------------------------------------------------------------------------------------------

    public TopicPartition topicPartition()
    {
        return topicPartition;
    }

    /** The partition's directory. */
    public Path dir()
    {
        return dir;
    }

    /** First offset readers may fetch. Any thread, acquire. */
    public long logStartOffset()
    {
        return (long)LOG_START_OFFSET_VH.getAcquire(this);
    }

    /** Offset the next record gets; every offset below it is readable. Any thread, acquire. */
    public long logEndOffset()
    {
        return (long)LOG_END_OFFSET_VH.getAcquire(this);
    }

    /** Any thread, acquire. */
    public long highWatermark()
    {
        return (long)HIGH_WATERMARK_VH.getAcquire(this);
    }

    /**
     * Every offset below it has been forced to disk (Kafka's recovery point, checkpointed by the owner). Any
     * thread, acquire.
     */
    public long flushedOffset()
    {
        return (long)FLUSHED_OFFSET_VH.getAcquire(this);
    }

    /** The current segments, oldest first. Any thread; the array is never modified, only replaced. */
    public LogSegment[] segments()
    {
        return segments;
    }

    /**
     * Read whole batches from the one holding {@code fetchOffset}, for a fetch served with
     * {@code transferTo}. Any thread; allocates nothing.
     *
     * @param fetchOffset        first offset wanted; the batch holding it is returned whole.
     * @param maxBytes           byte budget; exceeded only by a first batch when {@code minOneBatch} (KIP-74).
     * @param maxOffsetExclusive no batch whose last offset reaches it is returned: the high watermark for
     *                           consumers, {@link Long#MAX_VALUE} for followers and tools.
     * @param minOneBatch        return the first batch even if larger than {@code maxBytes}.
     * @param out                filled with the region and the offsets as seen.
     * @return {@link LogCodes#OK}, {@link LogCodes#NO_DATA}, {@link LogCodes#OFFSET_OUT_OF_RANGE} or
     * {@link LogCodes#MAX_BYTES_TOO_SMALL}.
     */
    public int read(
        final long fetchOffset,
        final int maxBytes,
        final long maxOffsetExclusive,
        final boolean minOneBatch,
        final ReadResult out)
    {
        final ReaderSlot slot = LogReaders.slot();
        slot.enter();
        try
        {
            return readSegments(fetchOffset, maxBytes, maxOffsetExclusive, minOneBatch, out);
        }
        finally
        {
            slot.exit();
        }
    }

    private int readSegments(
        final long fetchOffset,
        final int maxBytes,
        final long maxOffsetExclusive,
        final boolean minOneBatch,
        final ReadResult out)
    {
        out.reset();
        final long logEnd = (long)LOG_END_OFFSET_VH.getAcquire(this);
        final LogSegment[] segments = this.segments;
        final long logStart = (long)LOG_START_OFFSET_VH.getAcquire(this);
        out.logEndOffset = logEnd;
        out.logStartOffset = logStart;
        out.highWatermark = (long)HIGH_WATERMARK_VH.getAcquire(this);
        if (fetchOffset < logStart || fetchOffset > logEnd)
        {
            return LogCodes.OFFSET_OUT_OF_RANGE;
        }
        final long bound = Math.min(maxOffsetExclusive, logEnd);
        if (fetchOffset >= bound)
        {
            return LogCodes.NO_DATA;
        }
        int i = floorIndex(segments, fetchOffset);
        if (i < 0)
        {
            return LogCodes.OFFSET_OUT_OF_RANGE;
        }
        for (final int length = segments.length; i < length; i++)
        {
            final int code = segments[i].read(fetchOffset, maxBytes, bound, minOneBatch, out);
            if (LogSegment.NOT_IN_SEGMENT != code)
            {
                return code;
            }
        }
        return LogCodes.NO_DATA;
    }

    /**
     * ListOffsets by timestamp: the first batch whose max timestamp is at least {@code timestamp}. Any thread;
     * allocates nothing.
     *
     * @param maxOffsetExclusive a batch found at or past it counts as none (Kafka's last fetchable offset).
     * @return the batch's base offset (at least the log start offset), or -1 if there is none; details in
     * {@code out}.
     */
    public long offsetForTimestamp(final long timestamp, final long maxOffsetExclusive, final TimestampLookup out)
    {
        final ReaderSlot slot = LogReaders.slot();
        slot.enter();
        try
        {
            return findOffsetForTimestamp(timestamp, maxOffsetExclusive, out);
        }
        finally
        {
            slot.exit();
        }
    }

    private long findOffsetForTimestamp(final long timestamp, final long maxOffsetExclusive, final TimestampLookup out)
    {
        out.reset();
        final long logEnd = (long)LOG_END_OFFSET_VH.getAcquire(this);
        final LogSegment[] segments = this.segments;
        final long logStart = (long)LOG_START_OFFSET_VH.getAcquire(this);
        final long bound = Math.min(maxOffsetExclusive, logEnd);
        for (int i = 0, length = segments.length; i < length; i++)
        {
            if (i + 1 < length && segments[i + 1].baseOffset() <= logStart)
            {
                continue;
            }
            final LogSegment segment = segments[i];
            if (segment.maxTimestamp() >= timestamp && segment.findTimestamp(timestamp, logStart, out))
            {
                if (out.offset >= bound)
                {
                    out.reset();
                    return -1;
                }
                return out.offset;
            }
        }
        out.reset();
        return -1;
    }

    /**
     * ListOffsets MAX_TIMESTAMP (KIP-734): the first batch holding the largest timestamp in the log. Any
     * thread; allocates nothing.
     *
     * @return the batch's base offset, or -1 if no batch carries a timestamp or it lies at or past
     * {@code maxOffsetExclusive}; details in {@code out}.
     */
    public long offsetOfMaxTimestamp(final long maxOffsetExclusive, final TimestampLookup out)
    {
        final ReaderSlot slot = LogReaders.slot();
        slot.enter();
        try
        {
            return findOffsetOfMaxTimestamp(maxOffsetExclusive, out);
        }
        finally
        {
            slot.exit();
        }
    }

    private long findOffsetOfMaxTimestamp(final long maxOffsetExclusive, final TimestampLookup out)
    {
        out.reset();
        final long logEnd = (long)LOG_END_OFFSET_VH.getAcquire(this);
        final LogSegment[] segments = this.segments;
        final long logStart = (long)LOG_START_OFFSET_VH.getAcquire(this);
        LogSegment best = null;
        long bestTimestamp = NO_TIMESTAMP;
        for (int i = 0, length = segments.length; i < length; i++)
        {
            if (i + 1 < length && segments[i + 1].baseOffset() <= logStart)
            {
                continue;
            }
            final LogSegment segment = segments[i];
            if (segment.baseOffset() < logStart)
            {
                // the segment's max may sit below the log start: only its batches from the start count
                if (segment.findMaxTimestampFrom(logStart, out))
                {
                    bestTimestamp = out.timestamp;
                }
            }
            else
            {
                final long max = segment.maxTimestamp();
                if (max > bestTimestamp)
                {
                    bestTimestamp = max;
                    best = segment;
                }
            }
        }
        if (null != best && !best.findMaxTimestamp(logStart, out))
        {
            out.reset();
        }
        if (out.offset < 0 || out.offset >= Math.min(maxOffsetExclusive, logEnd))
        {
            out.reset();
            return -1;
        }
        return out.offset;
    }

    // ------------------------------------------------------------------------------------------------------
    // Writer thread
    // ------------------------------------------------------------------------------------------------------

    /** Writer thread. */
    public LogConfig config()
    {
        return config;
    }

    /**
     * Writer thread: take a new config. Segment and index sizes apply from the next segment on; retention,
     * flush and timestamp settings from the next call that uses them.
     */
    public void updateConfig(final LogConfig config)
    {
        this.config = config;
    }

    /**
     * Writer thread: whether segments this log creates from now on (roll, truncation) start with a writable
     * limit at their size instead of their capacity, so that the writer appends only into space the
     * housekeeper has prepared and raised the limit over. Segments that exist already keep their limit. A gated
     * log's roll also leaves the sealed segment's cut to {@link #completePendingSeals()}.
     */
    public void gateNewSegments(final boolean gate)
    {
        this.gateNewSegments = gate;
    }

    /**
     * Writer thread: a file made ready for the next roll. It is used if it still fits {@code segment.bytes}
     * then, otherwise discarded; one offered earlier and not used yet is discarded now.
     */
    public void offerPrepared(final PreparedSegment next)
    {
        dropPrepared(true);
        if (closed)
        {
            drop(next, true);
            return;
        }
        prepared = next;
    }

    /** Writer thread: whether a prepared file waits for the next roll. */
    public boolean hasPrepared()
    {
        return null != prepared;
    }

    /** Writer thread: the segment appends go to. */
    public LogSegment activeSegment()
    {
        return active;
    }

    /** Writer thread: bytes in all segments. */
    public long sizeInBytes()
    {
        long total = 0;
        for (final LogSegment segment : segments)
        {
            total += segment.size();
        }
        return total;
    }

    /**
     * Append a region of one or more whole, validated record batches. Writer thread; allocates nothing.
     * <p>
     * The region is copied into the active segment's mapping, each batch stamped with its base offset and
     * {@code leaderEpoch} (and for LogAppendTime topics with {@code nowMs} as max timestamp, the timestamp-type
     * attribute and a new CRC), indexed, then published. The segment rolls first when the region does not fit,
     * the segment is older than {@code segment.ms}, an index is full, or offsets would overflow.
     *
     * @return {@link LogCodes#OK}, {@link LogCodes#MESSAGE_TOO_LARGE}, {@link LogCodes#BATCH_LARGER_THAN_SEGMENT},
     * {@link LogCodes#CORRUPT_INPUT}, {@link LogCodes#STORAGE_ERROR}, {@link LogCodes#WRITABLE_LIMIT_REACHED} or
     * {@link LogCodes#CLOSED}. On any code but OK the log is unchanged.
     */
    public int append(
        final DirectBuffer src,
        final int offset,
        final int length,
        final int leaderEpoch,
        final long nowMs,
        final AppendInfo out)
    {
        out.reset();
        if (closed)
        {
            return LogCodes.CLOSED;
        }
        if (failed)
        {
            return LogCodes.STORAGE_ERROR;
        }
        final LogConfig config = this.config;
        final int maxMessageBytes = config.maxMessageBytes();
        final int end = offset + length;
        if (length < RecordBatch.HEADER_LENGTH)
        {
            return LogCodes.CORRUPT_INPUT;
        }

        long offsetCount = 0;
        long maxTimestamp = NO_TIMESTAMP;
        int batches = 0;
        int position = offset;
        while (position < end)
        {
            if (end - position < RecordBatch.HEADER_LENGTH)
            {
                return LogCodes.CORRUPT_INPUT;
            }
            final int batchLength = src.getInt(position + RecordBatch.LENGTH_OFFSET, ORDER);
            if (batchLength < RecordBatch.MIN_BATCH_LENGTH || batchLength > end - position - RecordBatch.LOG_OVERHEAD)
            {
                return LogCodes.CORRUPT_INPUT;
            }
            final int batchSize = RecordBatch.LOG_OVERHEAD + batchLength;
            if (batchSize > maxMessageBytes)
            {
                return LogCodes.MESSAGE_TOO_LARGE;
            }
            final int lastOffsetDelta = src.getInt(position + RecordBatch.LAST_OFFSET_DELTA_OFFSET, ORDER);
            if (lastOffsetDelta < 0)
            {
                return LogCodes.CORRUPT_INPUT;
            }
            offsetCount += lastOffsetDelta + 1L;
            maxTimestamp = Math.max(maxTimestamp, src.getLong(position + RecordBatch.MAX_TIMESTAMP_OFFSET, ORDER));
            position += batchSize;
            batches++;
        }
        if (offsetCount > Integer.MAX_VALUE)
        {
            return LogCodes.CORRUPT_INPUT;
        }
        if (length > config.segmentBytes())
        {
            return LogCodes.BATCH_LARGER_THAN_SEGMENT;
        }

        final long firstOffset = (long)LOG_END_OFFSET_VH.getOpaque(this);
        final long lastOffset = firstOffset + offsetCount - 1;
        final long appendTime = config.isLogAppendTime() ? nowMs : NO_TIMESTAMP;
        final long rollTimestamp = NO_TIMESTAMP != appendTime ? appendTime : maxTimestamp;
        LogSegment segment = active;
        if (segment.shouldRoll(length, lastOffset, rollTimestamp, nowMs, config.segmentMs()))
        {
            final int code = roll(nowMs);
            if (LogCodes.OK != code)
            {
                return code;
            }
            out.rolled = segment != active;
            segment = active;
        }
        if (!segment.fits(length))
        {
            return (long)segment.capacity() >= (long)segment.size() + length ?
                LogCodes.WRITABLE_LIMIT_REACHED : LogCodes.BATCH_LARGER_THAN_SEGMENT;
        }

        final int writtenAt = segment.append(src, offset, length, firstOffset, leaderEpoch, appendTime, nowMs, crc);
        // every batch and index entry is published with the segment size; now the offsets become readable
        LOG_END_OFFSET_VH.setRelease(this, lastOffset + 1);

        out.firstOffset = firstOffset;
        out.lastOffset = lastOffset;
        out.logAppendTimeMs = appendTime;
        out.logStartOffset = (long)LOG_START_OFFSET_VH.getOpaque(this);
        out.maxTimestamp = rollTimestamp;
        out.segmentBaseOffset = segment.baseOffset();
        out.position = writtenAt;
        out.sizeInBytes = length;
        out.batchCount = batches;
        return LogCodes.OK;
    }

    /**
     * Writer thread: seal the active segment and start a new one at the log end offset. An empty active segment
     * is kept (or grown to {@code segment.bytes}) instead.
     *
     * @return {@link LogCodes#OK} or {@link LogCodes#STORAGE_ERROR} (the log is unchanged).
     */
    public int roll(final long nowMs)
    {
        if (closed)
        {
            return LogCodes.CLOSED;
        }
        if (failed)
        {
            return LogCodes.STORAGE_ERROR;
        }
        final LogSegment old = active;
        if (0 == old.size())
        {
            if (old.capacity() >= config.segmentBytes())
            {
                return LogCodes.OK;
            }
            try
            {
                old.reopenForAppend(config);
                gate(old);
                return LogCodes.OK;
            }
            catch (final IOException | RuntimeException ex)
            {
                errorHandler.onError(ex);
                return LogCodes.STORAGE_ERROR;
            }
        }

        final LogSegment created;
        try
        {
            created = createSegment((long)LOG_END_OFFSET_VH.getOpaque(this), nowMs);
        }
        catch (final IOException | RuntimeException ex)
        {
            errorHandler.onError(ex);
            return LogCodes.STORAGE_ERROR;
        }
        if (gateNewSegments)
        {
            // a housekeeper prepares this log's segments: the cut and the hand-over wait for completePendingSeals
            old.sealDeferred();
            sealsPending = true;
        }
        else
        {
            try
            {
                old.seal();
            }
            catch (final IOException ex)
            {
                // the segment is sealed all the same; its files are cut at close or by the next retry
                errorHandler.onError(ex);
            }
        }
        final LogSegment[] current = segments;
        final LogSegment[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = created;
        // publishes the new segment before any append to it moves the log end offset
        segments = next;
        active = created;
        return LogCodes.OK;
    }

    /**
     * Writer thread: raise the high watermark, never past the log end offset.
     *
     * @return true if it moved.
     */
    public boolean advanceHighWatermark(final long offset)
    {
        final long target = Math.min(offset, (long)LOG_END_OFFSET_VH.getOpaque(this));
        if (target > (long)HIGH_WATERMARK_VH.getOpaque(this))
        {
            HIGH_WATERMARK_VH.setRelease(this, target);
            return true;
        }
        return false;
    }

    /**
     * Writer thread: drop every batch that holds {@code offset} or a later one (a follower's truncation, or
     * recovery from a leader change). Later segments are deleted, the one holding the offset becomes active.
     * Truncation is by whole batch: an offset inside a batch drops that batch and the log end offset becomes
     * its base offset. The high watermark and flushed offset follow the log end offset down. If that batch
     * starts below the log start offset, the log restarts empty at {@code offset}, as
     * {@link #truncateFullyAndStartAt} does.
     *
     * @return {@link LogCodes#OK} or {@link LogCodes#STORAGE_ERROR} (the log is unchanged).
     */
    public int truncateTo(final long offset, final long nowMs)
    {
        if (closed)
        {
            return LogCodes.CLOSED;
        }
        final long logEnd = (long)LOG_END_OFFSET_VH.getOpaque(this);
        if (offset >= logEnd && !failed)
        {
            return LogCodes.OK;
        }
        if (failed || offset < (long)LOG_START_OFFSET_VH.getOpaque(this))
        {
            return truncateFullyAndStartAt(offset, nowMs);
        }
        final LogSegment[] current = segments;
        final int index = Math.max(0, floorIndex(current, offset));
        final LogSegment target = current[index];
        if (target.baseOfBatchHolding(offset) < (long)LOG_START_OFFSET_VH.getOpaque(this))
        {
            // the batch to drop starts below the log start: nothing readable would remain
            return truncateFullyAndStartAt(offset, nowMs);
        }
        if (target != active)
        {
            try
            {
                target.reopenForAppend(config);
                gate(target);
            }
            catch (final IOException | RuntimeException ex)
            {
                errorHandler.onError(ex);
                return LogCodes.STORAGE_ERROR;
            }
        }
        // readers stop at the new end before any byte is dropped
        lowerOffsetsTo(offset);
        final long newEnd = target.truncateTo(offset);
        lowerOffsetsTo(newEnd);
        if (index < current.length - 1)
        {
            segments = Arrays.copyOf(current, index + 1);
            for (int i = index + 1; i < current.length; i++)
            {
                scheduleDelete(current[i], nowMs);
            }
        }
        active = target;
        return LogCodes.OK;
    }

    /**
     * Writer thread: delete every segment and restart the log, empty, at {@code offset}, which becomes the log
     * start, end, high watermark and flushed offset.
     *
     * @return {@link LogCodes#OK} or {@link LogCodes#STORAGE_ERROR}. If the new segment cannot be created and
     * an old segment at the same offset had to go first, the log is left empty and refuses appends until a
     * later truncation succeeds.
     */
    public int truncateFullyAndStartAt(final long offset, final long nowMs)
    {
        if (closed)
        {
            return LogCodes.CLOSED;
        }
        final LogSegment[] current = segments;
        boolean nameTaken = false;
        for (final LogSegment segment : current)
        {
            nameTaken |= segment.baseOffset() == offset;
        }
        if (nameTaken)
        {
            // the old segment's files carry the name the new one needs: they go first
            lowerOffsetsTo(offset);
            LOG_START_OFFSET_VH.setRelease(this, offset);
            segments = NO_SEGMENTS;
            for (final LogSegment segment : current)
            {
                scheduleDelete(segment, nowMs);
            }
        }
        final LogSegment created;
        try
        {
            created = LogSegment.create(dir, offset, config, nowMs);
            gate(created);
        }
        catch (final IOException | RuntimeException ex)
        {
            errorHandler.onError(ex);
            failed |= nameTaken;
            return LogCodes.STORAGE_ERROR;
        }
        LOG_START_OFFSET_VH.setRelease(this, offset);
        LOG_END_OFFSET_VH.setRelease(this, offset);
        HIGH_WATERMARK_VH.setRelease(this, offset);
        FLUSHED_OFFSET_VH.setRelease(this, offset);
        segments = new LogSegment[]{ created };
        active = created;
        failed = false;
        if (!nameTaken)
        {
            for (final LogSegment segment : current)
            {
                scheduleDelete(segment, nowMs);
            }
        }
        return LogCodes.OK;
    }

    /**
     * Writer thread: DeleteRecords. Raise the log start offset to {@code offset} and delete the segments wholly
     * below it.
     *
     * @return {@link LogCodes#OK}, or {@link LogCodes#OFFSET_OUT_OF_RANGE} if {@code offset} is above the high
     * watermark.
     */
    public int deleteRecordsBefore(final long offset, final long nowMs)
    {
        if (closed)
        {
            return LogCodes.CLOSED;
        }
        if (offset > (long)HIGH_WATERMARK_VH.getOpaque(this) || offset < 0)
        {
            return LogCodes.OFFSET_OUT_OF_RANGE;
        }
        if (offset > (long)LOG_START_OFFSET_VH.getOpaque(this))
        {
            LOG_START_OFFSET_VH.setRelease(this, offset);
            if ((long)FLUSHED_OFFSET_VH.getOpaque(this) < offset)
            {
                FLUSHED_OFFSET_VH.setRelease(this, offset);
            }
            deletePrefix(countDeletable(RETAIN_BY_LOG_START, nowMs), nowMs);
        }
        return LogCodes.OK;
    }

    /**
     * Writer thread: apply retention as Kafka does, in Kafka's order: segments whose largest timestamp is older
     * than {@code retention.ms}, then the oldest segments while the log exceeds {@code retention.bytes} by at
     * least their size (both only for the delete cleanup policy), then segments wholly below the log start
     * offset. Only a prefix of the log goes, only below the high watermark; if the active segment itself
     * qualifies it is rolled first so that it can go.
     *
     * @return segments deleted.
     */
    public int applyRetention(final long nowMs)
    {
        if (closed)
        {
            return 0;
        }
        int deleted = 0;
        final LogConfig config = this.config;
        if (config.cleanupPolicy().isDelete())
        {
            if (config.retentionMs() >= 0)
            {
                deleted += deletePrefix(countDeletable(RETAIN_BY_TIME, nowMs), nowMs);
            }
            if (config.retentionBytes() >= 0)
            {
                deleted += deletePrefix(countDeletable(RETAIN_BY_SIZE, nowMs), nowMs);
            }
        }
        deleted += deletePrefix(countDeletable(RETAIN_BY_LOG_START, nowMs), nowMs);
        return deleted;
    }

    /**
     * Writer thread: unmap and remove deleted segments whose {@code file.delete.delay.ms} has passed.
     *
     * @return segments removed.
     */
    public int processDelayedDeletes(final long nowMs)
    {
        int removed = 0;
        for (int i = pendingDeletes.size() - 1; i >= 0; i--)
        {
            if (pendingDeleteDueMs.getLong(i) <= nowMs && pendingDeleteGraces.get(i).hasPassed())
            {
                final LogSegment segment = pendingDeletes.remove(i);
                pendingDeleteDueMs.removeAt(i);
                pendingDeleteGraces.remove(i);
                removeFiles(segment);
                removed++;
            }
        }
        return removed;
    }

    /** Writer thread: deleted segments still waiting for their delay. */
    public int pendingDeleteCount()
    {
        return pendingDeletes.size();
    }

    /**
     * Writer thread: force every segment holding offsets below {@code upToOffset} to disk (whole segments: the
     * last one is forced up to its current size), with its indexes, and publish the new flushed offset.
     *
     * @return {@link LogCodes#OK} or {@link LogCodes#STORAGE_ERROR}.
     */
    public int flush(final long upToOffset)
    {
        final long logEnd = (long)LOG_END_OFFSET_VH.getOpaque(this);
        final long target = Math.min(upToOffset, logEnd);
        final long flushed = (long)FLUSHED_OFFSET_VH.getOpaque(this);
        if (target <= flushed)
        {
            return LogCodes.OK;
        }
        final LogSegment[] segments = this.segments;
        long flushedTo = flushed;
        try
        {
            for (int i = 0, length = segments.length; i < length; i++)
            {
                final LogSegment segment = segments[i];
                final long segmentEnd = i + 1 < length ? segments[i + 1].baseOffset() : logEnd;
                if (segmentEnd <= flushed)
                {
                    continue;
                }
                if (segment.baseOffset() >= target)
                {
                    break;
                }
                segment.flush();
                flushedTo = segmentEnd;
            }
        }
        catch (final UncheckedIOException ex)
        {
            errorHandler.onError(ex);
            FLUSHED_OFFSET_VH.setRelease(this, flushedTo);
            return LogCodes.STORAGE_ERROR;
        }
        // every byte below it is on disk: the high watermark may follow it in durable mode
        FLUSHED_OFFSET_VH.setRelease(this, flushedTo);
        return LogCodes.OK;
    }

    /**
     * Writer thread: flush on roll, the writer's half. Sealed segments are forced by the housekeeper
     * ({@link LogSegment#completeSealedForce}); here the flushed offset (the recovery point) moves over each
     * segment from the one holding it on that is sealed and forced, to the next segment's base offset, so an
     * unclean restart scans no more than the segments rolled since and the active one.
     * <p>
     * Memory order: the housekeeper's force returns before its release store of the forced epoch; this method
     * loads that epoch with acquire before its release store of the flushed offset, which the checkpoint reads
     * with acquire. A truncation into a sealed segment makes it active again (a new epoch) only while the
     * housekeeper is out, and lowers the flushed offset itself.
     *
     * @return true if the flushed offset moved.
     */
    public boolean advanceFlushedOverForcedSegments()
    {
        final long flushed = (long)FLUSHED_OFFSET_VH.getOpaque(this);
        final LogSegment[] segments = this.segments;
        final int last = segments.length - 1;
        long target = flushed;
        for (int i = Math.max(0, floorIndex(segments, flushed)); i < last; i++)
        {
            if (!segments[i].isForcedSinceSeal())
            {
                break;
            }
            target = segments[i + 1].baseOffset();
        }
        if (target > flushed)
        {
            // every byte below it is on disk: the next recovery-point checkpoint may say so
            FLUSHED_OFFSET_VH.setRelease(this, target);
            return true;
        }
        return false;
    }

    /** Writer thread: a roll sealed a segment whose files are not cut yet ({@link #completePendingSeals()}). */
    public boolean hasPendingSeals()
    {
        return sealsPending;
    }

    /**
     * Writer thread, once it has published the active segment to the housekeeper and then seen the housekeeper
     * outside: cut the files of the segments rolled since the last call and hand them to the housekeeper to force.
     * Until then the housekeeper may be pre-touching the tail of what was the active segment, and a cut under it
     * would fault.
     */
    public void completePendingSeals()
    {
        if (!sealsPending)
        {
            return;
        }
        sealsPending = false;
        final LogSegment[] segments = this.segments;
        int first = segments.length - 1;
        while (first > 0 && segments[first - 1].isSealPending())
        {
            first--;
        }
        // oldest first: the housekeeper forces the oldest sealed segment first
        for (int i = first; i < segments.length - 1; i++)
        {
            try
            {
                segments[i].completeSeal();
            }
            catch (final IOException ex)
            {
                // the segment is sealed all the same; its files are cut at close or by the next retry
                errorHandler.onError(ex);
            }
        }
    }

    /**
     * Writer thread: flush everything if {@code flush.messages} records or {@code flush.ms} have accumulated
     * since the last flush by this method.
     *
     * @return {@link LogCodes#OK} whether or not it flushed, or {@link LogCodes#STORAGE_ERROR}.
     */
    public int flushIfDue(final long nowMs)
    {
        final long logEnd = (long)LOG_END_OFFSET_VH.getOpaque(this);
        final long unflushed = logEnd - (long)FLUSHED_OFFSET_VH.getOpaque(this);
        if (unflushed <= 0)
        {
            lastFlushMs = nowMs;
            return LogCodes.OK;
        }
        if (unflushed >= config.flushMessages() || nowMs - lastFlushMs >= config.flushMs())
        {
            lastFlushMs = nowMs;
            return flush(logEnd);
        }
        return LogCodes.OK;
    }

    /**
     * Writer thread: flush, cut the active segment's files to their contents, take every segment away from readers,
     * then unmap and close them and remove deleted segments, at once if no thread is inside a read, otherwise by
     * {@link #releaseRetired()} once the readers inside have left ({@link LogReaders}). Afterwards the flushed offset
     * equals the log end offset, which is the recovery point to checkpoint.
     */
    public void close()
    {
        if (closed)
        {
            return;
        }
        flush(Long.MAX_VALUE);
        closed = true;
        dropPrepared(true);
        final LogSegment[] current = segments;
        for (final LogSegment segment : current)
        {
            try
            {
                if (segment.isActive())
                {
                    segment.seal();
                }
                else if (segment.isSealPending())
                {
                    segment.completeSeal();
                }
                else
                {
                    segment.retryTrim();
                }
            }
            catch (final IOException ex)
            {
                errorHandler.onError(ex);
            }
        }
        segments = NO_SEGMENTS;
        Collections.addAll(retiredToClose, current);
        retiredToDelete.addAll(pendingDeletes);
        retire();
    }

    /**
     * Writer thread: close a log whose directory is about to be deleted, without forcing or trimming anything: every
     * segment is taken away from readers, then unmapped and closed as by {@link #close()}.
     */
    public void abandon()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        dropPrepared(false);
        final LogSegment[] current = segments;
        segments = NO_SEGMENTS;
        Collections.addAll(retiredToClose, current);
        retiredToClose.addAll(pendingDeletes);
        retire();
    }

    /** Writer thread: true once {@link #close()} or {@link #abandon()} ran. */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Writer thread, after {@link #close()} or {@link #abandon()}: unmap and close the segments they took away from
     * readers, once every thread that was inside a read then has left it. Cheap to call again.
     *
     * @return true when nothing is left to release.
     */
    public boolean releaseRetired()
    {
        if (retiredToClose.isEmpty() && retiredToDelete.isEmpty())
        {
            return true;
        }
        if (!retiredGrace.hasPassed())
        {
            return false;
        }
        for (final LogSegment segment : retiredToClose)
        {
            segment.close();
        }
        for (final LogSegment segment : retiredToDelete)
        {
            removeFiles(segment);
        }
        retiredToClose.clear();
        retiredToDelete.clear();
        retiredGrace = ReaderGrace.PASSED;
        return true;
    }

    /** Every segment left the array: readers inside a read now may still hold one; unmap after they leave. */
    private void retire()
    {
        pendingDeletes.clear();
        pendingDeleteDueMs.clear();
        pendingDeleteGraces.clear();
        retiredGrace = LogReaders.startGrace();
        releaseRetired();
    }

    public String toString()
    {
        return "PartitionLog{" + topicPartition + ", logStartOffset=" + logStartOffset() + ", logEndOffset=" +
            logEndOffset() + ", highWatermark=" + highWatermark() + ", segments=" + segments.length + '}';
    }

    // ------------------------------------------------------------------------------------------------------
    // Internals
    // ------------------------------------------------------------------------------------------------------

    /** A new active segment at {@code baseOffset}: on the prepared file if there is a fitting one. */
    private LogSegment createSegment(final long baseOffset, final long nowMs) throws IOException
    {
        final PreparedSegment next = prepared;
        prepared = null;
        if (null != next)
        {
            if (next.fits(config))
            {
                try
                {
                    final LogSegment created = LogSegment.createFromPrepared(dir, baseOffset, config, nowMs, next);
                    if (!gateNewSegments)
                    {
                        created.writableLimit(created.capacity());
                    }
                    return created;
                }
                catch (final IOException | RuntimeException ex)
                {
                    // the usual way below still works if only the prepared file was at fault
                    errorHandler.onError(ex);
                }
            }
            drop(next, true);
        }
        final LogSegment created = LogSegment.create(dir, baseOffset, config, nowMs);
        gate(created);
        return created;
    }

    /**
     * Let the prepared file go: unmapped and closed, and deleted unless {@code deleteFiles} is false, when the
     * files go with the directory being deleted.
     */
    private void dropPrepared(final boolean deleteFiles)
    {
        final PreparedSegment next = prepared;
        prepared = null;
        if (null != next)
        {
            drop(next, deleteFiles);
        }
    }

    private void drop(final PreparedSegment next, final boolean deleteFiles)
    {
        try
        {
            if (deleteFiles)
            {
                next.discard();
            }
            else
            {
                next.release();
            }
        }
        catch (final IOException ex)
        {
            errorHandler.onError(ex);
        }
    }

    private void gate(final LogSegment segment)
    {
        if (gateNewSegments)
        {
            // not yet visible to the housekeeper: the segment is published to it only after this call returns
            segment.writableLimit(segment.size());
        }
    }

    /** Index of the segment with the largest base offset at most {@code offset}, -1 if none. */
    static int floorIndex(final LogSegment[] segments, final long offset)
    {
        int low = 0;
        int high = segments.length - 1;
        int found = -1;
        while (low <= high)
        {
            final int mid = (low + high) >>> 1;
            if (segments[mid].baseOffset() <= offset)
            {
                found = mid;
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }
        return found;
    }

    private void lowerOffsetsTo(final long offset)
    {
        if ((long)LOG_END_OFFSET_VH.getOpaque(this) > offset)
        {
            LOG_END_OFFSET_VH.setRelease(this, offset);
        }
        if ((long)HIGH_WATERMARK_VH.getOpaque(this) > offset)
        {
            HIGH_WATERMARK_VH.setRelease(this, offset);
        }
        if ((long)FLUSHED_OFFSET_VH.getOpaque(this) > offset)
        {
            FLUSHED_OFFSET_VH.setRelease(this, offset);
        }
    }

    private int countDeletable(final int rule, final long nowMs)
    {
        final LogConfig config = this.config;
        final LogSegment[] segments = this.segments;
        final long highWatermark = (long)HIGH_WATERMARK_VH.getOpaque(this);
        final long logEnd = (long)LOG_END_OFFSET_VH.getOpaque(this);
        final long logStart = (long)LOG_START_OFFSET_VH.getOpaque(this);
        long excess = RETAIN_BY_SIZE == rule ? sizeInBytes() - config.retentionBytes() : 0;
        int count = 0;
        for (int i = 0, length = segments.length; i < length; i++)
        {
            final LogSegment segment = segments[i];
            final boolean last = i == length - 1;
            final long upperBound = last ? logEnd : segments[i + 1].baseOffset();
            if ((last && 0 == segment.size()) || highWatermark < upperBound)
            {
                break;
            }
            final boolean deletable;
            switch (rule)
            {
                case RETAIN_BY_TIME:
                    deletable = nowMs - segment.largestTimestamp() > config.retentionMs();
                    break;
                case RETAIN_BY_SIZE:
                    deletable = excess - segment.size() >= 0;
                    excess -= segment.size();
                    break;
                default:
                    deletable = !last && segments[i + 1].baseOffset() <= logStart;
                    break;
            }
            if (!deletable)
            {
                break;
            }
            count++;
        }
        return count;
    }

    private int deletePrefix(final int count, final long nowMs)
    {
        if (0 == count)
        {
            return 0;
        }
        int deleting = count;
        if (deleting == segments.length && LogCodes.OK != roll(nowMs))
        {
            deleting--;
            if (0 == deleting)
            {
                return 0;
            }
        }
        final LogSegment[] current = segments;
        final LogSegment[] remaining = Arrays.copyOfRange(current, deleting, current.length);
        final long newStart = Math.max((long)LOG_START_OFFSET_VH.getOpaque(this), remaining[0].baseOffset());
        // readers that see the shorter array must also see the raised start
        LOG_START_OFFSET_VH.setRelease(this, newStart);
        if ((long)FLUSHED_OFFSET_VH.getOpaque(this) < newStart)
        {
            FLUSHED_OFFSET_VH.setRelease(this, newStart);
        }
        segments = remaining;
        for (int i = 0; i < deleting; i++)
        {
            scheduleDelete(current[i], nowMs);
        }
        return deleting;
    }

    private void scheduleDelete(final LogSegment segment, final long nowMs)
    {
        try
        {
            segment.markDeleted();
        }
        catch (final IOException ex)
        {
            errorHandler.onError(ex);
        }
        pendingDeletes.add(segment);
        pendingDeleteDueMs.addLong(nowMs + config.fileDeleteDelayMs());
        // the segment has left the array: readers inside a read now may still hold it
        pendingDeleteGraces.add(LogReaders.startGrace());
    }

    private void removeFiles(final LogSegment segment)
    {
        try
        {
            segment.closeAndDelete();
        }
        catch (final IOException ex)
        {
            errorHandler.onError(ex);
        }
    }
}
