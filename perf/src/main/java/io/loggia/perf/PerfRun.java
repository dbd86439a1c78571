package io.loggia.perf;

import io.loggia.perf.lean.LeanConsumer;
import io.loggia.perf.lean.LeanProducer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One load run against one broker: creates the topics, starts the consumers and waits until their groups hold
 * every partition, starts the producers, prints a progress line per second through warm-up and test, waits for the
 * consumers to receive every acknowledged message, then writes the results and deletes the topics.
 * A backlog-drain run instead produces its messages first and starts the consumers only when all are acknowledged.
 * <p>
 * <b>Assumptions and Guarantees.</b> {@link #execute()} runs on the calling (main) thread, which alone samples
 * metrics, writes files and prints. Each producer and consumer has its own thread; they share only the metrics,
 * the window, the subscriptions and their own counters, each of which documents its thread rules.
 * {@link #abort()} may be called from any thread (a shutdown hook): the run then stops early and still reports.
 */
public final class PerfRun
{
    private static final long TICK_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long START_DELAY_NS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long JOIN_TIMEOUT_MS = 30_000;
    private static final int CONNECT_TIMEOUT_MS = 3_000;
    private static final long FILL_POLL_NS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final RunOptions options;
    private final Workload workload;
    private final PrintStream out;
    private final RunClock clock = new RunClock();
    private final MeasurementWindow window = new MeasurementWindow();
    private final LatencyMetrics metrics = new LatencyMetrics();
    private final int runId;
    private final long seed;
    private final List<String> topics = new ArrayList<>();
    private final List<TopicLayout> layouts = new ArrayList<>();
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final List<LoadProducer> producers = new ArrayList<>();
    private final List<KafkaProducer<byte[], byte[]>> producerClients = new ArrayList<>();
    private final List<LoadConsumer> consumers = new ArrayList<>();
    private final List<Thread> producerThreads = new ArrayList<>();
    private final List<Thread> consumerThreads = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final CostTracker cost;
    private final Progress progress;
    private volatile boolean aborted;
    private Path outDir;
    private HistogramLogs logs;
    private Instant startedAt;
    private long producersStartNs;
    private long fillEndNs;
    private long drainStartNs;
    private boolean drained;

    /**
     * @param options  broker, label, output.
     * @param workload what to run; validated here.
     * @param out      where progress and the summary go.
     */
    public PerfRun(final RunOptions options, final Workload workload, final PrintStream out)
    {
        workload.validate();
        this.options = options;
        this.workload = workload;
        this.out = out;
        final SplittableRandom random = new SplittableRandom();
        this.runId = random.nextInt(1, Integer.MAX_VALUE);
        this.seed = random.nextLong();
        this.cost = new CostTracker(options.brokerPid, ProcessHandle.current().pid());
        this.progress = new Progress(workload, metrics, cost, out, options.quiet);
    }

    /**
     * Run to completion.
     *
     * @return the result document, as written to {@code result.json}.
     * @throws Exception when the topics cannot be created or the output cannot be written.
     */
    public Map<String, Object> execute() throws Exception
    {
        requireReachable(options.bootstrapServers);
        startedAt = Instant.now();
        outDir = options.outDir != null ? options.outDir : defaultOutDir();
        Files.createDirectories(outDir);
        cost.start(clock.nanoTime());
        if (options.brokerPid != CostTracker.NO_PID && !cost.hasBroker())
        {
            warn("cannot read /proc/" + options.brokerPid + ": broker CPU and memory are not reported");
        }
        out.println("# loggia perf  " + options.label + " @ " + options.bootstrapServers + "  " + startedAt);
        out.println("# " + workload.describe() + "; producer client " + options.producerClient.label() +
            ", consumer client " + options.consumerClient.label());
        out.println("# results: " + outDir);

        final String prefix = options.topicPrefix != null ? options.topicPrefix :
            "perf-" + Integer.toHexString(runId);
        for (int t = 0; t < workload.topics(); t++)
        {
            topics.add(prefix + "-" + t);
        }
        // The AdminClient is closed while the load runs: its metadata refreshes would add to the measured work.
        try (TopicAdmin admin = new TopicAdmin(options.bootstrapServers, options.commonProperties))
        {
            final List<String> existing = admin.create(
                topics, workload.partitionsPerTopic(), workload.replicationFactor(), options.topicPrefix != null);
            if (!existing.isEmpty())
            {
                warn("reusing existing topics " + existing + "; records of earlier runs are counted as foreign");
            }
            if (options.producerClient == ClientKind.LEAN || options.consumerClient == ClientKind.LEAN)
            {
                layouts.addAll(admin.describe(topics));
            }
        }
        try
        {
            logs = new HistogramLogs(outDir, metrics.list(), startedAt.toEpochMilli());
            try
            {
                createClients();
                if (workload.isBacklogDrain())
                {
                    runBacklogDrain();
                }
                else
                {
                    runSteady();
                }
            }
            finally
            {
                stopAll();
                cost.sample(sampleAndLog(drainStartNs > 0 || !workload.isBacklogDrain() ? "drain" : "fill"));
                logs.close();
            }
            final Map<String, Object> result = RunResult.build(this);
            RunOutput.write(outDir, result, out);
            return result;
        }
        finally
        {
            if (!options.keepTopics)
            {
                deleteTopics();
            }
        }
    }

    /** Stop early from another thread; {@link #execute()} still writes what it has. */
    public void abort()
    {
        aborted = true;
    }

    private void runSteady()
    {
        startConsumers();
        awaitAssignment();
        producersStartNs = clock.nanoTime() + START_DELAY_NS;
        final long measureStartNs = producersStartNs + TimeUnit.SECONDS.toNanos(workload.warmupSeconds());
        final long measureEndNs = measureStartNs + TimeUnit.SECONDS.toNanos(workload.testSeconds());
        window.set(measureStartNs, measureEndNs);
        startInterval();
        startProducers(measureEndNs, Long.MAX_VALUE);
        progress.begin(producersStartNs);

        long tickNs = producersStartNs;
        while (!aborted && !(allProducersDone() && tickNs >= measureEndNs))
        {
            tickNs += TICK_NS;
            awaitTick(tickNs);
            final String phase = tickNs - TICK_NS < measureStartNs ? "warmup" :
                tickNs - TICK_NS < measureEndNs ? "test" : "drain";
            tick(phase);
        }
        drainStartNs = clock.nanoTime();
        awaitDelivery(tickNs);
    }

    private void runBacklogDrain()
    {
        producersStartNs = clock.nanoTime() + START_DELAY_NS;
        window.set(producersStartNs, Long.MAX_VALUE);
        startInterval();
        startProducers(Long.MAX_VALUE, workload.backlogMessages() / workload.producerCount());
        progress.begin(producersStartNs);

        long tickNs = producersStartNs;
        while (!aborted && !allProducersDone())
        {
            tickNs += TICK_NS;
            // Wake as soon as the producers finish, so the drain starts (and is timed) without waiting for a tick.
            while (!aborted && !allProducersDone() && clock.nanoTime() < tickNs)
            {
                LockSupport.parkNanos(Math.min(FILL_POLL_NS, tickNs - clock.nanoTime()));
            }
            tick("fill");
        }
        for (final LoadProducer producer : producers)
        {
            fillEndNs = Math.max(fillEndNs, producer.doneNs());
        }
        if (aborted)
        {
            return;
        }
        drainStartNs = clock.nanoTime();
        startConsumers();
        awaitDelivery(drainStartNs);
    }

    private void awaitDelivery(final long fromTickNs)
    {
        final long deadlineNs = clock.nanoTime() + TimeUnit.SECONDS.toNanos(options.drainTimeoutSeconds);
        long tickNs = fromTickNs;
        drained = delivered();
        while (!aborted && !drained && clock.nanoTime() < deadlineNs && consumersAlive())
        {
            tickNs += TICK_NS;
            awaitTick(Math.min(tickNs, deadlineNs));
            drained = delivered();
            tick("drain");
        }
        drained = drained || delivered();
        if (!drained && workload.subscriptionsPerTopic() > 0)
        {
            warn("consumers had not received every acknowledged message when the run ended " +
                (aborted ? "(aborted)" : "(drain timeout " + options.drainTimeoutSeconds + " s)"));
        }
    }

    private void tick(final String phase)
    {
        final long nowNs = sampleAndLog(phase);
        cost.sample(nowNs);
        final Tick tick = new Tick();
        tick.atNs = nowNs;
        tick.phase = phase;
        for (final LoadProducer producer : producers)
        {
            tick.sent += producer.sent();
            tick.acked += producer.acked();
            tick.errors += producer.errors();
        }
        for (final LoadConsumer consumer : consumers)
        {
            tick.consumed += consumer.received();
            tick.consumedBytes += consumer.receivedBytes();
        }
        progress.onTick(tick);
    }

    /** Start the first logged interval now: the recorders were created, and started their intervals, earlier. */
    private void startInterval()
    {
        for (final LatencyMetric metric : metrics.list())
        {
            metric.sampleInterval();
        }
    }

    private long sampleAndLog(final String phase)
    {
        for (final LatencyMetric metric : metrics.list())
        {
            metric.sampleInterval();
        }
        logs.writeIntervals(phase);
        return clock.nanoTime();
    }

    private void createClients()
    {
        int producerIndex = 0;
        for (int t = 0; t < workload.topics(); t++)
        {
            final String topic = topics.get(t);
            for (int s = 0; s < workload.subscriptionsPerTopic(); s++)
            {
                final Subscription subscription = new Subscription(topic, "perf-" + Integer.toHexString(runId) + "-" +
                    t + "-sub-" + s, workload.partitionsPerTopic(), producerIndex, workload.producersPerTopic());
                subscriptions.add(subscription);
                for (int c = 0; c < workload.consumersPerSubscription(); c++)
                {
                    final String clientId = "perf-consumer-" + t + "-" + s + "-" + c;
                    final ReceivedRecords received =
                        new ReceivedRecords(subscription, runId, window, metrics, !workload.isBacklogDrain());
                    final LoadConsumer worker;
                    if (options.consumerClient == ClientKind.LEAN)
                    {
                        final TopicLayout layout = layouts.get(t);
                        worker = new LeanConsumer(layout.leaderHost(), layout.leaderPort(), subscription, c,
                            workload.consumersPerSubscription(), clock, received);
                    }
                    else
                    {
                        final KafkaConsumer<byte[], byte[]> client =
                            new KafkaConsumer<>(ClientProperties.consumer(options, subscription.groupId(), clientId));
                        worker = new ConsumerWorker(subscription, client, clock, received);
                    }
                    consumers.add(worker);
                    consumerThreads.add(new Thread(worker, clientId));
                }
            }
            for (int p = 0; p < workload.producersPerTopic(); p++)
            {
                if (options.producerClient == ClientKind.KAFKA)
                {
                    final String clientId = "perf-producer-" + producerIndex;
                    producerClients.add(new KafkaProducer<>(ClientProperties.producer(options, workload, clientId)));
                }
                producerIndex++;
            }
        }
    }

    private void startProducers(final long endNs, final long messagesPerProducer)
    {
        final int producerCount = workload.producerCount();
        final double perProducerRate = (double)workload.producerRate() / producerCount;
        for (int i = 0; i < producerCount; i++)
        {
            final SendSchedule schedule;
            if (workload.producerRate() == Workload.MAX_RATE)
            {
                schedule = null;
            }
            else
            {
                // Producers are offset by a fraction of their interval so together they send evenly spaced.
                final long offsetNs = (long)(1e9 / perProducerRate * i / producerCount);
                schedule = new SendSchedule(producersStartNs + offsetNs, perProducerRate);
            }
            final long limit = i == 0 && messagesPerProducer != Long.MAX_VALUE ?
                messagesPerProducer + workload.backlogMessages() % producerCount : messagesPerProducer;
            final int topicIndex = i / workload.producersPerTopic();
            final LoadProducer worker;
            if (options.producerClient == ClientKind.LEAN)
            {
                worker = new LeanProducer(i, runId, layouts.get(topicIndex), workload, clock, window, metrics,
                    options.idleMode, schedule, endNs, limit, seed + i);
            }
            else
            {
                final PacedLoop loop = new PacedLoop(clock, options.idleMode, schedule, endNs, limit);
                worker = new ProducerWorker(i, runId, topics.get(topicIndex), producerClients.get(i), loop, workload,
                    clock, window, metrics, seed + i);
            }
            producers.add(worker);
            final Thread thread = new Thread(worker, "perf-producer-" + i);
            producerThreads.add(thread);
        }
        for (final Thread thread : producerThreads)
        {
            thread.start();
        }
    }

    private void startConsumers()
    {
        for (final Thread thread : consumerThreads)
        {
            thread.start();
        }
    }

    private void awaitAssignment()
    {
        final long deadlineNs = clock.nanoTime() + TimeUnit.SECONDS.toNanos(options.assignmentTimeoutSeconds);
        final long startNs = clock.nanoTime();
        while (!aborted && !allAssigned())
        {
            if (clock.nanoTime() > deadlineNs)
            {
                throw new IllegalStateException("consumer groups did not get all partitions within " +
                    options.assignmentTimeoutSeconds + " s");
            }
            if (!consumersAlive())
            {
                throw new IllegalStateException("a consumer failed while joining: " + firstConsumerFailure());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        if (!options.quiet && !subscriptions.isEmpty())
        {
            out.printf("# %d consumer group(s) assigned in %.2f s%n", subscriptions.size(),
                (clock.nanoTime() - startNs) / 1e9);
        }
    }

    private boolean allAssigned()
    {
        for (final Subscription subscription : subscriptions)
        {
            if (!subscription.fullyAssigned())
            {
                return false;
            }
        }
        return true;
    }

    private boolean allProducersDone()
    {
        for (final LoadProducer producer : producers)
        {
            if (!producer.done())
            {
                return false;
            }
        }
        return true;
    }

    private boolean consumersAlive()
    {
        for (int i = 0; i < consumers.size(); i++)
        {
            if (consumers.get(i).failure() != null && !consumerThreads.get(i).isAlive())
            {
                return false;
            }
        }
        return true;
    }

    private String firstConsumerFailure()
    {
        for (final LoadConsumer consumer : consumers)
        {
            if (consumer.failure() != null)
            {
                return consumer.failure();
            }
        }
        return null;
    }

    /** @return true when the producers are done and every group has every acknowledged message. */
    private boolean delivered()
    {
        if (!allProducersDone())
        {
            return false;
        }
        for (final Subscription subscription : subscriptions)
        {
            for (int p = 0; p < subscription.producers(); p++)
            {
                final LoadProducer producer = producers.get(subscription.firstProducerIndex() + p);
                if (subscription.trackerOfLocal(p).distinct() < producer.acked())
                {
                    return false;
                }
            }
        }
        return true;
    }

    private void deleteTopics()
    {
        try (TopicAdmin admin = new TopicAdmin(options.bootstrapServers, options.commonProperties))
        {
            final String failure = admin.delete(topics);
            if (null != failure)
            {
                out.println("# could not delete topics " + topics + ": " + failure);
            }
        }
        catch (final RuntimeException ex)
        {
            out.println("# could not delete topics " + topics + ": " + ex.getMessage());
        }
    }

    private void awaitTick(final long tickNs)
    {
        long remainingNs;
        while (!aborted && (remainingNs = tickNs - clock.nanoTime()) > 0)
        {
            LockSupport.parkNanos(remainingNs);
        }
    }

    private void stopAll()
    {
        for (final LoadProducer producer : producers)
        {
            producer.stop();
        }
        join(producerThreads);
        for (final KafkaProducer<byte[], byte[]> client : producerClients)
        {
            client.close(CLOSE_TIMEOUT);
        }
        for (int i = 0; i < consumers.size(); i++)
        {
            if (consumerThreads.get(i).getState() == Thread.State.NEW)
            {
                consumers.get(i).closeUnstarted();
            }
            else
            {
                consumers.get(i).stop();
            }
        }
        join(consumerThreads);
        for (final LoadProducer producer : producers)
        {
            if (producer.firstError() != null)
            {
                warn("producer " + producer.index() + ": " + producer.errors() + " send error(s), first: " +
                    producer.firstError());
            }
        }
        final String consumerFailure = firstConsumerFailure();
        if (null != consumerFailure)
        {
            warn("consumer failed: " + consumerFailure);
        }
    }

    private void join(final List<Thread> threads)
    {
        for (final Thread thread : threads)
        {
            try
            {
                if (thread.getState() != Thread.State.NEW)
                {
                    thread.join(JOIN_TIMEOUT_MS);
                }
                if (thread.isAlive())
                {
                    warn("thread " + thread.getName() + " did not stop within " + JOIN_TIMEOUT_MS / 1000 + " s");
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void warn(final String message)
    {
        warnings.add(message);
        out.println("# WARNING: " + message);
    }

    /** Fail in seconds rather than after the AdminClient's one-minute timeout when nothing listens. */
    private static void requireReachable(final String bootstrapServers) throws IOException
    {
        IOException last = null;
        for (final String address : bootstrapServers.split(","))
        {
            final int colon = address.lastIndexOf(':');
            if (colon <= 0)
            {
                throw new IllegalArgumentException("bootstrap server '" + address + "' is not HOST:PORT");
            }
            try (Socket socket = new Socket())
            {
                socket.connect(new InetSocketAddress(address.substring(0, colon).trim(),
                    Integer.parseInt(address.substring(colon + 1).trim())), CONNECT_TIMEOUT_MS);
                return;
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException("bootstrap server '" + address + "' has no numeric port");
            }
            catch (final IOException ex)
            {
                last = ex;
            }
        }
        throw new IOException("nothing accepts connections at " + bootstrapServers + " (" + last.getMessage() + ")");
    }

    private Path defaultOutDir()
    {
        final String time = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(startedAt);
        return Path.of("perf-results", time + "-" + safe(options.label) + "-" + safe(workload.name()));
    }

    private static String safe(final String text)
    {
        return text.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    RunOptions options()
    {
        return options;
    }

    Workload workload()
    {
        return workload;
    }

    LatencyMetrics metrics()
    {
        return metrics;
    }

    MeasurementWindow window()
    {
        return window;
    }

    CostTracker cost()
    {
        return cost;
    }

    Progress progress()
    {
        return progress;
    }

    List<LoadProducer> producers()
    {
        return producers;
    }

    List<LoadConsumer> consumers()
    {
        return consumers;
    }

    List<Subscription> subscriptions()
    {
        return subscriptions;
    }

    List<String> topics()
    {
        return topics;
    }

    List<String> warnings()
    {
        return warnings;
    }

    Instant startedAt()
    {
        return startedAt;
    }

    int runId()
    {
        return runId;
    }

    long producersStartNs()
    {
        return producersStartNs;
    }

    long fillEndNs()
    {
        return fillEndNs;
    }

    long drainStartNs()
    {
        return drainStartNs;
    }

    boolean drained()
    {
        return drained;
    }

    boolean aborted()
    {
        return aborted;
    }
}
