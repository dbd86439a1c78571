package io.loggia.tools.torture;

import io.loggia.engine.log.LogFiles;
import io.loggia.engine.log.PartitionLog;
import io.loggia.tools.CommandRun;
import io.loggia.tools.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Torn writes damage only what a power cut could take, and the broker's recovery makes a sound log of whatever
 * they leave: many rounds of write, crash, damage, recover, in-process on real files.
 */
class TornWritesTest
{
    private static final int ROUNDS = 60;

    @TempDir
    Path dir;

    @Test
    void protectedBytesStayIntactAndRecoveryKeepsThemAndCutsTheRest() throws Exception
    {
        final SplittableRandom random = new SplittableRandom(20261126);
        final TornWrites tornWrites = new TornWrites(random.split());
        for (int round = 0; round < ROUNDS; round++)
        {
            final TestLog testLog = TestLog.open(dir.resolve("round-" + round), random.nextLong());
            testLog.append(100 + random.nextInt(300));
            testLog.crash();

            final List<TestLog.Batch> batches = testLog.batches;
            final int keep = random.nextInt(batches.size() + 1);
            final long protectedOffset = 0 == keep ? 0 : batches.get(keep - 1).lastOffset() + 1;
            final Map<Path, byte[]> intact = intactBytes(testLog, 0 == keep ? null : batches.get(keep - 1));

            final List<String> damage = tornWrites.inject(testLog.dir(), protectedOffset, true);
            final String context = "round " + round + ", protected offset " + protectedOffset + ", " + damage;
            for (final Map.Entry<Path, byte[]> entry : intact.entrySet())
            {
                final byte[] now = Files.readAllBytes(entry.getKey());
                assertThat(Arrays.copyOf(now, Math.min(now.length, entry.getValue().length)))
                    .as("%s: %s", context, entry.getKey()).isEqualTo(entry.getValue());
            }

            final PartitionLog recovered = testLog.load(false);
            assertThat(recovered.logEndOffset()).as(context).isGreaterThanOrEqualTo(protectedOffset);
            recovered.close();
            final CommandRun dump = CommandRun.of("dump", "--deep-iteration", "--verify-index-only", "--files",
                String.join(",", files(testLog.dir())));
            assertThat(dump.exitCode).as("%s: %s", context, dump.err).isEqualTo(ExitCodes.OK);
        }
        assertThat(tornWrites.logInjections()).isGreaterThan(ROUNDS / 2);
        assertThat(tornWrites.indexInjections()).isGreaterThan(0);
    }

    /**
     * Bytes no damage may touch: every file of the segments before the one holding the last protected batch, and
     * that segment's {@code .log} up to the batch's end.
     */
    private static Map<Path, byte[]> intactBytes(final TestLog testLog, final TestLog.Batch lastProtected)
        throws Exception
    {
        final Map<Path, byte[]> intact = new HashMap<>();
        if (null == lastProtected)
        {
            return intact;
        }
        for (final long base : TornWrites.segmentBases(testLog.dir()))
        {
            final Path log = LogFiles.logFile(testLog.dir(), base);
            if (base < lastProtected.segmentBase())
            {
                intact.put(log, Files.readAllBytes(log));
                intact.put(LogFiles.offsetIndexFile(testLog.dir(), base),
                    Files.readAllBytes(LogFiles.offsetIndexFile(testLog.dir(), base)));
                intact.put(LogFiles.timeIndexFile(testLog.dir(), base),
                    Files.readAllBytes(LogFiles.timeIndexFile(testLog.dir(), base)));
            }
            else if (base == lastProtected.segmentBase())
            {
                intact.put(log, Arrays.copyOf(Files.readAllBytes(log), lastProtected.end()));
            }
        }
        return intact;
    }

    private static List<String> files(final Path partitionDir) throws Exception
    {
        final List<String> files = new ArrayList<>();
        for (final long base : TornWrites.segmentBases(partitionDir))
        {
            files.add(LogFiles.logFile(partitionDir, base).toString());
            files.add(LogFiles.offsetIndexFile(partitionDir, base).toString());
            files.add(LogFiles.timeIndexFile(partitionDir, base).toString());
        }
        return files;
    }
}
