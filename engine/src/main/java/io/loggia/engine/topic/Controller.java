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

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

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
 *     workCount += drainCommands();         ops from network threads become jobs; InitProducerId is answered
 *     workCount += runJobs(nowNs);          runnable jobs step round-robin for ~2 ms in all; done ones are answered
 *     workCount += responder.wakeCallers(); one wake per network thread answered this cycle
 * </pre>
 * A job waits for the jobs that arrived before it and change one of the same topic names (a create that follows a
 * delete of the same name sees the delete), and runs beside all others: a topic of thousands of partitions, which
 * takes tens of seconds to create, delays neither InitProducerId nor ops on other topics. A topic being created is
 * not in the registry until all its partitions exist, so ops that arrive meanwhile do not wait for it: they see
 * the topic absent, as a reader of the registry does (a create of the same name is TOPIC_ALREADY_EXISTS). Each
 * duty cycle first steps the jobs that have not started (most ops finish in their first step), then the others in
 * turn, starting after the one that stepped last, until {@link ControllerJob#STEP_BUDGET_NS} is spent (one step at
 * least), so the threads that share this agent's thread keep running. The command queue is read to the end every
 * cycle, however many jobs there are (their number is bounded by the network's request slots).
 * <pre>
 *   every op is answered by   min(its request's timeout_ms, 25 s)     REQUEST_TIMED_OUT if not done; a
 *                                                                     create goes on, other ops are not done
 *   a job blocked by another  gives up after 3 s                      REQUEST_TIMED_OUT, not done
 * </pre>
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

    private final ControllerState state;
    private final ProducerIdManager producerIds;
    private final WakeSignal wakeSignal;
    private final MpscArrayQueue<ControllerOp> commands;
    private final MpscUnboundedArrayQueue<CreateTopicsOp> brokerRequests = new MpscUnboundedArrayQueue<>(16);
    private final ArrayList<ControllerJob> jobs = new ArrayList<>();
    private final ArrayList<Set<String>> jobNames = new ArrayList<>();
    private int nextJob;
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
        workCount += drainCommands(nowNs);
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
        for (final ControllerJob job : jobs)
        {
            job.abandon(TopicErrors.BROKER_NOT_AVAILABLE, "The broker is shutting down.");
            if (!job.isAnswered())
            {
                responder.respond(job.op);
            }
        }
        jobs.clear();
        jobNames.clear();
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
        while (null != (op = brokerRequests.relaxedPoll()))
        {
            workCount++;
            accept(new CreateTopicsJob(state, op), Long.MAX_VALUE);
        }
        return workCount;
    }

    private int drainCommands(final long nowNs)
    {
        int workCount = 0;
        ControllerOp op;
        while (null != (op = commands.relaxedPoll()))
        {
            workCount++;
            if (ControllerOp.INIT_PRODUCER_ID == op.kind())
            {
                new InitProducerIdJob(producerIds, (InitProducerIdOp)op).step(nowNs, nowNs);
                responder.respond(op);
                continue;
            }
            accept(newJob(op), nowNs);
        }
        return workCount;
    }

    /**
     * Queue a job behind the earlier jobs that change a topic it names; creations block nobody (the topic is not
     * in the registry until they end).
     */
    private void accept(final ControllerJob job, final long nowNs)
    {
        final Set<String> names = new HashSet<>();
        final boolean named = job.names(names);
        for (int i = 0; i < jobs.size(); i++)
        {
            final ControllerJob earlier = jobs.get(i);
            final Set<String> earlierNames = jobNames.get(i);
            if (!(earlier instanceof CreateTopicsJob) &&
                (!named || null == earlierNames || !disjoint(names, earlierNames)))
            {
                job.blockedBy(earlier);
            }
        }
        if (Long.MAX_VALUE != nowNs)
        {
            final int timeoutMs = job.op.timeoutMs;
            final long waitNs = ControllerOp.NO_TIMEOUT == timeoutMs ? ControllerJob.MAX_ANSWER_WAIT_NS :
                Math.min(ControllerJob.MAX_ANSWER_WAIT_NS, TimeUnit.MILLISECONDS.toNanos(Math.max(0, timeoutMs)));
            job.deadlineNs = nowNs + waitNs;
            job.laneDeadlineNs = nowNs + Math.min(waitNs, ControllerJob.MAX_LANE_WAIT_NS);
        }
        jobs.add(job);
        jobNames.add(named ? names : null);
    }

    private static boolean disjoint(final Set<String> a, final Set<String> b)
    {
        final Set<String> small = a.size() <= b.size() ? a : b;
        final Set<String> large = small == a ? b : a;
        for (final String name : small)
        {
            if (large.contains(name))
            {
                return false;
            }
        }
        return true;
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
            default:
                throw new IllegalArgumentException("unknown controller op " + op);
        }
    }

    private int runJobs(final long nowNs)
    {
        final int count = jobs.size();
        if (0 == count)
        {
            return 0;
        }
        int workCount = 0;
        int finished = 0;
        // new jobs first, in at most half the budget: most finish in one step, and a stream of them cannot starve
        // the long ones
        final long freshStopNs = nowNs + ControllerJob.STEP_BUDGET_NS / 2;
        for (int i = 0; i < count && System.nanoTime() - freshStopNs < 0; i++)
        {
            final ControllerJob job = jobs.get(i);
            if (!job.isStarted() && !job.isDone() && job.isRunnable())
            {
                workCount += run(job, nowNs, freshStopNs);
                finished += job.isDone() ? 1 : 0;
            }
        }
        final long stopNs = nowNs + ControllerJob.STEP_BUDGET_NS;
        boolean stepped = false;
        final int first = nextJob < count ? nextJob : 0;
        for (int k = 0; k < count; k++)
        {
            final int index = (first + k) % count;
            final ControllerJob job = jobs.get(index);
            if (job.isDone() || !job.isRunnable())
            {
                continue;
            }
            if (stepped && System.nanoTime() - stopNs >= 0)
            {
                nextJob = index;
                break;
            }
            stepped = true;
            workCount += run(job, nowNs, stopNs);
            finished += job.isDone() ? 1 : 0;
            nextJob = index + 1;
        }
        for (int i = 0; i < count; i++)
        {
            final ControllerJob job = jobs.get(i);
            if (!job.isDone() && nowNs - job.laneDeadlineNs >= 0 && !job.isRunnable())
            {
                job.abandon(TopicErrors.REQUEST_TIMED_OUT,
                    "Timed out waiting for an earlier operation on the same topic.");
                finishJob(job);
                finished++;
                workCount++;
            }
        }
        if (finished > 0)
        {
            removeFinished();
        }
        return workCount;
    }

    /** One step of a runnable job; answers it when done, or when its deadline passed and it can answer early. */
    private int run(final ControllerJob job, final long nowNs, final long stopNs)
    {
        job.started();
        final int workCount = stepJob(job, nowNs, stopNs);
        if (job.isDone())
        {
            finishJob(job);
        }
        else if (!job.isAnswered() && nowNs - job.deadlineNs >= 0)
        {
            final ControllerOp caller = job.detach();
            if (null != caller)
            {
                job.answered();
                responder.respond(caller);
            }
        }
        return workCount;
    }

    private int stepJob(final ControllerJob job, final long nowNs, final long stopNs)
    {
        try
        {
            return job.step(nowNs, stopNs);
        }
        catch (final RuntimeException ex)
        {
            state.errorHandler.onError(ex);
            job.abandon(TopicErrors.UNKNOWN_SERVER_ERROR, ex.toString());
            return 1;
        }
    }

    private void finishJob(final ControllerJob job)
    {
        if (!job.isAnswered())
        {
            job.answered();
            responder.respond(job.op);
        }
    }

    /** Drops the finished jobs, keeping the arrival order and the turn of the job that was to step next. */
    private void removeFinished()
    {
        int kept = 0;
        int next = -1;
        for (int i = 0; i < jobs.size(); i++)
        {
            final ControllerJob job = jobs.get(i);
            if (!job.isDone())
            {
                if (-1 == next && i >= nextJob)
                {
                    next = kept;
                }
                jobs.set(kept, job);
                jobNames.set(kept, jobNames.get(i));
                kept++;
            }
        }
        for (int i = jobs.size() - 1; i >= kept; i--)
        {
            jobs.remove(i);
            jobNames.remove(i);
        }
        nextJob = -1 == next ? 0 : next;
    }

    public String toString()
    {
        return "Controller{topics=" + state.registry.size() + ", jobs=" + jobs.size() + ", ready=" + ready + '}';
    }
}
