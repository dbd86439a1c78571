package io.loggia.engine.partition;

import io.loggia.engine.log.LogConfig;
import io.loggia.engine.log.PartitionLog;
import io.loggia.engine.log.TopicPartition;
import io.loggia.engine.producer.ProducerStateManager;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.UUID;

/**
 * One partition hosted by this broker: its identity, the {@link PartitionLog}, the writer that owns it, and
 * what other threads need to find it without asking the writer.
 * <pre>
 *   id            key in the {@link PartitionTable} and in every append request on a writer's ring
 *   writerIndex   the PartitionWriter that owns every mutable field of the log
 *   leaderEpoch   stamped into each appended batch (0 on a single node)
 *   config        the current LogConfig, replaced only by the owning writer
 *   fetchWaiters  bit i set: caller i parked a fetch here and wants a signal when the high watermark moves
 *   space         the writer / housekeeper handshake over the active segment's prepared space
 * </pre>
 * <b>Assumptions and Guarantees</b>
 * <ul>
 *     <li>A partition is fully built (log loaded, high watermark set) before it is published in the
 *     {@link PartitionTable}; the table's release store publishes every final field and the log's state.</li>
 *     <li>The owning writer thread changes {@link #config(LogConfig)}, {@link #leaderEpoch(int)} and the state to
 *     closed, and calls the log's writer-thread methods. Any thread reads them (volatile).</li>
 *     <li>Network threads call {@link #registerFetchWaiter(int)}; the owning writer calls
 *     {@link #takeFetchWaiters()} after advancing the high watermark. The mask is updated by atomic
 *     read-modify-write, so registrations from several callers are never lost.</li>
 *     <li>The controller assigns {@link #topicId(UUID)} once, for partitions found on disk at start-up.</li>
 * </ul>
 */
public final class Partition
{
    /** Appends are accepted. */
    public static final int OPEN = 0;
    /** Being closed or deleted: appends get UNKNOWN_TOPIC_OR_PARTITION (closed) or NOT_LEADER_OR_FOLLOWER. */
    public static final int CLOSING = 1;
    /** The log is closed; only offsets remain readable. */
    public static final int CLOSED = 2;

    /** Callers are identified by a bit in a long. */
    public static final int MAX_CALLERS = 64;

    private static final VarHandle FETCH_WAITERS_VH;

    static
    {
        try
        {
            FETCH_WAITERS_VH = MethodHandles.lookup().findVarHandle(Partition.class, "fetchWaiters", long.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final TopicPartition topicPartition;
    private final int id;
    private final int writerIndex;
    private final PartitionLog log;
    private final SegmentSpace space = new SegmentSpace();
    private final ProducerStateManager producerState;
    private volatile UUID topicId;
    private volatile int leaderEpoch;
    private volatile LogConfig config;
    private volatile int state = OPEN;
    @SuppressWarnings("unused") // accessed through FETCH_WAITERS_VH
    private long fetchWaiters;

    /**
     * @param topicId     null when not known yet (a partition loaded from disk before the controller read its
     *                    {@code partition.metadata}).
     * @param id          the global id appends carry; never reused while the process lives.
     * @param writerIndex   the owning writer.
     * @param producerState loaded with the log, handed to the owning writer with the partition; null: no
     *                      idempotent-producer tracking.
     */
    public Partition(
        final TopicPartition topicPartition,
        final UUID topicId,
        final int id,
        final int writerIndex,
        final PartitionLog log,
        final ProducerStateManager producerState,
        final int leaderEpoch)
    {
        this.topicPartition = Objects.requireNonNull(topicPartition);
        this.topicId = topicId;
        this.id = id;
        this.writerIndex = writerIndex;
        this.log = Objects.requireNonNull(log);
        this.producerState = producerState;
        this.leaderEpoch = leaderEpoch;
        this.config = log.config();
    }

    public TopicPartition topicPartition()
    {
        return topicPartition;
    }

    public String topic()
    {
        return topicPartition.topic();
    }

    /** The partition index within its topic. */
    public int index()
    {
        return topicPartition.partition();
    }

    /** Any thread; null until known. */
    public UUID topicId()
    {
        return topicId;
    }

    /** Control plane: the topic id read from {@code partition.metadata} for a partition loaded from disk. */
    public void topicId(final UUID topicId)
    {
        this.topicId = topicId;
    }

    /** The global id that append requests carry in their partition id field. */
    public int id()
    {
        return id;
    }

    /** Index of the owning writer: the {@code writerIndex} argument of {@code AppendProxy.offer}. */
    public int writerIndex()
    {
        return writerIndex;
    }

    /** Readable from any thread; its writer-thread methods belong to the owning writer only. */
    public PartitionLog log()
    {
        return log;
    }

    /** Owning writer thread only: the idempotent-producer state, null if not tracked. */
    public ProducerStateManager producerState()
    {
        return producerState;
    }

    /** Any thread. */
    public int leaderEpoch()
    {
        return leaderEpoch;
    }

    /** Owning writer thread (and the controller before the partition is published). */
    public void leaderEpoch(final int leaderEpoch)
    {
        this.leaderEpoch = leaderEpoch;
    }

    /** Any thread: the config the writer applies now. */
    public LogConfig config()
    {
        return config;
    }

    /** Owning writer thread: after {@link PartitionLog#updateConfig(LogConfig)}. */
    public void config(final LogConfig config)
    {
        this.config = config;
    }

    /** Any thread: {@link #OPEN}, {@link #CLOSING} or {@link #CLOSED}. */
    public int state()
    {
        return state;
    }

    public boolean isOpen()
    {
        return OPEN == state;
    }

    /** Control plane or owning writer: the state only moves forward. */
    public void state(final int state)
    {
        if (state > this.state)
        {
            this.state = state;
        }
    }

    /** The writer / housekeeper handshake over the active segment. */
    public SegmentSpace space()
    {
        return space;
    }

    /**
     * Network thread {@code callerId}: ask for a {@link DataAvailableSignal} when the high watermark next moves,
     * before parking a fetch. Returns the high watermark loaded after the registration is visible: if it is
     * already past what the fetch needs, answer now instead of parking (the registration then costs one
     * spurious signal later, which is harmless).
     *
     * @param callerId below {@link #MAX_CALLERS}.
     * @return the high watermark, loaded after the registration.
     */
    public long registerFetchWaiter(final int callerId)
    {
        FETCH_WAITERS_VH.getAndBitwiseOr(this, 1L << callerId);
        // the writer stores the high watermark then reads the mask; this side stores the mask then reads the
        // high watermark: a full fence on both sides means at least one of them sees the other's store
        VarHandle.fullFence();
        return log.highWatermark();
    }

    /** Any thread: the callers registered now, bit i for caller i. */
    public long fetchWaiters()
    {
        return (long)FETCH_WAITERS_VH.getVolatile(this);
    }

    /**
     * Owning writer thread, after advancing the high watermark and a full fence: clear and return the callers
     * to signal.
     */
    public long takeFetchWaiters()
    {
        if (0 == (long)FETCH_WAITERS_VH.getVolatile(this))
        {
            return 0;
        }
        return (long)FETCH_WAITERS_VH.getAndSet(this, 0L);
    }

    public String toString()
    {
        return "Partition{" + topicPartition + ", id=" + id + ", writer=" + writerIndex + ", state=" + state + '}';
    }
}
