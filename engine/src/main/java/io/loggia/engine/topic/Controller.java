package io.loggia.engine.topic;

import io.loggia.engine.Engine;
import io.loggia.engine.agent.WakeSignal;
import io.loggia.engine.log.LogConfig;
import io.loggia.engine.partition.Partition;
import io.loggia.engine.producer.ProducerIdManager;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.jctools.queues.MpscArrayQueue;
import org.jctools.queues.MpscUnboundedArrayQueue;

import java.util.ArrayDeque;
import java.util.Map;

/**
 * The agent that owns topic administration: creating and deleting topics, adding partitions, changing topic
 * configs, the broker's own topics ({@code __consumer_offsets}), and producer ids for InitProducerId. Network
 * threads reach it through {@link ControllerProxy}s (a JCTools MPSC queue of {@link ControllerOp}s) and get the
 * same ops back, answered, through their own response queues and wake signals. Everything else reads the result
 * of its work in the {@link TopicRegistry}, without asking it.
 * <pre>
 *   doWork():
 *     workCount += backlog.doWork();        partition deletes and config changes to the writers, their answers
 *     workCount += brokerRequests();        topics the broker itself wants (__consumer_offsets)
 *     workCount += drainCommands();         ops from network threads become jobs, in arrival order
 *     workCount += runJobs(nowNs);          the oldest job takes a bounded step; finished jobs are answered
 *     workCount += responder.wakeCallers(); one wake per network thread answered this cycle
 * </pre>
 * Jobs run one at a time in arrival order (a create that follows a delete of the same name sees the delete), and
 * a large topic is created {@link ControllerJob#PARTITIONS_PER_STEP} partitions per duty cycle, so the threads
 * that share this agent's thread keep running.
 * <p>
 * <b>Assumptions and Guarantees</b>: construct on the broker's start-up thread after the registry is loaded
 * ({@link TopicLoader}); then {@link #doWork()} and {@link #onClose()} run on the controller's thread, which
 * alone uses the engine's control plane, the config store and the producer id manager. {@link #newProxy},
 * {@link #requestTopic}, {@link #isReady()} and {@link #registry()} may be called from any thread.
 */
public final class Controller implements Agent
{
    public static final String ROLE_NAME = "loggia-controller";
    /** Default capacity of the command queue; a full queue is answered at the caller with a retriable error. */
    public static final int DEFAULT_COMMAND_QUEUE_CAPACITY = 1024;

    private static final int JOB_LIMIT = 64;
    private static final int STEPS_PER_CYCLE = 16;

    private final ControllerState state;
    private final ProducerIdManager producerIds;
    private final WakeSignal wakeSignal;
    private final MpscArrayQueue<ControllerOp> commands;
    private final MpscUnboundedArrayQueue<CreateTopicsOp> brokerRequests = new MpscUnboundedArrayQueue<>(16);
    private final ArrayDeque<ControllerJob> jobs = new ArrayDeque<>();
    private final ControllerResponder responder = new ControllerResponder();
    private volatile boolean ready;
    private boolean closed;

    /**
     * @param engine             the broker's engine, open, its partitions loaded.
     * @param registry           loaded with the topics on disk ({@link TopicLoader#load}).
     * @param configStore        the topics' overrides.
     * @param producerIds        opened on the log dir.
     * @param brokerDefaults     the broker-wide log config, the base of every topic's config.
     * @param defaultPartitions  {@code num.partitions}: partitions of a topic created without a count.
     * @param nodeId             this broker's node id, the only valid replica.
     * @param wakeSignal         wakes the thread this agent runs on; proxies call it after offering.
     * @param commandQueueCapacity capacity of the command queue.
     * @param errorHandler       I/O failures the controller survives.
     */
    public Controller(
        final Engine engine,
        final TopicRegistry registry,
        final TopicConfigStore configStore,
        final ProducerIdManager producerIds,
        final LogConfig brokerDefaults,
        final int defaultPartitions,
        final int nodeId,
        final WakeSignal wakeSignal,
        final int commandQueueCapacity,
        final ErrorHandler errorHandler)
    {
        this.state = new ControllerState(
            engine, registry, configStore, brokerDefaults, defaultPartitions, nodeId, errorHandler);
        this.producerIds = producerIds;
        this.wakeSignal = wakeSignal;
        this.commands = new MpscArrayQueue<>(commandQueueCapacity);
        for (final Topic topic : registry.topics())
        {
            for (int i = 0; i < topic.partitionCount(); i++)
            {
                final Partition partition = topic.partition(i);
                if (!topic.config().equals(partition.config()))
                {
                    state.backlog.startupConfig(partition, topic.config());
                }
            }
        }
        this.ready = state.backlog.startupDone();
    }

    /**
     * A handle for one caller thread (a network thread): its ops come back through its own queue, and
     * {@code callerWake} is called once per controller duty cycle that answered any of them.
     */
    public ControllerProxy newProxy(final WakeSignal callerWake)
    {
        return new ControllerProxy(commands, wakeSignal, new ControllerResponseChannel(callerWake));
    }

