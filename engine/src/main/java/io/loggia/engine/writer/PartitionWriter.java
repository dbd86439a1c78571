package io.loggia.engine.writer;

import io.loggia.engine.agent.WakeSignal;
import io.loggia.engine.log.AppendInfo;
import io.loggia.engine.log.LogCodes;
import io.loggia.engine.log.LogSegment;
import io.loggia.engine.log.PartitionLog;
import io.loggia.engine.partition.Partition;
import io.loggia.engine.partition.PartitionTable;
import io.loggia.engine.partition.SegmentSpace;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.jctools.queues.MpscArrayQueue;

import java.nio.file.Path;

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
 *     timers                                             retention, flush.ms, recovery point over segments the
 *                                                        housekeeper forced, delayed deletes, producer expiry
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
    private final WriterCounters counters = new WriterCounters();
    private final EpochClock clock;
    private final ErrorHandler errorHandler;
    private final ErrorHandler countingErrors = this::onError;
    private final WakeSignal wakeSignal;
    private final WakeSignal housekeeperWake;
    private final long retentionCheckIntervalMs;
    private final long housekeeperWakeBytes;
    private final int readLimit;
    private final AgentLifecycle lifecycle = new AgentLifecycle();
    private final OwnedPartitions owned;
    private final Acknowledgements acknowledgements;
    private final CompletionSender completions;
    private final PartitionCommands partitionCommands;
    private final RetiredLogs retired = new RetiredLogs();

    private final AppendRequestFlyweight request = new AppendRequestFlyweight();
    private final AppendInfo info = new AppendInfo();
    private WriterCommand deferredCommand;
    private long nowMs;
    private long nextTimerMs;
    private long nextRetentionMs;
    private long nextProducerExpiryMs;
    private long bytesSinceHousekeeperWake;
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
        this.clock = context.clock;
        this.errorHandler = context.errorHandler;
        this.wakeSignal = context.wakeSignal;
        this.housekeeperWake = context.housekeeperWake;
        this.retentionCheckIntervalMs = context.retentionCheckIntervalMs;
        this.housekeeperWakeBytes = context.housekeeperWakeBytes;
        this.readLimit = context.readLimit;
        this.owned = new OwnedPartitions(context.writerIndex, context.table, context.gateSegments, countingErrors);
        this.acknowledgements = new Acknowledgements(context.callers, counters);
        this.completions = acknowledgements.completions();
        this.partitionCommands = new PartitionCommands(
            context.writerIndex, owned, acknowledgements, countingErrors, context.directoryDeletion, retired);
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

    /**
     * Any thread: give up waiting for space or for the housekeeper during a shutdown; the logs are closed with
     * whatever the ring still holds unread.
     */
    public void forceClose()
    {
        forceClose = true;
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
            workCount += owned.adoptNew();
            workCount += processCommands();
            workCount += completions.retryPending();
            workCount += readAppends();
            workCount += acknowledgements.commitAndAdvance(nowMs);
            workCount += processTimers();
            if (!retired.isEmpty())
            {
                workCount += retired.release();
            }
            completions.wakeCallers();
            wakeHousekeeperIfWanted();
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
    // Appends
    // ------------------------------------------------------------------------------------------------------

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
        final OwnedPartition o = owned.get(partitionId);
        if (null == o)
        {
            acknowledgements.fail(callerId, acks, correlation, partitionId, KafkaErrors.UNKNOWN_TOPIC_OR_PARTITION);
            return Action.CONTINUE;
        }
        try
        {
            return append(o, buffer, request.batchOffset(), request.batchLength(), callerId, acks, correlation);
        }
        catch (final Throwable ex)
        {
            onError(ex);
            acknowledgements.fail(callerId, acks, correlation, partitionId, KafkaErrors.UNKNOWN_SERVER_ERROR);
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
                acknowledgements.acknowledge(o, callerId, acks, correlation, producers.duplicateFirstOffset,
                    producers.duplicateLastOffset, appendTime);
                return Action.CONTINUE;
            }
            if (KafkaErrors.NONE != verdict)
            {
                acknowledgements.fail(callerId, acks, correlation, partition.id(), verdict);
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
            endWait(o);
        }
        // after a roll the new segment needs its first window
        owned.publishActive(o);
        if (LogCodes.OK != code)
        {
            acknowledgements.fail(callerId, acks, correlation, partition.id(), KafkaErrors.fromLogCode(code));
            return Action.CONTINUE;
        }

        counters.increment(WriterCounters.APPENDS);
        counters.add(WriterCounters.APPENDED_BYTES, batchLength);
        bytesSinceHousekeeperWake += batchLength;
        wakeAtLowWater(o);
        if (idempotent)
        {
            producers.onAppend(buffer, batchOffset, info.firstOffset, info.lastOffset, info.maxTimestamp);
        }
        if (info.rolled)
        {
            // Kafka snapshots producer state at each roll, so a restart replays at most the active segment
            producers.takeSnapshot(info.lastOffset + 1);
        }
        acknowledgements.acknowledge(o, callerId, acks, correlation, info.firstOffset, info.lastOffset,
            info.logAppendTimeMs);
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
        owned.publishActive(o);
        if (!o.awaitingSpace)
        {
            o.awaitingSpace = true;
            o.awaitingSinceNs = System.nanoTime();
            space.awaitSpace();
        }
        final int code = o.log.append(buffer, batchOffset, batchLength, o.partition.leaderEpoch(), nowMs, info);
        if (LogCodes.WRITABLE_LIMIT_REACHED != code)
        {
            endWait(o);
            return code;
        }
        if (space.isStorageFull() || forceClose)
        {
            return LogCodes.STORAGE_ERROR;
        }
        stalled = true;
        owned.wantHousekeeper();
        counters.increment(WriterCounters.WRITABLE_LIMIT_STALLS);
        return LogCodes.WRITABLE_LIMIT_REACHED;
    }

    private void endWait(final OwnedPartition o)
    {
        o.awaitingSpace = false;
        o.partition.space().spaceArrived();
        final long waitedNs = System.nanoTime() - o.awaitingSinceNs;
        counters.increment(WriterCounters.WRITABLE_LIMIT_WAITS);
        counters.add(WriterCounters.WRITABLE_LIMIT_WAIT_NS, waitedNs);
        counters.max(WriterCounters.WRITABLE_LIMIT_WAIT_MAX_NS, waitedNs);
    }

    /**
     * After an append into a gated segment: once less than half of what the housekeeper's last raise of the
     * writable limit left ahead remains, want the housekeeper, once per raise. The byte-count wake alone comes
     * every quarter of the full window, and a new partition's first windows are far smaller than that, so the
     * writer used to reach the limit and wait at it while the housekeeper was parked.
     */
    private void wakeAtLowWater(final OwnedPartition o)
    {
        final LogSegment active = o.log.activeSegment();
        final long limit = active.writableLimit();
        if (limit >= active.capacity())
        {
            return;
        }
        final long ahead = limit - active.size();
        if (limit != o.seenLimit || active != o.limitSegment)
        {
            o.limitSegment = active;
            o.seenLimit = limit;
            o.lowWater = ahead >> 1;
            o.lowWaterWoken = false;
        }
        else if (!o.lowWaterWoken && ahead <= o.lowWater)
        {
            o.lowWaterWoken = true;
            owned.wantHousekeeper();
            counters.increment(WriterCounters.LOW_WATER_WAKES);
        }
    }

    // ------------------------------------------------------------------------------------------------------
    // Commands and timers
    // ------------------------------------------------------------------------------------------------------

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
            if (WriterCommand.SHUTDOWN == command.type())
            {
                beginShutdown(command.callback());
            }
            else if (!partitionCommands.execute(command, nowMs))
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
        for (int i = 0, count = owned.count(); i < count; i++)
        {
            final OwnedPartition o = owned.at(i);
            final PartitionLog log = o.log;
            if (retentionDue)
            {
                workCount += applyRetention(o);
            }
            if (log.hasPendingSeals())
            {
                // cuts what rolled once the housekeeper is seen outside
                owned.publishActive(o);
            }
            // flush on roll: the housekeeper forced sealed segments; the recovery point follows
            log.advanceFlushedOverForcedSegments();
            if (o.flushConfigured && !o.durable)
            {
                log.flushIfDue(nowMs);
            }
            if (log.pendingDeleteCount() > 0)
            {
                owned.publishActive(o);
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
        owned.publishActive(o);
        return deleted;
    }

    private void wakeHousekeeperIfWanted()
    {
        if (owned.takeHousekeeperWanted() || bytesSinceHousekeeperWake >= housekeeperWakeBytes)
        {
            bytesSinceHousekeeperWake = 0;
            housekeeperWake.wake();
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

    /** Once the ring is drained up to the shutdown point: close every log, answer what can be, stop. */
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
        boolean housekeeperOut = true;
        for (int i = 0, count = owned.count(); i < count; i++)
        {
            housekeeperOut &= PartitionCommands.takeFromHousekeeper(owned.at(i));
        }
        if (!housekeeperOut && !forceClose)
        {
            return 1;
        }
        for (int i = owned.count() - 1; i >= 0; i--)
        {
            final OwnedPartition o = owned.at(i);
            o.partition.state(Partition.CLOSING);
            try
            {
                acknowledgements.closeLog(o);
                retired.add(o.log);
            }
            catch (final Throwable ex)
            {
                onError(ex);
            }
            o.partition.state(Partition.CLOSED);
            acknowledgements.signalClosed(o);
            owned.remove(o);
        }
        completions.retryPending();
        completions.dropPending();
        completions.wakeCallers();
        if (!retired.isEmpty() && !forceClose)
        {
            // a reader still inside a read of a closed log: the mappings go once it has left (a read is short)
            retired.release();
            if (!retired.isEmpty())
            {
                return 0;
            }
        }
        retired.abandon();
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
        return PartitionCommands.deleteDirectory(dir, errorHandler);
    }

    public String toString()
    {
        return roleName + "{partitions=" + owned.count() + ", pendingCompletions=" + completions.pendingCount() + '}';
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
