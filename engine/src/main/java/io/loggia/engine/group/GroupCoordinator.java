package io.loggia.engine.group;

import io.loggia.engine.agent.WakeSignal;
import io.loggia.engine.log.PartitionLog;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.EpochClock;
import org.jctools.queues.MpscArrayQueue;

import java.util.Map;

/**
 * The agent that owns every consumer group and committed offset (Kafka's classic group protocol). Network
 * threads reach it through {@link GroupCoordinatorProxy}s (a JCTools MPSC queue of {@link GroupOp}s) and get
 * the same ops back, answered, through their own response queues and wake signals. It writes its records into
 * {@code __consumer_offsets} through an {@link OffsetsLog} and answers a commit only once its record is in the
 * log (acks=-1); it rebuilds every group and offset from that topic when it starts.
 * <pre>
 *   doWork():
 *     workCount += offsetsTopic(nowMs);     ask for __consumer_offsets when wanted, notice it, load a chunk
 *     workCount += drainCommands(nowMs);    JoinGroup, SyncGroup, Heartbeat, ..., OffsetCommit, OffsetFetch
 *     workCount += timers.poll(nowMs);      session, join (rebalance / initial delay), sync, retention check
 *     workCount += writer.retryWaiting();   batches the writers' rings could not take before
 *     workCount += writer.pollCompletions(nowMs);   appended records: commits answered, groups stable
 *     writer.flush();                       wake the writers offered to
 *     workCount += responder.wakeCallers(); one wake per network thread answered this cycle
 * </pre>
 * <b>Assumptions and Guarantees</b>: {@link #onStart()}, {@link #doWork()} and {@link #onClose()} run on the
 * coordinator's thread, which alone touches the groups, timers, loader and writer. {@link #newProxy} may be
 * called from any thread before or after start (it only builds a response channel); proxies are used from
 * their callers' threads. Ops cross threads only through the queues, which publish their fields.
 */
public final class GroupCoordinator implements Agent
{
    public static final String ROLE_NAME = "group-coordinator";
    /** Default capacity of the command queue; a full queue answers COORDINATOR_NOT_AVAILABLE at the caller. */
    public static final int DEFAULT_COMMAND_QUEUE_CAPACITY = 8192;

    private static final System.Logger LOG = System.getLogger(GroupCoordinator.class.getName());
    private static final int COMMAND_LIMIT = 1024;

    private final GroupConfig config;
    private final EpochClock clock;
    private final OffsetsTopic offsetsTopic;
    private final WakeSignal wakeSignal;
    private final ErrorHandler errorHandler;
    private final MpscArrayQueue<GroupOp> commands;
    private final CoordinatorStatus status = new CoordinatorStatus();
    private final GroupRegistry registry = new GroupRegistry();
    private final GroupTimers timers = new GroupTimers();
    private final GroupResponder responder = new GroupResponder();
    private final OffsetsWriter writer;
    private final OffsetsLoader loader;
    private final GroupMembership membership;
    private final OffsetManager offsets;
    private final RetentionTimer retentionTimer = new RetentionTimer();
    private int nextPartitionToLoad = -1;
    private long loadStartNs;

    /**
     * @param config       the coordinator's settings.
     * @param clock        wall clock in ms: deadlines and record timestamps; tests pass a CachedEpochClock.
     * @param offsetsTopic the broker's view of {@code __consumer_offsets}.
     * @param offsetsLog   where records are appended ({@link AppendOffsetsLog} in production).
     * @param wakeSignal   wakes the thread this agent runs on; proxies call it after offering.
     * @param commandQueueCapacity capacity of the command queue (a power of two is used).
     * @param errorHandler receives records and batches that do not decode at load, and I/O errors reading.
     */
    public GroupCoordinator(
        final GroupConfig config,
        final EpochClock clock,
        final OffsetsTopic offsetsTopic,
        final OffsetsLog offsetsLog,
        final WakeSignal wakeSignal,
        final int commandQueueCapacity,
        final ErrorHandler errorHandler)
    {
        this.config = config;
        this.clock = clock;
        this.offsetsTopic = offsetsTopic;
        this.wakeSignal = wakeSignal;
        this.errorHandler = errorHandler;
        this.commands = new MpscArrayQueue<>(commandQueueCapacity);
        this.writer = new OffsetsWriter(offsetsLog);
        this.loader = new OffsetsLoader(config.offsetsLoadBufferSize(), errorHandler);
        this.membership = new GroupMembership(config, registry, timers, responder, writer);
        this.offsets = new OffsetManager(config, registry, responder, writer, membership);
    }

    /**
     * A handle for one caller thread (a network thread): its ops come back through its own queue, and
     * {@code callerWake} is called once per coordinator duty cycle that answered any of them.
     */
    public GroupCoordinatorProxy newProxy(final WakeSignal callerWake)
    {
        return new GroupCoordinatorProxy(commands, wakeSignal, status, new GroupResponseChannel(callerWake));
    }

