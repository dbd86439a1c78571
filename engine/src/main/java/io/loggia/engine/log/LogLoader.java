package io.loggia.engine.log;

import org.agrona.ErrorHandler;
import org.agrona.IoUtil;
import org.agrona.collections.LongArrayList;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;

/**
 * Opens a partition's directory as a {@link PartitionLog}, creating it if missing, and recovers it after an
 * unclean shutdown.
 * <ol>
 *     <li>Leftovers go: {@code *.deleted}, {@code *.cleaned}, {@code *.swap}, {@code *.prepared}, and index files
 *     without a log.</li>
 *     <li>Segments are ordered by the base offset in their names.</li>
 *     <li>After a clean shutdown (the log dir's {@code .kafka_cleanshutdown}) sizes are trusted: each sealed
 *     segment's size is its file length, and so is the active one's before it is extended again. Indexes are
 *     sanity checked and the few batch headers after the last index entry are walked to find the next offset
 *     and max timestamp; no CRC is computed.</li>
 *     <li>After an unclean shutdown every segment that holds offsets at or after the recovery point, and the
 *     last, is checked batch by batch ({@link RecoveryScan}: length, magic, CRC-32C, contiguous offsets). The
 *     log is cut at the first byte that fails, zero tail of a preallocated file included, every later segment
 *     is deleted, and the indexes of every scanned segment are rebuilt. A sealed segment whose last valid batch
 *     ends exactly at the next segment's base offset only lost its trim: its file is cut, nothing else.</li>
 *     <li>Sealed segments below the recovery point are trusted like after a clean shutdown, but if their
 *     header walk does not end exactly at the file's end they are scanned too.</li>
 * </ol>
 * What was cut is reported in a {@link RecoveryReport}. Runs on the thread that will own the log, before any
 * reader can see it.
 */
public final class LogLoader
{
    private LogLoader()
    {
    }

    /**
     * @param logDir         one of {@code log.dirs}.
     * @param topicPartition the partition; its directory is created if missing.
     * @param config         the topic's config.
     * @param cleanShutdown  the log dir had its clean-shutdown marker.
     * @param recoveryPoint  from {@code recovery-point-offset-checkpoint}; 0 if absent (scan everything).
     * @param logStartOffset from {@code log-start-offset-checkpoint}; 0 if absent.
     * @param highWatermark  from {@code replication-offset-checkpoint}; clamped to the loaded log.
     * @param nowMs          wall clock, for segment ages.
     * @param errorHandler   receives I/O failures the log survives later (failed trims, renames).
     * @param report         filled with what was found and cut.
     * @return the loaded log, its last segment active.
     * @throws IOException if the directory or a segment cannot be read, sized or mapped.
     */
    public static PartitionLog load(
        final Path logDir,
        final TopicPartition topicPartition,
        final LogConfig config,
        final boolean cleanShutdown,
        final long recoveryPoint,
        final long logStartOffset,
        final long highWatermark,
        final long nowMs,
        final ErrorHandler errorHandler,
        final RecoveryReport report) throws IOException
    {
        report.reset(topicPartition, cleanShutdown);
        final Path dir = LogFiles.partitionDir(logDir, topicPartition);
        Files.createDirectories(dir);
        final long[] bases = listSegments(dir, report);

        final ArrayList<LogSegment> loaded = new ArrayList<>();
        try
        {
            if (0 == bases.length)
            {
                loaded.add(LogSegment.create(dir, Math.max(0, logStartOffset), config, nowMs));
            }
            else
            {
                loadSegments(dir, bases, config, cleanShutdown, recoveryPoint, nowMs, report, loaded);
            }

            final long logEnd = loaded.get(loaded.size() - 1).nextOffset();
            long logStart = Math.max(logStartOffset, loaded.get(0).baseOffset());
            if (logStart > logEnd)
            {
                // the checkpointed start lies past what survived: restart empty at the start, as Kafka does
                for (final LogSegment segment : loaded)
                {
                    deleteSegmentFiles(dir, segment.baseOffset(), segment.size(), report);
                    segment.close();
                }
                loaded.clear();
                loaded.add(LogSegment.create(dir, logStart, config, nowMs));
            }
            final long end = loaded.get(loaded.size() - 1).nextOffset();
            logStart = Math.min(logStart, end);
            report.segmentsLoaded = loaded.size();
            report.logStartOffset = logStart;
            report.logEndOffset = end;
            final long hw = Math.max(logStart, Math.min(highWatermark, end));
            final long flushed = cleanShutdown ? end : Math.min(end, Math.max(recoveryPoint, logStart));
            if (!cleanShutdown)
            {
                markNotOnDisk(loaded, flushed);
            }
            return new PartitionLog(topicPartition, dir, config, loaded.toArray(new LogSegment[0]), logStart, hw,
                flushed, nowMs, errorHandler);
        }
        catch (final IOException | RuntimeException ex)
        {
            for (final LogSegment segment : loaded)
            {
                segment.close();
            }
            throw ex;
        }
    }

