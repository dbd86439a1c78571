package io.loggia.engine.producer;

import io.loggia.codec.record.RecordBatch;
import io.loggia.engine.log.PartitionLog;
import org.agrona.ErrorHandler;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The idempotent-producer state of one partition: for each producer id its epoch and its last
 * {@value ProducerEntry#MAX_BATCHES} batches (sequence range, offsets, timestamp), so that the writer can refuse
 * batches out of order or from a fenced epoch, and answer a retried batch with its original offsets instead of
 * appending it twice (Kafka's KIP-98 semantics, with KIP-360's treatment of unknown producers).
 * <pre>
 *   incoming batch (producerId &gt;= 0)       stored state of producerId        answer
 *   ---------------------------------      ------------------------------    ------------------------
 *   transactional                          any                               TRANSACTIONS_UNSUPPORTED
 *   any epoch, any sequence                none (new, expired, or lost)      OK
 *   epoch &lt; stored epoch                   known                             INVALID_PRODUCER_EPOCH
 *   epoch &gt; stored epoch, baseSeq == 0     known                             OK (sequences restart)
 *   epoch &gt; stored epoch, baseSeq != 0     known                             OUT_OF_ORDER_SEQUENCE
 *   same epoch, (baseSeq, lastSeq) equal   one of the last 5 batches         DUPLICATE, offsets in out
 *   same epoch, baseSeq == lastSeq + 1     newest batch (MAX_VALUE wraps 0)  OK
 *   same epoch, anything else              known                             OUT_OF_ORDER_SEQUENCE
 * </pre>
 * Batches without a producer id ({@code producerId < 0}) are not tracked and always OK.
 * <p>
 * State survives restarts through snapshots ({@link ProducerSnapshotFile}, the newest
 * {@value #SNAPSHOTS_RETAINED} kept) and a replay of the batch headers the log holds after the newest usable
 * one ({@link #load}). A producer is forgotten {@code producer.id.expiration.ms} after the max timestamp of its
 * last batch ({@link #removeExpired}), as in Kafka.
 * <p>
 * <b>Assumptions and Guarantees</b>
 * <ul>
 *     <li>The partition's writer thread calls every method, after {@link #load} ran on it (or on a thread that
 *     handed the manager over before the writer started). No other thread touches the state, so nothing here
 *     is volatile.</li>
 *     <li>The writer calls {@link #check} before it appends an idempotent batch and {@link #onAppend} after the
 *     append succeeded, with the offsets the log gave it; it calls {@link #truncateTo},
 *     {@link #truncateFullyAndStartAt} and {@link #onLogStartOffset} after the log changed, and
 *     {@link #takeSnapshot} with the log end offset.</li>
 *     <li>{@link #check} and {@link #onAppend} allocate nothing once the map has grown to the number of live
 *     producers: entries are pooled, the map is a primitive-keyed open-addressing map.</li>
 *     <li>The partition's log is read (on the same thread) only by {@link #load} and {@link #truncateTo}.</li>
 * </ul>
 */
public final class ProducerStateManager
{
    /** Append the batch, then call {@link #onAppend}. Kafka: NONE. */
    public static final int OK = 0;
    /**
     * A retry of one of the producer's last batches: do not append; answer with the original offsets in the
     * {@link DuplicateInfo}. Kafka: NONE.
     */
    public static final int DUPLICATE = 1;
    /** A gap, a repeat older than the last five batches, or a new epoch not starting at 0. Kafka: 45. */
    public static final int OUT_OF_ORDER_SEQUENCE = 2;
    /** The batch's epoch is older than the producer's: a fenced zombie. Kafka: INVALID_PRODUCER_EPOCH, 47. */
    public static final int INVALID_PRODUCER_EPOCH = 3;
    /**
     * Not returned: an unknown producer is accepted with any sequence, as Kafka brokers do since KIP-360 (see
     * the draft). Kept with its Kafka code (UNKNOWN_PRODUCER_ID, 59) so that callers map every code.
     */
    public static final int UNKNOWN_PRODUCER_ID = 4;
    /** A transactional batch: Loggia has no transaction coordinator. Kafka: UNSUPPORTED_FOR_MESSAGE_FORMAT, 43. */
    public static final int TRANSACTIONS_UNSUPPORTED = 5;

    /** Kafka's default {@code producer.id.expiration.ms}: one day. */
    public static final long DEFAULT_PRODUCER_ID_EXPIRATION_MS = 86_400_000L;
    /** Snapshots kept on disk: the newest and one to fall back to if the newest cannot be read. */
    public static final int SNAPSHOTS_RETAINED = 2;

    private static final short KAFKA_NONE = 0;
    private static final short KAFKA_UNSUPPORTED_FOR_MESSAGE_FORMAT = 43;
    private static final short KAFKA_OUT_OF_ORDER_SEQUENCE_NUMBER = 45;
    private static final short KAFKA_INVALID_PRODUCER_EPOCH = 47;
    private static final short KAFKA_UNKNOWN_PRODUCER_ID = 59;
    private static final short KAFKA_UNKNOWN_SERVER_ERROR = -1;

    /** Freed entries kept for reuse; beyond it they are left to the garbage collector. */
    private static final int POOL_LIMIT = 4096;
    /** A snapshot file that could not be read at all. */
    private static final int UNREADABLE = -1;
    private static final Comparator<ProducerEntry> BY_PRODUCER_ID =
        (a, b) -> Long.compare(a.producerId(), b.producerId());

    private final Path dir;
    private final PartitionLog log;
    private final long producerIdExpirationMs;
    private final ErrorHandler errorHandler;
    private final Long2ObjectHashMap<ProducerEntry> producers = new Long2ObjectHashMap<>();
    private final ArrayDeque<ProducerEntry> pool = new ArrayDeque<>();
    /** Offsets of the snapshot files on disk, ascending. */
    private final LongArrayList snapshots = new LongArrayList();
    private final LongArrayList expiredIds = new LongArrayList();
    // grows to the largest snapshot this partition writes: one per partition, and most hold few producers
    private final ExpandableArrayBuffer snapshotBuffer = new ExpandableArrayBuffer(128);
    private final ProducerStateReplay replay = new ProducerStateReplay();
    private final ProducerLoadReport rebuildReport = new ProducerLoadReport();
    private ProducerEntry[] sorted = new ProducerEntry[16];
    /**
     * No state was derived from a batch at or past this offset + 1; an upper bound after a snapshot load.
     * A truncation above it changes nothing.
     */
    private long maxLastOffset = -1;

    private ProducerStateManager(
        final Path dir, final PartitionLog log, final long producerIdExpirationMs, final ErrorHandler errorHandler)
    {
        this.dir = dir;
        this.log = log;
        this.producerIdExpirationMs = producerIdExpirationMs;
        this.errorHandler = errorHandler;
    }

    /**
     * Build the state of a freshly loaded log: the newest snapshot at or below the log end offset that passes
     * validation (newer ones that fail are deleted, as are snapshots above the end or below the start of the
     * log), then a replay of the batch headers from the snapshot's offset, or from the log start offset if no
     * snapshot is usable, to the log end; finally producers expired at {@code nowMs} are dropped.
     *
     * @param partitionDir           where the snapshots live: the log's directory.
     * @param log                    the loaded log; read, never changed.
     * @param producerIdExpirationMs Kafka's {@code producer.id.expiration.ms}.
     * @param nowMs                  wall clock, for expiry.
     * @param errorHandler           receives I/O failures that loading survives (unreadable or undeletable
     *                               snapshots), and later ones of the same kind.
     * @param report                 filled with what was found, used, deleted and replayed.
     * @throws IOException if the directory cannot be listed.
     */
    public static ProducerStateManager load(
        final Path partitionDir,
        final PartitionLog log,
        final long producerIdExpirationMs,
        final long nowMs,
        final ErrorHandler errorHandler,
        final ProducerLoadReport report) throws IOException
    {
        final long start = System.nanoTime();
        report.reset();
        final ProducerStateManager manager =
            new ProducerStateManager(partitionDir, log, producerIdExpirationMs, errorHandler);
        final LongArrayList found = new LongArrayList();
        report.temporaryFilesDeleted = ProducerSnapshotFile.list(partitionDir, found);
        report.snapshotsFound = found.size();
        final long logStart = log.logStartOffset();
        final long logEnd = log.logEndOffset();
        boolean deletedAboveEnd = false;
        for (int i = 0; i < found.size(); i++)
        {
            final long offset = found.getLong(i);
            if (offset > logEnd || offset < logStart)
            {
                // above the end it describes batches the log lost; below the start the batches between it and
                // the start are gone, so a replay could not bring it up to date
                manager.deleteSnapshotFile(offset);
                deletedAboveEnd |= offset > logEnd;
                report.snapshotsOutOfRange++;
            }
            else
            {
                manager.snapshots.addLong(offset);
            }
        }
        if (deletedAboveEnd)
        {
            manager.forceDirectory();
        }
        manager.rebuild(logEnd, report);
        report.producersExpired = manager.removeExpired(nowMs);
        report.producersLoaded = manager.producerCount();
        report.loadNanos = System.nanoTime() - start;
        return manager;
    }

    /**
     * Writer thread: may a batch with these header fields be appended? Allocates nothing.
     *
     * @param producerId    the batch's producer id; below 0 the batch is not idempotent and always OK.
     * @param epoch         the batch's producer epoch.
     * @param baseSequence  the batch's base sequence.
     * @param lastSequence  its last sequence, wrapped as {@link RecordBatch#lastSequence()} computes it.
     * @param transactional the batch's transactional attribute.
     * @param out           reset, then filled with the original batch on {@link #DUPLICATE}.
     * @return {@link #OK}, {@link #DUPLICATE}, {@link #OUT_OF_ORDER_SEQUENCE}, {@link #INVALID_PRODUCER_EPOCH} or
     * {@link #TRANSACTIONS_UNSUPPORTED}. The state is not changed.
     */
    public int check(
        final long producerId,
        final short epoch,
        final int baseSequence,
        final int lastSequence,
        final boolean transactional,
        final DuplicateInfo out)
    {
        out.reset();
        if (transactional)
        {
            return TRANSACTIONS_UNSUPPORTED;
        }
        if (producerId < 0)
        {
            return OK;
        }
        final ProducerEntry entry = producers.get(producerId);
        if (null == entry)
        {
            // KIP-360: state lost to expiry or retention must not fail a live producer, so any sequence goes
            return OK;
        }
        final short currentEpoch = entry.epoch();
        if (epoch < currentEpoch)
        {
            return INVALID_PRODUCER_EPOCH;
        }
        if (RecordBatch.NO_PRODUCER_EPOCH == currentEpoch)
        {
            return OK;
        }
        if (epoch != currentEpoch)
        {
            return 0 == baseSequence ? OK : OUT_OF_ORDER_SEQUENCE;
        }
        final int index = entry.findBatch(baseSequence, lastSequence);
        if (index >= 0)
        {
            out.set(entry.firstOffset(index), entry.lastOffset(index), entry.timestamp(index));
            return DUPLICATE;
        }
        return inSequence(entry.lastSequence(), baseSequence) ? OK : OUT_OF_ORDER_SEQUENCE;
    }

    /**
     * Writer thread: a batch was appended (or is replayed from the log). Records it as the producer's newest; a
     * new epoch forgets the batches of the old one. Allocates nothing unless the producer is new and the pool
     * is empty.
     *
     * @param producerId  below 0: ignored.
     * @param firstOffset offset the log gave the batch's first record.
     * @param lastOffset  offset of its last record.
     * @param timestamp   the batch's max timestamp as stored (the append time on LogAppendTime topics): what a
     *                    duplicate is answered with and what expiry is measured from.
     */
    public void onAppend(
        final long producerId,
        final short epoch,
        final int baseSequence,
        final int lastSequence,
        final long firstOffset,
        final long lastOffset,
        final long timestamp)
    {
        if (producerId < 0)
        {
            return;
        }
        final ProducerEntry entry = entryFor(producerId);
        entry.epoch(epoch);
        entry.addBatch(baseSequence, lastSequence, firstOffset, lastOffset, timestamp);
        entry.lastTimestamp(timestamp);
        if (lastOffset > maxLastOffset)
        {
            maxLastOffset = lastOffset;
        }
    }

    /** Writer thread: producers known. */
    public int producerCount()
    {
        return producers.size();
    }

    /** Writer thread: the producer's epoch, or {@link RecordBatch#NO_PRODUCER_EPOCH} if it is unknown. */
    public short producerEpoch(final long producerId)
    {
        final ProducerEntry entry = producers.get(producerId);
        return null == entry ? RecordBatch.NO_PRODUCER_EPOCH : entry.epoch();
    }

    /**
     * Writer thread: the last sequence of the producer's newest batch, or {@link RecordBatch#NO_SEQUENCE} if the
     * producer is unknown or has no batch in its current epoch.
     */
    public int lastSequence(final long producerId)
    {
        final ProducerEntry entry = producers.get(producerId);
        return null == entry ? RecordBatch.NO_SEQUENCE : entry.lastSequence();
    }

    /** Writer thread: offset of the newest snapshot on disk, or -1 if there is none. */
    public long latestSnapshotOffset()
    {
        return snapshots.isEmpty() ? -1 : snapshots.getLong(snapshots.size() - 1);
    }

    /**
     * Writer thread: write the state as the snapshot at {@code offset} (a temporary file renamed into place,
     * not forced: a snapshot torn by a power loss fails validation and the load falls back), then delete all
     * but the newest {@value #SNAPSHOTS_RETAINED} snapshots. Take one at each roll and at close, with the log
     * end offset, so that a restart replays at most one segment.
     *
     * @param offset the log end offset: the state must reflect every batch below it and none at or above it.
     * @throws IOException if the file cannot be written; the snapshots on disk are as before.
     */
    public void takeSnapshot(final long offset) throws IOException
    {
        if (offset <= maxLastOffset || offset > log.logEndOffset())
        {
            throw new IllegalArgumentException("snapshot offset " + offset + " outside (" + maxLastOffset + ", " +
                log.logEndOffset() + "]");
        }
        final int count = sortProducers();
        final int length = ProducerSnapshotFile.encode(snapshotBuffer, offset, sorted, count);
        Arrays.fill(sorted, 0, count, null);
        ProducerSnapshotFile.write(dir, offset, snapshotBuffer, length);
        addSnapshotOffset(offset);
        while (snapshots.size() > SNAPSHOTS_RETAINED)
        {
            deleteSnapshot(0);
        }
    }

    /**
     * Writer thread, after {@link PartitionLog#truncateTo}: forget every batch at or above {@code offset}.
     * Snapshots above the new log end are deleted; if the state holds a batch that was cut, it is rebuilt from
     * the newest usable snapshot and a replay of the log up to its new end.
     */
    public void truncateTo(final long offset)
    {
        final long end = Math.min(offset, log.logEndOffset());
        final int count = snapshots.size();
        for (int i = count - 1; i >= 0 && snapshots.getLong(i) > end; i--)
        {
            deleteSnapshot(i);
        }
        if (snapshots.size() < count)
        {
            forceDirectory();
        }
        if (maxLastOffset >= end)
        {
            rebuild(end, rebuildReport);
        }
    }

    /**
     * Writer thread, after {@link PartitionLog#truncateFullyAndStartAt}: the log restarted empty, so every
     * producer and every snapshot goes.
     */
    public void truncateFullyAndStartAt(final long offset)
    {
        clearProducers();
        for (int i = snapshots.size() - 1; i >= 0; i--)
        {
            deleteSnapshot(i);
        }
        forceDirectory();
    }

    /**
     * Writer thread, after the log start offset rose (retention, DeleteRecords): delete the snapshots below it,
     * which could no longer be brought up to date. Producers stay until they expire, even if their batches
     * are gone (KIP-360); take a snapshot afterwards if none is left, or a restart forgets them.
     */
    public void onLogStartOffset(final long logStartOffset)
    {
        while (!snapshots.isEmpty() && snapshots.getLong(0) < logStartOffset)
        {
            deleteSnapshot(0);
        }
    }

    /**
     * Writer thread: forget producers whose last batch's timestamp is {@code producer.id.expiration.ms} or more
     * before {@code nowMs}. Allocates nothing once warm.
     *
     * @return producers removed.
     */
    public int removeExpired(final long nowMs)
    {
        final LongArrayList expired = expiredIds;
        expired.clear();
        for (final ProducerEntry entry : producers.values())
        {
            if (nowMs - entry.lastTimestamp() >= producerIdExpirationMs)
            {
                expired.addLong(entry.producerId());
            }
        }
        for (int i = 0, size = expired.size(); i < size; i++)
        {
            release(producers.remove(expired.getLong(i)));
        }
        return expired.size();
    }

    /** The Kafka error code a produce response carries for a {@link #check} result. */
    public static short kafkaErrorCode(final int code)
    {
        switch (code)
        {
            case OK:
            case DUPLICATE:
                return KAFKA_NONE;
            case OUT_OF_ORDER_SEQUENCE: return KAFKA_OUT_OF_ORDER_SEQUENCE_NUMBER;
            case INVALID_PRODUCER_EPOCH: return KAFKA_INVALID_PRODUCER_EPOCH;
            case UNKNOWN_PRODUCER_ID: return KAFKA_UNKNOWN_PRODUCER_ID;
            case TRANSACTIONS_UNSUPPORTED: return KAFKA_UNSUPPORTED_FOR_MESSAGE_FORMAT;
            default: return KAFKA_UNKNOWN_SERVER_ERROR;
        }
    }

    public static String describe(final int code)
    {
        switch (code)
        {
            case OK: return "ok";
            case DUPLICATE: return "duplicate of a batch already appended";
            case OUT_OF_ORDER_SEQUENCE: return "out of order sequence number";
            case INVALID_PRODUCER_EPOCH: return "producer epoch older than the last seen";
            case UNKNOWN_PRODUCER_ID: return "unknown producer id";
            case TRANSACTIONS_UNSUPPORTED: return "transactional batches are not supported";
            default: return "unknown code " + code;
        }
    }

    public String toString()
    {
        return "ProducerStateManager{dir=" + dir + ", producers=" + producers.size() + ", snapshots=" + snapshots +
            ", maxLastOffset=" + maxLastOffset + '}';
    }

    // ------------------------------------------------------------------------------------------------------
    // Package: replay, snapshot restore, tests
    // ------------------------------------------------------------------------------------------------------

    /** A transaction marker in a Kafka-written log: the epoch it carries becomes the producer's, no batch is kept. */
    void onControlBatch(final long producerId, final short epoch, final long lastOffset, final long timestamp)
    {
        final ProducerEntry entry = entryFor(producerId);
        entry.epoch(epoch);
        entry.lastTimestamp(timestamp);
        if (lastOffset > maxLastOffset)
        {
            maxLastOffset = lastOffset;
        }
    }

    /** A producer read from a snapshot, added empty for its batches to follow. */
    ProducerEntry restoreProducer(final long producerId, final short epoch, final long lastTimestamp)
    {
        final ProducerEntry entry = entryFor(producerId);
        entry.epoch(epoch);
        entry.lastTimestamp(lastTimestamp);
        return entry;
    }

    /** The state of one producer, or null. */
    ProducerEntry entry(final long producerId)
    {
        return producers.get(producerId);
    }

    /** Snapshot offsets on disk, ascending; a copy. */
    long[] snapshotOffsets()
    {
        return snapshots.toLongArray();
    }

    // ------------------------------------------------------------------------------------------------------
    // Internals
    // ------------------------------------------------------------------------------------------------------

    private static boolean inSequence(final int lastSequence, final int nextSequence)
    {
        return nextSequence == lastSequence + 1L || (0 == nextSequence && Integer.MAX_VALUE == lastSequence);
    }

    private ProducerEntry entryFor(final long producerId)
    {
        ProducerEntry entry = producers.get(producerId);
        if (null == entry)
        {
            final ProducerEntry pooled = pool.pollLast();
            entry = (null == pooled ? new ProducerEntry() : pooled).reset(producerId);
            producers.put(producerId, entry);
        }
        return entry;
    }

    private void release(final ProducerEntry entry)
    {
        if (null != entry && pool.size() < POOL_LIMIT)
        {
            pool.addLast(entry);
        }
    }

    private void clearProducers()
    {
        for (final ProducerEntry entry : producers.values())
        {
            release(entry);
        }
        producers.clear();
        maxLastOffset = -1;
    }

    /**
     * Replace the state with the newest usable snapshot at or below {@code end} plus a replay of the log up to
     * {@code end}. Snapshots that cannot be used are deleted on the way.
     */
    private void rebuild(final long end, final ProducerLoadReport report)
    {
        clearProducers();
        final long logStart = log.logStartOffset();
        while (!snapshots.isEmpty() && snapshots.getLong(0) < logStart)
        {
            // the batches between such a snapshot and the log start are gone: it cannot be brought up to date
            deleteSnapshot(0);
            report.snapshotsOutOfRange++;
        }
        long from = -1;
        while (!snapshots.isEmpty())
        {
            final int newest = snapshots.size() - 1;
            final long offset = snapshots.getLong(newest);
            if (offset > end)
            {
                deleteSnapshot(newest);
                forceDirectory();
                report.snapshotsOutOfRange++;
                continue;
            }
            final int code = readSnapshot(offset);
            if (ProducerSnapshotFile.VALID == code)
            {
                from = offset;
                // every batch the snapshot describes lies below its offset
                maxLastOffset = offset - 1;
                break;
            }
            clearProducers();
            report.snapshotsCorrupt++;
            report.corruptReason = ProducerSnapshotFile.file(dir, offset).getFileName() + ": " +
                (UNREADABLE == code ? "unreadable" : ProducerSnapshotFile.describe(code));
            deleteSnapshot(newest);
        }
        report.snapshotOffset = from;
        report.replayFromOffset = from >= 0 ? from : logStart;
        report.replayToOffset = end;
        replay.replay(log, report.replayFromOffset, end, this);
        report.batchesReplayed = replay.batches;
        report.producerBatchesReplayed = replay.producerBatches;
    }

    private int readSnapshot(final long offset)
    {
        final byte[] bytes;
        try
        {
            bytes = Files.readAllBytes(ProducerSnapshotFile.file(dir, offset));
        }
        catch (final IOException ex)
        {
            errorHandler.onError(ex);
            return UNREADABLE;
        }
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final int code = ProducerSnapshotFile.validate(buffer, bytes.length, offset);
        if (ProducerSnapshotFile.VALID == code)
        {
            ProducerSnapshotFile.restore(buffer, this);
        }
        return code;
    }

    private int sortProducers()
    {
        final int count = producers.size();
        if (sorted.length < count)
        {
            sorted = new ProducerEntry[Math.max(count, sorted.length * 2)];
        }
        int i = 0;
        for (final ProducerEntry entry : producers.values())
        {
            sorted[i++] = entry;
        }
        Arrays.sort(sorted, 0, count, BY_PRODUCER_ID);
        return count;
    }

    private void addSnapshotOffset(final long offset)
    {
        int index = snapshots.size();
        while (index > 0 && snapshots.getLong(index - 1) >= offset)
        {
            if (snapshots.getLong(index - 1) == offset)
            {
                return;
            }
            index--;
        }
        snapshots.addLong(index, offset);
    }

    private void deleteSnapshot(final int index)
    {
        deleteSnapshotFile(snapshots.removeAt(index));
    }

    /**
     * Make deletions durable. Needed where a deleted snapshot lies above the log end: if it came back after a
     * power loss, once the log had grown past it again with other batches, it would pass for their state.
     */
    private void forceDirectory()
    {
        try
        {
            DurableFiles.forceDirectory(dir);
        }
        catch (final IOException ex)
        {
            errorHandler.onError(ex);
        }
    }

    private void deleteSnapshotFile(final long offset)
    {
        try
        {
            Files.deleteIfExists(ProducerSnapshotFile.file(dir, offset));
        }
        catch (final IOException ex)
        {
            errorHandler.onError(ex);
        }
    }
}
