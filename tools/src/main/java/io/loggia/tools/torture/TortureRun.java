package io.loggia.tools.torture;

import io.loggia.engine.log.LogFiles;
import io.loggia.engine.log.OffsetCheckpointFile;
import io.loggia.engine.log.TopicPartition;
import org.agrona.collections.Object2LongHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One run of the crash loop. Each iteration:
 * <pre>
 *   load ──────────────► stop ──────────────► damage ─────────► restart ─────────────────► verify
 *   producer and group   SIGKILL at a random   torn writes on    fork, ready line timed;     producer drained,
 *   consumers run for    moment (or SIGTERM)   what was not      sometimes killed again     clients held; read the
 *   a random time                              acknowledged      during recovery first      whole topic back, dump
 *                                                                                           every file, commits
 * </pre>
 * The producer and the consumers live through every iteration; the broker process is a new one each time, on the
 * same log dir and port. After the last iteration the broker is stopped cleanly, started once more (the
 * clean-shutdown path: sizes trusted, no scan) and verified again.
 * <p>
 * Runs on the caller's thread; the clients run on their own threads (see {@link ProducerDriver},
 * {@link GroupConsumers}).
 */
final class TortureRun
{
    static final String CONSUMER_OFFSETS = "__consumer_offsets";
    private static final long START_TIMEOUT_MS = 120_000;
    private static final long DRAIN_TIMEOUT_MS = 120_000;
    private static final long GATE_TIMEOUT_MS = 30_000;
    private static final long QUIESCE_TIMEOUT_MS = 15_000;
    private static final int OFFSETS_TOPIC_PARTITIONS = 3;

    private final TortureOptions options;
    private final PrintStream out;
    private final SplittableRandom random;
    private final TortureSummary summary = new TortureSummary();
    private final String topic = TortureOptions.DEFAULT_TOPIC;
    private final String group = TortureOptions.DEFAULT_GROUP;
    private final AckLog ackLog;
    private final CommitLog commitLog;
    private final Payloads payloads;
    private final ReadBackCheck readBack;
    private final SegmentCheck segmentCheck = new SegmentCheck();
    private final TornWrites tornWrites;

    private Path workDir;
    private Path dataDir;
    private PrintStream brokerLog;
    private PrintStream runLog;
    private List<String> command;
    private String bootstrapServers;
    private BrokerUnderTest broker;
    private Admin admin;
    private ProducerDriver producer;
    private GroupConsumers consumers;
    private KafkaConsumer<byte[], byte[]> reader;
    private long lastReadyMillis = 1_000;

    TortureRun(final TortureOptions options, final PrintStream out)
    {
        this.options = options;
        this.out = out;
        this.random = new SplittableRandom(options.seed);
        this.ackLog = new AckLog(options.partitions);
        this.commitLog = new CommitLog(options.partitions);
        this.payloads = new Payloads(options.seed, options.maxRecordBytes);
        this.readBack = new ReadBackCheck(ackLog, payloads);
        this.tornWrites = new TornWrites(random.split());
        summary.seed = options.seed;
        summary.iterationsPlanned = options.iterations;
    }

    TortureSummary summary()
    {
        return summary;
    }

    Path workDir()
    {
        return workDir;
    }

