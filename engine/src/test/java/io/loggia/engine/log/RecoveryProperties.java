package io.loggia.engine.log;

import io.loggia.codec.record.RecordBatch;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A crash is simulated by copying a live log's files (page cache included, preallocated zero tail and all)
 * and then damaging the copy. Loading it without the clean-shutdown marker must keep every batch before the
 * first damaged byte, byte for byte, serve nothing after it, and stay that way across a second crash.
 */
class RecoveryProperties
{
    private static final long T0 = 1_700_000_000_000L;

    enum Damage
    {
        CUT, GARBAGE, ZEROS, FLIP, GARBAGE_AFTER_END, DELETE_INDEXES, CORRUPT_INDEXES
    }

    @Property(tries = 50)
    void keepsEverythingBeforeTheDamageAndNothingAfter(@ForAll final long seed, @ForAll final Damage damage)
        throws IOException
    {
        final Random random = new Random(seed);
        final Path root = Files.createTempDirectory("recovery");
        try
        {
            final LogConfig config = TestLogs.config(
                LogConfig.SEGMENT_BYTES, "8192", LogConfig.INDEX_INTERVAL_BYTES, "512",
                LogConfig.SEGMENT_INDEX_BYTES, "4096");
            final TestLogs.Errors errors = new TestLogs.Errors();
            final LogFixture fixture = new LogFixture(random);
            final PartitionLog live = TestLogs.open(root.resolve("live"), config, errors);
            fixture.appendRandom(live, 10 + random.nextInt(80), T0);
            final Path crashedDir = LogFiles.partitionDir(root.resolve("crashed"), TestLogs.TP);
            TestLogs.copyFiles(live.dir(), crashedDir);
            live.close();

            final List<Long> segmentBases = new ArrayList<>();
            for (final LogFixture.Stored s : fixture.stored)
            {
                if (segmentBases.isEmpty() || segmentBases.get(segmentBases.size() - 1) != s.segmentBaseOffset())
                {
                    segmentBases.add(s.segmentBaseOffset());
                }
            }
            final long target = segmentBases.get(random.nextInt(segmentBases.size()));
            final boolean targetIsLast = target == segmentBases.get(segmentBases.size() - 1);
            int validEnd = 0;
            for (final LogFixture.Stored s : fixture.stored)
            {
                if (s.segmentBaseOffset() == target)
                {
                    validEnd = s.end();
                }
            }
            final Path logFile = LogFiles.logFile(crashedDir, target);
            final byte[] original = Files.readAllBytes(logFile);
            final int lost = damage(damage, random, fixture, crashedDir, target, logFile, original, validEnd);
            // a last segment cut exactly between two batches looks like a complete file: nothing to report
            final boolean silent = damage == Damage.CUT && targetIsLast && Files.size(logFile) == startOf(fixture, lost);

            final long endBefore = fixture.logEndOffset(0);
            final long recoveryPoint = damage == Damage.DELETE_INDEXES || damage == Damage.CORRUPT_INDEXES ?
                endBefore : (long)(random.nextDouble() * (target + 1));
            final RecoveryReport report = new RecoveryReport();
            final PartitionLog recovered = LogFixture.load(root.resolve("crashed"), config, false, recoveryPoint, report, errors);
            final long expectedEnd = lost < fixture.stored.size() ? fixture.stored.get(lost).baseOffset() : endBefore;
            assertThat(recovered.logEndOffset()).as(report.toString()).isEqualTo(expectedEnd);
            if (lost < fixture.stored.size() && !silent)
            {
                assertThat(report.truncated).as(report.toString()).isTrue();
                assertThat(report.truncatedAtOffset).isEqualTo(expectedEnd);
                assertThat(report.lostData()).isTrue();
            }
            else if (damage == Damage.GARBAGE_AFTER_END && targetIsLast)
            {
                // bytes after the last batch that are not zeros might have been data: reported as a cut
                assertThat(report.truncated).as(report.toString()).isTrue();
                assertThat(report.truncatedAtOffset).isEqualTo(expectedEnd);
            }
            else if (lost == fixture.stored.size())
            {
                assertThat(report.lostData()).as(report.toString()).isFalse();
            }
            fixture.stored.subList(lost, fixture.stored.size()).clear();
            fixture.assertLogHolds(recovered, 0);

            // appends continue at the cut, and a second crash recovers exactly what is there now
            fixture.appendRandom(recovered, 5 + random.nextInt(20), T0);
            final Path secondDir = LogFiles.partitionDir(root.resolve("second"), TestLogs.TP);
            TestLogs.copyFiles(recovered.dir(), secondDir);
            recovered.close();
            final PartitionLog again = LogFixture.load(root.resolve("second"), config, false, 0, report, errors);
            assertThat(report.lostData()).as(report.toString()).isFalse();
            fixture.assertLogHolds(again, 0);
            again.close();
            assertThat(errors.seen).isEmpty();
        }
        finally
        {
            TestLogs.deleteRecursively(root);
        }
    }

