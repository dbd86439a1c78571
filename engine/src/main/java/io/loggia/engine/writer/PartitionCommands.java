package io.loggia.engine.writer;

import io.loggia.engine.log.LogCodes;
import io.loggia.engine.log.LogConfig;
import io.loggia.engine.log.PartitionLog;
import io.loggia.engine.log.PreparedSegment;
import io.loggia.engine.partition.Partition;
import io.loggia.engine.partition.SegmentSpace;
import org.agrona.ErrorHandler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Carries out a writer's partition commands on its thread: config changes, close, delete, truncation,
 * DeleteRecords and producer snapshots. A command that would unmap, seal or re-open a segment first takes the
 * partition's segment away from the housekeeper ({@link SegmentSpace#unpublish()}); if the housekeeper is
 * still inside it, the command waits for the next duty cycle (commands stay in order behind it).
 * <p>
 * Owned by the writer thread. Control plane: allocates freely.
 */
final class PartitionCommands
{
    /** Longest file name the file systems Loggia runs on accept (ext4, xfs: 255 bytes; topic names are ASCII). */
    static final int MAX_FILE_NAME_LENGTH = 255;

    private final int writerIndex;
    private final OwnedPartitions owned;
    private final Acknowledgements acknowledgements;
    private final ErrorHandler errors;
    private final DirectoryDeletion directoryDeletion;
    private final RetiredLogs retired;

    PartitionCommands(
        final int writerIndex,
        final OwnedPartitions owned,
        final Acknowledgements acknowledgements,
        final ErrorHandler errors,
        final DirectoryDeletion directoryDeletion,
        final RetiredLogs retired)
    {
        this.writerIndex = writerIndex;
        this.owned = owned;
        this.acknowledgements = acknowledgements;
        this.errors = errors;
        this.directoryDeletion = directoryDeletion;
        this.retired = retired;
    }

    /** @return false if the command must wait for the housekeeper to leave the partition; it is retried. */
    boolean execute(final WriterCommand command, final long nowMs)
    {
        try
        {
            switch (command.type())
            {
                case WriterCommand.UPDATE_CONFIG:
                    return updateConfig(command);
                case WriterCommand.CLOSE_PARTITION:
                case WriterCommand.DELETE_PARTITION:
                    return closePartition(command);
                case WriterCommand.TRUNCATE:
                    return truncate(command, nowMs);
                case WriterCommand.DELETE_RECORDS:
                    return deleteRecords(command, nowMs);
                case WriterCommand.TAKE_PRODUCER_SNAPSHOT:
                    return takeProducerSnapshot(command);
                default:
                    throw new IllegalArgumentException("not a partition command: " + command);
            }
        }
        catch (final Throwable ex)
        {
            errors.onError(ex);
            complete(command, KafkaErrors.UNKNOWN_SERVER_ERROR, -1);
            return true;
        }
    }

    private boolean updateConfig(final WriterCommand command)
    {
        final OwnedPartition o = owned.get(command.partition().id());
        if (null == o)
        {
            complete(command, KafkaErrors.UNKNOWN_TOPIC_OR_PARTITION, -1);
            return true;
        }
        final LogConfig config = command.config();
        o.log.updateConfig(config);
        o.partition.config(config);
        o.applyConfig(config);
        complete(command, KafkaErrors.NONE, -1);
        return true;
    }

