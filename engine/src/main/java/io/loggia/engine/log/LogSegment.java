package io.loggia.engine.log;

import io.loggia.codec.record.BatchValidator;
import io.loggia.codec.record.RecordBatch;
import io.loggia.index.IndexCheck;
import io.loggia.index.OffsetIndex;
import io.loggia.index.TimeIndex;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;

/**
 * One segment of a partition's log: a {@code .log} file of record batches mapped once, and its offset and time
 * indexes. The file of the active segment is preallocated (sparse) to {@code segment.bytes}:
 * <pre>
 *   0                          size                  writableLimit              capacity
 *   +--------------------------+---------------------+--------------------------+
 *   | whole batches, readable  | written only by the | not yet prepared by the  |
 *   | by any thread            | writer, then        | housekeeper: the writer  |
 *   |                          | published by size   | refuses to go here       |
 *   +--------------------------+---------------------+--------------------------+
 * </pre>
 * When the segment is sealed (rolled) or the log closes, the file is cut to {@code size} and the indexes to
 * their entries. The mapping is kept: readers never read at or past {@code size}, so pages beyond the end of
 * the file are never touched.
 * <p>
 * <b>Assumptions and Guarantees</b>
 * <ul>
 *     <li>The partition's writer thread (or the loader, before the log is published) calls every method not
 *     marked "any thread". It owns the write position, the indexes' appends and the file's length.</li>
 *     <li>Publication order of an append: batch bytes and stamps, index entries, then the max timestamp and
 *     last the size, both with release stores. A reader that loads {@link #size()} (acquire) sees every byte
 *     and index entry below it.</li>
 *     <li>{@link #buffer()}, {@link #offsetIndex()} and {@link #timeIndex()} may be replaced by the writer when a
 *     segment is reopened for appends after a truncation; the old mapping and indexes are retired, not
 *     unmapped, and stay valid until {@link #close()}. Readers load the size before the buffer.</li>
 *     <li>Mappings and indexes are unmapped only by {@link #close()}, which the partition calls once the segment
 *     has left every array readers load and a {@link ReaderGrace} started then has passed (no thread is still in
 *     the read that may have loaded it): after {@code file.delete.delay.ms} for a deleted segment, or when the whole
 *     log closes or is abandoned.</li>
 *     <li>Truncation moves the size down and zeroes the bytes it dropped; a reader that loaded the old size
 *     just before may read dropped or rewritten bytes, as in Kafka. Readers check every header against the size
 *     they loaded and never read past it.</li>
 *     <li>Flush on roll: {@link #seal()} publishes the seal with a release store of the seal epoch (odd while
 *     sealed), after the last batch, index entry and trim. A roll seals in two steps: {@link #sealDeferred()}
 *     stops appends at once, {@link #completeSeal()} cuts the files and publishes the epoch once the writer has
 *     seen the housekeeper outside (it may be pre-touching the segment's tail until then). The housekeeper,
 *     having loaded the epoch with acquire, forces the sealed bytes, the indexes, the file's length and the
 *     directory entry
 *     ({@link #forceSealedChunk}, {@link #completeSealedForce}) and stores the epoch it forced (release). The
 *     writer counts the segment as on disk only when the forced epoch equals its seal epoch (acquire), and
 *     raises the partition's flushed offset over it. Only the housekeeper forces, between
 *     {@code SegmentSpace.enter} and {@code exit}; the writer re-opens a sealed segment (a new, even epoch)
 *     or unmaps it only after it has seen the housekeeper outside, so a force never meets a change of epoch or a
 *     closed mapping.</li>
 * </ul>
 */
public final class LogSegment
{
    static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;
    static final long NO_TIMESTAMP = RecordBatch.NO_TIMESTAMP;
    /** {@link #read} found no batch at or after the offset below the size: look in the next segment. */
    public static final int NOT_IN_SEGMENT = -1;

    private static final UnsafeBuffer EMPTY = new UnsafeBuffer(new byte[0]);
    private static final VarHandle SIZE_VH;
    private static final VarHandle MAX_TIMESTAMP_VH;
    private static final VarHandle SEAL_EPOCH_VH;
    private static final VarHandle FORCED_EPOCH_VH;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            SIZE_VH = lookup.findVarHandle(LogSegment.class, "size", int.class);
            MAX_TIMESTAMP_VH = lookup.findVarHandle(LogSegment.class, "maxTimestamp", long.class);
            SEAL_EPOCH_VH = lookup.findVarHandle(LogSegment.class, "sealEpoch", int.class);
            FORCED_EPOCH_VH = lookup.findVarHandle(LogSegment.class, "forcedEpoch", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final long baseOffset;
    private final Path dir;
    private final RandomAccessFile file;
    private final FileChannel channel;
    private volatile Path logFile;
    private volatile UnsafeBuffer buffer;
    private volatile OffsetIndex offsetIndex;
    private volatile TimeIndex timeIndex;
    private volatile long writableLimit;
    @SuppressWarnings("unused") // accessed through SIZE_VH
    private int size;
    @SuppressWarnings("unused") // accessed through MAX_TIMESTAMP_VH
    private long maxTimestamp;
    /** Written by the writer: odd while sealed, even while active; moves on at every seal and re-open. */
    @SuppressWarnings("unused") // accessed through SEAL_EPOCH_VH
    private int sealEpoch;
    /** Written by the housekeeper: the seal epoch whose bytes it has forced to disk. */
    @SuppressWarnings("unused") // accessed through FORCED_EPOCH_VH
    private int forcedEpoch;
    // written by the writer before the release store of an odd seal epoch, read by the housekeeper after it
    private MappedByteBuffer sealedMapping;
    private int sealedForceFrom;
    private int sealedSize;

    // writer thread only
    private MappedByteBuffer mapping;
    private boolean mappingWritable;
    private final ArrayList<MappedByteBuffer> retiredMappings = new ArrayList<>();
    private final ArrayList<OffsetIndex> retiredOffsetIndexes = new ArrayList<>();
    private final ArrayList<TimeIndex> retiredTimeIndexes = new ArrayList<>();
    private boolean active;
    private boolean trimPending;
    private boolean sealPending;
    private boolean closed;
    private int writePosition;
    private int indexIntervalBytes;
    private int bytesSinceLastIndexEntry;
    private int flushedPosition;
    private int tailEnd;
    private long nextOffset;
    private long offsetOfMaxTimestamp;
    private long rollingBasedTimestamp;
    private long createdMs;
    private long lastModifiedMs;
    private int walkStart;
    private long walkMaxTimestamp;
    private long walkOffsetOfMax;

    private LogSegment(
        final Path dir,
        final long baseOffset,
        final RandomAccessFile file,
        final MappedByteBuffer mapping,
        final boolean mappingWritable,
        final int size,
        final int indexIntervalBytes,
        final long nowMs)
    {
        this.dir = dir;
        this.baseOffset = baseOffset;
        this.file = file;
        this.channel = file.getChannel();
        this.logFile = LogFiles.logFile(dir, baseOffset);
        this.mapping = mapping;
        this.mappingWritable = mappingWritable;
        this.buffer = null == mapping ? EMPTY : new UnsafeBuffer(mapping);
        this.indexIntervalBytes = indexIntervalBytes;
        this.writePosition = size;
        this.flushedPosition = size;
        this.nextOffset = baseOffset;
        this.offsetOfMaxTimestamp = -1;
        this.rollingBasedTimestamp = NO_TIMESTAMP;
        this.createdMs = nowMs;
        this.lastModifiedMs = nowMs;
        this.writableLimit = this.buffer.capacity();
        MAX_TIMESTAMP_VH.setRelease(this, NO_TIMESTAMP);
        SIZE_VH.setRelease(this, size);
    }

    /**
     * A new, empty active segment: {@code .log} preallocated sparse to {@code segment.bytes} and mapped
     * read-write, fresh indexes. Called from the writer thread.
     *
     * @throws IOException if a file cannot be created, sized or mapped; nothing is left behind.
     */
    static LogSegment create(final Path dir, final long baseOffset, final LogConfig config, final long nowMs)
        throws IOException
    {
        final Path logFile = LogFiles.logFile(dir, baseOffset);
        if (Files.exists(logFile))
        {
            throw new FileAlreadyExistsException(logFile.toString());
        }
        Files.deleteIfExists(LogFiles.offsetIndexFile(dir, baseOffset));
        Files.deleteIfExists(LogFiles.timeIndexFile(dir, baseOffset));

        RandomAccessFile file = null;
        LogSegment segment = null;
        try
        {
            file = new RandomAccessFile(logFile.toFile(), "rw");
            final int capacity = config.segmentBytes();
            file.setLength(capacity);
            final MappedByteBuffer mapping = file.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, capacity);
            segment = new LogSegment(dir, baseOffset, file, mapping, true, 0, config.indexIntervalBytes(), nowMs);
            segment.openIndexes(config.segmentIndexBytes(), true);
            segment.active = true;
            return segment;
        }
        catch (final IOException | RuntimeException ex)
        {
            closeQuietly(segment, file);
            Files.deleteIfExists(logFile);
            Files.deleteIfExists(LogFiles.offsetIndexFile(dir, baseOffset));
            Files.deleteIfExists(LogFiles.timeIndexFile(dir, baseOffset));
            throw ex;
        }
    }

