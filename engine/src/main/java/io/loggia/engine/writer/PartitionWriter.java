package io.loggia.engine.writer;

import io.loggia.engine.agent.WakeSignal;
import io.loggia.engine.log.AppendInfo;
import io.loggia.engine.log.LogCodes;
import io.loggia.engine.log.LogConfig;
import io.loggia.engine.log.PartitionLog;
import io.loggia.engine.partition.DataAvailableSignal;
import io.loggia.engine.partition.Partition;
import io.loggia.engine.partition.PartitionTable;
import io.loggia.engine.partition.SegmentSpace;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.jctools.queues.MpscArrayQueue;

import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The single writer of a set of partitions: it owns every mutable field of their logs, drains appends from its
 * {@code AppendRing} (an agrona {@link ManyToOneRingBuffer} that any number of callers offer into through their
 * {@link AppendProxy}) and answers each caller through its completion ring.
 * <pre>
 *   doWork():
 *     adopt partitions new in the PartitionTable         (its version moved)
 *     commands                                           close, delete, config, truncate, DeleteRecords, shutdown
 *     completions that did not fit last cycle            (while any wait, no append is read)
 *     appends from the ring                              up to readLimit; a full segment window stops the ring
 *     group commit, high watermarks, acks=all, waiters   flush dirty durable partitions once, then release
 *     timers                                             retention, flush.ms, delayed deletes, producer expiry
 *     wake callers and the housekeeper                   once each per cycle
 * </pre>
 * Acknowledgement rules: acks=0 gets no completion; acks=1 completes as soon as the append is published (in
 * durable mode, {@code flush.messages=1}, only after the group commit); acks=all waits in the partition's
 * {@link PendingAcks} until the high watermark passes the batch. On one node the high watermark follows the log
 * end offset, or the flushed offset in durable mode.
 * <p>
 * <b>Assumptions and Guarantees</b>
 * <ul>
 *     <li>One thread runs {@link #doWork()} (a runner's, or a test's by hand). Other threads reach the writer only
 *     through its ring ({@link #appendRing()}), {@link #offer(WriterCommand)} and {@link #wakeSignal()}.</li>
 *     <li>Partitions are found through the {@link PartitionTable}: a partition is fully built before it is
 *     published there, and an append that arrives before the writer noticed the new version adopts it on the
 *     spot (the ring's acquire orders the lookup after the caller's).</li>
 *     <li>Nothing is dropped: a full completion ring parks completions in a pending list and stops the ring
 *     until they drain; a segment window that is not prepared yet leaves the append in the ring (retried next
 *     cycle, after waking the housekeeper), unless the housekeeper reported the disk full, in which case the
 *     append fails with KAFKA_STORAGE_ERROR.</li>
 *     <li>The duty cycle allocates nothing in steady state. Unexpected exceptions go to the error handler and
 *     the {@link WriterCounters#ERRORS} counter; the thread carries on.</li>
 * </ul>
 */
public final class PartitionWriter implements Agent, ControlledMessageHandler
{
    /** Append requests read per duty cycle: the group-commit batch in durable mode. */
    public static final int DEFAULT_READ_LIMIT = 1024;
    static final int COMMAND_LIMIT = 64;
    static final long TIMER_TICK_MS = 50;
    /** Kafka's {@code producer.id.expiration.check.interval.ms}. */
    static final long PRODUCER_EXPIRY_CHECK_INTERVAL_MS = 600_000;
    static final long CLOSE_TIMEOUT_NS = 30_000_000_000L;

    private final int writerIndex;
    private final String roleName;
    private final ManyToOneRingBuffer appendRing;
    private final MpscArrayQueue<WriterCommand> commands;
    private final PartitionTable table;
    private final CallerRegistry callers;
    private final CompletionSender completions;
    private final WriterCounters counters = new WriterCounters();
    private final EpochClock clock;
    private final ErrorHandler errorHandler;
    private final WakeSignal wakeSignal;
    private final WakeSignal housekeeperWake;
    private final DirectoryDeletion directoryDeletion;
    private final boolean gateSegments;
    private final long retentionCheckIntervalMs;
    private final long housekeeperWakeBytes;
    private final int readLimit;
    private final AgentLifecycle lifecycle = new AgentLifecycle();

    private final Int2ObjectHashMap<OwnedPartition> owned = new Int2ObjectHashMap<>();
    private OwnedPartition[] ownedList = new OwnedPartition[16];
    private int ownedCount;
    private OwnedPartition[] dirty = new OwnedPartition[16];
    private int dirtyCount;
    private OwnedPartition[] advanced = new OwnedPartition[16];
    private int advancedCount;

    private final AppendRequestFlyweight request = new AppendRequestFlyweight();
    private final AppendInfo info = new AppendInfo();
    private WriterCommand deferredCommand;
    private int tableVersion = -1;
    private long nowMs;
    private long nextTimerMs;
    private long nextRetentionMs;
    private long nextProducerExpiryMs;
    private long bytesSinceHousekeeperWake;
    private boolean wakeHousekeeper;
    private boolean stalled;

    private boolean shutdownRequested;
    private long shutdownUntilPosition;
    private CommandCallback shutdownCallback = CommandCallback.NONE;
    private volatile boolean forceClose;

    public PartitionWriter(final Context context)
    {
        this.writerIndex = context.writerIndex;
        this.roleName = "loggia-writer-" + context.writerIndex;
        this.appendRing = context.appendRing;
        this.commands = new MpscArrayQueue<>(context.commandQueueCapacity);
        this.table = context.table;
        this.callers = context.callers;
        this.completions = new CompletionSender(context.callers, counters);
        this.clock = context.clock;
        this.errorHandler = context.errorHandler;
        this.wakeSignal = context.wakeSignal;
        this.housekeeperWake = context.housekeeperWake;
        this.directoryDeletion = context.directoryDeletion;
        this.gateSegments = context.gateSegments;
        this.retentionCheckIntervalMs = context.retentionCheckIntervalMs;
        this.housekeeperWakeBytes = context.housekeeperWakeBytes;
        this.readLimit = context.readLimit;
        final long now = clock.time();
        this.nextRetentionMs = now + retentionCheckIntervalMs;
        this.nextProducerExpiryMs = now + PRODUCER_EXPIRY_CHECK_INTERVAL_MS;
    }

    // ------------------------------------------------------------------------------------------------------
    // Any thread
    // ------------------------------------------------------------------------------------------------------

    public int writerIndex()
    {
        return writerIndex;
    }

    /** The ring callers' {@link AppendProxy} offers into. */
    public ManyToOneRingBuffer appendRing()
    {
        return appendRing;
    }

    /** What callers wake after offering; delegates to the idle strategy of the thread that runs this writer. */
    public WakeSignal wakeSignal()
    {
        return wakeSignal;
    }

    public WriterCounters counters()
    {
        return counters;
    }

    public AgentLifecycle lifecycle()
    {
        return lifecycle;
    }

    /**
     * Control plane, any thread: queue a command and wake the writer.
     *
     * @return false if the queue is full (retry later).
     */
    public boolean offer(final WriterCommand command)
    {
        if (!commands.offer(command))
        {
            return false;
        }
        wakeSignal.wake();
        return true;
    }

    // ------------------------------------------------------------------------------------------------------
    // Agent
    // ------------------------------------------------------------------------------------------------------

    public String roleName()
    {
        return roleName;
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
            counters.increment(WriterCounters.DUTY_CYCLES);
            workCount += adoptNewPartitions();
            workCount += processCommands();
            workCount += completions.retryPending();
            workCount += readAppends();
            workCount += commitAndAdvance();
            workCount += processTimers();
            completions.wakeCallers();
            wakeHousekeeperIfDue();
            if (shutdownRequested)
            {
                workCount += continueShutdown();
            }
        }
        catch (final Throwable ex)
        {
            onError(ex);
        }
        return workCount;
    }

    /**
     * Called by the runner's thread when it stops, or by the engine on its own thread for a writer no runner
     * started: finish the shutdown (drain the ring, flush and close every log) if it has not happened yet.
     */
    public void onClose()
    {
        if (!lifecycle.isClosed())
        {
            closeNow();
        }
    }

    /**
     * Any thread: give up waiting for space or for the housekeeper during a shutdown; the logs are closed with
     * whatever the ring still holds unread.
     */
    public void forceClose()
    {
        forceClose = true;
    }

    /**
     * Run the shutdown to its end on the calling thread, which must be the thread that drives the writer (or
     * the one that {@link AgentLifecycle#claim() claimed} it). After {@link #CLOSE_TIMEOUT_NS} of waiting (the
     * housekeeper gone while the ring still waits for space) it closes the logs without draining the rest.
     */
    public void closeNow()
    {
        beginShutdown(null);
        final long deadline = System.nanoTime() + CLOSE_TIMEOUT_NS;
        while (!lifecycle.isClosed())
        {
            if (0 == doWork())
            {
                if (System.nanoTime() - deadline > 0)
                {
                    forceClose = true;
                }
                Thread.yield();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------
    // Duty cycle
    // ------------------------------------------------------------------------------------------------------

    private int adoptNewPartitions()
    {
        final int version = table.version();
        if (version == tableVersion)
        {
            return 0;
        }
        tableVersion = version;
        int adopted = 0;
        for (final Partition partition : table.partitions())
        {
            if (null != partition && partition.writerIndex() == writerIndex && partition.isOpen() &&
                null == owned.get(partition.id()))
            {
                adopt(partition);
                adopted++;
            }
        }
        return adopted;
    }

    private OwnedPartition adopt(final Partition partition)
    {
        final OwnedPartition o = new OwnedPartition(partition, new IdempotenceCheck(partition.producerState(), errorHandler));
        partition.log().gateNewSegments(gateSegments);
        owned.put(partition.id(), o);
        if (ownedCount == ownedList.length)
        {
            final int capacity = ownedCount << 1;
            ownedList = Arrays.copyOf(ownedList, capacity);
            dirty = Arrays.copyOf(dirty, capacity);
            advanced = Arrays.copyOf(advanced, capacity);
        }
        ownedList[ownedCount++] = o;
        o.publishActive();
        wakeHousekeeper = true;
        return o;
    }

    private OwnedPartition ownedOrAdopt(final int partitionId)
    {
        final OwnedPartition o = owned.get(partitionId);
        if (null != o)
        {
            return o;
        }
        final Partition partition = table.get(partitionId);
        if (null != partition && partition.writerIndex() == writerIndex && partition.isOpen())
        {
            return adopt(partition);
        }
        return null;
    }

    private void removeOwned(final OwnedPartition o)
    {
        owned.remove(o.partition.id());
        for (int i = 0; i < ownedCount; i++)
        {
            if (ownedList[i] == o)
            {
                ownedList[i] = ownedList[--ownedCount];
                ownedList[ownedCount] = null;
                break;
            }
        }
    }

    private int processCommands()
    {
        int workCount = 0;
        while (workCount < COMMAND_LIMIT)
        {
            final WriterCommand command = null != deferredCommand ? deferredCommand : commands.poll();
            if (null == command)
            {
                break;
            }
            if (!execute(command))
            {
                // waits for the housekeeper to leave the partition; commands stay in order behind it
                deferredCommand = command;
                break;
            }
            deferredCommand = null;
            counters.increment(WriterCounters.COMMANDS);
            workCount++;
        }
        return workCount;
    }

    private int readAppends()
    {
        if (completions.hasPending() && !shutdownRequested)
        {
            return 0;
        }
        stalled = false;
        int read = appendRing.controlledRead(this, readLimit);
        if (read < readLimit && !stalled)
        {
            // one read stops at the end of the buffer; what wrapped to its start is read now, not next cycle
            read += appendRing.controlledRead(this, readLimit - read);
        }
        return read;
    }

    /**
     * One append request from the ring. Returns ABORT only when the active segment's window is not prepared
     * yet: the request stays in the ring and the ring is not read further this cycle.
     */
    public Action onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        if (AppendRequestFlyweight.MSG_TYPE_APPEND != msgTypeId)
        {
            onError(new IllegalStateException("unexpected message type " + msgTypeId + " in " + roleName + "'s ring"));
            return Action.CONTINUE;
        }
        final AppendRequestFlyweight request = this.request.wrap(buffer, index);
        final int partitionId = request.partitionId();
        final long correlation = request.correlation();
        final short acks = request.requiredAcks();
        final int callerId = request.callerId();
        final OwnedPartition o = ownedOrAdopt(partitionId);
        if (null == o)
        {
            fail(callerId, acks, correlation, partitionId, KafkaErrors.UNKNOWN_TOPIC_OR_PARTITION);
            return Action.CONTINUE;
        }
        try
        {
            return append(o, buffer, request.batchOffset(), request.batchLength(), callerId, acks, correlation);
        }
        catch (final Throwable ex)
        {
            onError(ex);
            fail(callerId, acks, correlation, partitionId, KafkaErrors.UNKNOWN_SERVER_ERROR);
            return Action.CONTINUE;
        }
    }

    private Action append(
        final OwnedPartition o,
        final DirectBuffer buffer,
        final int batchOffset,
        final int batchLength,
        final int callerId,
        final short acks,
        final long correlation)
    {
        final Partition partition = o.partition;
        final int partitionId = partition.id();
        final PartitionLog log = o.log;

        final IdempotenceCheck producers = o.producers;
        final boolean idempotent = producers.isIdempotent(buffer, batchOffset);
        if (idempotent)
        {
            final short verdict = producers.check(buffer, batchOffset, batchLength);
            if (IdempotenceCheck.DUPLICATE == verdict)
            {
                counters.increment(WriterCounters.DUPLICATES);
                final long appendTime = log.config().isLogAppendTime() ? producers.duplicateTimestamp : -1;
                acknowledge(o, callerId, acks, correlation, producers.duplicateFirstOffset,
                    producers.duplicateLastOffset, appendTime);
                return Action.CONTINUE;
            }
            if (KafkaErrors.NONE != verdict)
            {
                fail(callerId, acks, correlation, partitionId, verdict);
                return Action.CONTINUE;
            }
        }

        final AppendInfo info = this.info;
        int code = log.append(buffer, batchOffset, batchLength, partition.leaderEpoch(), nowMs, info);
        if (LogCodes.WRITABLE_LIMIT_REACHED == code)
        {
            code = awaitSpace(o, buffer, batchOffset, batchLength);
            if (LogCodes.WRITABLE_LIMIT_REACHED == code)
            {
                return Action.ABORT;
            }
        }
        else if (o.awaitingSpace)
        {
            o.awaitingSpace = false;
            partition.space().spaceArrived();
        }
        if (o.publishActive())
        {
            // a roll: the new segment needs its first window
            wakeHousekeeper = true;
        }
        if (LogCodes.OK != code)
        {
            fail(callerId, acks, correlation, partitionId, KafkaErrors.fromLogCode(code));
            return Action.CONTINUE;
        }

        counters.increment(WriterCounters.APPENDS);
        counters.add(WriterCounters.APPENDED_BYTES, batchLength);
        bytesSinceHousekeeperWake += batchLength;
        if (idempotent)
        {
            producers.onAppend(buffer, batchOffset, info.firstOffset, info.lastOffset, info.maxTimestamp);
        }
        if (info.rolled)
        {
            // Kafka snapshots producer state at each roll, so a restart replays at most the active segment
            producers.takeSnapshot(info.lastOffset + 1);
        }
        acknowledge(o, callerId, acks, correlation, info.firstOffset, info.lastOffset, info.logAppendTimeMs);
        return Action.CONTINUE;
    }

    /**
     * The append hit the writable limit. Announce the wait to the housekeeper, then try once more: a limit
     * raised between the first attempt and the announcement is seen now (the housekeeper stores the limit, then
     * loads the announcement). A full disk fails the append instead of waiting.
     */
    private int awaitSpace(final OwnedPartition o, final DirectBuffer buffer, final int batchOffset, final int batchLength)
    {
        final SegmentSpace space = o.partition.space();
        o.publishActive();
        if (!o.awaitingSpace)
        {
            o.awaitingSpace = true;
            space.awaitSpace();
        }
        final int code = o.log.append(buffer, batchOffset, batchLength, o.partition.leaderEpoch(), nowMs, info);
        if (LogCodes.WRITABLE_LIMIT_REACHED != code)
        {
            o.awaitingSpace = false;
            space.spaceArrived();
            return code;
        }
        if (space.isStorageFull() || forceClose)
        {
            return LogCodes.STORAGE_ERROR;
        }
        stalled = true;
        wakeHousekeeper = true;
        counters.increment(WriterCounters.WRITABLE_LIMIT_STALLS);
        return LogCodes.WRITABLE_LIMIT_REACHED;
    }

    private void acknowledge(
        final OwnedPartition o,
        final int callerId,
        final short acks,
        final long correlation,
        final long firstOffset,
        final long lastOffset,
        final long logAppendTime)
    {
        markDirty(o);
        if (0 == acks)
        {
            return;
        }
        if (1 == acks && !o.durable)
        {
            completions.send(callerId, correlation, o.partition.id(), KafkaErrors.NONE, firstOffset, logAppendTime,
                o.log.logStartOffset());
        }
        else
        {
            o.pendingAcks.add(lastOffset, correlation, callerId, firstOffset, logAppendTime);
        }
    }

    private void markDirty(final OwnedPartition o)
    {
        if (!o.dirty)
        {
            o.dirty = true;
            dirty[dirtyCount++] = o;
        }
    }

    private void fail(final int callerId, final short acks, final long correlation, final int partitionId, final short error)
    {
        counters.increment(WriterCounters.APPEND_ERRORS);
        if (0 != acks)
        {
            completions.send(callerId, correlation, partitionId, error, -1, -1, -1);
        }
    }

    /**
     * Group commit, then high watermarks: every partition appended to this cycle is flushed once if durable,
     * its high watermark advanced, its delayed acknowledgements released, and its fetch waiters signalled.
     */
    private int commitAndAdvance()
    {
        final int count = dirtyCount;
        if (0 == count)
        {
            return 0;
        }
        for (int i = 0; i < count; i++)
        {
            final OwnedPartition o = dirty[i];
            dirty[i] = null;
            o.dirty = false;
            if (Partition.CLOSED == o.partition.state())
            {
                continue;
            }
            if (o.durable)
            {
                groupCommit(o);
            }
            else if (o.flushConfigured)
            {
                o.log.flushIfDue(nowMs);
            }
            advanceHighWatermark(o);
        }
        dirtyCount = 0;
        signalFetchWaiters();
        return count;
    }

    private void groupCommit(final OwnedPartition o)
    {
        final PartitionLog log = o.log;
        counters.increment(WriterCounters.FLUSHES);
        if (LogCodes.OK != log.flush(Long.MAX_VALUE))
        {
            // what is not on disk is not acknowledged: those producers retry
            failAcksFrom(o, log.flushedOffset(), KafkaErrors.KAFKA_STORAGE_ERROR);
        }
    }

    private void advanceHighWatermark(final OwnedPartition o)
    {
        final PartitionLog log = o.log;
        // on one node the in-sync set is the leader alone: the high watermark follows what the leader holds, or
        // has on disk in durable mode; replication will take the minimum with the followers' positions here
        final long target = o.durable ? log.flushedOffset() : log.logEndOffset();
        if (log.advanceHighWatermark(target) && !o.advanced)
        {
            o.advanced = true;
            advanced[advancedCount++] = o;
        }
        releaseAcks(o, log.highWatermark());
    }

    private void releaseAcks(final OwnedPartition o, final long highWatermark)
    {
        final PendingAcks acks = o.pendingAcks;
        final int partitionId = o.partition.id();
        while (!acks.isEmpty() && acks.headLastOffset() < highWatermark)
        {
            completions.send(acks.headCallerId(), acks.headCorrelation(), partitionId, KafkaErrors.NONE,
                acks.headBaseOffset(), acks.headLogAppendTime(), o.log.logStartOffset());
            acks.removeHead();
        }
    }

    /** Fail the delayed acknowledgements of batches whose last offset is at or above {@code offset}. */
    private void failAcksFrom(final OwnedPartition o, final long offset, final short error)
    {
        final PendingAcks acks = o.pendingAcks;
        final int partitionId = o.partition.id();
        while (!acks.isEmpty() && acks.tailLastOffset() >= offset)
        {
            completions.send(acks.tailCallerId(), acks.tailCorrelation(), partitionId, error, -1, -1, -1);
            acks.removeTail();
        }
    }

    private void signalFetchWaiters()
    {
        final int count = advancedCount;
        if (0 == count)
        {
            return;
        }
        // the high watermarks were stored above; callers store their bit then load the high watermark
        VarHandle.fullFence();
        for (int i = 0; i < count; i++)
        {
            final OwnedPartition o = advanced[i];
            advanced[i] = null;
            o.advanced = false;
            signal(o.partition.takeFetchWaiters());
        }
        advancedCount = 0;
    }

    private void signal(final long waiters)
    {
        long mask = waiters;
        while (0 != mask)
        {
            final int callerId = Long.numberOfTrailingZeros(mask);
            mask &= mask - 1;
            final DataAvailableSignal signal = callers.signal(callerId);
            if (null != signal)
            {
                signal.signal();
                completions.markWake(callerId);
            }
        }
    }

    private int processTimers()
    {
        final long nowMs = this.nowMs;
        if (nowMs < nextTimerMs)
        {
            return 0;
        }
        nextTimerMs = nowMs + TIMER_TICK_MS;
        final boolean retentionDue = nowMs >= nextRetentionMs;
        if (retentionDue)
        {
            nextRetentionMs = nowMs + retentionCheckIntervalMs;
        }
        final boolean expiryDue = nowMs >= nextProducerExpiryMs;
        if (expiryDue)
        {
            nextProducerExpiryMs = nowMs + PRODUCER_EXPIRY_CHECK_INTERVAL_MS;
        }
        int workCount = 0;
        for (int i = 0; i < ownedCount; i++)
        {
            final OwnedPartition o = ownedList[i];
            final PartitionLog log = o.log;
            if (retentionDue)
            {
                workCount += applyRetention(o);
            }
            if (o.flushConfigured && !o.durable)
            {
                log.flushIfDue(nowMs);
            }
            if (log.pendingDeleteCount() > 0)
            {
                o.publishActive();
                // the segments to unmap are no longer published: once the housekeeper is seen outside, it
                // cannot be touching them
                if (o.partition.space().isHousekeeperOut())
                {
                    workCount += log.processDelayedDeletes(nowMs);
                }
            }
            if (expiryDue)
            {
                o.producers.removeExpired(nowMs);
            }
        }
        return workCount;
    }

    private int applyRetention(final OwnedPartition o)
    {
        final PartitionLog log = o.log;
        final long logStart = log.logStartOffset();
        final int deleted = log.applyRetention(nowMs);
        if (log.logStartOffset() != logStart)
        {
            o.producers.onLogStartOffset(log.logStartOffset());
        }
        if (o.publishActive())
        {
            wakeHousekeeper = true;
        }
        return deleted;
    }

    private void wakeHousekeeperIfDue()
    {
        if (wakeHousekeeper || bytesSinceHousekeeperWake >= housekeeperWakeBytes)
        {
            wakeHousekeeper = false;
            bytesSinceHousekeeperWake = 0;
            housekeeperWake.wake();
        }
    }

    // ------------------------------------------------------------------------------------------------------
    // Commands
    // ------------------------------------------------------------------------------------------------------

    /** @return false if the command must wait (the housekeeper is inside the partition); it is retried. */
    private boolean execute(final WriterCommand command)
    {
        try
        {
            switch (command.type())
            {
                case WriterCommand.UPDATE_CONFIG:
                    return updateConfig(command);
                case WriterCommand.CLOSE_PARTITION:
                case WriterCommand.DELETE_PARTITION:
                    return closePartition(command);
                case WriterCommand.TRUNCATE:
                    return truncate(command);
                case WriterCommand.DELETE_RECORDS:
                    return deleteRecords(command);
                case WriterCommand.TAKE_PRODUCER_SNAPSHOT:
                    return takeProducerSnapshot(command);
                case WriterCommand.SHUTDOWN:
                    beginShutdown(command.callback());
                    return true;
                default:
                    throw new IllegalArgumentException("unknown " + command);
            }
        }
        catch (final Throwable ex)
        {
            onError(ex);
            complete(command, KafkaErrors.UNKNOWN_SERVER_ERROR, -1);
            return true;
        }
    }

    private boolean updateConfig(final WriterCommand command)
    {
        final OwnedPartition o = ownedOrAdopt(command.partition().id());
        if (null == o)
        {
            complete(command, KafkaErrors.UNKNOWN_TOPIC_OR_PARTITION, -1);
            return true;
        }
        final LogConfig config = command.config();
        o.log.updateConfig(config);
        o.partition.config(config);
        o.applyConfig(config);
        complete(command, KafkaErrors.NONE, -1);
        return true;
    }

    private boolean closePartition(final WriterCommand command)
    {
        final Partition partition = command.partition();
        OwnedPartition o = owned.get(partition.id());
        if (null == o)
        {
            if (Partition.CLOSED == partition.state() || partition.writerIndex() != writerIndex)
            {
                complete(command, KafkaErrors.UNKNOWN_TOPIC_OR_PARTITION, -1);
                return true;
            }
            // created and closed before this writer noticed it: close it all the same
            o = new OwnedPartition(partition, new IdempotenceCheck(partition.producerState(), errorHandler));
        }
        o.published = null;
        partition.space().unpublish();
        if (!partition.space().isHousekeeperOut())
        {
            return false;
        }
        partition.state(Partition.CLOSING);
        removeOwned(o);
        final PartitionLog log = o.log;
        if (WriterCommand.CLOSE_PARTITION == command.type())
        {
            closeLog(o);
            partition.state(Partition.CLOSED);
            signalClosed(o);
            complete(command, KafkaErrors.NONE, -1);
            return true;
        }

        failAcksFrom(o, Long.MIN_VALUE, KafkaErrors.NOT_LEADER_OR_FOLLOWER);
        log.abandon();
        partition.state(Partition.CLOSED);
        signalClosed(o);
        final Path dir = log.dir();
        final Path renamed = dir.resolveSibling(
            partition.topicPartition().directoryName() + '.' + UUID.randomUUID().toString().replace("-", "") + "-delete");
        try
        {
            Files.move(dir, renamed, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException ex)
        {
            onError(ex);
            complete(command, KafkaErrors.KAFKA_STORAGE_ERROR, -1);
            return true;
        }
        if (null == directoryDeletion || !directoryDeletion.offer(renamed, partition, command.callback()))
        {
            complete(command, deleteDirectory(renamed, errorHandler) ? KafkaErrors.NONE : KafkaErrors.KAFKA_STORAGE_ERROR,
                -1);
        }
        return true;
    }

    /** Flush, move the high watermark to what is on disk, answer the delayed acks, snapshot, close. */
    private void closeLog(final OwnedPartition o)
    {
        final PartitionLog log = o.log;
        log.flush(Long.MAX_VALUE);
        log.advanceHighWatermark(o.durable ? log.flushedOffset() : log.logEndOffset());
        releaseAcks(o, log.highWatermark());
        failAcksFrom(o, Long.MIN_VALUE, KafkaErrors.KAFKA_STORAGE_ERROR);
        o.producers.takeSnapshot(log.logEndOffset());
        log.close();
    }

    /** Wake fetches parked on a partition that went away, so they answer now. */
    private void signalClosed(final OwnedPartition o)
    {
        VarHandle.fullFence();
        signal(o.partition.takeFetchWaiters());
    }

    private boolean truncate(final WriterCommand command)
    {
        final OwnedPartition o = owned.get(command.partition().id());
        if (null == o)
        {
            complete(command, KafkaErrors.UNKNOWN_TOPIC_OR_PARTITION, -1);
            return true;
        }
        final SegmentSpace space = o.partition.space();
        o.published = null;
        space.unpublish();
        if (!space.isHousekeeperOut())
        {
            return false;
        }
        final PartitionLog log = o.log;
        final long logStart = log.logStartOffset();
        final int code = log.truncateTo(command.offset(), nowMs);
        if (LogCodes.OK == code)
        {
            if (log.logStartOffset() != logStart || log.logEndOffset() == log.logStartOffset())
            {
                // below the log start the log restarted empty
                o.producers.truncateFullyAndStartAt(log.logEndOffset());
            }
            else
            {
                o.producers.truncateTo(log.logEndOffset());
            }
            failAcksFrom(o, log.logEndOffset(), KafkaErrors.NOT_LEADER_OR_FOLLOWER);
        }
        o.publishActive();
        wakeHousekeeper = true;
        complete(command, KafkaErrors.fromLogCode(code), log.logEndOffset());
        return true;
    }

    private boolean deleteRecords(final WriterCommand command)
    {
        final OwnedPartition o = owned.get(command.partition().id());
        if (null == o)
        {
            complete(command, KafkaErrors.UNKNOWN_TOPIC_OR_PARTITION, -1);
            return true;
        }
        final PartitionLog log = o.log;
        final int code = log.deleteRecordsBefore(command.offset(), nowMs);
        if (LogCodes.OK == code)
        {
            o.producers.onLogStartOffset(log.logStartOffset());
        }
        if (o.publishActive())
        {
            wakeHousekeeper = true;
        }
        complete(command, KafkaErrors.fromLogCode(code), log.logStartOffset());
        return true;
    }

    private boolean takeProducerSnapshot(final WriterCommand command)
    {
        final OwnedPartition o = owned.get(command.partition().id());
        if (null == o)
        {
            complete(command, KafkaErrors.UNKNOWN_TOPIC_OR_PARTITION, -1);
            return true;
        }
        o.producers.takeSnapshot(o.log.logEndOffset());
        complete(command, KafkaErrors.NONE, o.log.logEndOffset());
        return true;
    }

    private void complete(final WriterCommand command, final short errorCode, final long value)
    {
        try
        {
            command.callback().onComplete(command.partition(), errorCode, value);
        }
        catch (final Throwable ex)
        {
            onError(ex);
        }
    }

    // ------------------------------------------------------------------------------------------------------
    // Shutdown
    // ------------------------------------------------------------------------------------------------------

    private void beginShutdown(final CommandCallback callback)
    {
        if (null != callback)
        {
            shutdownCallback = callback;
        }
        if (!shutdownRequested)
        {
            shutdownRequested = true;
            // everything offered before this point is appended; later offers are the callers' to stop
            shutdownUntilPosition = appendRing.producerPosition();
        }
    }

    private int continueShutdown()
    {
        if (lifecycle.isClosed())
        {
            return 0;
        }
        if (!forceClose && (stalled || appendRing.consumerPosition() < shutdownUntilPosition || null != deferredCommand))
        {
            return 1;
        }
        for (int i = 0; i < ownedCount; i++)
        {
            final OwnedPartition o = ownedList[i];
            o.published = null;
            o.partition.space().unpublish();
        }
        for (int i = 0; i < ownedCount; i++)
        {
            if (!forceClose && !ownedList[i].partition.space().isHousekeeperOut())
            {
                return 1;
            }
        }
        for (int i = ownedCount - 1; i >= 0; i--)
        {
            final OwnedPartition o = ownedList[i];
            o.partition.state(Partition.CLOSING);
            try
            {
                closeLog(o);
            }
            catch (final Throwable ex)
            {
                onError(ex);
            }
            o.partition.state(Partition.CLOSED);
            signalClosed(o);
            removeOwned(o);
        }
        completions.retryPending();
        completions.dropPending();
        completions.wakeCallers();
        lifecycle.closed();
        try
        {
            shutdownCallback.onComplete(null, KafkaErrors.NONE, -1);
        }
        catch (final Throwable ex)
        {
            onError(ex);
        }
        return 1;
    }

    private void onError(final Throwable ex)
    {
        counters.increment(WriterCounters.ERRORS);
        try
        {
            errorHandler.onError(ex);
        }
        catch (final Throwable ignore)
        {
            // an error handler that throws must not stop the writer
        }
    }

    /** Delete a directory tree; false (and the error handler told) if anything remained. */
    public static boolean deleteDirectory(final Path dir, final ErrorHandler errorHandler)
    {
        try (Stream<Path> paths = Files.walk(dir))
        {
            final Path[] all = paths.sorted(Comparator.reverseOrder()).toArray(Path[]::new);
            for (final Path path : all)
            {
                Files.deleteIfExists(path);
            }
            return true;
        }
        catch (final IOException | RuntimeException ex)
        {
            errorHandler.onError(ex);
            return false;
        }
    }

    public String toString()
    {
        return roleName + "{partitions=" + ownedCount + ", pendingCompletions=" + completions.pendingCount() + '}';
    }

    /**
     * How to build a writer. The engine fills it from {@code EngineConfig}; tests fill it by hand.
     */
    public static final class Context
    {
        int writerIndex;
        ManyToOneRingBuffer appendRing;
        int commandQueueCapacity = 1024;
        PartitionTable table;
        CallerRegistry callers;
        EpochClock clock;
        ErrorHandler errorHandler;
        WakeSignal wakeSignal = WakeSignal.NONE;
        WakeSignal housekeeperWake = WakeSignal.NONE;
        DirectoryDeletion directoryDeletion;
        boolean gateSegments;
        long retentionCheckIntervalMs = 300_000;
        long housekeeperWakeBytes = 4L * 1024 * 1024;
        int readLimit = DEFAULT_READ_LIMIT;

        public Context writerIndex(final int writerIndex)
        {
            this.writerIndex = writerIndex;
            return this;
        }

        public Context appendRing(final ManyToOneRingBuffer appendRing)
        {
            this.appendRing = appendRing;
            return this;
        }

        public Context commandQueueCapacity(final int capacity)
        {
            this.commandQueueCapacity = capacity;
            return this;
        }

        public Context table(final PartitionTable table)
        {
            this.table = table;
            return this;
        }

        public Context callers(final CallerRegistry callers)
        {
            this.callers = callers;
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

        /** What callers wake after offering: the engine passes a signal it points at the runner's idle strategy. */
        public Context wakeSignal(final WakeSignal wakeSignal)
        {
            this.wakeSignal = wakeSignal;
            return this;
        }

        public Context housekeeperWake(final WakeSignal housekeeperWake)
        {
            this.housekeeperWake = housekeeperWake;
            return this;
        }

        public Context directoryDeletion(final DirectoryDeletion directoryDeletion)
        {
            this.directoryDeletion = directoryDeletion;
            return this;
        }

        /** New segments start with their writable limit at 0: the housekeeper prepares space ahead. */
        public Context gateSegments(final boolean gateSegments)
        {
            this.gateSegments = gateSegments;
            return this;
        }

        public Context retentionCheckIntervalMs(final long intervalMs)
        {
            this.retentionCheckIntervalMs = intervalMs;
            return this;
        }

        /** Wake the housekeeper after this many appended bytes even without a stall. */
        public Context housekeeperWakeBytes(final long bytes)
        {
            this.housekeeperWakeBytes = bytes;
            return this;
        }

        public Context readLimit(final int readLimit)
        {
            this.readLimit = readLimit;
            return this;
        }
    }
}
