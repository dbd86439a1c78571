package io.loggia.engine.producer;

/**
 * What {@link ProducerStateManager#load} found and did, for the broker's startup log and for tests. Public
 * fields, filled by the loading thread.
 */
public final class ProducerLoadReport
{
    /** Snapshot files found in the partition directory. */
    public int snapshotsFound;
    /** Snapshots deleted because they lie above the log end offset or below the log start offset. */
    public int snapshotsOutOfRange;
    /** Snapshots that failed validation or could not be read, deleted. */
    public int snapshotsCorrupt;
    /** Why the last corrupt snapshot was refused, or null. */
    public String corruptReason;
    /** Temporary files of interrupted snapshot writes, deleted. */
    public int temporaryFilesDeleted;
    /** Offset of the snapshot the state was loaded from, or -1 if it was rebuilt from the log alone. */
    public long snapshotOffset = -1;
    /** The replay read batch headers from this offset up to {@link #replayToOffset}. */
    public long replayFromOffset = -1;
    public long replayToOffset = -1;
    /** Batch headers read by the replay, and how many of them carried a producer id. */
    public long batchesReplayed;
    public long producerBatchesReplayed;
    /** Producers dropped at load because their last batch is older than producer.id.expiration.ms. */
    public int producersExpired;
    /** Producers known after loading. */
    public int producersLoaded;
    public long loadNanos;

    void reset()
    {
        snapshotsFound = 0;
        snapshotsOutOfRange = 0;
        snapshotsCorrupt = 0;
        corruptReason = null;
        temporaryFilesDeleted = 0;
        snapshotOffset = -1;
        replayFromOffset = -1;
        replayToOffset = -1;
        batchesReplayed = 0;
        producerBatchesReplayed = 0;
        producersExpired = 0;
        producersLoaded = 0;
        loadNanos = 0;
    }

    public String toString()
    {
        return "ProducerLoadReport{snapshotsFound=" + snapshotsFound + ", snapshotsOutOfRange=" + snapshotsOutOfRange +
            ", snapshotsCorrupt=" + snapshotsCorrupt + ", corruptReason=" + corruptReason +
            ", temporaryFilesDeleted=" + temporaryFilesDeleted + ", snapshotOffset=" + snapshotOffset +
            ", replayFromOffset=" + replayFromOffset + ", replayToOffset=" + replayToOffset +
            ", batchesReplayed=" + batchesReplayed + ", producerBatchesReplayed=" + producerBatchesReplayed +
            ", producersExpired=" + producersExpired + ", producersLoaded=" + producersLoaded +
            ", loadNanos=" + loadNanos + '}';
    }
}