    /**
     * Run every iteration, print the summary.
     *
     * @return true if no violation was found.
     */
    boolean run() throws Exception
    {
        try
        {
            setUp();
            for (int i = 1; i <= options.iterations; i++)
            {
                final boolean fatal = !iteration(i);
                summary.iterations = i;
                if (fatal || (summary.violations() > 0 && options.stopOnViolation))
                {
                    break;
                }
            }
            if (summary.violations() == 0 || !options.stopOnViolation)
            {
                finalCleanRestart();
            }
        }
        finally
        {
            tearDown();
        }
        summary.recordsSent = ackLog.sent();
        summary.recordsAcknowledged = ackLog.acknowledged();
        summary.recordsFailed = ackLog.failed();
        summary.tornWriteKinds = tornWrites.kinds();
        summary.logDamages = tornWrites.logInjections();
        summary.indexDamages = tornWrites.indexInjections();
        summary.snapshotDamages = tornWrites.snapshotInjections();
        summary.filesChecked = segmentCheck.filesChecked;
        summary.dumpRetriedAndPassed = segmentCheck.retriedAndPassed;
        summary.commitsAcknowledged = commitLog.commitsAcknowledged();
        summary.commitsLost = commitLog.lost();
        summary.commitsMovedBackwards = commitLog.movedBackwards();
        summary.commitsBeyondEnd = commitLog.beyondEnd();
        summary.print(out);
        final boolean passed = 0 == summary.violations();
        out.println(passed && !options.keepData ? "loggia torture: passed" :
            "loggia torture: " + (passed ? "passed" : "FAILED") + "; data, broker.log and torture.log kept in " +
            workDir);
        out.flush();
        if (passed && !options.keepData && null != workDir)
        {
            deleteTree(workDir);
        }
        return passed;
    }

    private void setUp() throws Exception
    {
        workDir = null != options.dir ? Files.createDirectories(options.dir) :
            Files.createTempDirectory("loggia-torture-");
        dataDir = workDir.resolve("data");
        if (Files.exists(dataDir))
        {
            throw new IOException(dataDir + " exists: give an empty or new --dir");
        }
        brokerLog = new PrintStream(Files.newOutputStream(workDir.resolve("broker.log"),
            StandardOpenOption.CREATE, StandardOpenOption.APPEND), true, StandardCharsets.UTF_8);
        runLog = new PrintStream(Files.newOutputStream(workDir.resolve("torture.log"),
            StandardOpenOption.CREATE, StandardOpenOption.APPEND), true, StandardCharsets.UTF_8);
        final int port;
        try (ServerSocket probe = new ServerSocket(0))
        {
            port = probe.getLocalPort();
        }
        bootstrapServers = "127.0.0.1:" + port;
        command = BrokerUnderTest.command(brokerSettings(port));
        note("loggia torture: seed " + options.seed + ", work dir " + workDir + ", broker on " + bootstrapServers);
        runLog.println("broker command: " + String.join(" ", command));

        broker = BrokerUnderTest.start(command, brokerLog, "first start");
        if (!broker.awaitReady(START_TIMEOUT_MS))
        {
            throw new IOException("the broker did not start: exit " + broker.exitCode() + ", " + broker.stderr() +
                " (see " + workDir.resolve("broker.log") + ")");
        }
        lastReadyMillis = broker.readyMillis();

        final Properties adminConfig = new Properties();
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        adminConfig.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
        adminConfig.put(AdminClientConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 200);
        admin = Admin.create(adminConfig);
        admin.createTopics(List.of(new NewTopic(topic, options.partitions, (short)1))).all().get(60, TimeUnit.SECONDS);

        producer = new ProducerDriver(bootstrapServers, topic, ackLog, payloads, options, random.nextLong());
        producer.start();
        consumers = new GroupConsumers(bootstrapServers, topic, group, options.consumers, ackLog, commitLog, payloads);
        consumers.start();
        reader = new KafkaConsumer<>(readerConfig(bootstrapServers));
    }