    /** Apply the damage; return the index of the first stored batch that must be lost. */
    private static int damage(
        final Damage damage,
        final Random random,
        final LogFixture fixture,
        final Path dir,
        final long target,
        final Path logFile,
        final byte[] original,
        final int validEnd) throws IOException
    {
        final int all = fixture.stored.size();
        switch (damage)
        {
            case CUT:
            {
                final int position = random.nextInt(validEnd);
                try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "rw"))
                {
                    file.setLength(position);
                }
                return fixture.firstAtOrAfter(target, position);
            }
            case GARBAGE:
            case ZEROS:
            case FLIP:
            {
                final byte[] damaged = original.clone();
                if (damage == Damage.FLIP)
                {
                    final int position = positionOutsideEpochs(random, fixture, target, validEnd);
                    damaged[position] ^= (byte)(1 + random.nextInt(255));
                }
                else
                {
                    final int position = random.nextInt(validEnd);
                    final int end = Math.min(damaged.length, position + 1 + random.nextInt(200));
                    for (int i = position; i < end; i++)
                    {
                        damaged[i] = damage == Damage.ZEROS ? 0 : (byte)random.nextInt();
                    }
                    // the leader epoch lies outside the CRC and is not checked: keep it out of the damage
                    for (final LogFixture.Stored s : fixture.stored)
                    {
                        if (s.segmentBaseOffset() == target)
                        {
                            final int epoch = s.position() + RecordBatch.PARTITION_LEADER_EPOCH_OFFSET;
                            System.arraycopy(original, epoch, damaged, epoch, 4);
                        }
                    }
                }
                Files.write(logFile, damaged);
                int firstDifference = 0;
                while (firstDifference < validEnd && damaged[firstDifference] == original[firstDifference])
                {
                    firstDifference++;
                }
                return firstDifference < validEnd ? fixture.firstAtOrAfter(target, firstDifference) : all;
            }
            case GARBAGE_AFTER_END:
            {
                final byte[] garbage = new byte[1 + random.nextInt(300)];
                random.nextBytes(garbage);
                try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "rw"))
                {
                    file.seek(validEnd);
                    file.write(garbage);
                }
                return all;
            }
            case DELETE_INDEXES:
                Files.delete(LogFiles.offsetIndexFile(dir, target));
                Files.delete(LogFiles.timeIndexFile(dir, target));
                return all;
            case CORRUPT_INDEXES:
            {
                for (final Path index : new Path[]{ LogFiles.offsetIndexFile(dir, target), LogFiles.timeIndexFile(dir, target) })
                {
                    final byte[] bytes = Files.readAllBytes(index);
                    if (bytes.length > 0)
                    {
                        final int position = random.nextInt(bytes.length);
                        bytes[position] ^= (byte)(1 + random.nextInt(255));
                    }
                    else
                    {
                        Files.write(index, new byte[]{ 1, 2, 3, 4, 5 });
                        continue;
                    }
                    Files.write(index, bytes);
                }
                return all;
            }
            default:
                throw new IllegalStateException(damage.name());
        }
    }

    /** Position of stored batch {@code index} in its segment, -1 past the end. */
    private static long startOf(final LogFixture fixture, final int index)
    {
        return index < fixture.stored.size() ? fixture.stored.get(index).position() : -1;
    }

    private static int positionOutsideEpochs(
        final Random random, final LogFixture fixture, final long target, final int validEnd)
    {
        while (true)
        {
            final int position = random.nextInt(validEnd);
            boolean inEpoch = false;
            for (final LogFixture.Stored s : fixture.stored)
            {
                final int epoch = s.position() + RecordBatch.PARTITION_LEADER_EPOCH_OFFSET;
                inEpoch |= s.segmentBaseOffset() == target && position >= epoch && position < epoch + 4;
            }
            if (!inEpoch)
            {
                return position;
            }
        }
    }
}
