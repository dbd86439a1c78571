package io.loggia.net.transport;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Settings of the network transport. Keys carry Kafka's broker config names where Kafka has one, so a
 * {@code server.properties} written for Kafka configures Loggia the same way; Loggia's own keys start with
 * {@code loggia.}.
 * <p>
 * Built once at startup, then read by every network thread: set everything before handing it to
 * {@link NetworkServer}, which calls {@link #validate()}.
 */
public final class TransportConfig
{
    public static final String NUM_NETWORK_THREADS = "num.network.threads";
    public static final String SOCKET_REQUEST_MAX_BYTES = "socket.request.max.bytes";
    public static final String QUEUED_MAX_REQUEST_BYTES = "queued.max.request.bytes";
    public static final String CONNECTIONS_MAX_IDLE_MS = "connections.max.idle.ms";
    public static final String MAX_CONNECTIONS = "max.connections";
    public static final String MAX_CONNECTIONS_PER_IP = "max.connections.per.ip";
    public static final String SOCKET_RECEIVE_BUFFER_BYTES = "socket.receive.buffer.bytes";
    public static final String SOCKET_SEND_BUFFER_BYTES = "socket.send.buffer.bytes";
    public static final String SOCKET_LISTEN_BACKLOG_SIZE = "socket.listen.backlog.size";
    public static final String REQUEST_RECEIVE_TIMEOUT_MS = "loggia.request.receive.timeout.ms";
    public static final String MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION =
        "loggia.network.max.in.flight.requests.per.connection";
    public static final String RECEIVE_BUFFER_INITIAL_BYTES = "loggia.network.receive.buffer.initial.bytes";
    public static final String SEND_BUFFER_INITIAL_BYTES = "loggia.network.send.buffer.initial.bytes";
    public static final String BUFFER_RELEASE_MS = "loggia.network.buffer.release.ms";
    public static final String NEW_CONNECTION_QUEUE_SIZE = "loggia.network.new.connection.queue.size";
    public static final String IDLE_SPINS = "loggia.network.idle.spins";
    public static final String IDLE_MAX_BLOCK_MS = "loggia.network.idle.max.block.ms";

    /** Value of {@link #QUEUED_MAX_REQUEST_BYTES} (and of the socket buffer sizes) that means "no limit". */
    public static final long UNBOUNDED = -1;

    private String host = "0.0.0.0";
    private int port = 9092;
    private int numNetworkThreads = 3;
    private int socketRequestMaxBytes = 104_857_600;
    private long queuedMaxRequestBytes = 256L * 1024 * 1024;
    private long connectionsMaxIdleMs = 600_000;
    private int maxConnections = Integer.MAX_VALUE;
    private int maxConnectionsPerIp = Integer.MAX_VALUE;
    private int socketReceiveBufferBytes = -1;
    private int socketSendBufferBytes = -1;
    private int socketListenBacklogSize = 50;
    private long requestReceiveTimeoutMs = 30_000;
    private int maxInFlightRequestsPerConnection = 16;
    private int receiveBufferInitialBytes = 64 * 1024;
    private int sendBufferInitialBytes = 16 * 1024;
    private long bufferReleaseMs = 1_000;
    private int newConnectionQueueSize = 1024;
    private int idleSpins = 20;
    private long idleMaxBlockMs = 100;

    /**
     * Reads the keys this class knows from {@code properties}; others are ignored (they belong to other parts
     * of the broker). Listener parsing is the caller's: it sets {@link #host(String)} and {@link #port(int)}.
     */
    public static TransportConfig from(final Map<String, String> properties)
    {
        final TransportConfig config = new TransportConfig();
        final String numThreads = properties.get(NUM_NETWORK_THREADS);
        if (null != numThreads)
        {
            config.numNetworkThreads(Integer.parseInt(numThreads.trim()));
        }
        final String maxBytes = properties.get(SOCKET_REQUEST_MAX_BYTES);
        if (null != maxBytes)
        {
            config.socketRequestMaxBytes(Integer.parseInt(maxBytes.trim()));
        }
        final String queued = properties.get(QUEUED_MAX_REQUEST_BYTES);
        if (null != queued)
        {
            config.queuedMaxRequestBytes(Long.parseLong(queued.trim()));
        }
        final String idle = properties.get(CONNECTIONS_MAX_IDLE_MS);
        if (null != idle)
        {
            config.connectionsMaxIdleMs(Long.parseLong(idle.trim()));
        }
        final String maxConnections = properties.get(MAX_CONNECTIONS);
        if (null != maxConnections)
        {
            config.maxConnections(Integer.parseInt(maxConnections.trim()));
        }
        final String perIp = properties.get(MAX_CONNECTIONS_PER_IP);
        if (null != perIp)
        {
            config.maxConnectionsPerIp(Integer.parseInt(perIp.trim()));
        }
        final String receiveBuffer = properties.get(SOCKET_RECEIVE_BUFFER_BYTES);
        if (null != receiveBuffer)
        {
            config.socketReceiveBufferBytes(Integer.parseInt(receiveBuffer.trim()));
        }
        final String sendBuffer = properties.get(SOCKET_SEND_BUFFER_BYTES);
        if (null != sendBuffer)
        {
            config.socketSendBufferBytes(Integer.parseInt(sendBuffer.trim()));
        }
        final String backlog = properties.get(SOCKET_LISTEN_BACKLOG_SIZE);
        if (null != backlog)
        {
            config.socketListenBacklogSize(Integer.parseInt(backlog.trim()));
        }
        final String receiveTimeout = properties.get(REQUEST_RECEIVE_TIMEOUT_MS);
        if (null != receiveTimeout)
        {
            config.requestReceiveTimeoutMs(Long.parseLong(receiveTimeout.trim()));
        }
        final String inFlight = properties.get(MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION);
        if (null != inFlight)
        {
            config.maxInFlightRequestsPerConnection(Integer.parseInt(inFlight.trim()));
        }
        final String receiveInitial = properties.get(RECEIVE_BUFFER_INITIAL_BYTES);
        if (null != receiveInitial)
        {
            config.receiveBufferInitialBytes(Integer.parseInt(receiveInitial.trim()));
        }
        final String sendInitial = properties.get(SEND_BUFFER_INITIAL_BYTES);
        if (null != sendInitial)
        {
            config.sendBufferInitialBytes(Integer.parseInt(sendInitial.trim()));
        }
        final String release = properties.get(BUFFER_RELEASE_MS);
        if (null != release)
        {
            config.bufferReleaseMs(Long.parseLong(release.trim()));
        }
        final String queueSize = properties.get(NEW_CONNECTION_QUEUE_SIZE);
        if (null != queueSize)
        {
            config.newConnectionQueueSize(Integer.parseInt(queueSize.trim()));
        }
        final String spins = properties.get(IDLE_SPINS);
        if (null != spins)
        {
            config.idleSpins(Integer.parseInt(spins.trim()));
        }
        final String maxBlock = properties.get(IDLE_MAX_BLOCK_MS);
        if (null != maxBlock)
        {
            config.idleMaxBlockMs(Long.parseLong(maxBlock.trim()));
        }
        return config;
    }

    /**
     * Checks ranges and that one network agent's buffer budget can hold the largest legal frame while the
     * buffer it grows from is still allocated; a smaller budget would leave such a frame waiting forever.
     *
     * @throws IllegalArgumentException naming the first bad setting.
     */
    public TransportConfig validate()
    {
        require(numNetworkThreads >= 1, NUM_NETWORK_THREADS + " must be >= 1");
        require(port >= 0 && port <= 65535, "port must be in [0, 65535]");
        require(socketRequestMaxBytes >= 1, SOCKET_REQUEST_MAX_BYTES + " must be >= 1");
        require(socketRequestMaxBytes <= Integer.MAX_VALUE - 8, SOCKET_REQUEST_MAX_BYTES + " too large");
        require(queuedMaxRequestBytes == UNBOUNDED || queuedMaxRequestBytes > 0,
            QUEUED_MAX_REQUEST_BYTES + " must be -1 or > 0");
        require(connectionsMaxIdleMs > 0, CONNECTIONS_MAX_IDLE_MS + " must be > 0");
        require(maxConnections >= 1, MAX_CONNECTIONS + " must be >= 1");
        require(maxConnectionsPerIp >= 1, MAX_CONNECTIONS_PER_IP + " must be >= 1");
        require(requestReceiveTimeoutMs > 0, REQUEST_RECEIVE_TIMEOUT_MS + " must be > 0");
        require(maxInFlightRequestsPerConnection >= 1 && maxInFlightRequestsPerConnection <= 1024,
            MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION + " must be in [1, 1024]");
        require(receiveBufferInitialBytes >= 64 && Integer.bitCount(receiveBufferInitialBytes) == 1,
            RECEIVE_BUFFER_INITIAL_BYTES + " must be a power of two >= 64");
        require(sendBufferInitialBytes >= 64 && Integer.bitCount(sendBufferInitialBytes) == 1,
            SEND_BUFFER_INITIAL_BYTES + " must be a power of two >= 64");
        require(bufferReleaseMs > 0, BUFFER_RELEASE_MS + " must be > 0");
        require(newConnectionQueueSize >= 2, NEW_CONNECTION_QUEUE_SIZE + " must be >= 2");
        require(idleSpins >= 0, IDLE_SPINS + " must be >= 0");
        require(idleMaxBlockMs > 0, IDLE_MAX_BLOCK_MS + " must be > 0");
        if (queuedMaxRequestBytes != UNBOUNDED)
        {
            final long needed = (long)maxReceiveBufferCapacity() + receiveBufferInitialBytes;
            require(queuedMaxRequestBytes >= needed, QUEUED_MAX_REQUEST_BYTES + " (per network thread) must be >= " +
                needed + " to hold one frame of " + SOCKET_REQUEST_MAX_BYTES + " while growing its buffer");
        }
        return this;
    }

    /**
     * The largest receive buffer a connection grows to: the next power of two above the largest frame with
     * its size prefix, unless that overshoots by more than a 64 KiB-aligned exact fit, which is used instead
     * (a 100 MiB limit then costs 100 MiB + 64 KiB, not 128 MiB).
     */
    public int maxReceiveBufferCapacity()
    {
        final long frame = (long)socketRequestMaxBytes + Integer.BYTES;
        final long aligned = Math.max(receiveBufferInitialBytes, (frame + 65535) & ~65535L);
        final long powerOfTwo = Long.highestOneBit(frame - 1) << 1;
        return (int)Math.min(Math.max(powerOfTwo, receiveBufferInitialBytes), aligned);
    }

    /** Budget of one network agent in bytes; {@link Long#MAX_VALUE} when unbounded. */
    public long bufferBudgetBytes()
    {
        return queuedMaxRequestBytes == UNBOUNDED ? Long.MAX_VALUE : queuedMaxRequestBytes;
    }

    private static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalArgumentException(message);
        }
    }

    /** Address to bind; default 0.0.0.0. Kafka spells this inside {@code listeners}. */
    public TransportConfig host(final String host)
    {
        this.host = host;
        return this;
    }

    public String host()
    {
        return host;
    }

    /** Port to bind; 0 picks an ephemeral port (tests). Default 9092. */
    public TransportConfig port(final int port)
    {
        this.port = port;
        return this;
    }

    public int port()
    {
        return port;
    }

    /** {@value #NUM_NETWORK_THREADS}: network agents, each with its own selector. Default 3 (Kafka's). */
    public TransportConfig numNetworkThreads(final int numNetworkThreads)
    {
        this.numNetworkThreads = numNetworkThreads;
        return this;
    }

    public int numNetworkThreads()
    {
        return numNetworkThreads;
    }

    /** {@value #SOCKET_REQUEST_MAX_BYTES}: largest request frame, without its size prefix. Default 104857600. */
    public TransportConfig socketRequestMaxBytes(final int socketRequestMaxBytes)
    {
        this.socketRequestMaxBytes = socketRequestMaxBytes;
        return this;
    }

    public int socketRequestMaxBytes()
    {
        return socketRequestMaxBytes;
    }

    /**
     * {@value #QUEUED_MAX_REQUEST_BYTES}: direct buffer memory each network agent may hold for receive and send
     * buffers, or {@link #UNBOUNDED}. Unlike Kafka, which applies it to queued requests broker-wide, Loggia
     * applies it per network agent, so no lock is shared between network threads. Default 268435456 (256 MiB).
     */
    public TransportConfig queuedMaxRequestBytes(final long queuedMaxRequestBytes)
    {
        this.queuedMaxRequestBytes = queuedMaxRequestBytes;
        return this;
    }

    public long queuedMaxRequestBytes()
    {
        return queuedMaxRequestBytes;
    }

    /** {@value #CONNECTIONS_MAX_IDLE_MS}: close a connection that read and wrote nothing this long. Default 600000. */
    public TransportConfig connectionsMaxIdleMs(final long connectionsMaxIdleMs)
    {
        this.connectionsMaxIdleMs = connectionsMaxIdleMs;
        return this;
    }

    public long connectionsMaxIdleNs()
    {
        return TimeUnit.MILLISECONDS.toNanos(connectionsMaxIdleMs);
    }

    /** {@value #MAX_CONNECTIONS}: open connections across all agents; new ones beyond are closed. */
    public TransportConfig maxConnections(final int maxConnections)
    {
        this.maxConnections = maxConnections;
        return this;
    }

    public int maxConnections()
    {
        return maxConnections;
    }

    /** {@value #MAX_CONNECTIONS_PER_IP}: open connections from one client address; new ones beyond are closed. */
    public TransportConfig maxConnectionsPerIp(final int maxConnectionsPerIp)
    {
        this.maxConnectionsPerIp = maxConnectionsPerIp;
        return this;
    }

    public int maxConnectionsPerIp()
    {
        return maxConnectionsPerIp;
    }

    /** {@value #SOCKET_RECEIVE_BUFFER_BYTES}: SO_RCVBUF of accepted sockets; -1 keeps the OS default (autotuned). */
    public TransportConfig socketReceiveBufferBytes(final int socketReceiveBufferBytes)
    {
        this.socketReceiveBufferBytes = socketReceiveBufferBytes;
        return this;
    }

    public int socketReceiveBufferBytes()
    {
        return socketReceiveBufferBytes;
    }

    /** {@value #SOCKET_SEND_BUFFER_BYTES}: SO_SNDBUF of accepted sockets; -1 keeps the OS default (autotuned). */
    public TransportConfig socketSendBufferBytes(final int socketSendBufferBytes)
    {
        this.socketSendBufferBytes = socketSendBufferBytes;
        return this;
    }

    public int socketSendBufferBytes()
    {
        return socketSendBufferBytes;
    }

    /** {@value #SOCKET_LISTEN_BACKLOG_SIZE}: accept backlog. Default 50. */
    public TransportConfig socketListenBacklogSize(final int socketListenBacklogSize)
    {
        this.socketListenBacklogSize = socketListenBacklogSize;
        return this;
    }

    public int socketListenBacklogSize()
    {
        return socketListenBacklogSize;
    }

    /**
     * {@value #REQUEST_RECEIVE_TIMEOUT_MS}: a started frame must complete, or move forward by at least
     * {@link #receiveBufferInitialBytes()} bytes, within this time, else the connection is closed. Default 30000.
     */
    public TransportConfig requestReceiveTimeoutMs(final long requestReceiveTimeoutMs)
    {
        this.requestReceiveTimeoutMs = requestReceiveTimeoutMs;
        return this;
    }

    public long requestReceiveTimeoutNs()
    {
        return TimeUnit.MILLISECONDS.toNanos(requestReceiveTimeoutMs);
    }

    /** {@value #MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION}: requests handed over and not yet answered. Default 16. */
    public TransportConfig maxInFlightRequestsPerConnection(final int maxInFlightRequestsPerConnection)
    {
        this.maxInFlightRequestsPerConnection = maxInFlightRequestsPerConnection;
        return this;
    }

    public int maxInFlightRequestsPerConnection()
    {
        return maxInFlightRequestsPerConnection;
    }

    /** {@value #RECEIVE_BUFFER_INITIAL_BYTES}: first receive buffer of a connection, a power of two. Default 65536. */
    public TransportConfig receiveBufferInitialBytes(final int receiveBufferInitialBytes)
    {
        this.receiveBufferInitialBytes = receiveBufferInitialBytes;
        return this;
    }

    public int receiveBufferInitialBytes()
    {
        return receiveBufferInitialBytes;
    }

    /** {@value #SEND_BUFFER_INITIAL_BYTES}: first send buffer of a connection, a power of two. Default 16384. */
    public TransportConfig sendBufferInitialBytes(final int sendBufferInitialBytes)
    {
        this.sendBufferInitialBytes = sendBufferInitialBytes;
        return this;
    }

    public int sendBufferInitialBytes()
    {
        return sendBufferInitialBytes;
    }

    /** {@value #BUFFER_RELEASE_MS}: an empty buffer untouched this long goes back to the pool. Default 1000. */
    public TransportConfig bufferReleaseMs(final long bufferReleaseMs)
    {
        this.bufferReleaseMs = bufferReleaseMs;
        return this;
    }

    public long bufferReleaseNs()
    {
        return TimeUnit.MILLISECONDS.toNanos(bufferReleaseMs);
    }

    /** {@value #NEW_CONNECTION_QUEUE_SIZE}: accepted sockets waiting for their agent; beyond, they are closed. */
    public TransportConfig newConnectionQueueSize(final int newConnectionQueueSize)
    {
        this.newConnectionQueueSize = newConnectionQueueSize;
        return this;
    }

    public int newConnectionQueueSize()
    {
        return newConnectionQueueSize;
    }

    /** {@value #IDLE_SPINS}: idle duty cycles spent spinning before a network thread blocks. Default 20. */
    public TransportConfig idleSpins(final int idleSpins)
    {
        this.idleSpins = idleSpins;
        return this;
    }

    public int idleSpins()
    {
        return idleSpins;
    }

    /**
     * {@value #IDLE_MAX_BLOCK_MS}: longest a network thread blocks in select without a timer or wake asking for
     * it; bounds the timers of other agents composed on the same thread. Default 100.
     */
    public TransportConfig idleMaxBlockMs(final long idleMaxBlockMs)
    {
        this.idleMaxBlockMs = idleMaxBlockMs;
        return this;
    }

    public long idleMaxBlockNs()
    {
        return TimeUnit.MILLISECONDS.toNanos(idleMaxBlockMs);
    }

    public String toString()
    {
        return "TransportConfig{" +
            "host=" + host +
            ", port=" + port +
            ", " + NUM_NETWORK_THREADS + "=" + numNetworkThreads +
            ", " + SOCKET_REQUEST_MAX_BYTES + "=" + socketRequestMaxBytes +
            ", " + QUEUED_MAX_REQUEST_BYTES + "=" + queuedMaxRequestBytes +
            ", " + CONNECTIONS_MAX_IDLE_MS + "=" + connectionsMaxIdleMs +
            ", " + MAX_CONNECTIONS + "=" + maxConnections +
            ", " + MAX_CONNECTIONS_PER_IP + "=" + maxConnectionsPerIp +
            ", " + SOCKET_RECEIVE_BUFFER_BYTES + "=" + socketReceiveBufferBytes +
            ", " + SOCKET_SEND_BUFFER_BYTES + "=" + socketSendBufferBytes +
            ", " + SOCKET_LISTEN_BACKLOG_SIZE + "=" + socketListenBacklogSize +
            ", " + REQUEST_RECEIVE_TIMEOUT_MS + "=" + requestReceiveTimeoutMs +
            ", " + MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION + "=" + maxInFlightRequestsPerConnection +
            ", " + RECEIVE_BUFFER_INITIAL_BYTES + "=" + receiveBufferInitialBytes +
            ", " + SEND_BUFFER_INITIAL_BYTES + "=" + sendBufferInitialBytes +
            ", " + BUFFER_RELEASE_MS + "=" + bufferReleaseMs +
            ", " + NEW_CONNECTION_QUEUE_SIZE + "=" + newConnectionQueueSize +
            ", " + IDLE_SPINS + "=" + idleSpins +
            ", " + IDLE_MAX_BLOCK_MS + "=" + idleMaxBlockMs +
            '}';
    }
}