    public String roleName()
    {
        return ROLE_NAME;
    }

    public void onStart()
    {
        checkOffsetsTopic(clock.time());
    }

    public int doWork()
    {
        final long nowMs = clock.time();
        int workCount = offsetsTopic(nowMs);
        workCount += drainCommands(nowMs);
        workCount += timers.poll(nowMs);
        workCount += writer.retryWaiting();
        workCount += writer.pollCompletions(nowMs);
        writer.flush();
        workCount += responder.wakeCallers();
        return workCount;
    }

    /** Answers every waiting and queued request with NOT_COORDINATOR / COORDINATOR_NOT_AVAILABLE. */
    public void onClose()
    {
        status.state(CoordinatorStatus.CLOSED);
        for (final ClassicGroup group : registry.all())
        {
            membership.onGroupRemoved(group, GroupErrors.NOT_COORDINATOR);
        }
        GroupOp op;
        while (null != (op = commands.poll()))
        {
            op.fail(GroupErrors.COORDINATOR_NOT_AVAILABLE);
            responder.respond(op);
        }
        responder.wakeCallers();
        loader.close();
        writer.close();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Introspection, for the broker's metrics and tests; coordinator thread.
    // ---------------------------------------------------------------------------------------------------------

    /** Groups held, Dead excluded. */
    public int groupCount()
    {
        return registry.size();
    }

    /** Whether every {@code __consumer_offsets} partition has been loaded. */
    public boolean isActive()
    {
        return status.state() == CoordinatorStatus.ACTIVE;
    }

    /** The earliest deadline of any group timer (ms since the epoch), or Long.MAX_VALUE. */
    public long nextDeadlineMs()
    {
        return timers.nextDeadlineMs();
    }

    /** Record batches offered or waiting and not yet completed. */
    public int outstandingAppends()
    {
        return writer.outstanding();
    }

    // ---------------------------------------------------------------------------------------------------------

    private int offsetsTopic(final long nowMs)
    {
        switch (status.state())
        {
            case CoordinatorStatus.OFFSETS_TOPIC_MISSING:
            case CoordinatorStatus.OFFSETS_TOPIC_CREATING:
                return checkOffsetsTopic(nowMs);
            case CoordinatorStatus.LOADING:
                return loadStep(nowMs);
            default:
                return 0;
        }
    }

    private int checkOffsetsTopic(final long nowMs)
    {
        final int partitions = offsetsTopic.partitionCount();
        if (partitions > 0)
        {
            registry.partitions(partitions);
            nextPartitionToLoad = 0;
            loadStartNs = System.nanoTime();
            status.state(CoordinatorStatus.LOADING);
            LOG.log(System.Logger.Level.INFO, "loading {0} partitions of {1}", partitions,
                GroupConfig.OFFSETS_TOPIC);
            return 1;
        }
        if (status.state() == CoordinatorStatus.OFFSETS_TOPIC_MISSING && status.offsetsTopicWanted())
        {
            LOG.log(System.Logger.Level.INFO, "creating {0} with {1} partitions", GroupConfig.OFFSETS_TOPIC,
                config.offsetsTopicPartitions());
            offsetsTopic.create(config.offsetsTopicPartitions(), config.offsetsTopicConfig());
            status.state(CoordinatorStatus.OFFSETS_TOPIC_CREATING);
            return 1;
        }
        return 0;
    }

    private int loadStep(final long nowMs)
    {
        if (loader.partition() != nextPartitionToLoad)
        {
            final PartitionLog log = offsetsTopic.partitionLog(nextPartitionToLoad);
            if (null == log)
            {
                // the broker announced a partition it does not have: serve it empty rather than stall every group
                errorHandler.onError(new IllegalStateException(
                    GroupConfig.OFFSETS_TOPIC + "-" + nextPartitionToLoad + " has no log; loaded as empty"));
            }
            registry.partitionState(nextPartitionToLoad, GroupRegistry.LOADING);
            loader.start(nextPartitionToLoad, log);
        }
        if (loader.step())
        {
            installLoaded(nextPartitionToLoad, nowMs);
            nextPartitionToLoad++;
            if (nextPartitionToLoad == registry.partitions())
            {
                status.state(CoordinatorStatus.ACTIVE);
                timers.schedule(retentionTimer, nowMs + config.offsetsRetentionCheckIntervalMs());
                LOG.log(System.Logger.Level.INFO, "loaded {0} groups from {1} in {2} ms", registry.size(),
                    GroupConfig.OFFSETS_TOPIC, (System.nanoTime() - loadStartNs) / 1_000_000);
            }
        }
        return 1;
    }

    private void installLoaded(final int partition, final long nowMs)
    {
        for (final Map.Entry<String, GroupMetadataValue> entry : loader.metadata().entrySet())
        {
            if (null != entry.getValue())
            {
                final ClassicGroup group = rebuild(entry.getKey(), partition, entry.getValue(), nowMs);
                registry.put(group);
                membership.onGroupLoaded(group, nowMs);
            }
        }
        for (final Map.Entry<String, GroupOffsets> entry : loader.offsets().entrySet())
        {
            if (entry.getValue().isEmpty())
            {
                continue;
            }
            ClassicGroup group = registry.get(entry.getKey());
            if (null == group)
            {
                // offsets without group metadata: a group that only stores offsets, or whose metadata was deleted
                group = new ClassicGroup(entry.getKey(), partition, nowMs);
                registry.put(group);
            }
            for (final GroupOffsets.Entry offset : entry.getValue().entries())
            {
                group.offsets.put(offset.topic(), offset.partition(), offset.value());
            }
        }
        registry.partitionState(partition, GroupRegistry.LOADED);
        if (loader.malformed() > 0)
        {
            LOG.log(System.Logger.Level.WARNING, "{0}-{1}: {2} records could not be read", GroupConfig.OFFSETS_TOPIC,
                partition, loader.malformed());
        }
    }

    private static ClassicGroup rebuild(
        final String groupId, final int partition, final GroupMetadataValue value, final long nowMs)
    {
        final ClassicGroup group = new ClassicGroup(groupId, partition, nowMs);
        group.generationId = value.generation;
        group.protocolType = value.protocolType.isEmpty() ? null : value.protocolType;
        group.protocolName = value.protocol;
        group.currentStateTimestamp = value.currentStateTimestamp;
        final String[] names = null == value.protocol ? new String[0] : new String[]{value.protocol};
        for (final GroupMetadataValue.Member stored : value.members)
        {
            final GroupMember member = new GroupMember(
                stored.memberId(),
                stored.groupInstanceId(),
                stored.clientId(),
                stored.clientHost(),
                stored.rebalanceTimeoutMs(),
                stored.sessionTimeoutMs(),
                group.protocolType,
                names,
                null == value.protocol ? new byte[0][] : new byte[][]{stored.subscription()});
            member.assignment = stored.assignment();
            group.add(member, null);
        }
        group.leaderId = value.members.isEmpty() ? null : value.leader;
        group.state = value.members.isEmpty() ? GroupState.EMPTY : GroupState.STABLE;
        group.subscribedTopics = group.computeSubscribedTopics();
        return group;
    }

    private int drainCommands(final long nowMs)
    {
        int count = 0;
        GroupOp op;
        while (count < COMMAND_LIMIT && null != (op = commands.poll()))
        {
            count++;
            if (status.state() < CoordinatorStatus.LOADING && !status.offsetsTopicWanted())
            {
                status.requestOffsetsTopic();
            }
            try
            {
                dispatch(op, nowMs);
            }
            catch (final RuntimeException ex)
            {
                errorHandler.onError(ex);
                if (null != op.replyTo)
                {
                    op.fail(GroupErrors.UNKNOWN_SERVER_ERROR);
                    responder.respond(op);
                }
            }
        }
        return count;
    }

    private void dispatch(final GroupOp op, final long nowMs)
    {
        switch (op.kind())
        {
            case GroupOp.JOIN_GROUP:
                membership.onJoin((JoinGroupOp)op, nowMs);
                break;
            case GroupOp.SYNC_GROUP:
                membership.onSync((SyncGroupOp)op, nowMs);
                break;
            case GroupOp.HEARTBEAT:
                membership.onHeartbeat((HeartbeatOp)op, nowMs);
                break;
            case GroupOp.LEAVE_GROUP:
                membership.onLeave((LeaveGroupOp)op, nowMs);
                break;
            case GroupOp.OFFSET_COMMIT:
                offsets.onCommit((OffsetCommitOp)op, nowMs);
                break;
            case GroupOp.OFFSET_FETCH:
                offsets.onFetch((OffsetFetchOp)op);
                break;
            case GroupOp.LIST_GROUPS:
                offsets.onListGroups((ListGroupsOp)op);
                break;
            case GroupOp.DESCRIBE_GROUPS:
                offsets.onDescribeGroups((DescribeGroupsOp)op);
                break;
            case GroupOp.DELETE_GROUPS:
                offsets.onDeleteGroups((DeleteGroupsOp)op, nowMs);
                break;
            case GroupOp.OFFSET_DELETE:
                offsets.onOffsetDelete((OffsetDeleteOp)op, nowMs);
                break;
            case GroupOp.TOPICS_DELETED:
                offsets.onTopicsDeleted((TopicsDeletedOp)op, nowMs);
                break;
            default:
                op.fail(GroupErrors.INVALID_REQUEST);
                responder.respond(op);
                break;
        }
    }

    private final class RetentionTimer extends GroupTimers.Timer
    {
        void onExpire(final long nowMs)
        {
            offsets.expire(nowMs);
            timers.schedule(this, nowMs + config.offsetsRetentionCheckIntervalMs());
        }
    }
}
