package io.loggia.engine.log;

import io.loggia.index.IndexCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link LogSegment#openReadOnly(Path)}, for tools: the segment reads as the log served it, and nothing in the
 * directory changes, whatever state its files are in.
 */
class ReadOnlySegmentTest
{
    private static final long T0 = 1_700_000_000_000L;
    private static final LogConfig CONFIG = TestLogs.config(
        LogConfig.SEGMENT_BYTES, "16384", LogConfig.INDEX_INTERVAL_BYTES, "512", LogConfig.SEGMENT_INDEX_BYTES, "4096");

    @TempDir
    Path logDir;

    private final TestLogs.Errors errors = new TestLogs.Errors();
    private final LogFixture fixture = new LogFixture(new Random(11));
    private final ReadResult read = new ReadResult();

    @Test
    void readsSealedSegmentsAsTheLogDidAndChangesNoFile() throws IOException
    {
        final PartitionLog log = TestLogs.open(logDir, CONFIG, errors);
        fixture.appendRandom(log, 200, T0);
        final Path dir = log.dir();
        final LogSegment[] live = log.segments();
        assertThat(live.length).isGreaterThan(2);
        final long[] nextOffsets = new long[live.length];
        final long[] maxTimestamps = new long[live.length];
        for (int i = 0; i < live.length; i++)
        {
            nextOffsets[i] = i + 1 < live.length ? live[i + 1].baseOffset() : log.logEndOffset();
            maxTimestamps[i] = live[i].maxTimestamp();
        }
        log.close();
        // an untrimmed active-like tail, a missing index and a damaged index: all are left as they are
        final Path missing = LogFiles.offsetIndexFile(dir, live[1].baseOffset());
        Files.delete(missing);
        final Path damaged = LogFiles.timeIndexFile(dir, live[2].baseOffset());
        final byte[] damagedBytes = Files.readAllBytes(damaged);
        damagedBytes[0] ^= 0x40;
        Files.write(damaged, damagedBytes);
        final TreeMap<String, byte[]> before = snapshot(dir);

        for (int i = 0; i < live.length; i++)
        {
            final LogSegment segment = LogSegment.openReadOnly(LogFiles.logFile(dir, live[i].baseOffset()));
            try
            {
                assertThat(segment.baseOffset()).isEqualTo(live[i].baseOffset());
                assertThat(segment.size()).isEqualTo(live[i].size());
                assertThat(segment.validEnd()).isEqualTo(segment.size());
                assertThat(segment.nextOffset()).isEqualTo(nextOffsets[i]);
                assertThat(segment.maxTimestamp()).isEqualTo(maxTimestamps[i]);
                assertThat(segment.offsetIndex().sanityCheck(segment.size())).isEqualTo(IndexCheck.OK);
                if (2 == i)
                {
                    assertThat(segment.timeIndex().sanityCheck(segment.nextOffset())).isNotEqualTo(IndexCheck.OK);
                }
                if (1 == i)
                {
                    assertThat(segment.offsetIndex().entries()).isZero();
                    assertThat(segment.offsetIndex().file()).isEqualTo(missing);
                }
                for (final LogFixture.Stored stored : fixture.stored)
                {
                    if (stored.segmentBaseOffset() != segment.baseOffset())
                    {
                        continue;
                    }
                    final long offset = stored.baseOffset() + (stored.lastOffset() - stored.baseOffset()) / 2;
                    assertThat(segment.positionOf(offset)).isEqualTo(stored.position());
                    assertThat(segment.read(offset, 1, Long.MAX_VALUE, true, read)).isEqualTo(LogCodes.OK);
                    assertThat(TestLogs.bytesOf(read)).isEqualTo(stored.bytes());
                }
                assertThat(segment.positionOf(segment.nextOffset())).isEqualTo(-1);
            }
            finally
            {
                segment.close();
            }
        }

        final TreeMap<String, byte[]> after = snapshot(dir);
        assertThat(after.keySet()).isEqualTo(before.keySet());
        for (final String name : before.keySet())
        {
            assertThat(after.get(name)).as(name).isEqualTo(before.get(name));
        }
        assertThat(errors.seen).isEmpty();
    }

    @Test
    void aTornTailShowsInValidEndAndIsNotCut() throws IOException
    {
        final PartitionLog log = TestLogs.open(logDir, CONFIG, errors);
        fixture.appendRandom(log, 5, T0);
        final Path file = log.activeSegment().logFile();
        final int size = log.activeSegment().size();
        log.close();
        final byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, size - 3));
        final FileTime modified = Files.getLastModifiedTime(file);

        final LogSegment segment = LogSegment.openReadOnly(file);
        try
        {
            assertThat(segment.size()).isEqualTo(size - 3);
            // the walk stops at the torn batch; what the segment holds beyond it is for a scan to tell
            assertThat(segment.validEnd()).isEqualTo(fixture.stored.get(4).position());
            assertThat(segment.positionOf(fixture.stored.get(3).lastOffset())).isEqualTo(fixture.stored.get(3).position());
        }
        finally
        {
            segment.close();
        }
        assertThat(Files.size(file)).isEqualTo(size - 3);
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(modified);
        assertThatThrownBy(() -> LogSegment.openReadOnly(file.resolveSibling("leader-epoch-checkpoint")))
            .isInstanceOf(IOException.class);
    }

    private static TreeMap<String, byte[]> snapshot(final Path dir) throws IOException
    {
        final TreeMap<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir))
        {
            final List<Path> paths = list.toList();
            for (final Path path : paths)
            {
                files.put(path.getFileName().toString() + "@" + Files.getLastModifiedTime(path).toMillis(),
                    Files.readAllBytes(path));
            }
        }
        return files;
    }
}