    private boolean closePartition(final WriterCommand command)
    {
        final Partition partition = command.partition();
        OwnedPartition o = owned.owned(partition.id());
        if (null == o)
        {
            if (Partition.CLOSED == partition.state() || partition.writerIndex() != writerIndex)
            {
                complete(command, KafkaErrors.UNKNOWN_TOPIC_OR_PARTITION, -1);
                return true;
            }
            // created and closed before this writer noticed it: close it all the same
            o = owned.detached(partition);
        }
        if (!takeFromHousekeeper(o))
        {
            return false;
        }
        partition.state(Partition.CLOSING);
        owned.remove(o);
        final PartitionLog log = o.log;
        if (WriterCommand.CLOSE_PARTITION == command.type())
        {
            acknowledgements.closeLog(o);
            retired.add(log);
            partition.state(Partition.CLOSED);
            acknowledgements.signalClosed(o);
            complete(command, KafkaErrors.NONE, -1);
            return true;
        }

        acknowledgements.failAcksFrom(o, Long.MIN_VALUE, KafkaErrors.NOT_LEADER_OR_FOLLOWER);
        log.abandon();
        // the files may go before the mappings: a reader still inside keeps reading the unlinked file's pages
        retired.add(log);
        partition.state(Partition.CLOSED);
        acknowledgements.signalClosed(o);
        final Path dir = log.dir();
        final Path renamed = dir.resolveSibling(deleteDirectoryName(partition.topic(), partition.index()));
        try
        {
            Files.move(dir, renamed, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException ex)
        {
            errors.onError(ex);
            complete(command, KafkaErrors.KAFKA_STORAGE_ERROR, -1);
            return true;
        }
        if (null == directoryDeletion || !directoryDeletion.offer(renamed, partition, command.callback()))
        {
            complete(command, deleteDirectory(renamed, errors) ? KafkaErrors.NONE : KafkaErrors.KAFKA_STORAGE_ERROR,
                -1);
        }
        return true;
    }

    private boolean truncate(final WriterCommand command, final long nowMs)
    {
        final OwnedPartition o = owned.owned(command.partition().id());
        if (null == o)
        {
            complete(command, KafkaErrors.UNKNOWN_TOPIC_OR_PARTITION, -1);
            return true;
        }
        if (!takeFromHousekeeper(o))
        {
            return false;
        }
        final PartitionLog log = o.log;
        final long logStart = log.logStartOffset();
        final int code = log.truncateTo(command.offset(), nowMs);
        if (LogCodes.OK == code)
        {
            if (log.logStartOffset() != logStart || log.logEndOffset() == log.logStartOffset())
            {
                // below the log start the log restarted empty
                o.producers.truncateFullyAndStartAt(log.logEndOffset());
            }
            else
            {
                o.producers.truncateTo(log.logEndOffset());
            }
            acknowledgements.failAcksFrom(o, log.logEndOffset(), KafkaErrors.NOT_LEADER_OR_FOLLOWER);
        }
        owned.publishActive(o);
        owned.wantHousekeeper();
        complete(command, KafkaErrors.fromLogCode(code), log.logEndOffset());
        return true;
    }

    private boolean deleteRecords(final WriterCommand command, final long nowMs)
    {
        final OwnedPartition o = owned.owned(command.partition().id());
        if (null == o)
        {
            complete(command, KafkaErrors.UNKNOWN_TOPIC_OR_PARTITION, -1);
            return true;
        }
        final PartitionLog log = o.log;
        final int code = log.deleteRecordsBefore(command.offset(), nowMs);
        if (LogCodes.OK == code)
        {
            o.producers.onLogStartOffset(log.logStartOffset());
        }
        owned.publishActive(o);
        complete(command, KafkaErrors.fromLogCode(code), log.logStartOffset());
        return true;
    }

    private boolean takeProducerSnapshot(final WriterCommand command)
    {
        final OwnedPartition o = owned.owned(command.partition().id());
        if (null == o)
        {
            complete(command, KafkaErrors.UNKNOWN_TOPIC_OR_PARTITION, -1);
            return true;
        }
        o.producers.takeSnapshot(o.log.logEndOffset());
        complete(command, KafkaErrors.NONE, o.log.logEndOffset());
        return true;
    }

    /**
     * Unpublish the partition's segment; true once the housekeeper is seen outside it, so no segment of the
     * partition is touched by it any more (see {@link SegmentSpace}).
     */
    static boolean takeFromHousekeeper(final OwnedPartition o)
    {
        o.published = null;
        final SegmentSpace space = o.partition.space();
        space.unpublish();
        if (!space.isHousekeeperOut())
        {
            return false;
        }
        // a file handed over for the next roll is the log's to use or discard
        final PreparedSegment next = space.takeNext();
        if (null != next)
        {
            o.log.offerPrepared(next);
        }
        return true;
    }

    private void complete(final WriterCommand command, final short errorCode, final long value)
    {
        try
        {
            command.callback().onComplete(command.partition(), errorCode, value);
        }
        catch (final Throwable ex)
        {
            errors.onError(ex);
        }
    }

    /**
     * Kafka's name for a partition directory awaiting deletion, {@code <topic>-<partition>.<uuid, no dashes>-delete},
     * with the topic cut short as Kafka does so the name fits the file system's 255 bytes (a 249-character topic
     * name would not).
     */
    static String deleteDirectoryName(final String topic, final int partition)
    {
        final String suffix = "-" + partition + '.' + UUID.randomUUID().toString().replace("-", "") + "-delete";
        return topic.substring(0, Math.min(topic.length(), MAX_FILE_NAME_LENGTH - suffix.length())) + suffix;
    }

    /** Delete a directory tree; false (and the error handler told) if anything remained. */
    static boolean deleteDirectory(final Path dir, final ErrorHandler errorHandler)
    {
        try (Stream<Path> paths = Files.walk(dir))
        {
            final Path[] all = paths.sorted(Comparator.reverseOrder()).toArray(Path[]::new);
            for (final Path path : all)
            {
                Files.deleteIfExists(path);
            }
            return true;
        }
        catch (final IOException | RuntimeException ex)
        {
            errorHandler.onError(ex);
            return false;
        }
    }
}
