package io.loggia.engine.group;

/** Receives answered ops on the caller's thread, from {@link GroupCoordinatorProxy#poll}. */
@FunctionalInterface
public interface GroupResponseHandler
{
    /** The op now belongs to the caller again, result fields filled. */
    void onResponse(GroupOp op);
}
