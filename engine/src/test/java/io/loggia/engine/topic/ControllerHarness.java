package io.loggia.engine.topic;

import io.loggia.engine.Engine;
import io.loggia.engine.EngineConfig;
import io.loggia.engine.EngineListener;
import io.loggia.engine.agent.WakeSignal;
import io.loggia.engine.log.LogConfig;
import io.loggia.engine.log.LogConfigParser;
import io.loggia.engine.producer.ProducerIdManager;
import org.agrona.concurrent.SystemEpochClock;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real engine in a directory with a controller on top, every agent driven by hand on the test thread: what a
 * broker runs in shared threading mode, without the network.
 */
final class ControllerHarness implements AutoCloseable
{
    static final int NODE_ID = 7;
    static final int DEFAULT_PARTITIONS = 2;

    final Path logDir;
    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    final List<ControllerOp> answers = new ArrayList<>();
    final LogConfig defaults;
    Engine engine;
    TopicRegistry registry;
    TopicConfigStore store;
    Controller controller;
    ControllerProxy proxy;
    int loaded;
    int callerWakes;

    ControllerHarness(final Path logDir)
    {
        this.logDir = logDir;
        this.defaults = LogConfigParser.parseBroker(Map.of(
            LogConfigParser.LOG_SEGMENT_BYTES, Integer.toString(1024 * 1024),
            LogConfigParser.LOG_INDEX_SIZE_MAX_BYTES, "4096")).config();
    }

    ControllerHarness open() throws IOException
    {
        final EngineConfig config = new EngineConfig()
            .logDir(logDir)
            .numWriterThreads(2)
            .segmentPrepareBytes(0)
            .housekeeperNative(false)
            .logDefaults(defaults);
        engine = Engine.open(config, errors::add, EngineListener.LOGGING, SystemEpochClock.INSTANCE);
        registry = new TopicRegistry();
        store = new TopicConfigStore(engine.logDir());
        loaded = TopicLoader.load(engine, registry, store, defaults);
        controller = new Controller(engine, registry, store, ProducerIdManager.open(engine.logDir(), errors::add),
            defaults, DEFAULT_PARTITIONS, NODE_ID, WakeSignal.NONE, 64, errors::add);
        proxy = controller.newProxy(() -> callerWakes++);
        return this;
    }

    int work()
    {
        int workCount = controller.doWork();
        for (int i = 0; i < engine.writerCount(); i++)
        {
            workCount += engine.writer(i).doWork();
        }
        workCount += engine.housekeeper().doWork();
        workCount += proxy.poll(answers::add, Integer.MAX_VALUE);
        return workCount;
    }

    /** Runs everything until nothing is left to do. */
    void settle()
    {
        for (int i = 0; i < 10_000; i++)
        {
            if (0 == work() && 0 == controller.pendingPartitionCommands() && 0 == controller.pendingJobs())
            {
                return;
            }
        }
        throw new AssertionError("the controller did not settle");
    }

    <T extends ControllerOp> T call(final T op)
    {
        assertThat(proxy.offer(op)).isTrue();
        for (int i = 0; i < 10_000 && !answers.contains(op); i++)
        {
            work();
        }
        assertThat(answers).contains(op);
        answers.remove(op);
        return op;
    }

    CreateTopicsOp.Entry create(final String name, final int partitions, final Map<String, String> configs)
    {
        final CreateTopicsOp op = new CreateTopicsOp();
        final CreateTopicsOp.Entry entry = op.add(name);
        entry.numPartitions = partitions;
        entry.configs.putAll(configs);
        return call(op).topics.get(0);
    }

    DeleteTopicsOp.Entry delete(final String name)
    {
        final DeleteTopicsOp op = new DeleteTopicsOp();
        op.add(name, null);
        return call(op).topics.get(0);
    }

    /** Clean shutdown, as the broker does it: controller, then engine. */
    void shutdown()
    {
        controller.onClose();
        engine.close();
    }

    public void close()
    {
        if (null != engine)
        {
            shutdown();
        }
    }

    /** A test's end: close {@code harness} (if the test opened one) and require that nothing reported an error. */
    static void closeClean(final ControllerHarness harness)
    {
        if (null != harness)
        {
            harness.close();
            assertThat(harness.errors).isEmpty();
        }
    }
}