    private static void loadSegments(
        final Path dir,
        final long[] bases,
        final LogConfig config,
        final boolean cleanShutdown,
        final long recoveryPoint,
        final long nowMs,
        final RecoveryReport report,
        final ArrayList<LogSegment> loaded) throws IOException
    {
        final RecoveryScan scan = new RecoveryScan();
        long previousNext = -1;
        for (int i = 0; i < bases.length; i++)
        {
            final long base = bases[i];
            if (previousNext > base)
            {
                // overlaps the segment before it: keep the older data, drop this segment and all after it
                recordCut(report, base, 0, previousNext, fileLength(dir, base), "segment overlaps the previous one",
                    false);
                deleteFrom(dir, bases, i, report);
                final LogSegment previous = loaded.remove(loaded.size() - 1);
                final int previousSize = previous.size();
                previous.close();
                loaded.add(LogSegment.openActive(
                    dir, previous.baseOffset(), previousSize, config, false, nowMs, report));
                return;
            }
            final boolean last = i == bases.length - 1;
            final long nextBase = last ? Long.MAX_VALUE : bases[i + 1];
            boolean scanIt = !cleanShutdown && (last || nextBase > recoveryPoint);

            LogSegment segment = null;
            if (!scanIt)
            {
                segment = last ?
                    LogSegment.openActive(dir, base, checkedLength(dir, base), config, false, nowMs, report) :
                    LogSegment.openSealed(dir, base, config, false, true, nowMs, report);
                if (segment.tailEnd() != segment.size() || segment.nextOffset() > nextBase)
                {
                    segment.close();
                    segment = null;
                    scanIt = true;
                }
            }

            if (scanIt)
            {
                final int fileLength = checkedLength(dir, base);
                final boolean zeroTail = scanSegment(dir, base, fileLength, config.segmentBytes(), scan, report);
                final int validEnd = scan.validEnd;
                final boolean complete = !last && scan.nextOffset == nextBase;
                boolean becomesLast = last;
                if (validEnd < fileLength)
                {
                    if (complete)
                    {
                        cutFile(dir, base, validEnd);
                        report.tailsTrimmed++;
                    }
                    else
                    {
                        recordCut(report, base, validEnd, scan.nextOffset, fileLength - validEnd,
                            RecoveryScan.describe(scan.failure), zeroTail);
                        becomesLast = true;
                    }
                }
                else if (!last && scan.nextOffset > nextBase)
                {
                    recordCut(report, nextBase, 0, scan.nextOffset, fileLength(dir, nextBase),
                        "segment overlaps the previous one", false);
                    becomesLast = true;
                }
                if (becomesLast)
                {
                    deleteFrom(dir, bases, i + 1, report);
                    segment = LogSegment.openActive(dir, base, validEnd, config, true, nowMs, report);
                    loaded.add(segment);
                    return;
                }
                segment = LogSegment.openSealed(dir, base, config, true, true, nowMs, report);
            }
            loaded.add(segment);
            previousNext = segment.nextOffset();
        }
    }

    /**
     * After an unclean shutdown the bytes at and after the recovery point were read back from the page cache,
     * which a crash of the process (not of the machine) keeps: they may still be only there. Each segment holding
     * such offsets is left for the housekeeper to force, as a segment just sealed (the active one for the
     * writer's flushes), and the flushed offset starts at the recovery point, not at the log end.
     */
    private static void markNotOnDisk(final ArrayList<LogSegment> loaded, final long flushed)
    {
        for (int i = 0, size = loaded.size(); i < size; i++)
        {
            final LogSegment segment = loaded.get(i);
            final long segmentEnd = i + 1 < size ? loaded.get(i + 1).baseOffset() : segment.nextOffset();
            if (segmentEnd > flushed)
            {
                segment.notOnDisk();
            }
        }
    }

