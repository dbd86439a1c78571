package io.loggia.engine.group;

/**
 * One committed offset as it is kept in memory and stored as an OffsetCommitValue: immutable, replaced by the
 * next commit.
 *
 * @param offset          the offset the consumer will read next.
 * @param leaderEpoch     the leader epoch of the last consumed record, -1 if unknown.
 * @param metadata        the client's string, never null ("" when none).
 * @param commitTimestamp when the coordinator took the commit (ms since the epoch).
 * @param expireTimestamp when the offset expires, for commits that asked for their own retention (v2-v4
 *                        requests, written as value version 1); -1 when offsets.retention.ms applies.
 */
public record CommittedOffset(long offset, int leaderEpoch, String metadata, long commitTimestamp, long expireTimestamp)
{
    public static final long NO_EXPIRE_TIMESTAMP = -1;
}
