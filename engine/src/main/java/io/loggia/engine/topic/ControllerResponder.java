package io.loggia.engine.topic;

import java.util.ArrayList;

/**
 * Hands answered ops back to their callers and wakes each caller once per duty cycle however many answers it
 * got. Called only from the controller thread.
 */
final class ControllerResponder
{
    private final ArrayList<ControllerResponseChannel> toWake = new ArrayList<>();

    /** The op goes back to its caller (an op from the broker itself has none); the controller lets go of it. */
    void respond(final ControllerOp op)
    {
        final ControllerResponseChannel channel = op.replyTo;
        op.replyTo = null;
        if (null != channel && channel.offer(op))
        {
            toWake.add(channel);
        }
    }

    /** @return how many callers were woken. */
    int wakeCallers()
    {
        final int count = toWake.size();
        for (int i = 0; i < count; i++)
        {
            toWake.get(i).wakeCaller();
        }
        toWake.clear();
        return count;
    }
}