    /**
     * The broker's settings: durable ({@code log.flush.interval.messages=1}: every append forced before it is
     * acknowledged, one force per partition per writer cycle), small segments so that rolls, sealed segments and
     * their trims happen often, recovery points checkpointed every second so that recovery has trusted segments
     * to skip, then the operator's overrides.
     */
    private List<String> brokerSettings(final int port)
    {
        final List<String> settings = new ArrayList<>();
        settings.add("listeners=PLAINTEXT://127.0.0.1:" + port);
        settings.add("log.dirs=" + dataDir);
        settings.add("log.flush.interval.messages=1");
        settings.add("log.segment.bytes=" + options.segmentBytes);
        settings.add("log.index.interval.bytes=1024");
        settings.add("log.flush.offset.checkpoint.interval.ms=1000");
        settings.add("log.flush.start.offset.checkpoint.interval.ms=1000");
        settings.add("offsets.topic.num.partitions=" + OFFSETS_TOPIC_PARTITIONS);
        settings.add("offsets.topic.segment.bytes=" + options.segmentBytes);
        settings.add("group.initial.rebalance.delay.ms=0");
        settings.add("auto.create.topics.enable=false");
        settings.add("loggia.segment.prepare.bytes=" + Math.min(options.segmentBytes / 2, 16 * 1024 * 1024));
        settings.add("loggia.segment.prepare.chunk.bytes=" + Math.min(options.segmentBytes / 8, 2 * 1024 * 1024));
        settings.addAll(options.brokerOverrides);
        return settings;
    }

