package io.loggia.net.broker.data;

/**
 * Kafka's fencing of a request's current leader epoch against the partition's. A single node stays leader of
 * every partition it hosts at epoch 0, so only a client with a stale or invented epoch is ever refused.
 */
final class LeaderEpochs
{
    /** A client that sent no current leader epoch. */
    static final int NO_EPOCH = -1;

    private LeaderEpochs()
    {
    }

    /**
     * @return {@link DataErrors#NONE}, {@link DataErrors#FENCED_LEADER_EPOCH} (the client's is older) or
     * {@link DataErrors#UNKNOWN_LEADER_EPOCH} (the client's is newer).
     */
    static short check(final int requestEpoch, final int partitionEpoch)
    {
        if (NO_EPOCH == requestEpoch || requestEpoch == partitionEpoch)
        {
            return DataErrors.NONE;
        }
        return requestEpoch < partitionEpoch ? DataErrors.FENCED_LEADER_EPOCH : DataErrors.UNKNOWN_LEADER_EPOCH;
    }
}