    /**
     * Map the segment read-only, scan it and unmap it again (no reader exists yet).
     *
     * @return whether the bytes after the last valid batch are a preallocated zero tail
     * ({@link RecoveryScan#isPreallocatedTail}).
     */
    private static boolean scanSegment(
        final Path dir,
        final long base,
        final int fileLength,
        final int segmentBytes,
        final RecoveryScan scan,
        final RecoveryReport report) throws IOException
    {
        if (0 == fileLength)
        {
            scan.scan(new UnsafeBuffer(new byte[0]), 0, base);
            report.segmentsRecovered++;
            return true;
        }
        try (FileChannel channel = FileChannel.open(LogFiles.logFile(dir, base)))
        {
            final MappedByteBuffer mapping = channel.map(FileChannel.MapMode.READ_ONLY, 0, fileLength);
            try
            {
                final UnsafeBuffer buffer = new UnsafeBuffer(mapping);
                final long start = System.nanoTime();
                scan.scan(buffer, fileLength, base);
                report.scanNanos += System.nanoTime() - start;
                report.bytesScanned += scan.validEnd;
                report.segmentsRecovered++;
                return RecoveryScan.isPreallocatedTail(buffer, scan.validEnd, fileLength, segmentBytes);
            }
            finally
            {
                IoUtil.unmap(mapping);
            }
        }
    }

    private static void recordCut(
        final RecoveryReport report,
        final long base,
        final int position,
        final long nextOffset,
        final long bytes,
        final String reason,
        final boolean zeroTail)
    {
        report.truncated = true;
        report.truncatedSegmentBaseOffset = base;
        report.truncatedAtPosition = position;
        report.truncatedAtOffset = nextOffset;
        report.truncatedBytes = bytes;
        report.truncationReason = reason;
        report.truncatedAtZeroTail = zeroTail;
    }

    private static long[] listSegments(final Path dir, final RecoveryReport report) throws IOException
    {
        final LongArrayList bases = new LongArrayList();
        final ArrayList<Path> indexFiles = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir))
        {
            for (final Path path : stream)
            {
                final String name = path.getFileName().toString();
                if (name.endsWith(LogFiles.DELETED_SUFFIX) || name.endsWith(LogFiles.CLEANED_SUFFIX) ||
                    name.endsWith(LogFiles.SWAP_SUFFIX) || name.endsWith(LogFiles.PREPARED_SUFFIX))
                {
                    Files.deleteIfExists(path);
                    report.leftoverFilesDeleted++;
                    continue;
                }
                final long base = LogFiles.parseBaseOffset(name, LogFiles.LOG_SUFFIX);
                if (base >= 0)
                {
                    bases.addLong(base);
                }
                else if (LogFiles.parseBaseOffset(name, LogFiles.INDEX_SUFFIX) >= 0 ||
                    LogFiles.parseBaseOffset(name, LogFiles.TIME_INDEX_SUFFIX) >= 0)
                {
                    indexFiles.add(path);
                }
            }
        }
        final LongHashSet logBases = new LongHashSet();
        for (int i = 0; i < bases.size(); i++)
        {
            logBases.add(bases.getLong(i));
        }
        for (final Path indexFile : indexFiles)
        {
            final String name = indexFile.getFileName().toString();
            final long base = Math.max(
                LogFiles.parseBaseOffset(name, LogFiles.INDEX_SUFFIX),
                LogFiles.parseBaseOffset(name, LogFiles.TIME_INDEX_SUFFIX));
            if (!logBases.contains(base))
            {
                Files.deleteIfExists(indexFile);
                report.leftoverFilesDeleted++;
            }
        }
        final long[] sorted = bases.toLongArray();
        java.util.Arrays.sort(sorted);
        return sorted;
    }

    private static int checkedLength(final Path dir, final long base) throws IOException
    {
        final long length = fileLength(dir, base);
        if (length > Integer.MAX_VALUE)
        {
            throw new IOException(LogFiles.logFile(dir, base) + " is " + length + " bytes, more than a segment holds");
        }
        return (int)length;
    }

    private static long fileLength(final Path dir, final long base) throws IOException
    {
        return Files.size(LogFiles.logFile(dir, base));
    }

    private static void cutFile(final Path dir, final long base, final int length) throws IOException
    {
        try (RandomAccessFile file = new RandomAccessFile(LogFiles.logFile(dir, base).toFile(), "rw"))
        {
            file.setLength(length);
        }
    }

    private static void deleteFrom(final Path dir, final long[] bases, final int from, final RecoveryReport report)
        throws IOException
    {
        for (int i = from; i < bases.length; i++)
        {
            deleteSegmentFiles(dir, bases[i], fileLength(dir, bases[i]), report);
        }
    }

    private static void deleteSegmentFiles(final Path dir, final long base, final long bytes, final RecoveryReport report)
        throws IOException
    {
        Files.deleteIfExists(LogFiles.logFile(dir, base));
        Files.deleteIfExists(LogFiles.offsetIndexFile(dir, base));
        Files.deleteIfExists(LogFiles.timeIndexFile(dir, base));
        report.segmentsDeleted++;
        report.bytesDeleted += bytes;
    }
}