    /**
     * The broker's own request for a topic (the group coordinator's {@code __consumer_offsets}); internal names
     * are allowed. Asynchronous and idempotent: watch the registry for the topic. Any thread.
     */
    public void requestTopic(final String name, final int partitions, final Map<String, String> configs)
    {
        final CreateTopicsOp op = new CreateTopicsOp();
        op.internal = true;
        final CreateTopicsOp.Entry entry = op.add(name);
        entry.numPartitions = partitions;
        entry.configs.putAll(configs);
        brokerRequests.offer(op);
        wakeSignal.wake();
    }

    /**
     * Whether the topics' config overrides have been applied to the partitions loaded at start-up: until then a
     * partition may still run with the broker defaults, so the broker opens its network only afterwards. Any
     * thread.
     */
    public boolean isReady()
    {
        return ready;
    }

    /** Any thread. */
    public TopicRegistry registry()
    {
        return state.registry;
    }

    public String roleName()
    {
        return ROLE_NAME;
    }

    public int doWork()
    {
        if (closed)
        {
            return 0;
        }
        final long nowNs = System.nanoTime();
        int workCount = state.backlog.doWork();
        if (!ready && state.backlog.startupDone())
        {
            ready = true;
        }
        workCount += brokerRequests();
        workCount += drainCommands();
        workCount += runJobs(nowNs);
        workCount += responder.wakeCallers();
        return workCount;
    }

    /**
     * Answers the ops in progress and queued with BROKER_NOT_AVAILABLE (a job part way through rolls back what
     * it created), and sends what the backlog still holds to the writers as far as the budget allows: the
     * broker closes the engine next, which waits for nothing the controller owns.
     */
    public void onClose()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        ControllerJob job;
        while (null != (job = jobs.poll()))
        {
            job.abandon(TopicErrors.BROKER_NOT_AVAILABLE, "The broker is shutting down.");
            responder.respond(job.op);
        }
        ControllerOp op;
        while (null != (op = commands.poll()))
        {
            op.fail(TopicErrors.BROKER_NOT_AVAILABLE, "The broker is shutting down.");
            responder.respond(op);
        }
        state.backlog.doWork();
        responder.wakeCallers();
    }

    /** Partition commands not yet answered by their writers; for tests and metrics. Controller thread. */
    public int pendingPartitionCommands()
    {
        return state.backlog.pending();
    }

    /** Ops accepted and not yet answered. Controller thread. */
    public int pendingJobs()
    {
        return jobs.size();
    }

    private int brokerRequests()
    {
        int workCount = 0;
        CreateTopicsOp op;
        while (jobs.size() < JOB_LIMIT && null != (op = brokerRequests.relaxedPoll()))
        {
            workCount++;
            jobs.add(new CreateTopicsJob(state, op));
        }
        return workCount;
    }

    private int drainCommands()
    {
        int workCount = 0;
        ControllerOp op;
        while (jobs.size() < JOB_LIMIT && null != (op = commands.relaxedPoll()))
        {
            workCount++;
            jobs.add(newJob(op));
        }
        return workCount;
    }

    private ControllerJob newJob(final ControllerOp op)
    {
        switch (op.kind())
        {
            case ControllerOp.CREATE_TOPICS:
                return new CreateTopicsJob(state, (CreateTopicsOp)op);
            case ControllerOp.DELETE_TOPICS:
                return new DeleteTopicsJob(state, (DeleteTopicsOp)op);
            case ControllerOp.CREATE_PARTITIONS:
                return new CreatePartitionsJob(state, (CreatePartitionsOp)op);
            case ControllerOp.ALTER_CONFIGS:
                return new AlterConfigsJob(state, (AlterConfigsOp)op);
            case ControllerOp.INIT_PRODUCER_ID:
                return new InitProducerIdJob(producerIds, (InitProducerIdOp)op);
            default:
                throw new IllegalArgumentException("unknown controller op " + op);
        }
    }

    private int runJobs(final long nowNs)
    {
        int workCount = 0;
        for (int steps = 0; steps < STEPS_PER_CYCLE; steps++)
        {
            final ControllerJob job = jobs.peek();
            if (null == job)
            {
                break;
            }
            int stepWork;
            try
            {
                stepWork = job.step(nowNs);
            }
            catch (final RuntimeException ex)
            {
                state.errorHandler.onError(ex);
                job.abandon(TopicErrors.UNKNOWN_SERVER_ERROR, ex.toString());
                stepWork = 1;
            }
            workCount += stepWork;
            if (!job.isDone())
            {
                // a long job yields to the other agents of this thread; one waiting for a delete just waits
                break;
            }
            jobs.poll();
            responder.respond(job.op);
        }
        return workCount;
    }

    public String toString()
    {
        return "Controller{topics=" + state.registry.size() + ", jobs=" + jobs.size() + ", ready=" + ready + '}';
    }
}