    /**
     * A new, empty active segment on a {@link PreparedSegment}: the prepared file is renamed to the segment's
     * name and its mapping taken over; fresh indexes. Writer thread. The writable limit is the prepared bytes
     * (the caller raises it to the capacity when the log does not gate new segments).
     *
     * @throws IOException if the file cannot be renamed or the indexes created; the prepared file is then
     *                     still the caller's to discard.
     */
    static LogSegment createFromPrepared(
        final Path dir, final long baseOffset, final LogConfig config, final long nowMs, final PreparedSegment prepared)
        throws IOException
    {
        final Path logFile = LogFiles.logFile(dir, baseOffset);
        if (Files.exists(logFile))
        {
            throw new FileAlreadyExistsException(logFile.toString());
        }
        final Path offsetIndexFile = LogFiles.offsetIndexFile(dir, baseOffset);
        final Path timeIndexFile = LogFiles.timeIndexFile(dir, baseOffset);
        Files.deleteIfExists(offsetIndexFile);
        Files.deleteIfExists(timeIndexFile);
        // the empty index files with their reserved blocks: opening extends them over those blocks
        Files.move(prepared.offsetIndexFile(), offsetIndexFile, StandardCopyOption.ATOMIC_MOVE);
        Files.move(prepared.timeIndexFile(), timeIndexFile, StandardCopyOption.ATOMIC_MOVE);
        Files.move(prepared.file(), logFile, StandardCopyOption.ATOMIC_MOVE);
        final LogSegment segment = new LogSegment(dir, baseOffset, prepared.randomAccessFile(), prepared.mapping(), true,
            0, config.indexIntervalBytes(), nowMs);
        try
        {
            segment.openIndexes(config.segmentIndexBytes(), true);
        }
        catch (final IOException | RuntimeException ex)
        {
            segment.closeIndexes();
            Files.move(logFile, prepared.file(), StandardCopyOption.ATOMIC_MOVE);
            Files.deleteIfExists(offsetIndexFile);
            Files.deleteIfExists(timeIndexFile);
            throw ex;
        }
        segment.active = true;
        segment.writableLimit = prepared.preparedBytes();
        return segment;
    }

