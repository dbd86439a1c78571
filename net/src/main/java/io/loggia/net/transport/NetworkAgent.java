package io.loggia.net.transport;

import io.loggia.engine.agent.WakeSignal;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.jctools.queues.MpscArrayQueue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * One network thread's worth of connections: owns a {@link Selector}, the connections registered with it,
 * their buffers (from its own {@link BufferPool}), their in-flight requests and the {@link RequestHandler}
 * instance that answers them. Agent 0 also runs the {@link Acceptor}.
 * <p>
 * A duty cycle:
 * <pre>
 *   workCount += drainNewConnections();      connections dealt to this agent by the acceptor
 *   workCount += handlerWork(nowNs);         completions from other threads, parked-request expiry
 *   workCount += pollSockets();              selectNow: accept, read and dispatch frames, write on OP_WRITE
 *   workCount += processDirty(nowNs);        send what completed, resume paused pipelines, deferred closes
 *   workCount += retryMemoryWaiters(nowNs);  connections waiting for buffer budget
 *   workCount += processTimers(nowNs);       idle and receive timeouts, idle buffers back to the pool, pool trim
 * </pre>
 * then it tells its {@link SelectorIdleStrategy} the earliest timer, so blocking in select ends in time.
 * <p>
 * <b>Assumptions and Guarantees</b>: {@link #doWork()}, {@link #onClose()}, {@link #inFlight(long)} and
 * everything reached from them (connections, requests, writers, the handler) run on the thread that runs this
 * agent. {@link #offerConnection(Connection)} is called by the acceptor's thread (agent 0's);
 * {@link #wakeSignal()} and {@link #counters()} may be used from any thread.
 */
public final class NetworkAgent implements Agent
{
    private static final System.Logger LOG = System.getLogger(NetworkAgent.class.getName());

    final TransportConfig config;
    final NetworkCounters counters = new NetworkCounters();
    final BufferPool pool;
    final RequestHandler handler;
    private final int index;
    private final String roleName;
    private final NanoClock clock;
    private final ConnectionQuota quota;
    private final Selector selector;
    private final SelectorIdleStrategy idleStrategy;
    private final MpscArrayQueue<Connection> newConnections;
    private final Long2ObjectHashMap<InFlightRequest> pending = new Long2ObjectHashMap<>();
    private final ArrayDeque<Connection> memoryWaiters = new ArrayDeque<>();
    private final Consumer<SelectionKey> onReadyKey = this::onReadyKey;
    private final long idleNs;
    private final long releaseNs;
    private final long timerPeriodNs;
    private Connection[] connections = new Connection[16];
    private int connectionCount;
    private Connection[] dirty = new Connection[16];
    private int dirtyCount;
    private Acceptor acceptor;
    private long nowNs;
    private long nextTimerNs;
    private long nextTrimNs;
    private long requestSequence;
    private long handlerErrors;
    private boolean closed;

    NetworkAgent(
        final int index,
        final TransportConfig config,
        final ConnectionQuota quota,
        final RequestHandlerFactory handlerFactory,
        final NanoClock clock) throws IOException
    {
        this.index = index;
        this.roleName = "loggia-network-" + index;
        this.config = config;
        this.quota = quota;
        this.clock = clock;
        this.pool = new BufferPool(config.bufferBudgetBytes(), counters);
        this.newConnections = new MpscArrayQueue<>(config.newConnectionQueueSize());
        this.idleNs = config.connectionsMaxIdleNs();
        this.releaseNs = config.bufferReleaseNs();
        this.timerPeriodNs = Math.min(idleNs, Math.min(releaseNs, config.requestReceiveTimeoutNs()));
        this.selector = Selector.open();
        this.idleStrategy = new SelectorIdleStrategy(selector, config.idleSpins(), config.idleMaxBlockNs());
        this.nowNs = clock.nanoTime();
        this.nextTimerNs = nowNs + timerPeriodNs;
        this.nextTrimNs = nowNs + releaseNs;
        this.handler = handlerFactory.newHandler(this);
    }

    public String roleName()
    {
        return roleName;
    }

    /** This agent's position among the network agents, from 0. */
    public int index()
    {
        return index;
    }

    /**
     * The idle strategy to run this agent with: blocks in this agent's selector. The thread that runs this
     * agent must use it (with any other agents composed on that thread), and runs no other network agent.
     */
    public SelectorIdleStrategy idleStrategy()
    {
        return idleStrategy;
    }

    /**
     * What other threads call after handing this agent's handler work (an append completion, a group
     * coordinator reply): wakes the thread if it blocks, costs a volatile load if it does not.
     */
    public WakeSignal wakeSignal()
    {
        return idleStrategy;
    }

    /** Counters of this agent; readable from any thread. */
    public NetworkCounters counters()
    {
        return counters;
    }

    /**
     * The request with this {@link InFlightRequest#id()} if it is still pending, else null (completed already,
     * or its connection closed). Called on this agent's thread.
     */
    public InFlightRequest inFlight(final long requestId)
    {
        return pending.get(requestId);
    }

    /** Open connections of this agent; called on this agent's thread. */
    public int connectionCount()
    {
        return connectionCount;
    }

    /** {@link System#nanoTime()} sampled at the start of the current duty cycle. */
    public long nowNs()
    {
        return nowNs;
    }

    public int doWork()
    {
        final long nowNs = clock.nanoTime();
        this.nowNs = nowNs;

        int workCount = 0;
        workCount += drainNewConnections(nowNs);
        workCount += handlerWork(nowNs);
        workCount += pollSockets();
        workCount += processDirty(nowNs);
        workCount += retryMemoryWaiters(nowNs);
        workCount += processTimers(nowNs);

        idleStrategy.blockUntil(Math.min(nextTimerNs, handler.nextDeadlineNs()));
        return workCount;
    }

    /** Closes every connection (reason shutdown), the listening socket on agent 0, the pool and the selector. */
    public void onClose()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        for (int i = connectionCount - 1; i >= 0; i--)
        {
            connections[i].close(CloseReason.SHUTDOWN, null);
        }
        Connection queuedConnection;
        while (null != (queuedConnection = newConnections.poll()))
        {
            closeUnregistered(queuedConnection, CloseReason.SHUTDOWN);
        }
        if (null != acceptor)
        {
            acceptor.close();
        }
        try
        {
            handler.onClose();
        }
        catch (final Throwable ex)
        {
            LOG.log(System.Logger.Level.ERROR, roleName + ": request handler failed to close", ex);
        }
        pool.close();
        try
        {
            selector.close();
        }
        catch (final IOException ex)
        {
            LOG.log(System.Logger.Level.WARNING, roleName + ": closing the selector failed: " + ex);
        }
        // agents composed on this thread may go on running: its idle strategy parks now, bounded only by maxBlock
        idleStrategy.blockUntil(Long.MAX_VALUE);
    }

    void attachAcceptor(final Acceptor acceptor, final ServerSocketChannel serverChannel) throws ClosedChannelException
    {
        this.acceptor = acceptor;
        serverChannel.register(selector, SelectionKey.OP_ACCEPT, acceptor);
    }

    /**
     * Hands a new connection to this agent. The queue's ordered store publishes the connection's fields,
     * written on the acceptor's thread, to this agent's thread, which reads them after its poll.
     *
     * @return false if the queue is full (the caller closes the socket).
     */
    boolean offerConnection(final Connection connection)
    {
        if (!newConnections.offer(connection))
        {
            return false;
        }
        idleStrategy.wake();
        return true;
    }

    long nextRequestId()
    {
        return ++requestSequence;
    }

    void registerPending(final InFlightRequest request)
    {
        pending.put(request.id, request);
        request.registered = true;
    }

    void unregisterPending(final InFlightRequest request)
    {
        if (request.registered)
        {
            pending.remove(request.id);
            request.registered = false;
        }
    }

    void markDirty(final Connection connection, final int flags)
    {
        if (connection.dirtyFlags == 0)
        {
            if (dirtyCount == dirty.length)
            {
                dirty = Arrays.copyOf(dirty, dirtyCount * 2);
            }
            dirty[dirtyCount++] = connection;
        }
        connection.dirtyFlags |= flags;
    }

    boolean hasMemoryWaiters()
    {
        return !memoryWaiters.isEmpty();
    }

    void addMemoryWaiter(final Connection connection)
    {
        memoryWaiters.addLast(connection);
    }

    void onHandlerError(final Connection connection, final InFlightRequest request, final Throwable ex)
    {
        counters.increment(NetworkCounters.HANDLER_ERRORS);
        LOG.log(System.Logger.Level.ERROR, "closing " + connection + ": request handler failed on request " +
            request.id, ex);
    }

    void onConnectionClosed(final Connection connection, final int reason)
    {
        counters.incrementCloses(reason);
        counters.set(NetworkCounters.CONNECTIONS_ACTIVE, connectionCount - 1);
        quota.release(connection.address());
        final int last = --connectionCount;
        final int index = connection.index;
        final Connection moved = connections[last];
        connections[index] = moved;
        moved.index = index;
        connections[last] = null;
        connection.index = -1;
        try
        {
            handler.onConnectionClosed(connection.id);
        }
        catch (final Throwable ex)
        {
            LOG.log(System.Logger.Level.ERROR, roleName + ": request handler failed on close of " + connection, ex);
        }
    }

    private int drainNewConnections(final long nowNs)
    {
        int count = 0;
        Connection connection;
        while (null != (connection = newConnections.relaxedPoll()))
        {
            register(connection, nowNs);
            count++;
        }
        return count;
    }

    private void register(final Connection connection, final long nowNs)
    {
        final SelectionKey key;
        try
        {
            key = connection.channel.register(selector, SelectionKey.OP_READ, connection);
        }
        catch (final IOException ex)
        {
            LOG.log(System.Logger.Level.DEBUG, roleName + ": registering " + connection + " failed: " + ex);
            closeUnregistered(connection, CloseReason.IO_ERROR);
            return;
        }
        if (connectionCount == connections.length)
        {
            connections = Arrays.copyOf(connections, connectionCount * 2);
        }
        connection.index = connectionCount;
        connections[connectionCount++] = connection;
        connection.onRegistered(key, nowNs);
        counters.increment(NetworkCounters.CONNECTIONS_OPENED);
        counters.set(NetworkCounters.CONNECTIONS_ACTIVE, connectionCount);
    }

    private void closeUnregistered(final Connection connection, final int reason)
    {
        try
        {
            connection.channel.close();
        }
        catch (final IOException ignore)
        {
            // Never registered: nothing else holds the descriptor.
        }
        quota.release(connection.address());
        counters.incrementCloses(reason);
    }

    private int handlerWork(final long nowNs)
    {
        try
        {
            return handler.doWork(nowNs);
        }
        catch (final Throwable ex)
        {
            // Logged at 1, 2, 4, 8... failures: a handler that fails every cycle cannot flood the log.
            final long failures = ++handlerErrors;
            counters.increment(NetworkCounters.HANDLER_ERRORS);
            if ((failures & (failures - 1)) == 0)
            {
                LOG.log(System.Logger.Level.ERROR, roleName + ": request handler doWork failed (" + failures +
                    " times)", ex);
            }
            return 1;
        }
    }

    private int pollSockets()
    {
        try
        {
            return selector.selectNow(onReadyKey);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private void onReadyKey(final SelectionKey key)
    {
        if (!key.isValid())
        {
            return;
        }
        final Object attachment = key.attachment();
        if (attachment instanceof Connection)
        {
            final Connection connection = (Connection)attachment;
            final int readyOps = key.readyOps();
            if ((readyOps & SelectionKey.OP_WRITE) != 0)
            {
                connection.onWritable();
            }
            if ((readyOps & SelectionKey.OP_READ) != 0 && !connection.isClosed())
            {
                connection.onReadable(nowNs);
            }
        }
        else if (attachment == acceptor)
        {
            acceptor.onAcceptable(nowNs);
        }
    }

    private int processDirty(final long nowNs)
    {
        // Connections marked while this loop runs are appended and handled in the same pass.
        int workCount = 0;
        for (int i = 0; i < dirtyCount; i++)
        {
            final Connection connection = dirty[i];
            dirty[i] = null;
            final int flags = connection.dirtyFlags;
            connection.dirtyFlags = 0;
            connection.onDirty(flags, nowNs);
            workCount++;
        }
        dirtyCount = 0;
        return workCount;
    }

    private int retryMemoryWaiters(final long nowNs)
    {
        if (!pool.takeReleased() || memoryWaiters.isEmpty())
        {
            return 0;
        }
        int workCount = 0;
        Connection waiter;
        while (null != (waiter = memoryWaiters.peekFirst()) && waiter.retryReceiveMemory(nowNs))
        {
            memoryWaiters.pollFirst();
            workCount++;
        }
        return workCount;
    }

    private int processTimers(final long nowNs)
    {
        if (nowNs - nextTimerNs < 0)
        {
            return 0;
        }
        // A deadline set after this scan lies at least one timer period ahead, so the next scan cannot miss it.
        long nextNs = nowNs + timerPeriodNs;
        for (int i = connectionCount - 1; i >= 0; i--)
        {
            final long connectionNextNs = connections[i].onTimerCheck(nowNs, idleNs, releaseNs);
            if (connectionNextNs != Connection.NO_DEADLINE && connectionNextNs - nextNs < 0)
            {
                nextNs = connectionNextNs;
            }
        }
        if (nowNs - nextTrimNs >= 0)
        {
            pool.trim();
            nextTrimNs = nowNs + releaseNs;
        }
        nextTimerNs = nextNs;
        return 1;
    }
}
