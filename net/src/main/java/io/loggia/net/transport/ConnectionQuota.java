package io.loggia.net.transport;

import java.net.InetAddress;
import java.util.HashMap;

/**
 * Counts open connections, in total and per client address, against {@code max.connections} and
 * {@code max.connections.per.ip}.
 * <p>
 * <b>Assumptions and Guarantees</b>: {@link #tryAcquire(InetAddress)} is called by the acceptor's thread,
 * {@link #release(InetAddress)} by whichever network thread closes the connection, the getters by any thread.
 * Every method holds this object's monitor: these calls happen once per connection, never per request, so a
 * lock costs nothing that matters and keeps the per-address map simple.
 */
public final class ConnectionQuota
{
    /** {@link #tryAcquire(InetAddress)} result: within both limits, counted. */
    public static final int ACCEPTED = -1;

    private final int maxConnections;
    private final int maxConnectionsPerIp;
    private final HashMap<InetAddress, int[]> perAddress = new HashMap<>();
    private int connections;

    public ConnectionQuota(final int maxConnections, final int maxConnectionsPerIp)
    {
        this.maxConnections = maxConnections;
        this.maxConnectionsPerIp = maxConnectionsPerIp;
    }

    /**
     * Counts a new connection from {@code address} if both limits allow it.
     *
     * @return {@link #ACCEPTED}, {@link CloseReason#REFUSED_MAX_CONNECTIONS} or
     * {@link CloseReason#REFUSED_MAX_CONNECTIONS_PER_IP}.
     */
    public synchronized int tryAcquire(final InetAddress address)
    {
        if (connections >= maxConnections)
        {
            return CloseReason.REFUSED_MAX_CONNECTIONS;
        }
        final int[] count = perAddress.get(address);
        if (null != count && count[0] >= maxConnectionsPerIp)
        {
            return CloseReason.REFUSED_MAX_CONNECTIONS_PER_IP;
        }
        if (null == count)
        {
            perAddress.put(address, new int[]{ 1 });
        }
        else
        {
            count[0]++;
        }
        connections++;
        return ACCEPTED;
    }

    /** Uncounts a connection that {@link #tryAcquire(InetAddress)} accepted. */
    public synchronized void release(final InetAddress address)
    {
        final int[] count = perAddress.get(address);
        if (null == count)
        {
            throw new IllegalStateException("no connection counted for " + address);
        }
        if (--count[0] == 0)
        {
            perAddress.remove(address);
        }
        connections--;
    }

    public synchronized int connections()
    {
        return connections;
    }

    public synchronized int connections(final InetAddress address)
    {
        final int[] count = perAddress.get(address);
        return null == count ? 0 : count[0];
    }
}
