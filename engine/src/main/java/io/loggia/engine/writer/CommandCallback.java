package io.loggia.engine.writer;

import io.loggia.engine.partition.Partition;

/**
 * Hears how a writer command ended. Called once, from the owning writer's thread (or the housekeeper's for a
 * partition delete, once its files are gone, or the closing thread at shutdown); it must not block.
 */
@FunctionalInterface
public interface CommandCallback
{
    CommandCallback NONE = (partition, errorCode, value) -> {};

    /**
     * @param partition the command's partition, null for a writer shutdown.
     * @param errorCode a {@link KafkaErrors} code, {@link KafkaErrors#NONE} on success.
     * @param value     what the command reports: the log start offset after DeleteRecords, the log end offset
     *                  after a truncation, -1 otherwise.
     */
    void onComplete(Partition partition, short errorCode, long value);
}
