package io.loggia.engine.housekeeping;

import io.loggia.engine.agent.WakeSignal;
import io.loggia.engine.log.LogConfig;
import io.loggia.engine.log.LogSegment;
import io.loggia.engine.log.PreparedSegment;
import io.loggia.engine.partition.Partition;
import io.loggia.engine.partition.PartitionTable;
import io.loggia.engine.partition.SegmentSpace;
import io.loggia.engine.writer.AgentLifecycle;
import io.loggia.engine.writer.CommandCallback;
import io.loggia.engine.writer.DirectoryDeletion;
import io.loggia.engine.writer.KafkaErrors;
import io.loggia.engine.writer.PartitionWriter;
import org.agrona.ErrorHandler;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.jctools.queues.MpscArrayQueue;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Keeps page faults, disk allocation and forcing to disk off the writers: for each partition's active segment it
 * reserves disk blocks ({@code fallocate}), writes zeros over them ({@link NativeSpace#writeZeros}) and faults the
 * pages in ({@code madvise(MADV_POPULATE_WRITE)}) a window ahead of the write position, then raises the segment's writable limit over them; it forces each segment the
 * writer sealed (flush on roll, as Kafka's background flush) so the recovery point can move past it. It also
 * writes the offset checkpoints and deletes the directories of deleted partitions.
 * <pre>
 *   doWork():
 *     partitions new or gone in the PartitionTable
 *     windows          one step per partition: reserve, write zeros over a chunk and populate it, raise the
 *                      limit (release)
 *     sealed segments  when a partition's window is idle: force a chunk of the oldest one not on disk; at its
 *                      end indexes, descriptor and directory, then publish its seal epoch as forced (release)
 *     deletions        directories of deleted partitions
 *     checkpoints      recovery points and high watermarks, log start offsets, on their intervals
 *     native calls     loaded once, after the first pass (JNR takes ~240 ms)
 *   near the end of a gated segment, the next segment's file is created and its first window prepared, then
 *   handed to the writer (SegmentSpace.offerNext): the roll becomes a rename
 * </pre>
 * The window protocol for a gated segment (its limit starts at its size; {@code loggia.segment.prepare.bytes}
 * = W): before the first raise, reserve the range of both index files the writer can reach before the segment
 * rolls (the next segment's file gets the same for its index files); when the writer comes within W/2 of the
 * limit, reserve {@code [limit, size + W)} in one fallocate, then write zeros over it and populate it chunk by
 * chunk, raising the limit after each chunk (zeros only above both the limit and the size, where the writer has
 * not written and will not until the raise). The writer never writes past the limit (LogSegment.fits), so it never faults and never writes
 * into unreserved blocks, of the log or of an index: a full disk is an ENOSPC here, flagged on the partition's
 * {@link SegmentSpace}, and the writer fails appends with KAFKA_STORAGE_ERROR instead of waiting, until a later
 * fallocate succeeds.
 * <p>
 * Without native calls (not loaded yet, or not available) a window would protect nothing, so the limit goes to
 * the capacity at once and pages ahead of the size are pre-touched from Java: {@code getAndAddInt(page, 0)},
 * an atomic write that faults the page in without racing the writer's bytes.
 * <p>
 * <b>Assumptions and Guarantees</b>
 * <ul>
 *     <li>Runs on its own thread, never a writer's. Other threads call only {@link #offer},
 *     {@link #requestShutdown()}, {@link #wakeSignal()} and the getters.</li>
 *     <li>It touches a segment only between {@link SegmentSpace#enter()} and {@link SegmentSpace#exit()}, and
 *     only the segment that {@code enter()} returned or a sealed segment in the log's segments array loaded
 *     after {@code enter()}, so a writer that saw it outside may unmap, seal or re-open any segment it no longer
 *     publishes (a segment leaves the array before the writer unmaps it, and is re-opened only while the
 *     housekeeper is seen outside).</li>
 *     <li>A limit store is volatile (release): the writer's volatile load of the limit sees every page this
 *     thread reserved and populated below it, so its first write there takes no fault.</li>
 * </ul>
 */
public final class Housekeeper implements Agent, DirectoryDeletion
{
    public static final int NATIVE_PENDING = 0;
    public static final int NATIVE_READY = 1;
    public static final int NATIVE_UNAVAILABLE = 2;

    static final long PAGE_SIZE = 4096;
    static final long RETRY_MS = 100;
    /** Sealed bytes forced per step: a large segment is written back in steps between window steps. */
    static final int FORCE_CHUNK_BYTES = 8 * 1024 * 1024;
    static final int DELETE_QUEUE_CAPACITY = 1024;
    /** Time one pass over the partitions may take before it stops and the next resumes after it. */
    static final long PASS_BUDGET_NS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(5);

    private final PartitionTable table;
    private final Path logDir;
    /** The window of a segment that holds nothing yet. */
    static final long FIRST_WINDOW_BYTES = 64 * 1024;

    private final long prepareBytes;
    private final long chunkBytes;
    private final long lowWater;
    private final EpochClock clock;
    private final ErrorHandler errorHandler;
    private final WakeSignal[] writerWakes;
    private final WakeSignal wakeSignal;
    private final long recoveryCheckpointIntervalMs;
    private final long startOffsetCheckpointIntervalMs;
    private final boolean useNative;
    private final HousekeeperCounters counters = new HousekeeperCounters();
    private final AgentLifecycle lifecycle = new AgentLifecycle();
    private final MpscArrayQueue<DeleteRequest> deletions = new MpscArrayQueue<>(DELETE_QUEUE_CAPACITY);
    private final Int2ObjectHashMap<SegmentWindow> windows = new Int2ObjectHashMap<>();

    private volatile int nativeState = NATIVE_PENDING;
    private NativeSpace nativeSpace;
    private boolean populateUnsupported;
    private long preparedSequence;
    private boolean firstPassDone;
    private int tableVersion = -1;
    /** Where the next pass over the partitions starts. */
    private int nextPartition;
    private long nowMs;
    private long nextRecoveryCheckpointMs;
    private long nextStartOffsetCheckpointMs;
    private volatile boolean shutdownRequested;

    public Housekeeper(final Context context)
    {
        this.table = context.table;
        this.logDir = context.logDir;
        this.prepareBytes = context.prepareBytes;
        this.chunkBytes = Math.max(PAGE_SIZE, Math.min(context.chunkBytes, Math.max(PAGE_SIZE, context.prepareBytes)));
        this.lowWater = context.prepareBytes / 2;
        this.clock = context.clock;
        this.errorHandler = context.errorHandler;
        this.writerWakes = context.writerWakes;
        this.wakeSignal = context.wakeSignal;
        this.recoveryCheckpointIntervalMs = context.recoveryCheckpointIntervalMs;
        this.startOffsetCheckpointIntervalMs = context.startOffsetCheckpointIntervalMs;
        this.useNative = context.useNative;
        if (!useNative)
        {
            nativeState = NATIVE_UNAVAILABLE;
        }
        final long now = clock.time();
        this.nextRecoveryCheckpointMs = now + recoveryCheckpointIntervalMs;
        this.nextStartOffsetCheckpointMs = now + startOffsetCheckpointIntervalMs;
    }

    // ------------------------------------------------------------------------------------------------------
    // Any thread
    // ------------------------------------------------------------------------------------------------------

    /** {@link #NATIVE_PENDING}, {@link #NATIVE_READY} or {@link #NATIVE_UNAVAILABLE}. Any thread. */
    public int nativeState()
    {
        return nativeState;
    }

    public HousekeeperCounters counters()
    {
        return counters;
    }

    public AgentLifecycle lifecycle()
    {
        return lifecycle;
    }

    /** What writers wake when they need space; delegates to the idle strategy of the housekeeper's thread. */
    public WakeSignal wakeSignal()
    {
        return wakeSignal;
    }

    /** Writer threads: delete a renamed partition directory off their thread, then call back. */
    public boolean offer(final Path directory, final Partition partition, final CommandCallback callback)
    {
        if (!deletions.offer(new DeleteRequest(directory, partition, callback)))
        {
            return false;
        }
        wakeSignal.wake();
        return true;
    }

    /** Any thread: finish the current step, release descriptors, stop. */
    public void requestShutdown()
    {
        shutdownRequested = true;
        wakeSignal.wake();
    }

    // ------------------------------------------------------------------------------------------------------
    // Agent
    // ------------------------------------------------------------------------------------------------------

    public String roleName()
    {
        return "loggia-housekeeper";
    }

    public void onStart()
    {
        lifecycle.onStart();
    }

    public int doWork()
    {
        if (!lifecycle.mayWork())
        {
            return 0;
        }
        int workCount = 0;
        try
        {
            nowMs = clock.time();
            workCount += refreshPartitions();
            workCount += servePartitions();
            workCount += deleteDirectories();
            workCount += writeCheckpointsIfDue();
            if (NATIVE_PENDING == nativeState && firstPassDone)
            {
                loadNative();
                workCount++;
            }
            firstPassDone = true;
            if (shutdownRequested)
            {
                shutdown();
            }
        }
        catch (final Throwable ex)
        {
            onError(ex);
        }
        return workCount;
    }

    public void onClose()
    {
        if (!lifecycle.isClosed())
        {
            shutdown();
        }
    }

    /**
     * Housekeeper thread: load the native calls now (about 240 ms for JNR). Called by the duty cycle after its
     * first pass; tests call it to start in a known state.
     */
    public void loadNative()
    {
        if (NATIVE_PENDING != nativeState)
        {
            return;
        }
        nativeSpace = NativeSpace.load();
        nativeState = null != nativeSpace ? NATIVE_READY : NATIVE_UNAVAILABLE;
    }

    // ------------------------------------------------------------------------------------------------------
    // Windows
    // ------------------------------------------------------------------------------------------------------

    private int refreshPartitions()
    {
        final int version = table.version();
        if (version == tableVersion)
        {
            return 0;
        }
        tableVersion = version;
        final Int2ObjectHashMap<SegmentWindow>.ValueIterator iterator = windows.values().iterator();
        while (iterator.hasNext())
        {
            final SegmentWindow window = iterator.next();
            if (table.get(window.partition.id()) != window.partition)
            {
                closeDescriptor(window);
                discardNext(window);
                iterator.remove();
            }
        }
        return 1;
    }

    /**
     * Partitions whose writer waits at its gate first, then the others in turn from where the last pass stopped,
     * until {@link #PASS_BUDGET_NS} is spent: a step can cost tens of milliseconds (a new partition's first
     * window on fresh memory), and a pass over thousands of new partitions held every other writer at its gate
     * for seconds (live fuzz soak).
     */
    private int servePartitions()
    {
        final Partition[] partitions = table.partitions();
        final int count = partitions.length;
        int workCount = 0;
        for (int i = 0; i < count; i++)
        {
            final Partition partition = partitions[i];
            if (partition.space().isAwaitingSpace())
            {
                workCount += servePartition(partition);
            }
        }
        final long stopNs = System.nanoTime() + PASS_BUDGET_NS;
        final int first = nextPartition < count ? nextPartition : 0;
        for (int k = 0; k < count; k++)
        {
            final int index = (first + k) % count;
            workCount += servePartition(partitions[index]);
            nextPartition = index + 1;
            if (System.nanoTime() - stopNs >= 0)
            {
                break;
            }
        }
        return workCount;
    }

    private int servePartition(final Partition partition)
    {
        int workCount = 0;
        SegmentWindow window = windows.get(partition.id());
        if (null == window)
        {
            window = new SegmentWindow(partition);
            windows.put(partition.id(), window);
        }
        final SegmentSpace space = partition.space();
        final LogSegment segment = space.enter();
        try
        {
            if (null == segment)
            {
                closeDescriptor(window);
                discardNext(window);
                window.reset(null);
                return 0;
            }
            if (segment != window.segment)
            {
                closeDescriptor(window);
                window.reset(segment);
            }
            final int windowWork = prepareBytes > 0 ? prepare(window, segment, space) : 0;
            workCount += 0 != windowWork ? windowWork : forceSealed(window, partition);
        }
        catch (final Throwable ex)
        {
            onError(ex);
        }
        finally
        {
            // a descriptor lives for one step: kept per partition it doubled the broker's open files (the
            // segment's own channel is the other), and thousands of partitions met the process's limit
            closeDescriptor(window);
            space.exit();
        }
        return workCount;
    }

    private int prepare(final SegmentWindow window, final LogSegment segment, final SegmentSpace space)
    {
        final long capacity = segment.capacity();
        final long limit = segment.writableLimit();
        if (NATIVE_READY != nativeState)
        {
            if (limit < capacity)
            {
                // without fallocate a window protects nothing: the writer gets the whole segment, pre-touched, and
                // the segment is gated once the native calls are ready
                segment.writableLimit(capacity);
                counters.increment(HousekeeperCounters.LIMIT_RAISES);
                wakeWriterIfWaiting(window, space);
                return 1;
            }
            return prepareAhead(window, segment, space, segment.size(), capacity);
        }
        adviseNoReadAround(window, segment, capacity);
        if (!window.gated)
        {
            if (limit >= capacity)
            {
                return gateUngated(window, segment, space);
            }
            window.gated = true;
        }
        final int workCount = prepareGated(window, segment, space, segment.size(), limit, capacity);
        return 0 != workCount ? workCount : prepareNext(window, segment, space);
    }

    /**
     * Read-around off for the segment's mapping, once ({@link NativeSpace#noReadAround}). Gated space is written with
     * zeros before it is populated, so populating finds every page in the page cache and reads nothing; what could
     * still fault over a hole (the page under the size after a restart, space populated or touched ahead of an
     * ungated writer) then faults in one page, not the device's 8 MiB read-ahead window zeroed in one
     * uninterruptible call (7-25 ms on the reference VM, which at 50k msg/s was an end-to-end stall each time).
     * Advice only: a failed call changes nothing but speed.
     */
    private void adviseNoReadAround(final SegmentWindow window, final LogSegment segment, final long capacity)
    {
        if (!window.readAroundOff)
        {
            nativeSpace.noReadAround(segment.buffer().addressOffset(), capacity);
            window.readAroundOff = true;
            counters.increment(HousekeeperCounters.READ_AROUND_OFF);
        }
    }

    /**
     * Gate an active segment the writer may fill to its capacity: loaded at start-up, or created (or handed its
     * whole capacity) while the native calls were loading. The writer has been appending to it all along, so it is
     * gated where it stands: reserve the range of both index files it can reach, then {@code [size, size + W)} of
     * the log, then lower the limit to the end of that window (volatile store). From then on it is a gated segment
     * like any other. If the writer passed the window meanwhile it stalls on the limit until the next round covers
     * it (the round reserves from the limit, so the blocks it wrote past it are allocated already). On a full disk
     * the limit is lowered to the size at once: the writer stops writing into unreserved blocks, and the stalled
     * appends fail with KAFKA_STORAGE_ERROR until a reservation succeeds.
     */
    private int gateUngated(final SegmentWindow window, final LogSegment segment, final SegmentSpace space)
    {
        if (nowMs < window.retryAtMs)
        {
            return 0;
        }
        final int fd = descriptor(window, segment);
        if (fd < 0)
        {
            return 0;
        }
        final long size = segment.size();
        final long target = windowEnd(size, segment.capacity());
        int errno = reserveIndexes(segment.offsetIndexFile(), segment.offsetIndexBytesToReserve(),
            segment.timeIndexFile(), segment.timeIndexBytesToReserve());
        if (0 == errno || NativeSpace.EOPNOTSUPP == errno)
        {
            window.indexesReserved = true;
            counters.add(HousekeeperCounters.INDEXES_RESERVED, 2);
            errno = target > size ? nativeSpace.fallocate(fd, size, target - size) : 0;
        }
        window.gated = true;
        counters.increment(HousekeeperCounters.SEGMENTS_GATED);
        if (0 != errno && NativeSpace.EOPNOTSUPP != errno)
        {
            window.retryAtMs = nowMs + RETRY_MS;
            if (NativeSpace.isOutOfSpace(errno))
            {
                counters.increment(HousekeeperCounters.OUT_OF_SPACE);
                space.storageFull(true);
            }
            else
            {
                onError(new IOException("fallocate of " + segment.logFile() + " [" + size + ", " + target +
                    ") failed: errno " + errno));
            }
            // the next rounds reserve from here; the writer writes nothing past it meanwhile
            segment.writableLimit(size);
            return 1;
        }
        counters.add(HousekeeperCounters.ALLOCATED_BYTES, target - size);
        window.allocatedEnd = target;
        window.targetEnd = target;
        space.storageFull(false);
        // the writer's volatile load of the limit orders its writes below it after the reservation above
        segment.writableLimit(target);
        return 1;
    }

    /**
     * Where a round prepares up to: {@code size} plus a window as large as what the segment holds, at least
     * {@link #FIRST_WINDOW_BYTES} and at most {@code loggia.segment.prepare.bytes}. A partition that writes little
     * (the 50 partitions of {@code __consumer_offsets}, a new topic) reserves and populates 64 KiB, not the full
     * window: with 16 MiB the first use of groups populated 800 MiB for a few KiB of commits, and a topic of
     * thousands of partitions made gigabytes of dirty pages whose writeback stalled every fsync behind it (the fuzz
     * soak). A busy partition doubles its window as it writes and reaches the full window after writing it once;
     * its prepared next segment starts with it.
     */
    private long windowEnd(final long size, final long capacity)
    {
        final long ahead = Math.min(prepareBytes, Math.max(FIRST_WINDOW_BYTES, size));
        return Math.min(capacity, alignUp(size + ahead));
    }

    /**
     * Near the end of a gated active segment, make the next segment's file ready: create it, reserve and
     * populate its first window a chunk per step, then hand it to the writer, whose next roll renames it
     * instead of creating a file and waiting for a first window. Near the end means within two windows of it and
     * past half the segment: with a small {@code segment.bytes} (1 MiB) every new partition is within two windows
     * of its end, and each prepared a populated next file it might never use (the fuzz soak's topics of
     * thousands of partitions: their deletion then spent milliseconds per partition unlinking them).
     */
    private int prepareNext(final SegmentWindow window, final LogSegment segment, final SegmentSpace space)
    {
        final long remaining = segment.capacity() - segment.size();
        if (window.nextHandedOverFor == segment || remaining > Math.min(2 * prepareBytes, segment.capacity() / 2) ||
            nowMs < window.retryAtMs)
        {
            return 0;
        }
        final Partition partition = window.partition;
        final LogConfig config = partition.config();
        final int capacity = config.segmentBytes();
        PreparedSegment next = window.next;
        if (null != next && !next.fits(config))
        {
            discardNext(window);
            next = null;
        }
        if (null == next)
        {
            try
            {
                next = PreparedSegment.create(partition.log().dir(), preparedSequence++, config);
            }
            catch (final IOException | RuntimeException ex)
            {
                window.retryAtMs = nowMs + RETRY_MS;
                onError(ex);
                return 1;
            }
            window.next = next;
            window.nextAllocated = false;
            nativeSpace.noReadAround(next.buffer().addressOffset(), next.buffer().capacity());
        }
        final long target = Math.min(capacity, alignUp(prepareBytes));
        if (!window.nextAllocated)
        {
            if (window.nextFd < 0)
            {
                window.nextFd = nativeSpace.open(next.file().toString());
            }
            int errno = window.nextFd < 0 ? -window.nextFd : nativeSpace.fallocate(window.nextFd, 0, target);
            if (0 == errno || NativeSpace.EOPNOTSUPP == errno)
            {
                // the writer appends up to the prepared bytes right after the roll: its index files are reserved now
                errno = reserveIndexes(next.offsetIndexFile(), next.offsetIndexBytesToReserve(),
                    next.timeIndexFile(), next.timeIndexBytesToReserve());
            }
            if (0 != errno && NativeSpace.EOPNOTSUPP != errno)
            {
                // a full disk shows on the active segment's window; this file is not needed yet
                discardNext(window);
                window.retryAtMs = nowMs + RETRY_MS;
                return 1;
            }
            counters.add(HousekeeperCounters.ALLOCATED_BYTES, target);
            window.nextAllocated = true;
        }
        final long from = next.preparedBytes();
        final long end = Math.min(target, from + chunkBytes);
        if (!writeZeros(window.nextFd, from, end) || !populate(next.buffer(), from, end))
        {
            discardNext(window);
            window.retryAtMs = nowMs + RETRY_MS;
            return 1;
        }
        next.preparedBytes(end);
        if (end == target && space.offerNext(next))
        {
            closeNextDescriptor(window);
            window.next = null;
            window.nextHandedOverFor = segment;
        }
        return 1;
    }

    private void discardNext(final SegmentWindow window)
    {
        closeNextDescriptor(window);
        final PreparedSegment next = window.next;
        window.next = null;
        if (null != next)
        {
            try
            {
                next.discard();
            }
            catch (final IOException ex)
            {
                onError(ex);
            }
        }
    }

    private void closeNextDescriptor(final SegmentWindow window)
    {
        if (window.nextFd >= 0)
        {
            nativeSpace.close(window.nextFd);
            window.nextFd = -1;
        }
    }

    /** One step for a segment whose limit gates the writer: reserve the round's range, or populate a chunk. */
    private int prepareGated(
        final SegmentWindow window,
        final LogSegment segment,
        final SegmentSpace space,
        final long size,
        final long limit,
        final long capacity)
    {
        if (limit >= window.targetEnd)
        {
            if (limit - size > lowWater)
            {
                return 0;
            }
            window.targetEnd = windowEnd(size, capacity);
            if (window.targetEnd <= limit)
            {
                return 0;
            }
        }
        if (!window.indexesReserved)
        {
            if (nowMs < window.retryAtMs)
            {
                return 0;
            }
            // before the first raise: the writer writes index entries with every window of log it appends
            final int errno = reserveIndexes(segment.offsetIndexFile(), segment.offsetIndexBytesToReserve(),
                segment.timeIndexFile(), segment.timeIndexBytesToReserve());
            if (0 != errno && NativeSpace.EOPNOTSUPP != errno)
            {
                window.retryAtMs = nowMs + RETRY_MS;
                if (NativeSpace.isOutOfSpace(errno))
                {
                    counters.increment(HousekeeperCounters.OUT_OF_SPACE);
                    space.storageFull(true);
                    wakeWriterIfWaiting(window, space);
                }
                return 1;
            }
            window.indexesReserved = true;
            counters.add(HousekeeperCounters.INDEXES_RESERVED, 2);
        }
        if (window.allocatedEnd < window.targetEnd)
        {
            if (nowMs < window.retryAtMs)
            {
                return 0;
            }
            final int fd = descriptor(window, segment);
            if (fd < 0)
            {
                return 0;
            }
            final long from = Math.max(window.allocatedEnd, limit);
            final int errno = nativeSpace.fallocate(fd, from, window.targetEnd - from);
            if (0 != errno && NativeSpace.EOPNOTSUPP != errno)
            {
                window.retryAtMs = nowMs + RETRY_MS;
                if (NativeSpace.isOutOfSpace(errno))
                {
                    counters.increment(HousekeeperCounters.OUT_OF_SPACE);
                    space.storageFull(true);
                    wakeWriterIfWaiting(window, space);
                }
                else
                {
                    onError(new IOException("fallocate of " + segment.logFile() + " [" + from + ", " +
                        window.targetEnd + ") failed: errno " + errno));
                }
                return 1;
            }
            // EOPNOTSUPP: the file system cannot reserve; populating allocates, as the writer itself would
            counters.add(HousekeeperCounters.ALLOCATED_BYTES, window.targetEnd - from);
            window.allocatedEnd = window.targetEnd;
            space.storageFull(false);
        }
        // below the size only after gateUngated lowered the limit under a writer that had gone on: what it wrote
        // is allocated, and the round's reservation covers everything above the limit
        final long from = Math.max(limit, size & ~(PAGE_SIZE - 1));
        final long chunkEnd = Math.min(window.targetEnd, from + chunkBytes);
        // zeros only above both the limit and the size: the writer never writes at or past the limit, and below
        // the size are its bytes
        if (!writeZeros(descriptor(window, segment), alignUp(Math.max(limit, size)), chunkEnd) ||
            !populate(segment.buffer(), from, chunkEnd))
        {
            window.retryAtMs = nowMs + RETRY_MS;
            return 1;
        }
        // release: the writer's volatile load of the limit sees the pages populated above
        segment.writableLimit(chunkEnd);
        counters.increment(HousekeeperCounters.LIMIT_RAISES);
        wakeWriterIfWaiting(window, space);
        return 1;
    }

    /** One step for a segment the writer may fill to its capacity: populate (or touch) a chunk ahead of it. */
    private int prepareAhead(
        final SegmentWindow window,
        final LogSegment segment,
        final SegmentSpace space,
        final long size,
        final long capacity)
    {
        if (window.preparedEnd >= window.targetEnd)
        {
            if (window.preparedEnd - size > lowWater)
            {
                return 0;
            }
            window.targetEnd = windowEnd(size, capacity);
        }
        final long from = Math.max(window.preparedEnd, size & ~(PAGE_SIZE - 1));
        final long end = Math.min(window.targetEnd, from + chunkBytes);
        if (end <= from)
        {
            window.preparedEnd = Math.max(window.preparedEnd, from);
            return 0;
        }
        window.preparedEnd = end;
        if (NATIVE_READY == nativeState)
        {
            final int fd = descriptor(window, segment);
            if (fd >= 0)
            {
                final int errno = nativeSpace.fallocate(fd, from, end - from);
                if (0 == errno)
                {
                    counters.add(HousekeeperCounters.ALLOCATED_BYTES, end - from);
                    space.storageFull(false);
                }
                else if (NativeSpace.isOutOfSpace(errno))
                {
                    counters.increment(HousekeeperCounters.OUT_OF_SPACE);
                    space.storageFull(true);
                }
            }
            populate(segment.buffer(), from, end);
        }
        else
        {
            touch(segment.buffer(), from, end);
        }
        return 1;
    }

    /**
     * Flush on roll: one step on the oldest sealed segment not yet on disk. Sealed segments not forced yet sit
     * just before the active one (the oldest is always forced first, a truncation re-opens the newest ones only),
     * so a walk back from the active one finds it. The segments array is loaded after {@code enter()}: it holds
     * no segment the writer may unmap while this thread is inside.
     */
    private int forceSealed(final SegmentWindow window, final Partition partition)
    {
        if (nowMs < window.forceRetryAtMs)
        {
            return 0;
        }
        final LogSegment[] segments = partition.log().segments();
        LogSegment target = null;
        int epoch = 0;
        for (int i = segments.length - 2; i >= 0; i--)
        {
            final LogSegment segment = segments[i];
            final int sealEpoch = segment.sealEpoch();
            if (!LogSegment.isSealed(sealEpoch) || segment.isForced(sealEpoch))
            {
                break;
            }
            target = segment;
            epoch = sealEpoch;
        }
        if (null == target)
        {
            window.forcing = null;
            return 0;
        }
        if (target != window.forcing || epoch != window.forcingEpoch)
        {
            window.forcing = target;
            window.forcingEpoch = epoch;
            window.forcedPosition = 0;
        }
        try
        {
            // the acquire load of the odd epoch above orders every byte sealed before the force below
            window.forcedPosition = target.forceSealedChunk(window.forcedPosition, FORCE_CHUNK_BYTES);
            if (window.forcedPosition >= target.sealedSize())
            {
                target.completeSealedForce(epoch);
                window.forcing = null;
                counters.increment(HousekeeperCounters.SEGMENTS_FORCED);
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            window.forceRetryAtMs = nowMs + RETRY_MS;
            onError(ex);
        }
        return 1;
    }

    /**
     * Reserve {@code [0, bytes)} of two index files with fallocate ({@code FALLOC_FL_KEEP_SIZE}: blocks past the end
     * of an empty prepared file stay reserved when the segment extends it). The files are sparse mappings the
     * writer writes entries into, so an unreserved page on a full disk would be a SIGBUS in the writer.
     *
     * @return 0, or the first errno (a file that cannot be opened, renamed or removed meanwhile, returns its
     * errno: the caller retries).
     */
    private int reserveIndexes(
        final Path offsetIndexFile, final long offsetIndexBytes, final Path timeIndexFile, final long timeIndexBytes)
    {
        final int errno = reserve(offsetIndexFile, offsetIndexBytes);
        return 0 != errno && NativeSpace.EOPNOTSUPP != errno ? errno : reserve(timeIndexFile, timeIndexBytes);
    }

    private int reserve(final Path file, final long bytes)
    {
        if (bytes <= 0)
        {
            return 0;
        }
        final int fd = nativeSpace.open(file.toString());
        if (fd < 0)
        {
            return -fd;
        }
        try
        {
            return nativeSpace.fallocate(fd, 0, bytes);
        }
        finally
        {
            nativeSpace.close(fd);
        }
    }

    /** Zeros over {@code [from, end)} of a file no writer writes there yet ({@link NativeSpace#writeZeros}). */
    private boolean writeZeros(final int fd, final long from, final long end)
    {
        if (fd < 0)
        {
            return false;
        }
        final int errno = nativeSpace.writeZeros(fd, from, end);
        if (0 != errno)
        {
            return false;
        }
        counters.add(HousekeeperCounters.ZEROED_BYTES, Math.max(0, end - from));
        return true;
    }

    /** Fault {@code [from, end)} of a mapping in, writable; false if that failed. */
    private boolean populate(final UnsafeBuffer mapping, final long from, final long end)
    {
        if (populateUnsupported)
        {
            touch(mapping, from, end);
            return true;
        }
        final long start = from & ~(PAGE_SIZE - 1);
        final int errno = nativeSpace.populate(mapping.addressOffset() + start, end - start);
        if (0 == errno)
        {
            counters.add(HousekeeperCounters.POPULATED_BYTES, end - start);
            return true;
        }
        if (NativeSpace.EINVAL == errno)
        {
            // a kernel before 5.14: no MADV_POPULATE_WRITE
            populateUnsupported = true;
            touch(mapping, from, end);
            return true;
        }
        return false;
    }

    /**
     * Write-fault each page of {@code [from, end)} from Java. {@code getAndAddInt(page, 0)} is an atomic
     * read-modify-write that stores the value it read, so a concurrent write by the writer to the same word is
     * never lost. A SIGBUS (the segment was sealed and cut meanwhile) reaches Java as an InternalError, which
     * the caller reports.
     */
    private void touch(final UnsafeBuffer buffer, final long from, final long end)
    {
        final long last = Math.min(end, buffer.capacity()) - Integer.BYTES;
        long touched = 0;
        for (long position = alignUp(from); position <= last; position += PAGE_SIZE)
        {
            buffer.getAndAddInt((int)position, 0);
            touched += PAGE_SIZE;
        }
        counters.add(HousekeeperCounters.TOUCHED_BYTES, touched);
    }

    private int descriptor(final SegmentWindow window, final LogSegment segment)
    {
        if (window.fd < 0)
        {
            final int fd = nativeSpace.open(segment.logFile().toString());
            if (fd < 0)
            {
                // renamed or removed meanwhile: the writer publishes its successor
                window.retryAtMs = nowMs + RETRY_MS;
                return -1;
            }
            window.fd = fd;
        }
        return window.fd;
    }

    private void closeDescriptor(final SegmentWindow window)
    {
        if (window.fd >= 0)
        {
            nativeSpace.close(window.fd);
            window.fd = -1;
        }
    }

    private void wakeWriterIfWaiting(final SegmentWindow window, final SegmentSpace space)
    {
        if (space.isAwaitingSpace())
        {
            final int writerIndex = window.partition.writerIndex();
            if (writerIndex >= 0 && writerIndex < writerWakes.length)
            {
                counters.increment(HousekeeperCounters.WRITER_WAKES);
                writerWakes[writerIndex].wake();
            }
        }
    }

    private static long alignUp(final long value)
    {
        return (value + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    }

    // ------------------------------------------------------------------------------------------------------
    // Deletions, checkpoints, shutdown
    // ------------------------------------------------------------------------------------------------------

    private int deleteDirectories()
    {
        int workCount = 0;
        DeleteRequest request;
        while (workCount < 4 && null != (request = deletions.poll()))
        {
            workCount++;
            // the request has left the queue: whatever happens, its callback runs, or the controller would wait
            // for this deletion forever (a name it holds as "being deleted" could never be created again)
            boolean deleted = false;
            try
            {
                deleted = PartitionWriter.deleteDirectory(request.directory, errorHandler);
                if (deleted)
                {
                    counters.increment(HousekeeperCounters.DIRECTORIES_DELETED);
                }
            }
            catch (final Throwable ex)
            {
                onError(ex);
            }
            try
            {
                request.callback.onComplete(
                    request.partition, deleted ? KafkaErrors.NONE : KafkaErrors.KAFKA_STORAGE_ERROR, -1);
            }
            catch (final Throwable ex)
            {
                onError(ex);
            }
        }
        return workCount;
    }

    private int writeCheckpointsIfDue()
    {
        int workCount = 0;
        if (nowMs >= nextRecoveryCheckpointMs)
        {
            nextRecoveryCheckpointMs = nowMs + recoveryCheckpointIntervalMs;
            try
            {
                Checkpoints.writeRecoveryPoints(logDir, table);
                counters.add(HousekeeperCounters.CHECKPOINTS, 2);
            }
            catch (final IOException ex)
            {
                onError(ex);
            }
            workCount++;
        }
        if (nowMs >= nextStartOffsetCheckpointMs)
        {
            nextStartOffsetCheckpointMs = nowMs + startOffsetCheckpointIntervalMs;
            try
            {
                Checkpoints.writeLogStartOffsets(logDir, table);
                counters.increment(HousekeeperCounters.CHECKPOINTS);
            }
            catch (final IOException ex)
            {
                onError(ex);
            }
            workCount++;
        }
        return workCount;
    }

    private void shutdown()
    {
        final Int2ObjectHashMap<SegmentWindow>.ValueIterator iterator = windows.values().iterator();
        while (iterator.hasNext())
        {
            final SegmentWindow window = iterator.next();
            closeDescriptor(window);
            discardNext(window);
        }
        windows.clear();
        deleteDirectories();
        lifecycle.closed();
    }

    private void onError(final Throwable ex)
    {
        counters.increment(HousekeeperCounters.ERRORS);
        try
        {
            errorHandler.onError(ex);
        }
        catch (final Throwable ignore)
        {
            // an error handler that throws must not stop the housekeeper
        }
    }

    public String toString()
    {
        return "Housekeeper{native=" + nativeState + ", windows=" + windows.size() + ", " + counters + '}';
    }

    /** A deleted partition's renamed directory waiting to be removed. */
    private static final class DeleteRequest
    {
        final Path directory;
        final Partition partition;
        final CommandCallback callback;

        DeleteRequest(final Path directory, final Partition partition, final CommandCallback callback)
        {
            this.directory = directory;
            this.partition = partition;
            this.callback = null == callback ? CommandCallback.NONE : callback;
        }
    }

    /** How to build a housekeeper. */
    public static final class Context
    {
        PartitionTable table;
        Path logDir;
        long prepareBytes = 16L * 1024 * 1024;
        long chunkBytes = 2L * 1024 * 1024;
        EpochClock clock;
        ErrorHandler errorHandler;
        WakeSignal[] writerWakes = new WakeSignal[0];
        WakeSignal wakeSignal = WakeSignal.NONE;
        long recoveryCheckpointIntervalMs = 60_000;
        long startOffsetCheckpointIntervalMs = 60_000;
        boolean useNative = true;

        public Context table(final PartitionTable table)
        {
            this.table = table;
            return this;
        }

        public Context logDir(final Path logDir)
        {
            this.logDir = logDir;
            return this;
        }

        /** {@code loggia.segment.prepare.bytes}: the window kept ahead of each active segment's write position. */
        public Context prepareBytes(final long prepareBytes)
        {
            this.prepareBytes = prepareBytes;
            return this;
        }

        /** Populated per step, and the limit raised after each. */
        public Context chunkBytes(final long chunkBytes)
        {
            this.chunkBytes = chunkBytes;
            return this;
        }

        public Context clock(final EpochClock clock)
        {
            this.clock = clock;
            return this;
        }

        public Context errorHandler(final ErrorHandler errorHandler)
        {
            this.errorHandler = errorHandler;
            return this;
        }

        /** Indexed by writer index: woken when a partition they stalled on got space (or a full-disk verdict). */
        public Context writerWakes(final WakeSignal[] writerWakes)
        {
            this.writerWakes = writerWakes;
            return this;
        }

        public Context wakeSignal(final WakeSignal wakeSignal)
        {
            this.wakeSignal = wakeSignal;
            return this;
        }

        /** {@code log.flush.offset.checkpoint.interval.ms}: recovery points and high watermarks. */
        public Context recoveryCheckpointIntervalMs(final long intervalMs)
        {
            this.recoveryCheckpointIntervalMs = intervalMs;
            return this;
        }

        /** {@code log.flush.start.offset.checkpoint.interval.ms}. */
        public Context startOffsetCheckpointIntervalMs(final long intervalMs)
        {
            this.startOffsetCheckpointIntervalMs = intervalMs;
            return this;
        }

        /** False: never load native calls (Java pre-touch only). */
        public Context useNative(final boolean useNative)
        {
            this.useNative = useNative;
            return this;
        }
    }
}