    private static Properties readerConfig(final String bootstrapServers)
    {
        final Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "torture-reader");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
        config.put(ConsumerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 200);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return config;
    }

    /** @return false if the run cannot go on (the broker does not come back). */
    private boolean iteration(final int iteration) throws Exception
    {
        final StringBuilder line = new StringBuilder(200).append("iteration ").append(iteration).append('/')
            .append(options.iterations).append(": ");
        final long ackedBefore = ackLog.acknowledged();

        producer.resume();
        consumers.resume();
        final long runMs = options.minRunMs + random.nextLong(options.maxRunMs - options.minRunMs + 1L);
        if (!runFor(runMs))
        {
            summary.brokerFailures++;
            violation(iteration, "the broker exited by itself under load (exit " + broker.exitCode() + "); " +
                lastLines(broker.stderr()));
        }
        line.append("ran ").append(runMs).append(" ms, ").append(ackLog.acknowledged() - ackedBefore).append(" acks; ");

        final boolean clean = random.nextDouble() < options.cleanStopProbability;
        if (clean)
        {
            final int exit = broker.terminate(60_000);
            summary.cleanStops++;
            line.append("SIGTERM");
            if (0 != exit)
            {
                summary.brokerFailures++;
                violation(iteration, "a clean stop ended with exit " + exit + "; " + lastLines(broker.stderr()));
            }
        }
        else
        {
            broker.kill();
            summary.killsUnderLoad++;
            line.append("SIGKILL");
        }

        final boolean quiet = awaitProducerQuiet();
        if (!clean && random.nextDouble() < options.tornWriteProbability)
        {
            if (quiet)
            {
                final int damages = injectTornWrites(iteration);
                line.append(", ").append(damages).append(" torn writes");
            }
            else
            {
                summary.skippedTornWrites++;
                line.append(", torn writes skipped (producer still connected)");
            }
        }

        if (!restart(iteration, line))
        {
            note(line.toString());
            return false;
        }
        final boolean verified = verify(iteration, line);
        note(line.toString());
        return verified;
    }

    /**
     * Let the clients run for this long while watching the broker.
     *
     * @return false if the broker process ended by itself meanwhile.
     */
    private boolean runFor(final long millis)
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        long remaining;
        while ((remaining = deadline - System.nanoTime()) > 0)
        {
            if (!broker.isAlive())
            {
                return false;
            }
            LockSupport.parkNanos(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(10)));
        }
        return broker.isAlive();
    }

    /**
     * Wait until no answer of the stopped broker can still reach the producer: its connections are closed and
     * its I/O thread has selected twice since (so the callbacks of answers read before the close have run).
     * Only then is the acknowledged set final for this incarnation, and only then may bytes past it be damaged.
     */
    private boolean awaitProducerQuiet()
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(QUIESCE_TIMEOUT_MS);
        while (producer.connections() > 0)
        {
            if (System.nanoTime() - deadline > 0)
            {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
        final long selects = producer.selects();
        while (producer.selects() < selects + 2)
        {
            if (System.nanoTime() - deadline > 0)
            {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        }
        return true;
    }

    private int injectTornWrites(final int iteration) throws IOException
    {
        final Object2LongHashMap<TopicPartition> recoveryPoints;
        try
        {
            recoveryPoints = OffsetCheckpointFile.read(dataDir.resolve(LogFiles.RECOVERY_POINT_CHECKPOINT_FILE));
        }
        catch (final IOException ex)
        {
            // the file is replaced atomically: a kill must leave the old one or the new one
            summary.brokerFailures++;
            violation(iteration, "unreadable recovery-point checkpoint after a kill: " + ex.getMessage());
            return 0;
        }
        final List<String> done = new ArrayList<>();
        for (int p = 0; p < options.partitions; p++)
        {
            if (random.nextInt(4) == 0 && !options.damageAcknowledged)
            {
                continue;
            }
            final long recoveryPoint = Math.max(0, recoveryPoints.getValue(new TopicPartition(topic, p)));
            final long protectedOffset = Math.max(ackLog.maxAckedOffset(p) + 1, recoveryPoint);
            if (options.damageAcknowledged)
            {
                // self-check: cut acknowledged records away, which the checks must report as lost
                if (protectedOffset > 1)
                {
                    done.addAll(tornWrites.cutAcknowledged(dataDir.resolve(topic + "-" + p), protectedOffset / 2));
                }
                continue;
            }
            done.addAll(tornWrites.inject(dataDir.resolve(topic + "-" + p), protectedOffset, true));
        }
        if (random.nextInt(4) == 0)
        {
            final Path dir = dataDir.resolve(CONSUMER_OFFSETS + "-" + random.nextInt(OFFSETS_TOPIC_PARTITIONS));
            if (Files.isDirectory(dir))
            {
                done.addAll(tornWrites.inject(dir, TornWrites.PROTECT_ALL_VALID, true));
            }
        }
        if (!done.isEmpty())
        {
            summary.tornWriteIterations++;
        }
        for (final String damage : done)
        {
            runLog.println("iteration " + iteration + " torn write: " + damage);
        }
        return done.size();
    }

    /** @return false if the broker did not come back. */
    private boolean restart(final int iteration, final StringBuilder line) throws Exception
    {
        if (random.nextDouble() < options.killDuringRecoveryProbability)
        {
            final BrokerUnderTest early = BrokerUnderTest.start(command, brokerLog, "iteration " + iteration +
                ", killed during recovery");
            final long delayNanos = TimeUnit.MILLISECONDS.toNanos(random.nextLong(Math.max(50, lastReadyMillis) + 1));
            final long deadline = System.nanoTime() + delayNanos;
            final boolean becameReady = early.awaitReadyUntil(deadline);
            early.kill();
            summary.killsDuringRecovery++;
            line.append(", killed again ").append(TimeUnit.NANOSECONDS.toMillis(delayNanos)).append(" ms into the restart")
                .append(becameReady ? " (it was ready)" : "");
        }
        broker = BrokerUnderTest.start(command, brokerLog, "iteration " + iteration);
        if (!broker.awaitReady(START_TIMEOUT_MS))
        {
            summary.brokerFailures++;
            violation(iteration, "the broker did not restart: exit " + broker.exitCode() + "; " +
                lastLines(broker.stderr()));
            return false;
        }
        lastReadyMillis = broker.readyMillis();
        summary.readyMillis.addLong(broker.readyMillis());
        summary.reportedStartMillis.addLong(broker.reportedStartMillis());
        summary.scanMillis.addLong(broker.recoveryScanMillis());
        summary.recoveryReports += broker.recoveryReports();
        summary.recoveryCuts += broker.recoveryCuts();
        line.append("; ready in ").append(broker.readyMillis()).append(" ms (started in ")
            .append(broker.reportedStartMillis()).append(" ms, ").append(broker.recoveryReports())
            .append(" partitions recovered in ").append(broker.recoveryScanMillis()).append(" ms, ")
            .append(broker.recoveryCuts()).append(" cut)");
        return true;
    }

    /** @return false if the run cannot go on. */
    private boolean verify(final int iteration, final StringBuilder line) throws Exception
    {
        if (!producer.pause(GATE_TIMEOUT_MS))
        {
            summary.stalls++;
            violation(iteration, "the producer did not stop sending within " + GATE_TIMEOUT_MS + " ms (a send blocked)");
            return false;
        }
        final long deadline = System.currentTimeMillis() + DRAIN_TIMEOUT_MS;
        while (ackLog.pending() > 0 && System.currentTimeMillis() < deadline)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        if (ackLog.pending() > 0)
        {
            summary.stalls++;
            violation(iteration, ackLog.pending() + " records still unanswered " + DRAIN_TIMEOUT_MS +
                " ms after the restart");
            return false;
        }
        if (ackLog.failed() > summary.recordsFailed)
        {
            violation(iteration, (ackLog.failed() - summary.recordsFailed) + " sends failed: " + producer.errors());
            summary.recordsFailed = ackLog.failed();
        }
        if (!consumers.pause(GATE_TIMEOUT_MS))
        {
            summary.stalls++;
            violation(iteration, "a group member did not stop within " + GATE_TIMEOUT_MS + " ms");
            return false;
        }

        final long[] logEnd = readBack(iteration);
        final boolean filesPass = checkFiles(iteration);
        if (options.consumers > 0)
        {
            checkCommits(iteration, logEnd);
        }
        if (consumers.corruptDelivered() > summary.corruptDelivered)
        {
            violation(iteration, (consumers.corruptDelivered() - summary.corruptDelivered) +
                " corrupt records served to the group; " + consumers.examples());
        }
        summary.corruptDelivered = consumers.corruptDelivered();
        summary.consumerRepositions = consumers.repositioned();
        summary.consumerErrors = consumers.commitFailures();
        line.append("; log ").append(readBack.records).append(" records, ").append(readBack.violations())
            .append(" violations").append(filesPass ? "" : ", dump FAILED");
        return true;
    }

    /** Read the whole topic back and check it against the ack log. @return each partition's log end offset. */
    private long[] readBack(final int iteration)
    {
        final long[] logEnd = new long[options.partitions];
        readBack.begin();
        for (int p = 0; p < options.partitions; p++)
        {
            final org.apache.kafka.common.TopicPartition partition = new org.apache.kafka.common.TopicPartition(topic, p);
            reader.assign(List.of(partition));
            final long start = reader.beginningOffsets(List.of(partition)).get(partition);
            final long end = reader.endOffsets(List.of(partition)).get(partition);
            logEnd[p] = end;
            readBack.beginPartition(p, start);
            reader.seek(partition, start);
            final long deadline = System.currentTimeMillis() + DRAIN_TIMEOUT_MS;
            while (reader.position(partition) < end && System.currentTimeMillis() < deadline)
            {
                for (final ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(200)))
                {
                    if (record.offset() < end)
                    {
                        readBack.onRecord(record.offset(), record.key(), record.value());
                    }
                }
            }
            readBack.endPartition(end);
        }
        summary.recordsInLog = readBack.records;
        summary.unacknowledgedPresent = readBack.unacknowledgedPresent;
        summary.lost = readBack.everLost();
        summary.duplicated = readBack.everDuplicated();
        summary.misplaced = readBack.everMisplaced();
        summary.corrupt = readBack.everCorrupt();
        summary.outOfOrder = readBack.everOutOfOrder();
        summary.gaps += readBack.gaps;
        for (final String example : readBack.examples())
        {
            violation(iteration, example);
        }
        return logEnd;
    }

    private boolean checkFiles(final int iteration) throws IOException
    {
        final List<Path> dirs = new ArrayList<>(SegmentCheck.partitionDirs(dataDir, topic));
        dirs.addAll(SegmentCheck.partitionDirs(dataDir, CONSUMER_OFFSETS));
        final boolean passed = segmentCheck.check(dirs);
        summary.dumpFailures = segmentCheck.failures;
        summary.dumpFailuresActiveIndexOnly = segmentCheck.activeIndexOnlyFailures;
        summary.dumpRuns = segmentCheck.runs;
        if (!passed)
        {
            for (final String error : segmentCheck.errors())
            {
                violation(iteration, error);
            }
        }
        return passed;
    }

    private void checkCommits(final int iteration, final long[] logEnd) throws Exception
    {
        final Map<org.apache.kafka.common.TopicPartition, OffsetAndMetadata> offsets =
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(60, TimeUnit.SECONDS);
        final long[] committed = new long[options.partitions];
        for (int p = 0; p < options.partitions; p++)
        {
            final OffsetAndMetadata offset = offsets.get(new org.apache.kafka.common.TopicPartition(topic, p));
            committed[p] = null == offset ? -1 : offset.offset();
        }
        if (commitLog.check(committed, logEnd) > 0)
        {
            for (final String example : commitLog.examples())
            {
                violation(iteration, example);
            }
        }
        summary.commitsLost = commitLog.lost();
        summary.commitsMovedBackwards = commitLog.movedBackwards();
        summary.commitsBeyondEnd = commitLog.beyondEnd();
    }

    /**
     * Stop the broker cleanly, start it again (sizes trusted, no scan), and verify once more: the clean-shutdown
     * path must keep everything too.
     */
    private void finalCleanRestart() throws Exception
    {
        if (null == broker || !broker.isAlive())
        {
            return;
        }
        final int exit = broker.terminate(60_000);
        if (0 != exit)
        {
            summary.brokerFailures++;
            violation(0, "the final clean stop ended with exit " + exit + "; " + lastLines(broker.stderr()));
            return;
        }
        if (!Files.exists(dataDir.resolve(LogFiles.CLEAN_SHUTDOWN_FILE)))
        {
            summary.brokerFailures++;
            violation(0, "a clean stop left no " + LogFiles.CLEAN_SHUTDOWN_FILE);
        }
        broker = BrokerUnderTest.start(command, brokerLog, "final clean restart");
        if (!broker.awaitReady(START_TIMEOUT_MS))
        {
            summary.brokerFailures++;
            violation(0, "the broker did not start after a clean stop: exit " + broker.exitCode() + "; " +
                lastLines(broker.stderr()));
            return;
        }
        final StringBuilder line = new StringBuilder("final clean restart: ready in ").append(broker.readyMillis())
            .append(" ms");
        verify(0, line);
        note(line.toString());
        summary.finalCleanRestartChecked = true;
    }

    private void tearDown() throws Exception
    {
        if (null != producer)
        {
            producer.close();
        }
        if (null != consumers)
        {
            consumers.close();
        }
        if (null != reader)
        {
            reader.close(Duration.ofSeconds(2));
        }
        if (null != admin)
        {
            admin.close(Duration.ofSeconds(2));
        }
        if (null != broker && broker.isAlive())
        {
            broker.terminate(60_000);
        }
        if (null != brokerLog)
        {
            brokerLog.close();
        }
        if (null != runLog)
        {
            runLog.close();
        }
    }

    private void violation(final int iteration, final String line)
    {
        final String text = (0 == iteration ? "final check" : "iteration " + iteration) + ": " + line;
        summary.violation(text);
        note("VIOLATION " + text);
    }

    private void note(final String line)
    {
        if (null != runLog)
        {
            runLog.println(line);
        }
        if (!options.quiet || line.startsWith("VIOLATION"))
        {
            out.println(line);
            out.flush();
        }
    }

    private static String lastLines(final List<String> lines)
    {
        return "last broker stderr lines: " + lines.subList(Math.max(0, lines.size() - 5), lines.size());
    }

    private static void deleteTree(final Path root) throws IOException
    {
        Files.walkFileTree(root, new SimpleFileVisitor<>()
        {
            public FileVisitResult visitFile(final Path file, final BasicFileAttributes attrs) throws IOException
            {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            public FileVisitResult postVisitDirectory(final Path dir, final IOException ex) throws IOException
            {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
