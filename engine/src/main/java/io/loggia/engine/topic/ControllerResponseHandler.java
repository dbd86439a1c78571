package io.loggia.engine.topic;

/** Receives answered ops on the caller's thread, from {@link ControllerProxy#poll}. */
@FunctionalInterface
public interface ControllerResponseHandler
{
    /** The op belongs to the caller again, result fields filled. */
    void onResponse(ControllerOp op);
}
