package io.loggia.net.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Accepts connections on the listening socket, which is registered with network agent 0's selector, checks
 * them against the {@link ConnectionQuota} and deals them round-robin to the agents through their
 * new-connection queues. Refused connections are closed at once (rather than left in the backlog) so the
 * client sees the refusal and backs off.
 * <p>
 * Runs on agent 0's thread.
 */
final class Acceptor
{
    private static final System.Logger LOG = System.getLogger(Acceptor.class.getName());
    private static final int MAX_ACCEPTS_PER_CYCLE = 64;
    private static final long ACCEPT_ERROR_LOG_INTERVAL_NS = 10_000_000_000L;

    private final ServerSocketChannel serverChannel;
    private final NetworkAgent[] agents;
    private final ConnectionQuota quota;
    private final TransportConfig config;
    private final NetworkCounters counters;
    private int nextAgent;
    private long connectionSequence;
    private long lastAcceptErrorLogNs;
    private boolean acceptErrorLogged;

    Acceptor(
        final ServerSocketChannel serverChannel,
        final NetworkAgent[] agents,
        final ConnectionQuota quota,
        final TransportConfig config)
    {
        this.serverChannel = serverChannel;
        this.agents = agents;
        this.quota = quota;
        this.config = config;
        this.counters = agents[0].counters;
    }

    int onAcceptable(final long nowNs)
    {
        int accepted = 0;
        while (accepted < MAX_ACCEPTS_PER_CYCLE)
        {
            final SocketChannel channel;
            try
            {
                channel = serverChannel.accept();
            }
            catch (final IOException ex)
            {
                // Typically EMFILE; the listening socket stays readable, so log at a bounded rate.
                if (!acceptErrorLogged || nowNs - lastAcceptErrorLogNs >= ACCEPT_ERROR_LOG_INTERVAL_NS)
                {
                    LOG.log(System.Logger.Level.WARNING, "accept failed: " + ex);
                    lastAcceptErrorLogNs = nowNs;
                    acceptErrorLogged = true;
                }
                break;
            }
            if (null == channel)
            {
                break;
            }
            accepted++;
            handOff(channel);
        }
        return accepted;
    }

    void close()
    {
        try
        {
            serverChannel.close();
        }
        catch (final IOException ex)
        {
            LOG.log(System.Logger.Level.WARNING, "closing the listening socket failed: " + ex);
        }
    }

    private void handOff(final SocketChannel channel)
    {
        final InetSocketAddress remoteAddress;
        try
        {
            remoteAddress = (InetSocketAddress)channel.getRemoteAddress();
        }
        catch (final IOException ex)
        {
            refuse(channel, CloseReason.REFUSED_HAND_OFF, "no remote address: " + ex);
            return;
        }
        final int verdict = quota.tryAcquire(remoteAddress.getAddress());
        if (verdict != ConnectionQuota.ACCEPTED)
        {
            refuse(channel, verdict, remoteAddress.toString());
            return;
        }
        try
        {
            configure(channel);
        }
        catch (final IOException ex)
        {
            quota.release(remoteAddress.getAddress());
            refuse(channel, CloseReason.REFUSED_HAND_OFF, remoteAddress + ": " + ex);
            return;
        }
        final NetworkAgent target = agents[nextAgent];
        nextAgent = nextAgent + 1 == agents.length ? 0 : nextAgent + 1;
        final Connection connection = new Connection(++connectionSequence, target, channel, remoteAddress, config);
        if (!target.offerConnection(connection))
        {
            quota.release(remoteAddress.getAddress());
            refuse(channel, CloseReason.REFUSED_HAND_OFF, remoteAddress + ": new-connection queue of " +
                target.roleName() + " is full");
        }
    }

    private void configure(final SocketChannel channel) throws IOException
    {
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
        if (config.socketReceiveBufferBytes() > 0)
        {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, config.socketReceiveBufferBytes());
        }
        if (config.socketSendBufferBytes() > 0)
        {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, config.socketSendBufferBytes());
        }
    }

    private void refuse(final SocketChannel channel, final int reason, final String detail)
    {
        counters.incrementCloses(reason);
        LOG.log(System.Logger.Level.DEBUG, "refused connection " + detail + ": " + CloseReason.name(reason));
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // Nothing was registered for it; the descriptor is released either way.
        }
    }
}
