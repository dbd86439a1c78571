package io.loggia.engine.housekeeping;

import io.loggia.engine.log.LogFiles;
import io.loggia.engine.log.OffsetCheckpointFile;
import io.loggia.engine.log.PartitionLog;
import io.loggia.engine.log.TopicPartition;
import io.loggia.engine.partition.Partition;
import io.loggia.engine.partition.PartitionTable;
import org.agrona.collections.Object2LongHashMap;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes a log dir's three offset checkpoint files from the partitions' published offsets, each atomically
 * (write, force, rename, force the directory: {@link OffsetCheckpointFile}):
 * <pre>
 *   recovery-point-offset-checkpoint   PartitionLog.flushedOffset()   the loader scans only after it
 *   log-start-offset-checkpoint        PartitionLog.logStartOffset()  DeleteRecords survives a restart
 *   replication-offset-checkpoint      PartitionLog.highWatermark()   clamped into the loaded log at start-up
 * </pre>
 * Reads only acquire-loaded offsets, so any thread may call it; the housekeeper does periodically and the
 * engine once more at shutdown, after every log is closed. Control plane: allocates the maps it writes.
 */
public final class Checkpoints
{
    private Checkpoints()
    {
    }

    /** Recovery points and high watermarks. */
    public static void writeRecoveryPoints(final Path logDir, final PartitionTable table) throws IOException
    {
        final Object2LongHashMap<TopicPartition> recoveryPoints = new Object2LongHashMap<>(-1L);
        final Object2LongHashMap<TopicPartition> highWatermarks = new Object2LongHashMap<>(-1L);
        for (final Partition partition : table.partitions())
        {
            final PartitionLog log = partition.log();
            recoveryPoints.put(partition.topicPartition(), log.flushedOffset());
            highWatermarks.put(partition.topicPartition(), log.highWatermark());
        }
        OffsetCheckpointFile.write(logDir.resolve(LogFiles.RECOVERY_POINT_CHECKPOINT_FILE), recoveryPoints);
        OffsetCheckpointFile.write(logDir.resolve(LogFiles.REPLICATION_OFFSET_CHECKPOINT_FILE), highWatermarks);
    }

    /** Log start offsets. */
    public static void writeLogStartOffsets(final Path logDir, final PartitionTable table) throws IOException
    {
        final Object2LongHashMap<TopicPartition> logStartOffsets = new Object2LongHashMap<>(-1L);
        for (final Partition partition : table.partitions())
        {
            logStartOffsets.put(partition.topicPartition(), partition.log().logStartOffset());
        }
        OffsetCheckpointFile.write(logDir.resolve(LogFiles.LOG_START_OFFSET_CHECKPOINT_FILE), logStartOffsets);
    }
}
