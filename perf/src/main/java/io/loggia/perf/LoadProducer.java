package io.loggia.perf;

/**
 * One producer of a run, whatever client it drives: {@link ProducerWorker} (the Kafka client) or
 * {@code lean.LeanProducer} (Loggia's own codec). Each runs on its own thread and stamps every record with the
 * {@link PayloadFlyweight} header.
 * <p>
 * <b>Assumptions and Guarantees.</b> {@link #run()} is called on the producer's own thread. Every other method may
 * be called from the run's main thread at any time; the counters are read with acquire semantics and
 * {@link #doneNs()} is valid once {@link #done()} has returned true.
 */
public interface LoadProducer extends Runnable
{
    /** Make {@link #run()} stop before its next message, flush and return. */
    void stop();

    /** @return global producer index, as written into payloads. */
    int index();

    /** @return the topic written. */
    String topic();

    /** @return messages handed to the client. */
    long sent();

    /** @return messages acknowledged by the broker (acks=0: written). */
    long acked();

    /** @return messages whose send failed. */
    long errors();

    /** @return the first failure, or null. */
    String firstError();

    /** @return true once {@link #run()} has returned. */
    boolean done();

    /** @return run clock time {@link #run()} finished flushing. */
    long doneNs();
}
