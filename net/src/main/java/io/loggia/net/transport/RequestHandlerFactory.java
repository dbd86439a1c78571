package io.loggia.net.transport;

/** Makes the {@link RequestHandler} of one network agent. */
@FunctionalInterface
public interface RequestHandlerFactory
{
    /**
     * Called once per agent, at the end of the agent's construction and on the constructing thread. The agent
     * is fully set up: the handler may keep it, and hand {@link NetworkAgent#wakeSignal()} to the threads that
     * will send it completions.
     */
    RequestHandler newHandler(NetworkAgent agent);
}
