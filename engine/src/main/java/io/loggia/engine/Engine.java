package io.loggia.engine;

import io.loggia.engine.agent.WakeSignal;
import io.loggia.engine.housekeeping.Checkpoints;
import io.loggia.engine.housekeeping.Housekeeper;
import io.loggia.engine.log.CleanShutdownMarker;
import io.loggia.engine.log.LogConfig;
import io.loggia.engine.log.LogFiles;
import io.loggia.engine.log.LogLoader;
import io.loggia.engine.log.LogSegment;
import io.loggia.engine.log.OffsetCheckpointFile;
import io.loggia.engine.log.PartitionLog;
import io.loggia.engine.log.RecoveryReport;
import io.loggia.engine.log.TopicNames;
import io.loggia.engine.log.TopicPartition;
import io.loggia.engine.partition.DataAvailableSignal;
import io.loggia.engine.partition.Partition;
import io.loggia.engine.partition.PartitionTable;
import io.loggia.engine.producer.ProducerLoadReport;
import io.loggia.engine.producer.ProducerStateManager;
import io.loggia.engine.writer.AppendProxy;
import io.loggia.engine.writer.Caller;
import io.loggia.engine.writer.CallerRegistry;
import io.loggia.engine.writer.CommandCallback;
import io.loggia.engine.writer.DelegatingWakeSignal;
import io.loggia.engine.writer.KafkaErrors;
import io.loggia.engine.writer.PartitionWriter;
import io.loggia.engine.writer.WriterCommand;
import org.agrona.BufferUtil;
import org.agrona.ErrorHandler;
import org.agrona.collections.Object2LongHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The storage engine of one broker: the partitions in its log dir, the {@link PartitionWriter}s that own them and
 * the {@link Housekeeper} that prepares their space. The broker builds on it: its controller creates, deletes
 * and configures partitions here; its network threads {@link #registerCaller register} to append through
 * {@link AppendProxy} and read through {@link PartitionLog#read}.
 * <pre>
 *   open:   lock the log dir ──► read checkpoints and the clean-shutdown marker ──► load every partition
 *           (LogLoader, recovery reported; producer state: snapshot + replay) ──► HW = LEO (one node)
 *           ──► PartitionTable ──► delete the marker
 *   run:    the broker places agents() on threads and points each writer's wake signal at its thread
 *   close:  writers drain their rings, flush and close every log ──► housekeeper stops ──► checkpoints
 *           ──► clean-shutdown marker ──► unlock
 * </pre>
 * <b>Assumptions and Guarantees</b>
 * <ul>
 *     <li>{@link #createPartition}, {@link #deletePartition}, {@link #closePartition}, {@link #updateConfig},
 *     {@link #truncateTo}, {@link #deleteRecords}, {@link #registerCaller}, {@link #unregisterCaller} and
 *     {@link #close} are control-plane calls, from any thread, serialised on the engine; they never run on a
 *     writer's thread. Partition commands are carried out by the owning writer and answered through a
 *     {@link CommandCallback} on its thread.</li>
 *     <li>{@link #writerWakeSignal} and {@link #housekeeperWakeSignal} are set before the agents start.</li>
 *     <li>Before {@link #close} the broker stops its callers from offering appends (stop the network threads'
 *     request processing); whatever the rings hold when close begins is appended and acknowledged.</li>
 * </ul>
 */
public final class Engine implements AutoCloseable
{
    /** How long {@link #close} waits for writers on other threads before forcing them. */
    static final long CLOSE_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);
    static final long COMMAND_OFFER_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);
    static final String LOCK_FILE = ".lock";

    /**
     * Outcome of {@link #createPartition}.
     *
     * @param partition the new partition, null on error.
     * @param errorCode a {@link KafkaErrors} code.
     * @param message   why it failed, null on success.
     */
    public record Created(Partition partition, short errorCode, String message)
    {
        public boolean isOk()
        {
            return KafkaErrors.NONE == errorCode;
        }
    }

    private final EngineConfig config;
    private final Path logDir;
    private final CountingErrorHandler errorHandler;
    private final EpochClock clock;
    private final PartitionTable table = new PartitionTable();
    private final CallerRegistry callers = new CallerRegistry();
    private final PartitionWriter[] writers;
    private final ManyToOneRingBuffer[] appendRings;
    private final DelegatingWakeSignal[] writerWakes;
    private final DelegatingWakeSignal housekeeperWake = new DelegatingWakeSignal();
    private final Housekeeper housekeeper;
    private final boolean gateSegments;
    private final int[] partitionsPerWriter;
    private final List<Partition> loaded = new ArrayList<>();
    private final FileChannel lockChannel;
    private final FileLock lock;
    private long callerIdsInUse;
    private boolean closed;

    private Engine(
        final EngineConfig config,
        final ErrorHandler errorHandler,
        final EpochClock clock,
        final FileChannel lockChannel,
        final FileLock lock)
    {
        this.config = config;
        this.logDir = config.logDir().toAbsolutePath().normalize();
        this.errorHandler = new CountingErrorHandler(errorHandler);
        this.clock = clock;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.gateSegments = config.segmentPrepareBytes() > 0;
        final int writerCount = config.numWriterThreads();
        this.writers = new PartitionWriter[writerCount];
        this.appendRings = new ManyToOneRingBuffer[writerCount];
        this.writerWakes = new DelegatingWakeSignal[writerCount];
        this.partitionsPerWriter = new int[writerCount];
        for (int i = 0; i < writerCount; i++)
        {
            writerWakes[i] = new DelegatingWakeSignal();
            appendRings[i] = new ManyToOneRingBuffer(new UnsafeBuffer(BufferUtil.allocateDirectAligned(
                config.writerRingBytes() + RingBufferDescriptor.TRAILER_LENGTH, 64)));
        }
        this.housekeeper = new Housekeeper(new Housekeeper.Context()
            .table(table)
            .logDir(logDir)
            .prepareBytes(config.segmentPrepareBytes())
            .chunkBytes(config.segmentPrepareChunkBytes())
            .clock(clock)
            .errorHandler(this.errorHandler)
            .writerWakes(writerWakes)
            .wakeSignal(housekeeperWake)
            .recoveryCheckpointIntervalMs(config.flushOffsetCheckpointIntervalMs())
            .startOffsetCheckpointIntervalMs(config.flushStartOffsetCheckpointIntervalMs())
            .useNative(config.housekeeperNative()));
        for (int i = 0; i < writerCount; i++)
        {
            writers[i] = new PartitionWriter(new PartitionWriter.Context()
                .writerIndex(i)
                .appendRing(appendRings[i])
                .table(table)
                .callers(callers)
                .clock(clock)
                .errorHandler(this.errorHandler)
                .wakeSignal(writerWakes[i])
                .housekeeperWake(housekeeperWake)
                .directoryDeletion(housekeeper)
                .gateSegments(gateSegments)
                .retentionCheckIntervalMs(config.retentionCheckIntervalMs())
                .housekeeperWakeBytes(Math.max(64 * 1024, config.segmentPrepareBytes() / 4))
                .readLimit(config.writerReadLimit()));
        }
    }

    /** Open with Kafka's wall clock, logging errors and recoveries. */
    public static Engine open(final EngineConfig config) throws IOException
    {
        return open(config, LOGGING_ERRORS, EngineListener.LOGGING, SystemEpochClock.INSTANCE);
    }

    /**
     * Lock the log dir, load every partition in it (recovering after an unclean shutdown), and build the
     * writers and the housekeeper. Nothing runs until the broker places {@link #agents()} on threads.
     *
     * @param errorHandler receives I/O failures the engine survives, from any engine thread.
     * @param listener     hears each loaded partition's recovery report.
     * @param clock        wall clock for segment ages, retention and checkpoints.
     * @throws IOException if the log dir cannot be locked, listed or a partition cannot be loaded; nothing is
     *                     left open.
     */
    public static Engine open(
        final EngineConfig config,
        final ErrorHandler errorHandler,
        final EngineListener listener,
        final EpochClock clock) throws IOException
    {
        config.validate();
        final Path logDir = config.logDir().toAbsolutePath().normalize();
        Files.createDirectories(logDir);
        final FileChannel lockChannel = FileChannel.open(
            logDir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        final FileLock lock;
        try
        {
            lock = lockChannel.tryLock();
        }
        catch (final IOException | RuntimeException ex)
        {
            lockChannel.close();
            throw ex;
        }
        if (null == lock)
        {
            lockChannel.close();
            throw new IOException("log dir " + logDir + " is in use by another process");
        }
        final Engine engine = new Engine(config, errorHandler, clock, lockChannel, lock);
        try
        {
            engine.loadAll(listener);
        }
        catch (final IOException | RuntimeException ex)
        {
            engine.abandonAfterFailedOpen();
            throw ex;
        }
        return engine;
    }

    private void loadAll(final EngineListener listener) throws IOException
    {
        final boolean cleanShutdown = CleanShutdownMarker.exists(logDir);
        final Object2LongHashMap<TopicPartition> recoveryPoints =
            readCheckpoint(LogFiles.RECOVERY_POINT_CHECKPOINT_FILE);
        final Object2LongHashMap<TopicPartition> logStartOffsets =
            readCheckpoint(LogFiles.LOG_START_OFFSET_CHECKPOINT_FILE);
        final Object2LongHashMap<TopicPartition> highWatermarks =
            readCheckpoint(LogFiles.REPLICATION_OFFSET_CHECKPOINT_FILE);

        final List<Path> dirs = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(logDir))
        {
            for (final Path path : stream)
            {
                if (Files.isDirectory(path))
                {
                    dirs.add(path);
                }
            }
        }
        Collections.sort(dirs);
        final long nowMs = clock.time();
        final RecoveryReport report = new RecoveryReport();
        final ProducerLoadReport producerReport = new ProducerLoadReport();
        for (final Path dir : dirs)
        {
            final String name = dir.getFileName().toString();
            if (name.endsWith("-delete"))
            {
                // a delete that a crash interrupted: finished off the start-up path, as Kafka does
                if (!housekeeper.offer(dir, null, CommandCallback.NONE))
                {
                    PartitionWriter.deleteDirectory(dir, errorHandler);
                }
                continue;
            }
            final TopicPartition topicPartition = LogFiles.parsePartitionDirName(name);
            if (null == topicPartition)
            {
                listener.onIgnored(dir);
                continue;
            }
            final PartitionLog log = LogLoader.load(
                logDir,
                topicPartition,
                config.logDefaults(),
                cleanShutdown,
                Math.max(0, recoveryPoints.getValue(topicPartition)),
                Math.max(0, logStartOffsets.getValue(topicPartition)),
                highWatermarks.getValue(topicPartition) < 0 ? 0 : highWatermarks.getValue(topicPartition),
                nowMs,
                errorHandler,
                report);
            final ProducerStateManager producers = loadProducerState(log, nowMs, producerReport);
            final Partition partition = publish(topicPartition, null, log, producers);
            loaded.add(partition);
            listener.onPartitionLoaded(partition, report);
            listener.onProducerStateLoaded(partition, producerReport);
        }
        CleanShutdownMarker.delete(logDir);
    }

    private Object2LongHashMap<TopicPartition> readCheckpoint(final String fileName)
    {
        try
        {
            return OffsetCheckpointFile.read(logDir.resolve(fileName));
        }
        catch (final IOException ex)
        {
            // a damaged checkpoint costs a longer recovery scan, never data
            errorHandler.onError(ex);
            return new Object2LongHashMap<>(OffsetCheckpointFile.MISSING);
        }
    }

    private ProducerStateManager loadProducerState(
        final PartitionLog log, final long nowMs, final ProducerLoadReport report) throws IOException
    {
        try
        {
            return ProducerStateManager.load(
                log.dir(), log, config.producerIdExpirationMs(), nowMs, errorHandler, report);
        }
        catch (final IOException | RuntimeException ex)
        {
            log.close();
            throw ex;
        }
    }

    /** The log is loaded; raise its high watermark (one node), pick its writer and publish it. */
    private Partition publish(
        final TopicPartition topicPartition,
        final UUID topicId,
        final PartitionLog log,
        final ProducerStateManager producers)
    {
        // the in-sync set of a single node is the leader alone
        log.advanceHighWatermark(log.logEndOffset());
        int writerIndex = 0;
        for (int i = 1; i < partitionsPerWriter.length; i++)
        {
            if (partitionsPerWriter[i] < partitionsPerWriter[writerIndex])
            {
                writerIndex = i;
            }
        }
        partitionsPerWriter[writerIndex]++;
        final Partition partition =
            new Partition(topicPartition, topicId, table.allocateId(), writerIndex, log, producers, 0);
        table.add(partition);
        writerWakes[writerIndex].wake();
        housekeeperWake.wake();
        return partition;
    }

    // ------------------------------------------------------------------------------------------------------
    // Control plane
    // ------------------------------------------------------------------------------------------------------

    /**
     * Create a partition's directory and log and publish it to its writer.
     *
     * @param topicId may be null if the caller tracks ids itself; persisting {@code partition.metadata} is the
     *                controller's.
     * @return the partition, or {@link KafkaErrors#INVALID_TOPIC_EXCEPTION}, {@link KafkaErrors#INVALID_PARTITIONS},
     * {@link KafkaErrors#TOPIC_ALREADY_EXISTS} (this topic and index exist), {@link KafkaErrors#KAFKA_STORAGE_ERROR}
     * or {@link KafkaErrors#BROKER_NOT_AVAILABLE} (closed).
     */
    public synchronized Created createPartition(
        final String topic, final UUID topicId, final int index, final LogConfig logConfig)
    {
        if (closed)
        {
            return new Created(null, KafkaErrors.BROKER_NOT_AVAILABLE, "engine closed");
        }
        final int nameCheck = TopicNames.validate(topic);
        if (TopicNames.VALID != nameCheck)
        {
            return new Created(null, KafkaErrors.INVALID_TOPIC_EXCEPTION, TopicNames.describe(nameCheck));
        }
        if (index < 0)
        {
            return new Created(null, KafkaErrors.INVALID_PARTITIONS, "negative partition index " + index);
        }
        final TopicPartition topicPartition = new TopicPartition(topic, index);
        if (null != table.find(topicPartition))
        {
            return new Created(null, KafkaErrors.TOPIC_ALREADY_EXISTS, topicPartition + " exists");
        }
        final PartitionLog log;
        final ProducerStateManager producers;
        try
        {
            final long nowMs = clock.time();
            log = LogLoader.load(logDir, topicPartition, null == logConfig ? config.logDefaults() : logConfig,
                false, 0, 0, 0, nowMs, errorHandler, new RecoveryReport());
            producers = loadProducerState(log, nowMs, new ProducerLoadReport());
        }
        catch (final IOException | RuntimeException ex)
        {
            errorHandler.onError(ex);
            return new Created(null, KafkaErrors.KAFKA_STORAGE_ERROR, "creating " + topicPartition + ": " + ex);
        }
        if (gateSegments && Housekeeper.NATIVE_READY == housekeeper.nativeState())
        {
            // not published yet: the first segment waits for its first prepared window like any later one
            final LogSegment active = log.activeSegment();
            active.writableLimit(active.size());
        }
        return new Created(publish(topicPartition, topicId, log, producers), KafkaErrors.NONE, null);
    }

    /**
     * Delete a partition: it leaves the table now (new appends get UNKNOWN_TOPIC_OR_PARTITION); its writer
     * fails its pending acks=all with NOT_LEADER_OR_FOLLOWER, closes the log without flushing, renames the
     * directory {@code <topic>-<p>.<uuid>-delete} as Kafka does, and the housekeeper deletes the files.
     *
     * @param callback called once the files are gone, on the housekeeper's (or writer's) thread.
     * @return {@link KafkaErrors#NONE} if the delete is under way, {@link KafkaErrors#UNKNOWN_TOPIC_OR_PARTITION}
     * or {@link KafkaErrors#BROKER_NOT_AVAILABLE}.
     */
    public synchronized short deletePartition(final Partition partition, final CommandCallback callback)
    {
        return removePartition(partition, WriterCommand.deletePartition(partition, callback));
    }

    /**
     * Close a partition without deleting it (it leaves the table; its log is flushed and closed by its writer).
     *
     * @return as {@link #deletePartition}.
     */
    public synchronized short closePartition(final Partition partition, final CommandCallback callback)
    {
        return removePartition(partition, WriterCommand.closePartition(partition, callback));
    }

    private short removePartition(final Partition partition, final WriterCommand command)
    {
        if (closed)
        {
            return KafkaErrors.BROKER_NOT_AVAILABLE;
        }
        if (!table.remove(partition))
        {
            return KafkaErrors.UNKNOWN_TOPIC_OR_PARTITION;
        }
        partition.state(Partition.CLOSING);
        partitionsPerWriter[partition.writerIndex()]--;
        return offer(partition.writerIndex(), command);
    }

    /**
     * Apply a new config; the writer switches between appends and publishes it as {@link Partition#config()}.
     *
     * @return {@link KafkaErrors#NONE} if queued, {@link KafkaErrors#UNKNOWN_TOPIC_OR_PARTITION} or
     * {@link KafkaErrors#BROKER_NOT_AVAILABLE}.
     */
    public synchronized short updateConfig(
        final Partition partition, final LogConfig logConfig, final CommandCallback callback)
    {
        return partitionCommand(partition, WriterCommand.updateConfig(partition, logConfig, callback));
    }

    /** {@link #updateConfig(Partition, LogConfig, CommandCallback)} without a callback. */
    public short updateConfig(final Partition partition, final LogConfig logConfig)
    {
        return updateConfig(partition, logConfig, CommandCallback.NONE);
    }

    /**
     * Truncate a partition's log to {@code offset} (whole batches; replication and recovery use this).
     * The callback's value is the new log end offset.
     */
    public synchronized short truncateTo(final Partition partition, final long offset, final CommandCallback callback)
    {
        return partitionCommand(partition, WriterCommand.truncate(partition, offset, callback));
    }

    /**
     * DeleteRecords: raise the log start offset to {@code offset}. The callback gets OFFSET_OUT_OF_RANGE if it
     * is above the high watermark, and the new log start offset as its value.
     */
    public synchronized short deleteRecords(final Partition partition, final long offset, final CommandCallback callback)
    {
        return partitionCommand(partition, WriterCommand.deleteRecords(partition, offset, callback));
    }

    private short partitionCommand(final Partition partition, final WriterCommand command)
    {
        if (closed)
        {
            return KafkaErrors.BROKER_NOT_AVAILABLE;
        }
        if (!partition.isOpen() || table.get(partition.id()) != partition)
        {
            return KafkaErrors.UNKNOWN_TOPIC_OR_PARTITION;
        }
        return offer(partition.writerIndex(), command);
    }

    private short offer(final int writerIndex, final WriterCommand command)
    {
        final long deadline = System.nanoTime() + COMMAND_OFFER_TIMEOUT_NS;
        while (!writers[writerIndex].offer(command))
        {
            if (System.nanoTime() - deadline > 0)
            {
                return KafkaErrors.BROKER_NOT_AVAILABLE;
            }
            LockSupport.parkNanos(100_000);
        }
        return KafkaErrors.NONE;
    }

    /**
     * Give a calling thread (a network thread, the group coordinator) its proxy, completion ring and data
     * signal.
     *
     * @param wakeSignal the caller thread's wake-up: writers call it after answering or signalling it.
     * @throws IllegalStateException if {@link Partition#MAX_CALLERS} callers are registered.
     */
    public synchronized Caller registerCaller(final WakeSignal wakeSignal)
    {
        if (-1L == callerIdsInUse)
        {
            throw new IllegalStateException("at most " + Partition.MAX_CALLERS + " callers");
        }
        final int callerId = Long.numberOfTrailingZeros(~callerIdsInUse);
        callerIdsInUse |= 1L << callerId;
        final RingBuffer completionRing = new ManyToOneRingBuffer(new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            config.completionRingBytes() + RingBufferDescriptor.TRAILER_LENGTH, 64)));
        final DataAvailableSignal signal = new DataAvailableSignal(callerId, wakeSignal);
        callers.register(callerId, completionRing, signal);
        final AppendProxy proxy = new AppendProxy((short)callerId, appendRings, writerWakes);
        return new Caller(callerId, proxy, completionRing, signal, wakeSignal, callers, writerWakes);
    }

    /**
     * Forget a caller; completions still coming for it are dropped. Its id may be reused, so it must have no
     * appends in flight.
     */
    public synchronized void unregisterCaller(final Caller caller)
    {
        callers.unregister(caller.callerId());
        callerIdsInUse &= ~(1L << caller.callerId());
    }

    // ------------------------------------------------------------------------------------------------------
    // Threads
    // ------------------------------------------------------------------------------------------------------

    /**
     * The writers, then the housekeeper. The broker places them: in shared mode the writers run on the network
     * thread (a composite agent); the housekeeper always gets a thread of its own, never a writer's.
     */
    public List<Agent> agents()
    {
        final List<Agent> agents = new ArrayList<>(writers.length + 1);
        Collections.addAll(agents, writers);
        agents.add(housekeeper);
        return agents;
    }

    public PartitionWriter writer(final int writerIndex)
    {
        return writers[writerIndex];
    }

    public int writerCount()
    {
        return writers.length;
    }

    public Housekeeper housekeeper()
    {
        return housekeeper;
    }

    /** Before start: the wake-up of the thread that will run writer {@code writerIndex}. */
    public void writerWakeSignal(final int writerIndex, final WakeSignal wakeSignal)
    {
        writerWakes[writerIndex].target(wakeSignal);
    }

    /** Before start: the wake-up of the housekeeper's thread. */
    public void housekeeperWakeSignal(final WakeSignal wakeSignal)
    {
        housekeeperWake.target(wakeSignal);
    }

    // ------------------------------------------------------------------------------------------------------
    // Lookups
    // ------------------------------------------------------------------------------------------------------

    /** Every hosted partition by id; the network threads' index for the append and fetch paths. */
    public PartitionTable partitions()
    {
        return table;
    }

    /** Control plane: the partition of a topic and index, null if none. */
    public Partition partition(final String topic, final int index)
    {
        return TopicNames.VALID == TopicNames.validate(topic) && index >= 0 ?
            table.find(new TopicPartition(topic, index)) : null;
    }

    /**
     * The partitions found on disk at {@link #open}, in directory order, so the controller can rebuild its
     * topics from their names, indexes and directories ({@code partition.log().dir()}, where it keeps
     * {@code partition.metadata}).
     */
    public List<Partition> loadedPartitions()
    {
        return Collections.unmodifiableList(loaded);
    }

    public EngineConfig config()
    {
        return config;
    }

    public Path logDir()
    {
        return logDir;
    }

    /** Errors reported by any engine thread since open. */
    public long errorCount()
    {
        return errorHandler.count();
    }

    // ------------------------------------------------------------------------------------------------------
    // Shutdown
    // ------------------------------------------------------------------------------------------------------

    /**
     * Clean shutdown: each writer drains its ring, flushes and closes its logs (trimming segments and indexes),
     * then the housekeeper stops, the checkpoints are written and, if nothing failed, the clean-shutdown
     * marker, so the next open skips the recovery scan. Writers and a housekeeper no runner started are driven
     * to the end on this thread; those on runners are asked to and waited for, so close the engine before the
     * runners.
     */
    public void close()
    {
        synchronized (this)
        {
            if (closed)
            {
                return;
            }
            closed = true;
        }
        final long errorsBefore = errorHandler.count();
        final boolean[] claimed = new boolean[writers.length];
        for (int i = 0; i < writers.length; i++)
        {
            claimed[i] = writers[i].lifecycle().claim();
            offer(i, WriterCommand.shutdown(CommandCallback.NONE));
        }
        final boolean housekeeperClaimed = housekeeper.lifecycle().claim();
        final long deadline = System.nanoTime() + CLOSE_TIMEOUT_NS;
        boolean forced = false;
        while (!allWritersClosed())
        {
            if (forced && System.nanoTime() - deadline > CLOSE_TIMEOUT_NS)
            {
                // a writer nobody runs any more (its runner died or was closed without it): give up on it
                errorHandler.onError(new IllegalStateException("writers did not close; no clean-shutdown marker"));
                break;
            }
            int workCount = 0;
            for (int i = 0; i < writers.length; i++)
            {
                if (claimed[i])
                {
                    workCount += writers[i].doWork();
                }
            }
            if (housekeeperClaimed)
            {
                workCount += housekeeper.doWork();
            }
            if (!forced && System.nanoTime() - deadline > 0)
            {
                forced = true;
                for (final PartitionWriter writer : writers)
                {
                    writer.forceClose();
                    writer.wakeSignal().wake();
                }
            }
            if (0 == workCount)
            {
                LockSupport.parkNanos(50_000);
            }
        }
        housekeeper.requestShutdown();
        if (housekeeperClaimed)
        {
            housekeeper.doWork();
        }
        final long housekeeperDeadline = System.nanoTime() + CLOSE_TIMEOUT_NS;
        while (!housekeeper.lifecycle().isClosed() && System.nanoTime() - housekeeperDeadline < 0)
        {
            LockSupport.parkNanos(100_000);
        }

        boolean clean = !forced;
        try
        {
            Checkpoints.writeRecoveryPoints(logDir, table);
            Checkpoints.writeLogStartOffsets(logDir, table);
        }
        catch (final IOException ex)
        {
            errorHandler.onError(ex);
            clean = false;
        }
        if (clean && errorHandler.count() == errorsBefore && housekeeper.lifecycle().isClosed())
        {
            try
            {
                CleanShutdownMarker.write(logDir, 0);
            }
            catch (final IOException ex)
            {
                errorHandler.onError(ex);
            }
        }
        for (final Partition partition : table.list())
        {
            table.remove(partition);
        }
        releaseLock();
    }

    /**
     * Stop as a crash would, for recovery tests: the lock is released and the engine refuses further calls, but
     * nothing is flushed, trimmed, checkpointed or marked clean; logs stay mapped until the process ends. The
     * agents must not run any more.
     */
    synchronized void halt()
    {
        closed = true;
        releaseLock();
    }

    private boolean allWritersClosed()
    {
        for (final PartitionWriter writer : writers)
        {
            if (!writer.lifecycle().isClosed())
            {
                return false;
            }
        }
        return true;
    }

    private void abandonAfterFailedOpen()
    {
        for (final Partition partition : table.list())
        {
            partition.log().close();
        }
        releaseLock();
    }

    private void releaseLock()
    {
        try
        {
            lock.release();
            lockChannel.close();
        }
        catch (final IOException ex)
        {
            errorHandler.onError(ex);
        }
    }

    public String toString()
    {
        return "Engine{logDir=" + logDir + ", partitions=" + table.size() + ", writers=" + writers.length + '}';
    }

    private static final ErrorHandler LOGGING_ERRORS = (throwable) ->
        System.getLogger(Engine.class.getName()).log(System.Logger.Level.ERROR, "engine error", throwable);

    /** Counts what it passes on, so close can tell a clean shutdown from one that hit errors. */
    private static final class CountingErrorHandler implements ErrorHandler
    {
        private final ErrorHandler delegate;
        private final AtomicLong count = new AtomicLong();

        CountingErrorHandler(final ErrorHandler delegate)
        {
            this.delegate = delegate;
        }

        public void onError(final Throwable throwable)
        {
            count.incrementAndGet();
            delegate.onError(throwable);
        }

        long count()
        {
            return count.get();
        }
    }
}
