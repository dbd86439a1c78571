package io.loggia.engine.group;

import org.agrona.DirectBuffer;

/**
 * Where the coordinator appends its records: one batch at a time into a {@code __consumer_offsets} partition,
 * answered later by a completion. In production {@link AppendOffsetsLog} (the writers' append rings, acks=-1);
 * in tests a log the test thread appends itself.
 * <p>
 * <b>Assumptions and Guarantees</b>: called only from the coordinator thread. Completions of batches offered to
 * one partition arrive in the order they were offered.
 */
public interface OffsetsLog
{
    int OFFERED = 0;
    /** No room now; offer the same batch again later. */
    int BACK_PRESSURED = -2;
    /** The batch can never be taken (larger than the ring). */
    int TOO_LARGE = -3;
    /** The partition has no writer (the topic is gone or not yet created). */
    int NOT_AVAILABLE = -4;

    /** Receives completions, on the coordinator thread. */
    @FunctionalInterface
    interface CompletionHandler
    {
        /**
         * @param correlation as offered.
         * @param errorCode   a Kafka error code, 0 when the batch is in the log and acknowledged (acks=-1).
         * @param baseOffset  the batch's first offset, -1 on error.
         */
        void onAppended(long correlation, short errorCode, long baseOffset);
    }

    /**
     * Offers one whole, valid record batch for {@code partition} of {@code __consumer_offsets}.
     *
     * @return {@link #OFFERED}, {@link #BACK_PRESSURED}, {@link #TOO_LARGE} or {@link #NOT_AVAILABLE}.
     */
    int offer(int partition, long correlation, DirectBuffer batch, int offset, int length);

    /** Makes the writers offered to since the last call start on their batches. */
    void flush();

    /**
     * Hands completions to {@code handler}.
     *
     * @return how many.
     */
    int poll(CompletionHandler handler, int limit);
}