    /**
     * The last segment of a loaded log, made active: the file is cut to {@code logSize} (dropping whatever
     * follows the last valid batch), extended again to {@code segment.bytes}, and mapped read-write. Only for
     * the loader, before any reader can see the segment.
     *
     * @param logSize        bytes of valid batches, at most the file's length.
     * @param rebuildIndexes true after an unclean shutdown: the indexes are rebuilt from the log. Otherwise they
     *                       are sanity checked and rebuilt only if they fail.
     * @param report         counts index rebuilds.
     */
    static LogSegment openActive(
        final Path dir,
        final long baseOffset,
        final int logSize,
        final LogConfig config,
        final boolean rebuildIndexes,
        final long nowMs,
        final RecoveryReport report) throws IOException
    {
        final Path logFile = LogFiles.logFile(dir, baseOffset);
        RandomAccessFile file = null;
        LogSegment segment = null;
        try
        {
            file = new RandomAccessFile(logFile.toFile(), "rw");
            final long length = file.length();
            if (length < logSize)
            {
                throw new IOException(logFile + " is " + length + " bytes, shorter than its valid size " + logSize);
            }
            if (length > logSize)
            {
                // drops the old tail so stale bytes past the valid end can never look like batches again
                file.setLength(logSize);
            }
            final int capacity = Math.max(logSize, config.segmentBytes());
            file.setLength(capacity);
            final MappedByteBuffer mapping = file.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, capacity);
            segment = new LogSegment(dir, baseOffset, file, mapping, true, logSize, config.indexIntervalBytes(), nowMs);
            segment.lastModifiedMs = Files.getLastModifiedTime(logFile).toMillis();
            segment.openIndexes(config.segmentIndexBytes(), true);
            segment.active = true;
            if (rebuildIndexes || !segment.indexesSane(logSize))
            {
                segment.rebuildIndexes(false);
                report.indexesRebuilt++;
            }
            segment.loadTailState();
            return segment;
        }
        catch (final IOException | RuntimeException ex)
        {
            closeQuietly(segment, file);
            throw ex;
        }
    }

    /**
     * A sealed segment of a loaded log: its file is its size, mapped read-only. Only for the loader.
     *
     * @param rebuildIndexes rebuild the indexes from the log; otherwise they are sanity checked, and rebuilt
     *                       if they fail or are missing.
     * @param forced         the file is known to be on disk (a clean shutdown, or below the recovery point);
     *                       otherwise it is left for the housekeeper to force, as a segment just sealed.
     * @param report         counts index rebuilds.
     */
    static LogSegment openSealed(
        final Path dir,
        final long baseOffset,
        final LogConfig config,
        final boolean rebuildIndexes,
        final boolean forced,
        final long nowMs,
        final RecoveryReport report) throws IOException
    {
        final Path logFile = LogFiles.logFile(dir, baseOffset);
        RandomAccessFile file = null;
        LogSegment segment = null;
        try
        {
            file = new RandomAccessFile(logFile.toFile(), "rw");
            final long length = file.length();
            if (length > Integer.MAX_VALUE)
            {
                throw new IOException(logFile + " is " + length + " bytes, more than a segment can hold");
            }
            final int size = (int)length;
            final MappedByteBuffer mapping = 0 == size ? null :
                file.getChannel().map(FileChannel.MapMode.READ_ONLY, 0, size);
            segment = new LogSegment(dir, baseOffset, file, mapping, false, size, config.indexIntervalBytes(), nowMs);
            segment.lastModifiedMs = Files.getLastModifiedTime(logFile).toMillis();

            final Path offsetIndexFile = LogFiles.offsetIndexFile(dir, baseOffset);
            final Path timeIndexFile = LogFiles.timeIndexFile(dir, baseOffset);
            boolean rebuild = rebuildIndexes || !Files.exists(offsetIndexFile) || !Files.exists(timeIndexFile);
            if (!rebuild)
            {
                segment.openIndexes(config.segmentIndexBytes(), false);
                rebuild = !segment.indexesSane(size);
            }
            if (rebuild)
            {
                segment.closeIndexes();
                Files.deleteIfExists(offsetIndexFile);
                Files.deleteIfExists(timeIndexFile);
                segment.openIndexes(config.segmentIndexBytes(), true);
                segment.rebuildIndexes(true);
                segment.offsetIndex.trimToValidSize();
                segment.timeIndex.trimToValidSize();
                report.indexesRebuilt++;
            }
            segment.loadTailState();
            segment.loadedSealed(forced);
            return segment;
        }
        catch (final IOException | RuntimeException ex)
        {
            closeQuietly(segment, file);
            throw ex;
        }
    }

    /**
     * A sealed segment's files opened strictly read-only, for tools (the dump tool, verification): the
     * {@code .log} is opened {@code "r"} and mapped read-only at its current length, the indexes are mapped
     * read-only if they exist and are empty otherwise; nothing is created, written, trimmed or rebuilt, whatever
     * state the files are in. The caller owns the segment: it reads it on one thread (or publishes it safely) and
     * {@link #close()}s it.
     * <p>
     * What it offers: {@link #size()} (the file's length), {@link #validEnd()} (where the header walk from the
     * last offset index entry stopped: the file's length for a whole segment), {@link #nextOffset()},
     * {@link #maxTimestamp()} and {@link #offsetOfMaxTimestamp()} (exact when {@code validEnd() == size()} and the
     * time index is sane), {@link #read}, {@link #positionOf(long)},
     * {@link #buffer()}, {@link #channel()}, and the indexes for their own checks
     * ({@code offsetIndex().sanityCheck(size())}, {@code timeIndex().sanityCheck(nextOffset())}). Index entries
     * are hints: reads check them against the batch headers and scan when they do not match.
     *
     * @param logFile a {@code <base offset>.log} file.
     * @throws IOException if the name is not a segment's, or the files cannot be opened or mapped.
     */
    public static LogSegment openReadOnly(final Path logFile) throws IOException
    {
        final long baseOffset = LogFiles.parseBaseOffset(logFile.getFileName().toString(), LogFiles.LOG_SUFFIX);
        if (baseOffset < 0)
        {
            throw new IOException(logFile + " is not named <base offset>" + LogFiles.LOG_SUFFIX);
        }
        final Path dir = logFile.toAbsolutePath().getParent();
        RandomAccessFile file = null;
        LogSegment segment = null;
        try
        {
            file = new RandomAccessFile(logFile.toFile(), "r");
            final long length = file.length();
            if (length > Integer.MAX_VALUE)
            {
                throw new IOException(logFile + " is " + length + " bytes, more than a segment can hold");
            }
            final int size = (int)length;
            final MappedByteBuffer mapping = 0 == size ? null :
                file.getChannel().map(FileChannel.MapMode.READ_ONLY, 0, size);
            segment = new LogSegment(dir, baseOffset, file, mapping, false, size, LogConfig.DEFAULT_INDEX_INTERVAL_BYTES,
                Files.getLastModifiedTime(logFile).toMillis());
            final Path offsetIndexFile = LogFiles.offsetIndexFile(dir, baseOffset);
            final Path timeIndexFile = LogFiles.timeIndexFile(dir, baseOffset);
            segment.offsetIndex = Files.exists(offsetIndexFile) ?
                OffsetIndex.open(offsetIndexFile, baseOffset, 0, false) :
                OffsetIndex.emptyReadOnly(offsetIndexFile, baseOffset);
            segment.timeIndex = Files.exists(timeIndexFile) ?
                TimeIndex.open(timeIndexFile, baseOffset, 0, false) :
                TimeIndex.emptyReadOnly(timeIndexFile, baseOffset);
            segment.loadTailState();
            segment.loadedSealed(true);
            return segment;
        }
        catch (final IOException | RuntimeException ex)
        {
            closeQuietly(segment, file);
            throw ex;
        }
    }

    // ------------------------------------------------------------------------------------------------------
    // Any thread
    // ------------------------------------------------------------------------------------------------------

    /** Any thread. */
    public long baseOffset()
    {
        return baseOffset;
    }

    /**
     * Bytes of whole batches readable from position 0. Any thread; acquire load: every byte and index entry
     * below it is visible.
     */
    public int size()
    {
        return (int)SIZE_VH.getAcquire(this);
    }

    /**
     * Largest max timestamp among the segment's batches, {@link RecordBatch#NO_TIMESTAMP} if none. Any thread;
     * published before the size that covers its batch.
     */
    public long maxTimestamp()
    {
        return (long)MAX_TIMESTAMP_VH.getAcquire(this);
    }

    /**
     * The mapping of the {@code .log} file. Any thread, read-only below {@link #size()}, loaded after it.
     */
    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    /** For {@code transferTo} of regions below {@link #size()}. Any thread. */
    public FileChannel channel()
    {
        return channel;
    }

    /** The {@code .log} file's current path (it gains {@code .deleted} when the segment is deleted). */
    public Path logFile()
    {
        return logFile;
    }

    public OffsetIndex offsetIndex()
    {
        return offsetIndex;
    }

    public TimeIndex timeIndex()
    {
        return timeIndex;
    }

    /** Bytes the mapping spans; the writer never writes at or past it. Any thread. */
    public int capacity()
    {
        return buffer.capacity();
    }

    /**
     * The position the writer may not write past, for the housekeeper's preparation window. Any thread.
     */
    public long writableLimit()
    {
        return writableLimit;
    }

    /**
     * Move the limit, e.g. to the end of the range the housekeeper has fallocated and populated. Any thread:
     * a volatile store the writer reads before each append.
     */
    public void writableLimit(final long limit)
    {
        writableLimit = limit;
    }

    // ------------------------------------------------------------------------------------------------------
    // Flush on roll (the housekeeper, between SegmentSpace.enter and exit)
    // ------------------------------------------------------------------------------------------------------

    /** Any thread, acquire: the seal epoch, odd while the segment is sealed ({@link #isSealed(int)}). */
    public int sealEpoch()
    {
        return (int)SEAL_EPOCH_VH.getAcquire(this);
    }

    /** Whether a {@link #sealEpoch()} value is a sealed one. */
    public static boolean isSealed(final int sealEpoch)
    {
        return 1 == (sealEpoch & 1);
    }

    /** Any thread, acquire: whether what was sealed in {@code sealEpoch} is on disk. */
    public boolean isForced(final int sealEpoch)
    {
        return (int)FORCED_EPOCH_VH.getAcquire(this) == sealEpoch;
    }

    /** Housekeeper, after loading an odd {@link #sealEpoch()}: bytes of the sealed segment. */
    public int sealedSize()
    {
        return sealedSize;
    }

    /**
     * Housekeeper, after loading an odd {@link #sealEpoch()}: force up to {@code maxBytes} of the sealed bytes
     * from {@code position} (bytes the writer had forced before the seal are skipped), so a large segment is
     * written back in steps between which the housekeeper keeps preparing windows.
     *
     * @return the position forced up to; {@link #sealedSize()} when every byte is done, or left to
     * {@link #completeSealedForce(int)} (a segment mapped read-only, loaded after an unclean shutdown, is forced
     * through its descriptor there).
     * @throws java.io.UncheckedIOException if the kernel reports a write error.
     */
    public int forceSealedChunk(final int position, final int maxBytes)
    {
        final int end = sealedSize;
        final int from = Math.max(position, sealedForceFrom);
        final MappedByteBuffer mapping = sealedMapping;
        if (from >= end || null == mapping)
        {
            return end;
        }
        final int to = (int)Math.min(end, (long)from + maxBytes);
        mapping.force(from, to - from);
        return to;
    }

    /**
     * Housekeeper, once {@link #forceSealedChunk} reached {@link #sealedSize()}: force the indexes, the file
     * through its descriptor (its trimmed length, and every byte if it is mapped read-only) and the directory
     * (the segment's name, made by a create or a rename from {@code .prepared}, with its index files: Kafka
     * flushes the directory when it creates a segment), then publish the epoch as forced (release).
     *
     * @throws IOException if a force fails; the epoch is not published and the caller retries later.
     */
    public void completeSealedForce(final int sealEpoch) throws IOException
    {
        offsetIndex.flush();
        timeIndex.flush();
        file.getFD().sync();
        OffsetCheckpointFile.forceDirectory(dir);
        // publishes "on disk" to the writer, which raises the flushed offset over this segment only after it
        FORCED_EPOCH_VH.setRelease(this, sealEpoch);
    }

    // ------------------------------------------------------------------------------------------------------
    // Writer thread
    // ------------------------------------------------------------------------------------------------------

    /** Writer thread: the offset the next batch in this segment gets. */
    public long nextOffset()
    {
        return nextOffset;
    }

    /** Writer thread: true until sealed; the only segment that takes appends. */
    public boolean isActive()
    {
        return active;
    }

    /** The {@code .index} file's current path. */
    public Path offsetIndexFile()
    {
        return offsetIndex.file();
    }

    /** The {@code .timeindex} file's current path. */
    public Path timeIndexFile()
    {
        return timeIndex.file();
    }

    /**
     * Housekeeper, on the published (active) segment between {@code SegmentSpace.enter} and {@code exit}: bytes
     * of the {@code .index} file from its start that the writer can write before the segment must roll. The
     * housekeeper reserves them before it first raises the writable limit, so an index entry never meets a full
     * disk.
     */
    public long offsetIndexBytesToReserve()
    {
        final OffsetIndex index = offsetIndex;
        return reachableIndexBytes(index.entries(), index.maxEntries(), (long)capacity() - size(),
            indexIntervalBytes, OffsetIndex.ENTRY_SIZE);
    }

    /** As {@link #offsetIndexBytesToReserve()}, for the {@code .timeindex} file. */
    public long timeIndexBytesToReserve()
    {
        final TimeIndex index = timeIndex;
        return reachableIndexBytes(index.entries(), index.maxEntries(), (long)capacity() - size(),
            indexIntervalBytes, TimeIndex.ENTRY_SIZE);
    }

    /**
     * Bytes of an index file the writer can reach: the entries it holds, plus one per {@code index.interval.bytes}
     * + 1 of log still to be written (an entry needs more than the interval since the previous one, and a whole
     * batch of at least {@link RecordBatch#HEADER_LENGTH} bytes), plus one for the first batch after the last
     * entry and one for the entry on seal; never more than the file is mapped for.
     */
    static long reachableIndexBytes(
        final int entries, final int maxEntries, final long bytesLeft, final int indexIntervalBytes, final int entrySize)
    {
        final long perEntry = Math.max(indexIntervalBytes + 1L, RecordBatch.HEADER_LENGTH);
        final long reachable = Math.min(maxEntries, entries + Math.max(0, bytesLeft) / perEntry + 2);
        return reachable * entrySize;
    }

    /** Writer thread: bytes up to which the file has been forced to disk. */
    public int flushedPosition()
    {
        return flushedPosition;
    }

    /** Writer thread: sealed, and everything sealed is on disk (forced by the housekeeper, or loaded so). */
    boolean isForcedSinceSeal()
    {
        final int epoch = (int)SEAL_EPOCH_VH.getOpaque(this);
        return isSealed(epoch) && isForced(epoch);
    }

    /**
     * Writer thread: the timestamp retention by time compares against, Kafka's {@code largestTimestamp}: the
     * max timestamp, or the file's last modification time when no batch carries one.
     */
    public long largestTimestamp()
    {
        final long max = maxTimestamp();
        return max >= 0 ? max : lastModifiedMs;
    }

    /** Writer thread: last offset of the batch holding {@link #maxTimestamp()}, -1 if none. */
    public long offsetOfMaxTimestamp()
    {
        return offsetOfMaxTimestamp;
    }

    /** Writer thread: end of the header walk done at open or truncation, for the loader's checks. */
    int tailEnd()
    {
        return tailEnd;
    }

    /**
     * Owner of a segment opened by {@link #openReadOnly(Path)} (or the writer): where the header walk from the
     * last offset index entry stopped at open. Equal to {@link #size()} when every byte after that entry belongs
     * to a whole batch; less when the file has a torn or damaged tail, or a stale index pointed the walk wrong.
     */
    public int validEnd()
    {
        return tailEnd;
    }

    /**
     * Any thread: position of the batch holding {@code offset}, or of the first batch after it, found from the
     * offset index (checked against the batch header) and a walk of headers below {@link #size()}; -1 if none.
     */
    public int positionOf(final long offset)
    {
        final int limit = size();
        return findBatch(buffer, offsetIndex, offset, limit);
    }

    /**
     * Writer thread: whether a region of {@code length} bytes ending at {@code lastOffset} must go to a new
     * segment: it does not fit, the segment is older than {@code segment.ms} by Kafka's measure, an index is
     * full, or an offset would overflow the indexes' int32 relative offsets.
     *
     * @param rollTimestamp the region's largest timestamp (the append time for LogAppendTime topics).
     */
    boolean shouldRoll(
        final int length, final long lastOffset, final long rollTimestamp, final long nowMs, final long segmentMs)
    {
        if ((long)writePosition + length > buffer.capacity())
        {
            return true;
        }
        if (writePosition > 0)
        {
            // Kafka: measured from the first batch's timestamp when there is one, else from creation
            final long waited = rollingBasedTimestamp >= 0 ? rollTimestamp - rollingBasedTimestamp : nowMs - createdMs;
            if (waited > segmentMs)
            {
                return true;
            }
        }
        return offsetIndex.isFull() || timeIndex.isFull() || lastOffset - baseOffset > Integer.MAX_VALUE;
    }

    /** Writer thread: whether {@code length} more bytes stay below the writable limit and the capacity. */
    boolean fits(final int length)
    {
        final long end = (long)writePosition + length;
        return end <= writableLimit && end <= buffer.capacity();
    }

    /**
     * Writer thread. Copy a region of whole batches in, stamp each with its base offset and leader epoch (and
     * for LogAppendTime its max timestamp, attribute and CRC), index it, then publish the new size. The caller
     * has checked {@link #fits(int)} and that the batches tile the region.
     *
     * @param firstOffset   offset of the first record of the region.
     * @param logAppendTime the append time to stamp, or {@link RecordBatch#NO_TIMESTAMP} to keep create time.
     * @param crc           the writer's, to recompute the CRC of LogAppendTime batches.
     * @return the position the region was written at.
     */
    int append(
        final DirectBuffer src,
        final int srcOffset,
        final int length,
        final long firstOffset,
        final int leaderEpoch,
        final long logAppendTime,
        final long nowMs,
        final BatchValidator crc)
    {
        final UnsafeBuffer buffer = this.buffer;
        final int start = writePosition;
        final int end = start + length;
        buffer.putBytes(start, src, srcOffset, length);

        final boolean wasEmpty = 0 == start;
        final OffsetIndex offsetIndex = this.offsetIndex;
        final TimeIndex timeIndex = this.timeIndex;
        long maxTimestamp = (long)MAX_TIMESTAMP_VH.getOpaque(this);
        long offsetOfMax = offsetOfMaxTimestamp;
        long next = firstOffset;
        int position = start;
        while (position < end)
        {
            final int batchSize = RecordBatch.LOG_OVERHEAD + buffer.getInt(position + RecordBatch.LENGTH_OFFSET, ORDER);
            RecordBatch.stampOffsetAndEpoch(buffer, position, next, leaderEpoch);
            if (NO_TIMESTAMP != logAppendTime)
            {
                // the one case where the broker changes bytes under the CRC: attributes and max timestamp
                RecordBatch.stampLogAppendTime(buffer, position, logAppendTime);
                crc.writeCrc(buffer, position);
            }
            final long lastOffset = next + buffer.getInt(position + RecordBatch.LAST_OFFSET_DELTA_OFFSET, ORDER);
            final long batchMaxTimestamp = buffer.getLong(position + RecordBatch.MAX_TIMESTAMP_OFFSET, ORDER);
            if (batchMaxTimestamp > maxTimestamp)
            {
                maxTimestamp = batchMaxTimestamp;
                offsetOfMax = lastOffset;
            }
            if (bytesSinceLastIndexEntry > indexIntervalBytes)
            {
                offsetIndex.append(lastOffset, position);
                timeIndex.maybeAppend(maxTimestamp, offsetOfMax);
                bytesSinceLastIndexEntry = 0;
            }
            bytesSinceLastIndexEntry += batchSize;
            next = lastOffset + 1;
            position += batchSize;
        }

        if (wasEmpty)
        {
            rollingBasedTimestamp = buffer.getLong(RecordBatch.MAX_TIMESTAMP_OFFSET, ORDER);
        }
        nextOffset = next;
        offsetOfMaxTimestamp = offsetOfMax;
        lastModifiedMs = nowMs;
        writePosition = end;
        // publishes the max timestamp for time lookups, then the batch bytes and index entries written above
        MAX_TIMESTAMP_VH.setRelease(this, maxTimestamp);
        SIZE_VH.setRelease(this, end);
        return start;
    }

    /**
     * Writer thread: stop taking appends, index the segment's largest timestamp, and cut the files to their
     * contents. The mapping stays for readers.
     *
     * @throws IOException if a file could not be cut; the segment is sealed anyway and the cut is retried by
     *                     {@link #retryTrim()}.
     */
    void seal() throws IOException
    {
        stopAppends();
        completeSeal();
    }

    /**
     * Writer thread, at a roll: stop taking appends and index the largest timestamp, but leave the cut of the
     * files and the hand-over to the housekeeper to {@link #completeSeal()}. The housekeeper may still be
     * pre-touching pages past the write position of this segment (it was the published one until now); cutting
     * the file under it would fault, so the cut waits until the writer has seen the housekeeper outside.
     */
    void sealDeferred()
    {
        stopAppends();
        sealPending = true;
    }

    /** Writer thread: sealed by {@link #sealDeferred()}, and not yet cut and handed to the housekeeper. */
    boolean isSealPending()
    {
        return sealPending;
    }

    /**
     * Writer thread, with the housekeeper seen outside since this segment stopped being published: cut the files
     * to their contents and hand the sealed bytes to the housekeeper to force.
     *
     * @throws IOException if a file could not be cut; the seal is handed over anyway and the cut is retried by
     *                     {@link #retryTrim()}.
     */
    void completeSeal() throws IOException
    {
        sealPending = false;
        try
        {
            retryTrim();
        }
        finally
        {
            publishSeal();
        }
    }

    private void stopAppends()
    {
        active = false;
        appendLargestTimestamp(timeIndex, (long)MAX_TIMESTAMP_VH.getOpaque(this), offsetOfMaxTimestamp);
        trimPending = true;
    }

    /** Hand the sealed bytes to the housekeeper to force (flush on roll, as Kafka's background flush). */
    private void publishSeal()
    {
        sealedMapping = mappingWritable ? mapping : null;
        sealedForceFrom = Math.min(flushedPosition, writePosition);
        sealedSize = writePosition;
        // publishes the batches, index entries, trim and the three fields above to the housekeeper, which forces
        // the mapping only after loading this odd epoch
        SEAL_EPOCH_VH.setRelease(this, (int)SEAL_EPOCH_VH.getOpaque(this) + 1);
    }

    /**
     * Loader: the segment's bytes may be in the page cache only (read back after an unclean shutdown). A sealed
     * one is left for the housekeeper to force; the active one's next flush forces it from position 0.
     */
    void notOnDisk()
    {
        if (active)
        {
            flushedPosition = 0;
        }
        else
        {
            loadedSealed(false);
        }
    }

    /** A sealed segment of a loaded log: on disk already, or to be forced by the housekeeper as after a roll. */
    private void loadedSealed(final boolean forced)
    {
        final int size = writePosition;
        sealedMapping = null;
        sealedForceFrom = forced ? size : 0;
        sealedSize = size;
        flushedPosition = forced ? size : 0;
        SEAL_EPOCH_VH.setRelease(this, 1);
        FORCED_EPOCH_VH.setRelease(this, forced ? 1 : 0);
    }

    /** Writer thread: cut a sealed segment's files to their contents, if not done yet. */
    void retryTrim() throws IOException
    {
        if (trimPending)
        {
            file.setLength(writePosition);
            offsetIndex.trimToValidSize();
            timeIndex.trimToValidSize();
            trimPending = false;
        }
    }

    /**
     * Writer thread: make a sealed segment active again (a truncation landed in it), or give an empty active
     * segment room for {@code segment.bytes}. The file is extended, the mapping replaced if it is read-only or
     * too small (the old one is retired, not unmapped), and sealed indexes reopened writable.
     *
     * @throws IOException if the file cannot be extended or mapped; the segment is unchanged.
     */
    void reopenForAppend(final LogConfig config) throws IOException
    {
        final int capacity = Math.max(writePosition, config.segmentBytes());
        final int oldLength = (int)Math.min(Integer.MAX_VALUE, file.length());
        try
        {
            if (mappingWritable && buffer.capacity() >= capacity)
            {
                file.setLength(buffer.capacity());
            }
            else
            {
                file.setLength(capacity);
                final MappedByteBuffer newMapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, capacity);
                if (null != mapping)
                {
                    retiredMappings.add(mapping);
                }
                mapping = newMapping;
                mappingWritable = true;
                // readers load the size before the buffer; the new mapping shows the same bytes
                buffer = new UnsafeBuffer(newMapping);
            }
            if (!active)
            {
                final OffsetIndex newOffsetIndex = OffsetIndex.open(
                    LogFiles.offsetIndexFile(dir, baseOffset), baseOffset, config.segmentIndexBytes(), true);
                final TimeIndex newTimeIndex;
                try
                {
                    newTimeIndex = TimeIndex.open(
                        LogFiles.timeIndexFile(dir, baseOffset), baseOffset, config.segmentIndexBytes(), true);
                }
                catch (final IOException ex)
                {
                    retiredOffsetIndexes.add(newOffsetIndex);
                    throw ex;
                }
                retiredOffsetIndexes.add(offsetIndex);
                retiredTimeIndexes.add(timeIndex);
                offsetIndex = newOffsetIndex;
                timeIndex = newTimeIndex;
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            if (!active)
            {
                try
                {
                    file.setLength(Math.max(oldLength, writePosition));
                }
                catch (final IOException ignore)
                {
                    trimPending = true;
                }
            }
            throw ex;
        }
        indexIntervalBytes = config.indexIntervalBytes();
        if (!active && !sealPending)
        {
            // active again: the housekeeper (seen outside by the caller) forces nothing of it until the next seal
            SEAL_EPOCH_VH.setRelease(this, (int)SEAL_EPOCH_VH.getOpaque(this) + 1);
        }
        active = true;
        trimPending = false;
        sealPending = false;
        writableLimit = buffer.capacity();
    }

    /**
     * Writer thread: base offset of the batch that {@code truncateTo(offset)} would cut at, or
     * {@link Long#MAX_VALUE} if no batch holds {@code offset} or a later one.
     */
    long baseOfBatchHolding(final long offset)
    {
        final UnsafeBuffer buffer = this.buffer;
        final int position = findBatch(buffer, offsetIndex, offset, writePosition);
        return position < 0 ? Long.MAX_VALUE : buffer.getLong(position + RecordBatch.BASE_OFFSET_OFFSET, ORDER);
    }

    /**
     * Writer thread, on an active segment: drop every batch that holds {@code offset} or a later one. The size
     * is published lower first, then the dropped bytes are zeroed, so a crash can never bring them back.
     *
     * @return the segment's next offset after the cut.
     */
    long truncateTo(final long offset)
    {
        final int oldSize = writePosition;
        final int position = findBatch(buffer, offsetIndex, offset, oldSize);
        if (position < 0)
        {
            return nextOffset;
        }
        final long newNext = buffer.getLong(position + RecordBatch.BASE_OFFSET_OFFSET, ORDER);
        offsetIndex.truncateTo(newNext);
        timeIndex.truncateTo(newNext);
        writePosition = position;
        SIZE_VH.setRelease(this, position);
        buffer.setMemory(position, oldSize - position, (byte)0);
        flushedPosition = Math.min(flushedPosition, position);
        loadTailState();
        return nextOffset;
    }

    /**
     * Writer thread: force the bytes written since the last flush, and the indexes, to disk.
     *
     * @throws java.io.UncheckedIOException if the kernel reports a write error.
     */
    void flush()
    {
        final int end = writePosition;
        if (end > flushedPosition)
        {
            if (mappingWritable)
            {
                mapping.force(flushedPosition, end - flushedPosition);
            }
            else
            {
                // loaded read-only and not known to be on disk: a mapping that cannot be forced, a descriptor can
                syncDescriptor();
            }
        }
        offsetIndex.flush();
        timeIndex.flush();
        flushedPosition = end;
    }

    private void syncDescriptor()
    {
        try
        {
            file.getFD().sync();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Writer thread: rename the files to {@code *.deleted}. The segment stays mapped and readable until
     * {@link #close()}.
     */
    void markDeleted() throws IOException
    {
        final Path current = logFile;
        if (!current.getFileName().toString().endsWith(LogFiles.DELETED_SUFFIX))
        {
            final Path target = LogFiles.deletedFile(current);
            Files.move(current, target, StandardCopyOption.ATOMIC_MOVE);
            logFile = target;
        }
        renameIndex(offsetIndex.file(), true);
        renameIndex(timeIndex.file(), false);
    }

    /** Writer thread: unmap, close and delete the (renamed) files of a segment no reader can reach any more. */
    void closeAndDelete() throws IOException
    {
        final Path offsetIndexFile = offsetIndex.file();
        final Path timeIndexFile = timeIndex.file();
        close();
        Files.deleteIfExists(logFile);
        Files.deleteIfExists(offsetIndexFile);
        Files.deleteIfExists(timeIndexFile);
    }

    /**
     * Writer thread (or the owner of a segment opened by {@link #openReadOnly(Path)}): unmap everything and close
     * the file. Only once no reader can reach the segment: after the delete delay, or when the whole log closes.
     * Idempotent.
     */
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        closeIndexes();
        for (final OffsetIndex index : retiredOffsetIndexes)
        {
            closeIndex(index);
        }
        for (final TimeIndex index : retiredTimeIndexes)
        {
            closeIndex(index);
        }
        for (final MappedByteBuffer retired : retiredMappings)
        {
            IoUtil.unmap(retired);
        }
        retiredMappings.clear();
        if (null != mapping)
        {
            IoUtil.unmap(mapping);
            mapping = null;
        }
        buffer = EMPTY;
        try
        {
            file.close();
        }
        catch (final IOException ignore)
        {
            // nothing was written through the descriptor; the mappings are already gone
        }
    }

    // ------------------------------------------------------------------------------------------------------
    // Reads (any thread, allocation-free)
    // ------------------------------------------------------------------------------------------------------

    /**
     * Any thread. Fill {@code out} with the batches from the one that holds {@code fetchOffset}: whole batches,
     * all with last offset below {@code maxOffsetExclusive}, at most {@code maxBytes} in total unless
     * {@code minOneBatch} and the first batch alone is larger.
     *
     * @return {@link LogCodes#OK}, {@link LogCodes#NO_DATA} (the batch holding {@code fetchOffset} reaches
     * {@code maxOffsetExclusive}), {@link LogCodes#MAX_BYTES_TOO_SMALL}, or {@link #NOT_IN_SEGMENT}.
     */
    public int read(
        final long fetchOffset,
        final int maxBytes,
        final long maxOffsetExclusive,
        final boolean minOneBatch,
        final ReadResult out)
    {
        final int limit = size();
        final UnsafeBuffer buffer = this.buffer;
        final int start = findBatch(buffer, offsetIndex, fetchOffset, limit);
        if (start < 0)
        {
            return NOT_IN_SEGMENT;
        }
        final int firstSize = batchSizeAt(buffer, start, limit);
        final long firstLastOffset = lastOffsetAt(buffer, start);
        if (firstLastOffset >= maxOffsetExclusive)
        {
            return LogCodes.NO_DATA;
        }
        if (firstSize > maxBytes && !minOneBatch)
        {
            out.segment(this, start, 0, buffer.getLong(start + RecordBatch.BASE_OFFSET_OFFSET, ORDER), firstLastOffset);
            return LogCodes.MAX_BYTES_TOO_SMALL;
        }

        long lastOffset = firstLastOffset;
        int length = firstSize;
        int position = start + firstSize;
        while (position < limit)
        {
            final int batchSize = batchSizeAt(buffer, position, limit);
            if (batchSize < 0 || (long)length + batchSize > maxBytes)
            {
                break;
            }
            final long batchLastOffset = lastOffsetAt(buffer, position);
            if (batchLastOffset >= maxOffsetExclusive)
            {
                break;
            }
            lastOffset = batchLastOffset;
            length += batchSize;
            position += batchSize;
        }
        out.segment(this, start, length, buffer.getLong(start + RecordBatch.BASE_OFFSET_OFFSET, ORDER), lastOffset);
        return LogCodes.OK;
    }

    /**
     * Any thread. The first batch at or after {@code minOffset} whose max timestamp is at least
     * {@code timestamp}, found from the time index and a scan of batch headers.
     *
     * @return true and {@code out} filled, or false if this segment holds none.
     */
    boolean findTimestamp(final long timestamp, final long minOffset, final TimestampLookup out)
    {
        final int limit = size();
        final UnsafeBuffer buffer = this.buffer;
        final TimeIndex timeIndex = this.timeIndex;
        final OffsetIndex offsetIndex = this.offsetIndex;
        // entries strictly below the target bound where the first match can start
        final int slot = timestamp == Long.MIN_VALUE ? TimeIndex.NOT_FOUND : timeIndex.lookupSlot(timestamp - 1);
        long startOffset = baseOffset;
        if (TimeIndex.NOT_FOUND != slot)
        {
            final long entryOffset = timeIndex.offsetAt(slot);
            final int entryPosition = findBatch(buffer, offsetIndex, entryOffset, limit);
            // trust the entry only if its batch ends at its offset and holds its timestamp
            if (entryPosition >= 0 && lastOffsetAt(buffer, entryPosition) == entryOffset &&
                buffer.getLong(entryPosition + RecordBatch.MAX_TIMESTAMP_OFFSET, ORDER) == timeIndex.timestampAt(slot))
            {
                startOffset = entryOffset;
            }
        }
        int position = findBatch(buffer, offsetIndex, Math.max(minOffset, startOffset), limit);
        if (position < 0)
        {
            return false;
        }
        while (position < limit)
        {
            final int batchSize = batchSizeAt(buffer, position, limit);
            if (batchSize < 0)
            {
                return false;
            }
            final long batchMax = buffer.getLong(position + RecordBatch.MAX_TIMESTAMP_OFFSET, ORDER);
            if (batchMax >= timestamp && lastOffsetAt(buffer, position) >= minOffset)
            {
                fillLookup(buffer, position, minOffset, out);
                return true;
            }
            position += batchSize;
        }
        return false;
    }

    /**
     * Any thread. The first batch whose max timestamp equals this segment's {@link #maxTimestamp()}.
     *
     * @return true and {@code out} filled, or false if the segment holds no timestamped batch at or after
     * {@code minOffset}.
     */
    boolean findMaxTimestamp(final long minOffset, final TimestampLookup out)
    {
        final long max = maxTimestamp();
        return NO_TIMESTAMP != max && findTimestamp(max, minOffset, out);
    }

    /**
     * Any thread. Scan from the batch holding {@code minOffset} for the first batch with the largest max
     * timestamp; a header walk, for the one segment the log start offset cuts.
     *
     * @return true and {@code out} filled, or false if no batch from there carries a timestamp.
     */
    boolean findMaxTimestampFrom(final long minOffset, final TimestampLookup out)
    {
        final int limit = size();
        final UnsafeBuffer buffer = this.buffer;
        int position = findBatch(buffer, offsetIndex, minOffset, limit);
        if (position < 0)
        {
            return false;
        }
        long best = NO_TIMESTAMP;
        int bestPosition = -1;
        while (position < limit)
        {
            final int batchSize = batchSizeAt(buffer, position, limit);
            if (batchSize < 0)
            {
                break;
            }
            final long batchMax = buffer.getLong(position + RecordBatch.MAX_TIMESTAMP_OFFSET, ORDER);
            if (batchMax > best)
            {
                best = batchMax;
                bestPosition = position;
            }
            position += batchSize;
        }
        if (bestPosition < 0)
        {
            return false;
        }
        fillLookup(buffer, bestPosition, minOffset, out);
        return true;
    }

    private void fillLookup(final UnsafeBuffer buffer, final int position, final long minOffset, final TimestampLookup out)
    {
        out.offset = Math.max(minOffset, buffer.getLong(position + RecordBatch.BASE_OFFSET_OFFSET, ORDER));
        out.lastOffset = lastOffsetAt(buffer, position);
        out.timestamp = buffer.getLong(position + RecordBatch.MAX_TIMESTAMP_OFFSET, ORDER);
        out.leaderEpoch = buffer.getInt(position + RecordBatch.PARTITION_LEADER_EPOCH_OFFSET, ORDER);
    }

    /**
     * The position of the first batch whose last offset is at least {@code targetOffset}, starting from the
     * offset index's hint; -1 if no whole batch below {@code limit} qualifies.
     */
    static int findBatch(final UnsafeBuffer buffer, final OffsetIndex index, final long targetOffset, final int limit)
    {
        final int slot = index.lookupSlot(targetOffset);
        int position = 0;
        if (OffsetIndex.NOT_FOUND != slot)
        {
            position = index.positionAt(slot);
            if (position < 0 || batchSizeAt(buffer, position, limit) < 0 ||
                lastOffsetAt(buffer, position) != index.offsetAt(slot))
            {
                // the entry must name a batch that ends at its offset: anything else is a stale hint (concurrent
                // truncation) or damage the sanity check cannot see, and a scan from the start is always right
                position = 0;
            }
        }
        while (position < limit)
        {
            final int batchSize = batchSizeAt(buffer, position, limit);
            if (batchSize < 0)
            {
                return -1;
            }
            if (lastOffsetAt(buffer, position) >= targetOffset)
            {
                return position;
            }
            position += batchSize;
        }
        return -1;
    }

    /** Size of the batch at {@code position} if its header and body lie below {@code limit}, else -1. */
    static int batchSizeAt(final UnsafeBuffer buffer, final int position, final int limit)
    {
        if (position > limit - RecordBatch.HEADER_LENGTH)
        {
            return -1;
        }
        final int batchLength = buffer.getInt(position + RecordBatch.LENGTH_OFFSET, ORDER);
        if (batchLength < RecordBatch.MIN_BATCH_LENGTH || batchLength > limit - position - RecordBatch.LOG_OVERHEAD)
        {
            return -1;
        }
        return RecordBatch.LOG_OVERHEAD + batchLength;
    }

    static long lastOffsetAt(final UnsafeBuffer buffer, final int position)
    {
        return buffer.getLong(position + RecordBatch.BASE_OFFSET_OFFSET, ORDER) +
            buffer.getInt(position + RecordBatch.LAST_OFFSET_DELTA_OFFSET, ORDER);
    }

    // ------------------------------------------------------------------------------------------------------
    // Internals (writer thread or loader)
    // ------------------------------------------------------------------------------------------------------

    private void openIndexes(final int maxIndexSize, final boolean writable) throws IOException
    {
        offsetIndex = OffsetIndex.open(LogFiles.offsetIndexFile(dir, baseOffset), baseOffset, maxIndexSize, writable);
        timeIndex = TimeIndex.open(LogFiles.timeIndexFile(dir, baseOffset), baseOffset, maxIndexSize, writable);
    }

    private void closeIndexes()
    {
        if (null != offsetIndex)
        {
            closeIndex(offsetIndex);
        }
        if (null != timeIndex)
        {
            closeIndex(timeIndex);
        }
    }

    private static void closeIndex(final AutoCloseable index)
    {
        try
        {
            index.close();
        }
        catch (final Exception ignore)
        {
            // unmapping cannot fail; the signature leaves room for file state the index does not keep
        }
    }

    private void renameIndex(final Path current, final boolean offsets) throws IOException
    {
        if (!current.getFileName().toString().endsWith(LogFiles.DELETED_SUFFIX) && Files.exists(current))
        {
            final Path target = LogFiles.deletedFile(current);
            if (offsets)
            {
                offsetIndex.renameTo(target);
            }
            else
            {
                timeIndex.renameTo(target);
            }
        }
    }

    /** Both indexes pass their sanity checks against the log, and are not missing entries a rebuild would add. */
    private boolean indexesSane(final int logSize)
    {
        if (IndexCheck.OK != offsetIndex.sanityCheck(logSize))
        {
            return false;
        }
        if (0 == offsetIndex.entries() && logSize > indexIntervalBytes + RecordBatch.HEADER_LENGTH &&
            hasSecondBatch(logSize))
        {
            // an empty index over a log long enough to be indexed: the file was lost or never trimmed
            return false;
        }
        final long next = walkTail(logSize);
        return tailEnd == logSize && IndexCheck.OK == timeIndex.sanityCheck(next);
    }

    private boolean hasSecondBatch(final int logSize)
    {
        final int first = batchSizeAt(buffer, 0, logSize);
        return first > 0 && first < logSize;
    }

    /**
     * Rebuild both indexes from the log's batch headers, with the same rule as {@link #append} (and for a sealed
     * segment the entry {@link #seal()} adds). The loader has validated the batches (or trusts them after a clean
     * shutdown).
     */
    private void rebuildIndexes(final boolean sealed) throws IOException
    {
        final OffsetIndex offsetIndex = this.offsetIndex;
        final TimeIndex timeIndex = this.timeIndex;
        offsetIndex.reset();
        timeIndex.reset();
        final UnsafeBuffer buffer = this.buffer;
        final int limit = writePosition;
        long maxTimestamp = NO_TIMESTAMP;
        long offsetOfMax = -1;
        int sinceLastEntry = 0;
        int position = 0;
        while (position < limit)
        {
            final int batchSize = batchSizeAt(buffer, position, limit);
            if (batchSize < 0)
            {
                break;
            }
            final long lastOffset = lastOffsetAt(buffer, position);
            final long batchMax = buffer.getLong(position + RecordBatch.MAX_TIMESTAMP_OFFSET, ORDER);
            if (batchMax > maxTimestamp)
            {
                maxTimestamp = batchMax;
                offsetOfMax = lastOffset;
            }
            if (sinceLastEntry > indexIntervalBytes)
            {
                offsetIndex.append(lastOffset, position);
                timeIndex.maybeAppend(maxTimestamp, offsetOfMax);
                sinceLastEntry = 0;
            }
            sinceLastEntry += batchSize;
            position += batchSize;
        }
        if (sealed)
        {
            appendLargestTimestamp(timeIndex, maxTimestamp, offsetOfMax);
        }
    }

    /**
     * As Kafka when a segment becomes inactive: the largest timestamp and the last offset of the first batch
     * holding it go into the time index, in the slot it keeps free for this, if larger than its last entry.
     * Without it a segment whose maximum grew after its last index entry (or that never got one, being shorter
     * than {@code index.interval.bytes}) would not index its largest timestamp. Must run before the trim.
     */
    private static void appendLargestTimestamp(final TimeIndex timeIndex, final long maxTimestamp, final long offset)
    {
        if (NO_TIMESTAMP != maxTimestamp && offset >= 0)
        {
            timeIndex.maybeAppendOnSeal(maxTimestamp, offset);
        }
    }

    /**
     * Derive the writer's state from the indexes and a header walk from the last offset index entry: next
     * offset, max timestamp and its offset, first batch timestamp. The max is exact because the time index's
     * last entry already covers everything before the last offset index entry.
     */
    private void loadTailState()
    {
        final int limit = writePosition;
        nextOffset = walkTail(limit);
        final UnsafeBuffer buffer = this.buffer;
        rollingBasedTimestamp = batchSizeAt(buffer, 0, limit) > 0 ?
            buffer.getLong(RecordBatch.MAX_TIMESTAMP_OFFSET, ORDER) : NO_TIMESTAMP;
        MAX_TIMESTAMP_VH.setRelease(this, walkMaxTimestamp);
        offsetOfMaxTimestamp = walkOffsetOfMax;
        bytesSinceLastIndexEntry = tailEnd - walkStart;
    }

    /** Header walk from the last offset index entry; sets tailEnd and the walk fields, returns the next offset. */
    private long walkTail(final int limit)
    {
        final UnsafeBuffer buffer = this.buffer;
        final OffsetIndex offsetIndex = this.offsetIndex;
        final TimeIndex timeIndex = this.timeIndex;
        final int entries = offsetIndex.entries();
        int position = 0 == entries ? 0 : offsetIndex.positionAt(entries - 1);
        if (position < 0 || position >= limit)
        {
            position = 0;
        }
        walkStart = position;
        long maxTimestamp = timeIndex.lastTimestamp();
        long offsetOfMax = timeIndex.lastOffset();
        long next = baseOffset;
        while (position < limit)
        {
            final int batchSize = batchSizeAt(buffer, position, limit);
            if (batchSize < 0)
            {
                break;
            }
            final long lastOffset = lastOffsetAt(buffer, position);
            final long batchMax = buffer.getLong(position + RecordBatch.MAX_TIMESTAMP_OFFSET, ORDER);
            if (batchMax > maxTimestamp)
            {
                maxTimestamp = batchMax;
                offsetOfMax = lastOffset;
            }
            next = lastOffset + 1;
            position += batchSize;
        }
        tailEnd = position;
        walkMaxTimestamp = maxTimestamp;
        walkOffsetOfMax = offsetOfMax;
        return next;
    }

    private static void closeQuietly(final LogSegment segment, final RandomAccessFile file)
    {
        if (null != segment)
        {
            segment.close();
        }
        else if (null != file)
        {
            try
            {
                file.close();
            }
            catch (final IOException ignore)
            {
                // the open failed; the caller reports that failure
            }
        }
    }

    public String toString()
    {
        return "LogSegment{baseOffset=" + baseOffset + ", size=" + size() + ", capacity=" + buffer.capacity() +
            ", file=" + logFile + '}';
    }
}
