package io.loggia.net.broker;

import io.loggia.engine.Engine;
import io.loggia.engine.EngineThreads;
import io.loggia.engine.agent.ParkingIdleStrategy;
import io.loggia.engine.group.GroupCoordinator;
import io.loggia.engine.topic.Controller;
import io.loggia.engine.writer.DelegatingWakeSignal;
import io.loggia.net.transport.NetworkAgent;
import io.loggia.net.transport.NetworkServer;
import io.loggia.net.transport.SelectorIdleStrategy;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.CompositeAgent;
import org.agrona.concurrent.IdleStrategy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Places the broker's agents on threads and points every wake signal at the thread that runs its agent.
 * <pre>
 *   shared (default):   loggia-shared     network agent 0, writers 0..W-1, controller, group coordinator
 *                                         (idle: agent 0's selector, woken by any of them)
 *                       loggia-network-N  network agents 1..N-1, if num.network.threads > 1
 *                       loggia-housekeeper
 *   dedicated:          loggia-network-N  each network agent
 *                       loggia-writer-N   each writer (parking idle strategy)
 *                       loggia-controller, group-coordinator, loggia-housekeeper
 * </pre>
 * A thread blocks in at most one selector, so a thread runs at most one network agent. Network agents start held
 * ({@link GatedAgent}) until {@link #openNetwork()}; at shutdown they, the coordinator and the controller are
 * closed on their own threads ({@link #closeNetwork}, {@link #closeControlPlane}) while the writers keep running
 * for the engine's close; {@link #close()} then stops every runner.
 * <p>
 * Idling at shutdown: once network agent 0 closed its selector, the shared thread's idle strategy parks until a
 * writer, the controller or the coordinator wakes it (or its 100 ms timer bound), so it does not spin while the
 * engine closes. A runner's idle strategy is told to stop blocking only right before that runner is closed: from
 * then on it returns at once, so the runner sees its stop flag without an interrupt (an interrupt during
 * {@code FileChannel.transferTo} would close a segment's channel for every reader).
 * <p>
 * <b>Assumptions and Guarantees</b>: built, opened and closed by one controlling thread (start-up, then
 * shutdown); the agents run on the runners' threads.
 */
final class BrokerThreads implements AutoCloseable
{
    static final long CONTROLLER_MAX_PARK_NS = TimeUnit.MILLISECONDS.toNanos(10);
    static final long COORDINATOR_MAX_PARK_NS = TimeUnit.MILLISECONDS.toNanos(5);
    /** Longest wait for a runner's thread to finish closing before it is interrupted. */
    static final int RUNNER_CLOSE_TIMEOUT_MS = 60_000;

    private final List<GatedAgent> network = new ArrayList<>();
    private final List<AgentRunner> runners = new ArrayList<>();
    /** The idle strategy of each runner, by index in {@link #runners}. */
    private final List<IdleStrategy> runnerIdles = new ArrayList<>();
    /** Runners whose only agent is a network agent: stopped as soon as their agent closed. */
    private final List<AgentRunner> networkRunners = new ArrayList<>();
    private GatedAgent controller;
    private GatedAgent coordinator;

    private BrokerThreads()
    {
    }

    /**
     * Wire the wake signals and start every thread; network agents are held until {@link #openNetwork()}.
     */
    static BrokerThreads start(
        final BrokerConfig.ThreadingMode mode,
        final NetworkServer server,
        final Engine engine,
        final Controller controller,
        final DelegatingWakeSignal controllerWake,
        final GroupCoordinator coordinator,
        final DelegatingWakeSignal coordinatorWake,
        final ErrorHandler errorHandler)
    {
        final BrokerThreads threads = new BrokerThreads();
        final ParkingIdleStrategy housekeeperIdle =
            new ParkingIdleStrategy(EngineThreads.HOUSEKEEPER_IDLE_SPINS, EngineThreads.HOUSEKEEPER_MAX_PARK_NS,
                EngineThreads.HOUSEKEEPER_IDLE_PARK_NS);
        engine.housekeeperWakeSignal(housekeeperIdle);
        threads.add("loggia-housekeeper", housekeeperIdle, engine.housekeeper(), errorHandler);

        if (BrokerConfig.ThreadingMode.SHARED == mode)
        {
            final NetworkAgent first = server.agent(0);
            final IdleStrategy idle = first.idleStrategy();
            final List<Agent> shared = new ArrayList<>();
            shared.add(threads.gate(first));
            for (int i = 0; i < engine.writerCount(); i++)
            {
                engine.writerWakeSignal(i, first.idleStrategy());
                shared.add(engine.writer(i));
            }
            controllerWake.target(first.idleStrategy());
            threads.controller = new GatedAgent(controller, controllerWake, true);
            shared.add(threads.controller);
            coordinatorWake.target(first.idleStrategy());
            threads.coordinator = new GatedAgent(coordinator, coordinatorWake, true);
            shared.add(threads.coordinator);
            threads.add("loggia-shared", idle, new CompositeAgent(shared), errorHandler);
            for (int i = 1; i < server.agentCount(); i++)
            {
                threads.addNetwork(server.agent(i), errorHandler);
            }
        }
        else
        {
            for (int i = 0; i < server.agentCount(); i++)
            {
                threads.addNetwork(server.agent(i), errorHandler);
            }
            for (int i = 0; i < engine.writerCount(); i++)
            {
                final ParkingIdleStrategy idle =
                    new ParkingIdleStrategy(EngineThreads.IDLE_SPINS, EngineThreads.WRITER_MAX_PARK_NS);
                engine.writerWakeSignal(i, idle);
                threads.add(engine.writer(i).roleName(), idle, engine.writer(i), errorHandler);
            }
            final ParkingIdleStrategy controllerIdle =
                new ParkingIdleStrategy(EngineThreads.IDLE_SPINS, CONTROLLER_MAX_PARK_NS);
            controllerWake.target(controllerIdle);
            threads.controller = new GatedAgent(controller, controllerWake, true);
            threads.add(Controller.ROLE_NAME, controllerIdle, threads.controller, errorHandler);
            final ParkingIdleStrategy coordinatorIdle =
                new ParkingIdleStrategy(EngineThreads.IDLE_SPINS, COORDINATOR_MAX_PARK_NS);
            coordinatorWake.target(coordinatorIdle);
            threads.coordinator = new GatedAgent(coordinator, coordinatorWake, true);
            threads.add(GroupCoordinator.ROLE_NAME, coordinatorIdle, threads.coordinator, errorHandler);
        }
        for (final AgentRunner runner : threads.runners)
        {
            AgentRunner.startOnThread(runner, runnable -> new Thread(runnable, runner.agent().roleName()));
        }
        return threads;
    }

    private GatedAgent gate(final NetworkAgent agent)
    {
        final GatedAgent gate = new GatedAgent(agent, agent.wakeSignal(), false);
        network.add(gate);
        return gate;
    }

    private AgentRunner add(
        final String name, final IdleStrategy idle, final Agent agent, final ErrorHandler errorHandler)
    {
        final AgentRunner runner = new AgentRunner(idle, errorHandler, null, new NamedAgent(name, agent));
        runners.add(runner);
        runnerIdles.add(idle);
        return runner;
    }

    private void addNetwork(final NetworkAgent agent, final ErrorHandler errorHandler)
    {
        networkRunners.add(add(agent.roleName(), agent.idleStrategy(), gate(agent), errorHandler));
    }

    /** Let the network agents serve. */
    void openNetwork()
    {
        for (final GatedAgent gate : network)
        {
            gate.open();
        }
    }

    /**
     * Close every network agent on its thread (connections closed, in-flight requests dropped, the listening
     * socket closed) and wait for them.
     *
     * @return false if one did not close in time.
     */
    boolean closeNetwork(final long timeoutNs)
    {
        // each agent closes its selector on its own thread; that thread then parks instead of selecting
        for (final GatedAgent gate : network)
        {
            gate.requestClose();
        }
        final boolean closed = await(network, timeoutNs);
        if (closed)
        {
            // a thread that ran only a network agent has nothing left to run
            for (final AgentRunner runner : networkRunners)
            {
                closeRunner(runner, null);
            }
        }
        return closed;
    }

    /**
     * Close the group coordinator, then the controller, each on its thread (answering what they hold with
     * errors), and wait for them.
     *
     * @return false if one did not close in time.
     */
    boolean closeControlPlane(final long timeoutNs)
    {
        coordinator.requestClose();
        final boolean coordinatorClosed = await(List.of(coordinator), timeoutNs);
        controller.requestClose();
        return await(List.of(controller), timeoutNs) && coordinatorClosed;
    }

    /** Stop every runner; their agents' {@code onClose} runs on their threads if it has not yet. */
    public void close()
    {
        for (final AgentRunner runner : runners)
        {
            closeRunner(runner, thread -> System.getLogger(BrokerThreads.class.getName())
                .log(System.Logger.Level.WARNING, "thread " + thread.getName() + " is slow to stop"));
        }
    }

    /** Stop the runner's idle strategy from blocking, then close the runner: it sees its stop flag at once. */
    private void closeRunner(final AgentRunner runner, final Consumer<Thread> slowToStop)
    {
        final IdleStrategy idle = runnerIdles.get(runners.indexOf(runner));
        if (idle instanceof SelectorIdleStrategy)
        {
            ((SelectorIdleStrategy)idle).stopBlocking();
        }
        runner.close(RUNNER_CLOSE_TIMEOUT_MS, slowToStop);
    }

    private static boolean await(final List<GatedAgent> gates, final long timeoutNs)
    {
        final long deadline = System.nanoTime() + timeoutNs;
        for (final GatedAgent gate : gates)
        {
            while (!gate.isClosed())
            {
                if (System.nanoTime() - deadline > 0)
                {
                    return false;
                }
                LockSupport.parkNanos(100_000);
            }
        }
        return true;
    }

    /** Gives a runner's thread the name the broker chose. */
    private static final class NamedAgent implements Agent
    {
        private final String name;
        private final Agent agent;

        NamedAgent(final String name, final Agent agent)
        {
            this.name = name;
            this.agent = agent;
        }

        public void onStart()
        {
            agent.onStart();
        }

        public int doWork() throws Exception
        {
            return agent.doWork();
        }

        public void onClose()
        {
            agent.onClose();
        }

        public String roleName()
        {
            return name;
        }
    }
}
