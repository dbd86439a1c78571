package io.loggia.tools.dump;

import io.loggia.index.OffsetIndex;
import io.loggia.index.TimeIndex;
import io.loggia.tools.CommandRun;
import io.loggia.tools.ExitCodes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.loggia.tools.dump.SampleLog.T0;
import static org.assertj.core.api.Assertions.assertThat;

class DumpIndexTest
{
    @TempDir
    Path dir;

    private SampleLog sample;
    private Path index;
    private Path timeIndex;
    private List<SampleLog.Appended> batches;

    @BeforeEach
    void writeSealedSegments() throws Exception
    {
        sample = SampleLog.writeStandard(dir);
        sample.close();
        index = sample.indexFile(0);
        timeIndex = sample.timeIndexFile(0);
        batches = sample.inSegment(0);
    }

    @Test
    void everyEntryOfAnIndexWrittenByTheBrokerMatchesItsLog()
    {
        final CommandRun run = CommandRun.of("dump", "--files", index + "," + timeIndex);

        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.err).isEmpty();
        // the first batch of a segment is never indexed; every later one is (index.interval.bytes is 64)
        assertThat(run.out).containsExactly(
            "Dumping " + index,
            "offset: 4 position: " + batches.get(1).position(),
            "offset: 6 position: " + batches.get(2).position(),
            "offset: 8 position: " + batches.get(3).position(),
            "offset: 10 position: " + batches.get(4).position(),
            "Dumping " + timeIndex,
            "timestamp: " + (T0 + 11) + " offset: 4",
            "timestamp: " + (T0 + 13) + " offset: 6",
            "timestamp: " + (T0 + 15) + " offset: 8",
            "timestamp: " + (T0 + 17) + " offset: 10");
    }

    @Test
    void verifyIndexOnlyPrintsNothingButTheFileNamesWhenAllIsWell()
    {
        final CommandRun run = CommandRun.of("dump", "--files", index + "," + timeIndex, "--verify-index-only");

        assertThat(run.exitCode).isEqualTo(ExitCodes.OK);
        assertThat(run.out).containsExactly("Dumping " + index, "Dumping " + timeIndex);
    }

    @Test
    void anEntryPointingAtTheWrongBatchIsAMismatch() throws Exception
    {
        FileBytes.putInt(index, OffsetIndex.ENTRY_SIZE + OffsetIndex.POSITION_OFFSET, batches.get(1).position());

        final CommandRun run = CommandRun.of("dump", "--files", index);
        final CommandRun verify = CommandRun.of("dump", "--files", index, "--verify-index-only");

        assertThat(run.exitCode).isEqualTo(ExitCodes.INVALID);
        assertThat(run.out).containsExactly(
            "Dumping " + index,
            "offset: 4 position: " + batches.get(1).position(),
            "offset: 6 position: " + batches.get(1).position() +
                " mismatch: the batch at this position ends at offset 4",
            "offset: 8 position: " + batches.get(3).position(),
            "offset: 10 position: " + batches.get(4).position());
        assertThat(run.err).containsExactly("Found 1 index entry that does not match the log in " + index);
        assertThat(verify.exitCode).isEqualTo(ExitCodes.INVALID);
        assertThat(verify.out).containsExactly("Dumping " + index, run.out.get(2));
    }

    @Test
    void entriesInsideABatchOrPastTheLogAreMismatches() throws Exception
    {
        final int insideABatch = batches.get(2).position() + 7;
        FileBytes.putInt(index, OffsetIndex.ENTRY_SIZE * 2 + OffsetIndex.POSITION_OFFSET, insideABatch);
        FileBytes.putInt(index, OffsetIndex.ENTRY_SIZE * 3 + OffsetIndex.POSITION_OFFSET, 1_000_000);
        final long logSize = Files.size(sample.logFile(0));

        final CommandRun run = CommandRun.of("dump", "--files", index, "--verify-index-only");

        assertThat(run.exitCode).isEqualTo(ExitCodes.INVALID);
        assertThat(run.out).containsExactly(
            "Dumping " + index,
            "offset: 8 position: " + insideABatch + " mismatch: no whole batch starts at this position",
            "offset: 10 position: 1000000 mismatch: position at or past the end of the log (" + logSize + " bytes)");
        assertThat(run.err).containsExactly("Found 2 index entries that do not match the log in " + index);
    }

    @Test
    void offsetsThatDoNotIncreaseAreMismatches() throws Exception
    {
        FileBytes.putInt(index, OffsetIndex.ENTRY_SIZE * 2, FileBytes.getInt(index, OffsetIndex.ENTRY_SIZE));

        final CommandRun run = CommandRun.of("dump", "--files", index, "--verify-index-only");

        assertThat(run.exitCode).isEqualTo(ExitCodes.INVALID);
        assertThat(run.out).containsExactly(
            "Dumping " + index,
            "offset: 6 position: " + batches.get(3).position() + " mismatch: offset not above the previous entry's 6");
    }

    @Test
    void aTimeIndexWhoseTimestampsDoNotIncreaseIsAMismatch() throws Exception
    {
        FileBytes.putLong(timeIndex, TimeIndex.ENTRY_SIZE * 2L, T0 + 11);

        final CommandRun run = CommandRun.of("dump", "--files", timeIndex);

        assertThat(run.exitCode).isEqualTo(ExitCodes.INVALID);
        assertThat(run.out).containsExactly(
            "Dumping " + timeIndex,
            "timestamp: " + (T0 + 11) + " offset: 4",
            "timestamp: " + (T0 + 13) + " offset: 6",
            "timestamp: " + (T0 + 11) + " offset: 8 mismatch: timestamp not above the previous entry's " + (T0 + 13),
            "timestamp: " + (T0 + 17) + " offset: 10");
        assertThat(run.err).containsExactly("Found 1 time index entry that does not match the log in " + timeIndex);
    }

    @Test
    void aTimeIndexEntryMustNameTheLastOffsetOfABatchHoldingItsTimestamp() throws Exception
    {
        FileBytes.putLong(timeIndex, TimeIndex.ENTRY_SIZE, T0 + 12);
        FileBytes.putInt(timeIndex, TimeIndex.ENTRY_SIZE * 2L + TimeIndex.RELATIVE_OFFSET_OFFSET, 7);
        FileBytes.putInt(timeIndex, TimeIndex.ENTRY_SIZE * 3L + TimeIndex.RELATIVE_OFFSET_OFFSET, 99);

        final CommandRun run = CommandRun.of("dump", "--files", timeIndex, "--verify-index-only");

        assertThat(run.exitCode).isEqualTo(ExitCodes.INVALID);
        assertThat(run.out).containsExactly(
            "Dumping " + timeIndex,
            "timestamp: " + (T0 + 12) + " offset: 6 mismatch: the batch ending at this offset has max timestamp " +
                (T0 + 13),
            "timestamp: " + (T0 + 15) + " offset: 7 mismatch: the batch holding this offset ends at offset 8",
            "timestamp: " + (T0 + 17) + " offset: 99 mismatch: no batch in the log holds this offset");
        assertThat(run.err).containsExactly("Found 3 time index entries that do not match the log in " + timeIndex);
    }

    @Test
    void theSanityCheckIsTheOneTheBrokerRunsBeforeTrustingAnIndex() throws Exception
    {
        final CommandRun good = CommandRun.of("dump", "--files", index + "," + timeIndex, "--index-sanity-check");
        FileBytes.putInt(index, OffsetIndex.ENTRY_SIZE * 2, FileBytes.getInt(index, OffsetIndex.ENTRY_SIZE));
        FileBytes.putLong(timeIndex, TimeIndex.ENTRY_SIZE * 3L, T0);
        final CommandRun bad = CommandRun.of("dump", "--files", index + "," + timeIndex, "--index-sanity-check");

        assertThat(good.exitCode).isEqualTo(ExitCodes.OK);
        assertThat(good.out).containsExactly(
            "Dumping " + index, index + " passed the sanity check",
            "Dumping " + timeIndex, timeIndex + " passed the sanity check");
        assertThat(bad.exitCode).isEqualTo(ExitCodes.INVALID);
        assertThat(bad.out).containsExactly(
            "Dumping " + index, index + " failed the sanity check: entry offsets not strictly increasing",
            "Dumping " + timeIndex, timeIndex + " failed the sanity check: entry timestamps not strictly increasing");
        assertThat(bad.err).containsExactly(
            "Found a failed sanity check (entry offsets not strictly increasing) in " + index,
            "Found a failed sanity check (entry timestamps not strictly increasing) in " + timeIndex);
    }

    @Test
    void aPartialEntryAtTheEndIsReported() throws Exception
    {
        FileBytes.append(index, new byte[3]);

        final CommandRun run = CommandRun.of("dump", "--files", index);
        final CommandRun sanity = CommandRun.of("dump", "--files", index, "--index-sanity-check");

        assertThat(run.exitCode).isEqualTo(ExitCodes.INVALID);
        assertThat(run.out).hasSize(6)
            .endsWith("Partial entry: the file ends with 3 bytes that are not a whole entry");
        assertThat(run.err).containsExactly("Found a partial entry at the end in " + index);
        assertThat(sanity.out).containsExactly(
            "Dumping " + index, index + " failed the sanity check: file length is not a multiple of the entry size");
    }

    @Test
    void anEmptyIndexHasNoEntries() throws Exception
    {
        final Path empty = Files.createFile(dir.resolve("00000000000000000000.index"));
        Files.createFile(dir.resolve("00000000000000000000.log"));

        final CommandRun run = CommandRun.of("dump", "--files", empty);

        assertThat(run.exitCode).isEqualTo(ExitCodes.OK);
        assertThat(run.out).containsExactly("Dumping " + empty, empty + " has no entries");
    }

    @Test
    void anIndexWithoutItsLogCannotBeChecked() throws Exception
    {
        final Path alone = Files.copy(index, dir.resolve("00000000000000000000.index"));

        final CommandRun run = CommandRun.of("dump", "--files", alone);

        assertThat(run.exitCode).isEqualTo(ExitCodes.IO_ERROR);
        assertThat(run.out).containsExactly("Dumping " + alone);
        assertThat(run.err).containsExactly("loggia dump: " + alone + ": cannot check it against " +
            dir.resolve("00000000000000000000.log") + ": no such file");
    }
}
