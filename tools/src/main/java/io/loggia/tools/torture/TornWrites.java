package io.loggia.tools.torture;

import io.loggia.engine.log.LogFiles;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Damage a killed broker's files the way a power cut can leave them, before it restarts: the bytes that were
 * never forced to disk are cut, zeroed or garbled at random positions, and the index files of the segments the
 * broker will scan are cut, garbled or removed.
 * <p>
 * What may be damaged. Every byte of a partition's log below the <b>protected offset</b> must stay intact: the
 * caller passes the offset after the highest one the producer saw acknowledged, raised to the partition's recovery
 * point from {@code recovery-point-offset-checkpoint} (with {@code flush.messages=1} both were forced before they
 * were acknowledged or checkpointed; a power cut cannot take them). Everything after the batch holding the offset
 * before it is fair game: batches appended but not yet forced or acknowledged, and the zeros of the preallocated
 * file. Index files are derived data; the broker scans and rebuilds the indexes of every segment holding offsets
 * at or past the recovery point, which includes every segment this class touches, so their indexes may be damaged
 * anywhere.
 * <pre>
 *   segment files of a partition, oldest first
 *   ... sealed ][ segment holding the protected end        ][ later segments ...
 *               |<------ intact ------>|<- fair game: cut / zero / garble / torn page / garbage after the end ->
 *                                      ^ end of the batch holding protectedOffset - 1
 * </pre>
 * One injection picks one target (the segment holding the protected end, or a later one) and one kind of damage:
 * <ul>
 *     <li>{@code cut}: the file is truncated at a random position between the protected end and its valid end;</li>
 *     <li>{@code zero}: the bytes from a random position to the valid end become zeros (pages never written);</li>
 *     <li>{@code garble}: 1 to 16 random bytes get random values, anywhere from the protected end to 4 KiB past
 *     the valid end;</li>
 *     <li>{@code torn page}: in one 4 KiB page, everything after a random point gets random bytes or zeros;</li>
 *     <li>{@code tail garbage}: random bytes after the valid end, where only zeros were (when there is no
 *     unprotected data to damage).</li>
 * </ul>
 * The newest producer snapshot of a data partition is deleted, cut or garbled now and then (snapshots are not
 * forced, so a power cut can tear them).
 * <p>
 * For a partition without a protected offset ({@code __consumer_offsets}, whose commits the harness cannot map to
 * bytes) only tail garbage after the last segment's valid end and index damage of the last segment are made.
 * <p>
 * Runs on the harness's main thread while no broker process runs.
 */
final class TornWrites
{
    /** Protected offset meaning: damage nothing before the valid end of the last segment. */
    static final long PROTECT_ALL_VALID = Long.MAX_VALUE;

    static final String CUT = "cut";
    static final String ZERO = "zero";
    static final String GARBLE = "garble";
    static final String TORN_PAGE = "torn page";
    static final String TAIL_GARBAGE = "tail garbage";
    static final String INDEX = "index";

    private static final int PAGE = 4096;
    private static final String SNAPSHOT_SUFFIX = ".snapshot";

    private final SplittableRandom random;
    private long logInjections;
    private long indexInjections;
    private long snapshotInjections;
    private final long[] kindCounts = new long[5];
    private static final String[] KINDS = {CUT, ZERO, GARBLE, TORN_PAGE, TAIL_GARBAGE};

    TornWrites(final SplittableRandom random)
    {
        this.random = random;
    }

    /**
     * Damage one partition's files.
     *
     * @param partitionDir    the partition's directory.
     * @param protectedOffset offsets below it stay intact; {@link #PROTECT_ALL_VALID} for tail damage only.
     * @param indexes         whether to damage index files as well.
     * @return one line per damage made (empty if there was nothing to damage).
     */
    List<String> inject(final Path partitionDir, final long protectedOffset, final boolean indexes) throws IOException
    {
        final List<String> done = new ArrayList<>();
        final long[] bases = segmentBases(partitionDir);
        if (0 == bases.length)
        {
            return done;
        }
        final SegmentWalk[] walks = new SegmentWalk[bases.length];
        for (int i = 0; i < bases.length; i++)
        {
            walks[i] = SegmentWalk.of(LogFiles.logFile(partitionDir, bases[i]), bases[i]);
        }

        final int last = bases.length - 1;
        int target;
        int start;
        if (PROTECT_ALL_VALID == protectedOffset)
        {
            target = last;
            start = walks[last].validEnd;
        }
        else
        {
            int holder = 0;
            int protectedEnd = 0;
            if (protectedOffset > 0)
            {
                holder = segmentHolding(bases, protectedOffset - 1);
                protectedEnd = walks[holder].endOfBatchHolding(protectedOffset - 1);
                if (protectedEnd < 0)
                {
                    done.add(partitionDir.getFileName() + ": nothing damaged, offset " + (protectedOffset - 1) +
                        " (acknowledged or below the recovery point) is not in a valid batch on disk");
                    return done;
                }
            }
            // candidates: the rest of the holder, then each later segment from its start
            final int candidates = bases.length - holder;
            final int pick = random.nextInt(candidates);
            target = holder + pick;
            start = 0 == pick ? protectedEnd : 0;
        }

        final String logDamage = damageLog(walks[target], start);
        if (null != logDamage)
        {
            logInjections++;
            done.add(partitionDir.getFileName() + "/" + walks[target].file.getFileName() + ": " + logDamage);
        }
        if (indexes)
        {
            for (int i = target; i <= last; i++)
            {
                damageIndex(LogFiles.offsetIndexFile(partitionDir, bases[i]), done, partitionDir);
                damageIndex(LogFiles.timeIndexFile(partitionDir, bases[i]), done, partitionDir);
            }
        }
        if (PROTECT_ALL_VALID != protectedOffset && random.nextInt(3) == 0)
        {
            damageNewestSnapshot(partitionDir, done);
        }
        return done;
    }

    /**
     * Producer snapshots are written without a force (engine-producer.md): a power cut can tear the newest. The
     * broker must notice (CRC) and rebuild the state from an older snapshot or the log, or it would forget the
     * sequences that recognise retried batches.
     */
    private void damageNewestSnapshot(final Path partitionDir, final List<String> done) throws IOException
    {
        Path newest = null;
        long newestOffset = -1;
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(partitionDir))
        {
            for (final Path path : stream)
            {
                final long offset = LogFiles.parseBaseOffset(path.getFileName().toString(), SNAPSHOT_SUFFIX);
                if (offset > newestOffset)
                {
                    newestOffset = offset;
                    newest = path;
                }
            }
        }
        if (null == newest)
        {
            return;
        }
        snapshotInjections++;
        final String name = partitionDir.getFileName() + "/" + newest.getFileName();
        final long length = Files.size(newest);
        switch (random.nextInt(3))
        {
            case 0:
                Files.delete(newest);
                done.add(name + ": snapshot deleted");
                return;
            case 1:
            {
                final long at = random.nextLong(length + 1);
                try (RandomAccessFile out = new RandomAccessFile(newest.toFile(), "rw"))
                {
                    out.setLength(at);
                }
                done.add(name + ": snapshot cut at " + at + " of " + length);
                return;
            }
            default:
            {
                final int count = 1 + random.nextInt(8);
                try (RandomAccessFile out = new RandomAccessFile(newest.toFile(), "rw"))
                {
                    for (int i = 0; i < count && length > 0; i++)
                    {
                        write(out, random.nextLong(length), new byte[]{(byte)random.nextInt(256)});
                    }
                }
                done.add(name + ": snapshot " + count + " bytes garbled of " + length);
            }
        }
    }

    /**
     * Self-check of the harness only: cut the log right after the batch holding {@code offset - 1}, taking away
     * whatever was acknowledged after it. A run that does this must report lost records.
     *
     * @return one line per damage made.
     */
    List<String> cutAcknowledged(final Path partitionDir, final long offset) throws IOException
    {
        final List<String> done = new ArrayList<>();
        final long[] bases = segmentBases(partitionDir);
        if (0 == bases.length)
        {
            return done;
        }
        final int holder = segmentHolding(bases, offset - 1);
        final Path file = LogFiles.logFile(partitionDir, bases[holder]);
        final int end = SegmentWalk.of(file, bases[holder]).endOfBatchHolding(offset - 1);
        if (end >= 0)
        {
            try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw"))
            {
                out.setLength(end);
            }
            logInjections++;
            kindCounts[0]++;
            done.add(partitionDir.getFileName() + "/" + file.getFileName() + ": " + CUT + " at " + end +
                " (self-check: acknowledged data cut from offset " + offset + ")");
        }
        return done;
    }

    long logInjections()
    {
        return logInjections;
    }

    long indexInjections()
    {
        return indexInjections;
    }

    long snapshotInjections()
    {
        return snapshotInjections;
    }

    /** "cut 3, zero 2, ..." */
    String kinds()
    {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < KINDS.length; i++)
        {
            text.append(0 == i ? "" : ", ").append(KINDS[i]).append(' ').append(kindCounts[i]);
        }
        return text.toString();
    }

    private String damageLog(final SegmentWalk walk, final int start) throws IOException
    {
        final int validEnd = walk.validEnd;
        final long fileLength = walk.fileLength;
        final boolean unprotectedData = validEnd > start;
        final boolean roomAfterEnd = fileLength > validEnd;
        if (!unprotectedData && !roomAfterEnd)
        {
            return null;
        }
        final int kind = unprotectedData ? random.nextInt(4) : 4;
        kindCounts[kind]++;
        final String where = " (intact up to " + start + ", valid end " + validEnd + ", file " + fileLength + ")";
        try (RandomAccessFile file = new RandomAccessFile(walk.file.toFile(), "rw"))
        {
            switch (kind)
            {
                case 0:
                {
                    final int at = start + random.nextInt(validEnd - start + 1);
                    file.setLength(at);
                    return CUT + " at " + at + where;
                }
                case 1:
                {
                    final int at = start + random.nextInt(validEnd - start);
                    write(file, at, new byte[validEnd - at]);
                    return ZERO + " from " + at + where;
                }
                case 2:
                {
                    final long end = Math.min(fileLength, validEnd + (long)PAGE);
                    final int count = 1 + random.nextInt(16);
                    final long[] positions = new long[count];
                    for (int i = 0; i < count; i++)
                    {
                        positions[i] = start + random.nextLong(end - start);
                        write(file, positions[i], new byte[]{(byte)random.nextInt(256)});
                    }
                    Arrays.sort(positions);
                    return GARBLE + " " + count + " bytes at " + Arrays.toString(positions) + where;
                }
                case 3:
                {
                    final int inPage = start + random.nextInt(validEnd - start);
                    final long pageEnd = Math.min(fileLength, (inPage / PAGE + 1L) * PAGE);
                    final byte[] bytes = new byte[(int)(pageEnd - inPage)];
                    final boolean zeros = random.nextBoolean();
                    if (!zeros)
                    {
                        random.nextBytes(bytes);
                    }
                    write(file, inPage, bytes);
                    return TORN_PAGE + " from " + inPage + " to " + pageEnd + (zeros ? " (zeros)" : " (random)") + where;
                }
                default:
                {
                    final long at = validEnd + random.nextInt((int)Math.min(64, fileLength - validEnd));
                    final byte[] bytes = new byte[(int)Math.min(1 + random.nextInt(600), fileLength - at)];
                    random.nextBytes(bytes);
                    write(file, at, bytes);
                    return TAIL_GARBAGE + " " + bytes.length + " bytes at " + at + where;
                }
            }
        }
    }

    private void damageIndex(final Path file, final List<String> done, final Path partitionDir) throws IOException
    {
        if (!Files.exists(file) || random.nextInt(3) != 0)
        {
            return;
        }
        indexInjections++;
        final String name = partitionDir.getFileName() + "/" + file.getFileName();
        final long length = Files.size(file);
        switch (random.nextInt(4))
        {
            case 0:
                Files.delete(file);
                done.add(name + ": " + INDEX + " deleted");
                return;
            case 1:
            {
                final long at = length > 0 ? random.nextLong(length + 1) : 0;
                try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw"))
                {
                    out.setLength(at);
                }
                done.add(name + ": " + INDEX + " cut at " + at + " of " + length);
                return;
            }
            case 2:
            {
                // entries sit at the front of a preallocated index: aim there
                final long span = Math.max(1, Math.min(length, 64 * 1024));
                final int count = 1 + random.nextInt(32);
                try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw"))
                {
                    for (int i = 0; i < count; i++)
                    {
                        write(out, random.nextLong(span), new byte[]{(byte)random.nextInt(256)});
                    }
                }
                done.add(name + ": " + INDEX + " " + count + " bytes garbled in the first " + span);
                return;
            }
            default:
            {
                final byte[] bytes = new byte[(int)Math.min(length, 4 * PAGE)];
                random.nextBytes(bytes);
                try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw"))
                {
                    write(out, 0, bytes);
                }
                done.add(name + ": " + INDEX + " first " + bytes.length + " bytes random");
            }
        }
    }

    private static void write(final RandomAccessFile file, final long position, final byte[] bytes) throws IOException
    {
        file.seek(position);
        file.write(bytes);
    }

    private static int segmentHolding(final long[] bases, final long offset)
    {
        int holder = 0;
        for (int i = 0; i < bases.length; i++)
        {
            if (bases[i] <= offset)
            {
                holder = i;
            }
        }
        return holder;
    }

    static long[] segmentBases(final Path partitionDir) throws IOException
    {
        final List<Long> bases = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(partitionDir))
        {
            for (final Path path : stream)
            {
                final long base = LogFiles.parseBaseOffset(path.getFileName().toString(), LogFiles.LOG_SUFFIX);
                if (base >= 0)
                {
                    bases.add(base);
                }
            }
        }
        final long[] sorted = new long[bases.size()];
        for (int i = 0; i < sorted.length; i++)
        {
            sorted[i] = bases.get(i);
        }
        Arrays.sort(sorted);
        return sorted;
    }
}
