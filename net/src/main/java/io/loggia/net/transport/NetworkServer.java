package io.loggia.net.transport;

import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SystemNanoClock;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;

/**
 * The transport assembled: a listening socket and {@code num.network.threads} {@link NetworkAgent}s, the
 * first of which also accepts. The broker either runs each agent on its own thread with {@link #start()}, or
 * composes them with other agents on its own {@link AgentRunner}s, using each agent's
 * {@link NetworkAgent#idleStrategy()} as that thread's idle strategy.
 * <p>
 * <b>Assumptions and Guarantees</b>: construct, {@link #start()} and {@link #close()} from one controlling
 * thread; the agents then run on their own threads as described in {@link NetworkAgent}.
 */
public final class NetworkServer implements AutoCloseable
{
    private static final System.Logger LOG = System.getLogger(NetworkServer.class.getName());

    private final TransportConfig config;
    private final ServerSocketChannel serverChannel;
    private final NetworkAgent[] agents;
    private final ConnectionQuota quota;
    private final InetSocketAddress localAddress;
    private AgentRunner[] runners;
    private boolean closed;

    /**
     * Validates {@code config}, binds the listening socket and builds the agents (calling
     * {@code handlerFactory} once per agent). Nothing runs until {@link #start()} or the caller's runners.
     */
    public NetworkServer(final TransportConfig config, final RequestHandlerFactory handlerFactory) throws IOException
    {
        this.config = config.validate();
        this.quota = new ConnectionQuota(config.maxConnections(), config.maxConnectionsPerIp());
        this.agents = new NetworkAgent[config.numNetworkThreads()];
        final ServerSocketChannel channel = ServerSocketChannel.open();
        try
        {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(new InetSocketAddress(config.host(), config.port()), config.socketListenBacklogSize());
            for (int i = 0; i < agents.length; i++)
            {
                agents[i] = new NetworkAgent(i, config, quota, handlerFactory, SystemNanoClock.INSTANCE);
            }
            agents[0].attachAcceptor(new Acceptor(channel, agents, quota, config), channel);
        }
        catch (final IOException | RuntimeException ex)
        {
            for (final NetworkAgent agent : agents)
            {
                if (null != agent)
                {
                    agent.onClose();
                }
            }
            CloseHelper.quietClose(channel);
            throw ex;
        }
        this.serverChannel = channel;
        this.localAddress = (InetSocketAddress)channel.getLocalAddress();
    }

    /** The bound address; with port 0, the ephemeral port chosen. */
    public InetSocketAddress localAddress()
    {
        return localAddress;
    }

    public TransportConfig config()
    {
        return config;
    }

    public int agentCount()
    {
        return agents.length;
    }

    public NetworkAgent agent(final int index)
    {
        return agents[index];
    }

    public ConnectionQuota quota()
    {
        return quota;
    }

    /** Runs each agent on a thread of its own, named after the agent's role. */
    public NetworkServer start()
    {
        if (null != runners || closed)
        {
            throw new IllegalStateException(closed ? "closed" : "already started");
        }
        runners = new AgentRunner[agents.length];
        for (int i = 0; i < agents.length; i++)
        {
            final NetworkAgent agent = agents[i];
            runners[i] = new AgentRunner(agent.idleStrategy(), NetworkServer::onAgentError, null, agent);
            AgentRunner.startOnThread(runners[i]);
        }
        return this;
    }

    /**
     * Makes every network thread stop blocking in select, so that closing their runners takes effect at once
     * and never needs an interrupt. Call it first when the agents run on the caller's runners.
     */
    public void stopBlocking()
    {
        for (final NetworkAgent agent : agents)
        {
            agent.idleStrategy().stopBlocking();
        }
    }

    /**
     * Stops the threads of {@link #start()} (each agent's {@code onClose} closes its connections and agent 0's
     * the listening socket); or, when never started, closes the agents on this thread. Agents running on the
     * caller's runners are closed by closing those runners after {@link #stopBlocking()}, not by this method.
     */
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        stopBlocking();
        if (null != runners)
        {
            for (final AgentRunner runner : runners)
            {
                runner.close();
            }
        }
        else
        {
            for (final NetworkAgent agent : agents)
            {
                agent.onClose();
            }
        }
        CloseHelper.quietClose(serverChannel);
    }

    private static void onAgentError(final Throwable ex)
    {
        LOG.log(System.Logger.Level.ERROR, "network agent error", ex);
    }
}
