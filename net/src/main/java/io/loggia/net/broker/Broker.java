package io.loggia.net.broker;

import io.loggia.engine.Engine;
import io.loggia.engine.EngineListener;
import io.loggia.engine.group.AppendOffsetsLog;
import io.loggia.engine.group.EngineOffsetsTopic;
import io.loggia.engine.group.GroupConfig;
import io.loggia.engine.group.GroupCoordinator;
import io.loggia.engine.producer.ProducerIdManager;
import io.loggia.engine.topic.Controller;
import io.loggia.engine.topic.MetaProperties;
import io.loggia.engine.topic.TopicConfigStore;
import io.loggia.engine.topic.TopicLoader;
import io.loggia.engine.topic.TopicRegistry;
import io.loggia.engine.writer.Caller;
import io.loggia.engine.writer.DelegatingWakeSignal;
import io.loggia.net.broker.admin.AdminContext;
import io.loggia.net.broker.data.DataPathHandlers;
import io.loggia.net.transport.NetworkAgent;
import io.loggia.net.transport.NetworkServer;
import io.loggia.net.transport.RequestHandler;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.SystemEpochClock;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One Loggia broker: the engine, the controller, the group coordinator and the network, assembled and run on the
 * threads {@link BrokerThreads} chooses.
 * <pre>
 *   start:  meta.properties checked ──► Engine.open (partitions loaded, recovered if unclean) ──► meta.properties
 *           created on first start ──► topics rebuilt (TopicLoader) ──► producer ids ──► Controller
 *           ──► GroupCoordinator (its own engine caller) ──► NetworkServer bound (a request handler per network
 *           agent, each with its own engine caller) ──► threads started, network held ──► topic overrides
 *           applied to loaded partitions ──► network opened: ready
 *   close:  network agents closed on their threads (no new requests; in-flight ones dropped) ──► coordinator,
 *           controller closed ──► Engine.close (writers drain their rings and close their logs, trimmed;
 *           checkpoints; clean-shutdown marker) ──► threads stopped
 * </pre>
 * <b>Assumptions and Guarantees</b>: {@link #start} on one thread; {@link #close()} from any thread, any number
 * of times (the first call closes, later ones wait for it); every getter from any thread after start.
 */
public final class Broker implements AutoCloseable
{
    /** How long close waits for each group of agents to close on their threads. */
    static final long CLOSE_STEP_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(30);
    /** How long start waits for the topics' overrides to reach partitions loaded with broker defaults. */
    static final long READY_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(120);

    private static final System.Logger LOG = System.getLogger(Broker.class.getName());

    private final BrokerConfig config;
    private final Engine engine;
    private final MetaProperties meta;
    private final TopicRegistry registry;
    private final Controller controller;
    private final GroupCoordinator coordinator;
    private final Caller coordinatorCaller;
    private final AdminContext adminContext;
    private final List<Caller> networkCallers = new CopyOnWriteArrayList<>();
    private final List<KafkaRequestHandler> handlers = new CopyOnWriteArrayList<>();
    private final AtomicLong errors = new AtomicLong();
    private final ErrorHandler errorHandler = this::onError;
    private final DelegatingWakeSignal controllerWake = new DelegatingWakeSignal();
    private final DelegatingWakeSignal coordinatorWake = new DelegatingWakeSignal();
    private NetworkServer server;
    private BrokerThreads threads;
    private InetSocketAddress advertised;
    private final Object closeLock = new Object();
    private boolean closed;

    private Broker(final BrokerConfig config) throws IOException
    {
        this.config = config;
        final Path logDir = config.logDir().toAbsolutePath().normalize();
        final MetaProperties existing = MetaProperties.read(logDir);
        if (null != existing && existing.nodeId() != config.nodeId())
        {
            throw new IOException("node.id " + config.nodeId() + " does not match node.id " + existing.nodeId() +
                " in " + logDir.resolve(MetaProperties.FILE_NAME) + ": this log dir belongs to another node");
        }
        this.engine =
            Engine.open(config.engineConfig(), errorHandler, EngineListener.LOGGING, SystemEpochClock.INSTANCE);
        Caller caller = null;
        try
        {
            this.meta = MetaProperties.ensure(engine.logDir(), config.nodeId());
            this.registry = new TopicRegistry();
            final TopicConfigStore configStore = new TopicConfigStore(engine.logDir());
            TopicLoader.load(engine, registry, configStore, config.logDefaults());
            this.controller = new Controller(engine, registry, configStore,
                ProducerIdManager.open(engine.logDir(), errorHandler), config.logDefaults(), config.numPartitions(),
                config.nodeId(), controllerWake, Controller.DEFAULT_COMMAND_QUEUE_CAPACITY, errorHandler);
            caller = engine.registerCaller(coordinatorWake);
            final EngineOffsetsTopic offsetsTopic = new EngineOffsetsTopic(engine,
                () -> Math.max(0, registry.partitionCount(GroupConfig.OFFSETS_TOPIC)), controller::requestTopic);
            this.coordinator = new GroupCoordinator(config.groupConfig(), SystemEpochClock.INSTANCE, offsetsTopic,
                new AppendOffsetsLog(caller.appendProxy(), caller.completionAdapter(), offsetsTopic), coordinatorWake,
                GroupCoordinator.DEFAULT_COMMAND_QUEUE_CAPACITY, errorHandler);
            this.coordinatorCaller = caller;
            this.adminContext = new AdminContext(config.nodeId(), meta.clusterId(), registry, config.logDefaults(),
                config.properties(), explicitKeys(config), brokerSettings(config), config.autoCreateTopics(),
                config.deleteTopicEnable());
        }
        catch (final IOException | RuntimeException ex)
        {
            if (null != caller)
            {
                engine.unregisterCaller(caller);
            }
            engine.close();
            throw ex;
        }
    }

    /**
     * Start a broker and return once it serves requests.
     *
     * @throws IOException if the log dir, its files or the listener cannot be used (one line saying why); nothing
     *                     is left running.
     */
    public static Broker start(final BrokerConfig config) throws IOException
    {
        final Broker broker = new Broker(config);
        try
        {
            broker.startNetwork();
        }
        catch (final IOException | RuntimeException ex)
        {
            broker.close();
            throw ex;
        }
        return broker;
    }

    private void startNetwork() throws IOException
    {
        final RegistryTopicLookup lookup = new RegistryTopicLookup(registry);
        try
        {
            server = new NetworkServer(config.transportConfig(), agent -> newHandler(agent, lookup));
        }
        catch (final IOException ex)
        {
            throw new IOException("cannot listen on " + config.listener() + ": " + ex.getMessage(), ex);
        }
        advertised = advertisedAddress();
        adminContext.advertise(advertised.getHostString(), advertised.getPort());
        threads = BrokerThreads.start(config.threadingMode(), server, engine, controller, controllerWake, coordinator,
            coordinatorWake, errorHandler);
        final long deadline = System.nanoTime() + READY_TIMEOUT_NS;
        while (!controller.isReady())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new IOException("the topics' configs did not reach their partitions within " +
                    TimeUnit.NANOSECONDS.toSeconds(READY_TIMEOUT_NS) + " s");
            }
            LockSupport.parkNanos(100_000);
        }
        threads.openNetwork();
    }

    private RequestHandler newHandler(final NetworkAgent agent, final RegistryTopicLookup lookup)
    {
        final Caller caller = engine.registerCaller(agent.wakeSignal());
        networkCallers.add(caller);
        final KafkaRequestHandler handler = new KafkaRequestHandler(agent,
            new DataPathHandlers(agent, lookup, caller, config.dataPathConfig()), adminContext,
            controller.newProxy(agent.wakeSignal()), coordinator.newProxy(agent.wakeSignal()), lookup);
        handlers.add(handler);
        return handler;
    }

    private InetSocketAddress advertisedAddress() throws IOException
    {
        final Listener listener = config.advertisedListener();
        final int port = 0 == listener.port() ? server.localAddress().getPort() : listener.port();
        final String host = listener.host().isEmpty() ?
            InetAddress.getLocalHost().getCanonicalHostName() : listener.host();
        return InetSocketAddress.createUnresolved(host, port);
    }

    /**
     * Clean shutdown; see the class comment. Idempotent and safe from any thread (a second caller, e.g. a second
     * signal, waits for the first).
     */
    public void close()
    {
        synchronized (closeLock)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            if (null != threads)
            {
                if (!threads.closeNetwork(CLOSE_STEP_TIMEOUT_NS))
                {
                    LOG.log(System.Logger.Level.WARNING, "network threads did not close within 30 s");
                }
                if (!threads.closeControlPlane(CLOSE_STEP_TIMEOUT_NS))
                {
                    LOG.log(System.Logger.Level.WARNING, "controller or group coordinator did not close within 30 s");
                }
            }
            else if (null != server)
            {
                server.close();
            }
            for (final Caller caller : networkCallers)
            {
                engine.unregisterCaller(caller);
            }
            engine.unregisterCaller(coordinatorCaller);
            engine.close();
            if (null != threads)
            {
                threads.close();
            }
        }
    }

    public boolean isClosed()
    {
        synchronized (closeLock)
        {
            return closed;
        }
    }

    /** The bound listener address; with port 0 in the config, the ephemeral port chosen. */
    public InetSocketAddress localAddress()
    {
        return server.localAddress();
    }

    /** {@code host:port} clients are told to use. */
    public String bootstrapServers()
    {
        return advertised.getHostString() + ':' + advertised.getPort();
    }

    public BrokerConfig config()
    {
        return config;
    }

    public Engine engine()
    {
        return engine;
    }

    public TopicRegistry topics()
    {
        return registry;
    }

    public Controller controller()
    {
        return controller;
    }

    public GroupCoordinator coordinator()
    {
        return coordinator;
    }

    public NetworkServer server()
    {
        return server;
    }

    public MetaProperties meta()
    {
        return meta;
    }

    /** Errors reported by any agent since start; a healthy broker has none. */
    public long errorCount()
    {
        return errors.get() + engine.errorCount();
    }

    /** The threads the broker placed its agents on, null before start; for tests. */
    BrokerThreads threads()
    {
        return threads;
    }

    /** The request handlers, one per network agent; for tests. */
    List<KafkaRequestHandler> handlers()
    {
        return handlers;
    }

    /**
     * The one line printed when the broker is ready: where it listens, where its data is, how long it took.
     *
     * @param startupMillis milliseconds from JVM start to ready.
     */
    public String readyLine(final long startupMillis)
    {
        return String.format(Locale.ROOT, "Loggia broker %d ready on %s (advertised %s), data in %s, cluster %s, " +
            "%s threading, started in %d ms", config.nodeId(), config.listener().name() + "://" +
            hostPort(localAddress()), bootstrapServers(), engine.logDir(), meta.clusterId(),
            config.threadingMode().configValue(), startupMillis);
    }

    private static String hostPort(final InetSocketAddress address)
    {
        final String host = address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ':' + address.getPort();
    }

    private void onError(final Throwable throwable)
    {
        errors.incrementAndGet();
        LOG.log(System.Logger.Level.ERROR, "broker error: " + throwable, throwable);
    }

    private static java.util.Set<String> explicitKeys(final BrokerConfig config)
    {
        final java.util.Set<String> keys = new java.util.TreeSet<>();
        for (final String key : config.properties().keySet())
        {
            if (config.isExplicit(key))
            {
                keys.add(key);
            }
        }
        return keys;
    }

    private static List<AdminContext.BrokerSetting> brokerSettings(final BrokerConfig config)
    {
        final List<AdminContext.BrokerSetting> settings = new ArrayList<>();
        final Map<String, String> properties = config.properties();
        for (final BrokerConfigKeys.Key key : BrokerConfigKeys.all().values())
        {
            final boolean explicit = config.isExplicit(key.name());
            if (!key.applied() && !explicit)
            {
                continue;
            }
            final String value = properties.containsKey(key.name()) ? properties.get(key.name()) : key.defaultValue();
            settings.add(new AdminContext.BrokerSetting(key.name(), value, explicit, configType(key.type())));
        }
        return settings;
    }

    private static byte configType(final BrokerConfigKeys.Type type)
    {
        switch (type)
        {
            case BOOLEAN: return 1;
            case INT: return 3;
            case LONG: return 5;
            case DOUBLE: return 6;
            case LIST: return 7;
            default: return 2;
        }
    }
}
