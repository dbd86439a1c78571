package io.loggia.engine.group;

import java.util.ArrayList;

/**
 * Hands answered ops back to their callers and wakes each caller once per duty cycle however many answers it
 * got. Called only from the coordinator thread.
 */
final class GroupResponder
{
    private final ArrayList<GroupResponseChannel> toWake = new ArrayList<>();
    private long responses;

    /** The op goes back to its caller; the coordinator must not touch it afterwards. */
    void respond(final GroupOp op)
    {
        final GroupResponseChannel channel = op.replyTo;
        op.replyTo = null;
        responses++;
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

    long responses()
    {
        return responses;
    }
}
