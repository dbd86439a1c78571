package io.loggia.perf;

/**
 * A consumer the run starts on its own thread: the Kafka client ({@link ConsumerWorker}) or the lean one
 * ({@code lean.LeanConsumer}). The main thread reads its counts and stops it.
 */
public interface LoadConsumer extends Runnable
{
    /** @return where the consumer counts what it receives. */
    ReceivedRecords records();

    /** @return records received so far. */
    default long received()
    {
        return records().received();
    }

    /** @return value bytes received so far. */
    default long receivedBytes()
    {
        return records().receivedBytes();
    }

    /** @return why the consumer stopped early, or null. */
    String failure();

    /** Any thread: make {@link #run()} return and release the client. */
    void stop();

    /** Main thread: release the client of a consumer whose thread never started. */
    void closeUnstarted();
}
