package io.loggia.engine.writer;

/**
 * Receives append outcomes on the caller's thread, from {@link AppendCompletionAdapter#poll}.
 */
@FunctionalInterface
public interface AppendCompletionHandler
{
    /**
     * @param errorCode a Kafka error code, 0 for success; on a retried duplicate the original offsets come back
     *                  with error 0, as Kafka does.
     */
    void onAppendComplete(
        long correlation, int partitionId, short errorCode, long baseOffset, long logAppendTime, long logStartOffset);
}
