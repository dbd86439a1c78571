package io.loggia.tools.dump;

import io.loggia.codec.record.RecordBatch;
import io.loggia.tools.CommandRun;
import io.loggia.tools.ExitCodes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class DumpCorruptionTest
{
    @TempDir
    Path dir;

    private SampleLog sample;
    private Path log;
    private List<SampleLog.Appended> batches;

    @BeforeEach
    void writeSealedSegments() throws Exception
    {
        sample = SampleLog.writeStandard(dir);
        sample.close();
        log = sample.logFile(0);
        batches = sample.inSegment(0);
    }

    @Test
    void aFlippedRecordByteFailsTheCrcAndTheDumpGoesOnToTheNextBatch() throws Exception
    {
        final SampleLog.Appended damaged = batches.get(2);
        FileBytes.flipByte(log, damaged.position() + RecordBatch.RECORDS_OFFSET + 3);

        final CommandRun run = CommandRun.of("dump", "--files", log);

        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCodes.INVALID);
        assertThat(run.err).containsExactly("Found 1 invalid batch in " + log);
        final int line = lineOfBatchAt(run, damaged.position());
        assertThat(run.out.get(line)).endsWith(" crc: " + damaged.crc() + " isvalid: false");
        assertThat(run.out.get(line + 1))
            .startsWith("Invalid batch at position " + damaged.position() + ": CRC-32C mismatch: stored " +
                damaged.crc() + ", computed ");
        assertThat(run.out).filteredOn(l -> l.startsWith("baseOffset: ")).hasSize(5)
            .filteredOn(l -> l.endsWith("isvalid: true")).hasSize(4);
    }

    @Test
    void aFlippedByteOfTheStoredCrcIsFoundToo() throws Exception
    {
        final SampleLog.Appended damaged = batches.get(0);
        FileBytes.flipByte(log, damaged.position() + RecordBatch.CRC_OFFSET + 1);

        final CommandRun run = CommandRun.of("dump", "--files", log, "--deep-iteration");

        assertThat(run.exitCode).isEqualTo(ExitCodes.INVALID);
        assertThat(run.out.get(2)).endsWith("isvalid: false").doesNotContain("crc: " + damaged.crc() + " ");
        assertThat(run.out.get(3)).endsWith(", computed " + damaged.crc());
        assertThat(run.err).containsExactly("Found 1 invalid batch in " + log);
    }

    @Test
    void aTruncatedLastBatchIsPrintedAsFarAsItsHeaderGoes() throws Exception
    {
        final SampleLog.Appended last = batches.get(4);
        FileBytes.truncate(log, last.position() + 80);

        final CommandRun run = CommandRun.of("dump", "--files", log, "--deep-iteration");

        assertThat(run.exitCode).isEqualTo(ExitCodes.INVALID);
        assertThat(run.out.subList(run.out.size() - 2, run.out.size())).satisfiesExactly(
            batch -> assertThat(batch).startsWith("baseOffset: 9 lastOffset: 10 count: 2 ")
                .contains(" position: " + last.position() + " ").endsWith(" isvalid: false"),
            why -> assertThat(why).isEqualTo("Invalid batch at position " + last.position() +
                ": truncated: the batch is " + last.size() + " bytes, 80 are left in the file"));
        assertThat(run.err).containsExactly("Found 1 invalid batch in " + log);
    }

    @Test
    void aTailShorterThanABatchHeaderIsReportedAsInvalidBytes() throws Exception
    {
        FileBytes.truncate(log, batches.get(4).position() + 30);

        final CommandRun run = CommandRun.of("dump", "--files", log);

        assertThat(run.exitCode).isEqualTo(ExitCodes.INVALID);
        assertThat(run.out).endsWith("Found 30 invalid bytes at the end of " + log.getFileName());
        assertThat(run.out).filteredOn(l -> l.startsWith("baseOffset: ")).hasSize(4);
        assertThat(run.err).containsExactly("Found 30 invalid bytes at the end in " + log);
    }

    @Test
    void garbageAfterTheLastBatchIsReportedAsInvalidBytes() throws Exception
    {
        final byte[] garbage = new byte[100];
        Arrays.fill(garbage, (byte)0x7F);
        FileBytes.append(log, garbage);

        final CommandRun run = CommandRun.of("dump", "--files", log);

        assertThat(run.exitCode).isEqualTo(ExitCodes.INVALID);
        assertThat(run.out).endsWith("Found 100 invalid bytes at the end of " + log.getFileName());
        assertThat(run.err).containsExactly("Found 100 invalid bytes at the end in " + log);
    }

    @Test
    void aFileOfGarbageHasNoBatches() throws Exception
    {
        final byte[] garbage = new byte[5000];
        new Random(42).nextBytes(garbage);
        final Path file = Files.write(dir.resolve("00000000000000000000.log"), garbage);

        final CommandRun run = CommandRun.of("dump", "--files", file, "--print-data-log");

        assertThat(run.exitCode).isEqualTo(ExitCodes.INVALID);
        assertThat(run.out).containsExactly(
            "Dumping " + file,
            "Log starting offset: 0",
            "Found 5000 invalid bytes at the end of " + file.getFileName());
        assertThat(run.err).containsExactly("Found 5000 invalid bytes at the end in " + file);
    }

    @Test
    void zerosAfterTheLastBatchAreAPreallocatedTailNotAnError() throws Exception
    {
        FileBytes.append(log, new byte[4096 + 3]);
        final int end = batches.get(4).position() + batches.get(4).size();

        final CommandRun run = CommandRun.of("dump", "--files", log);

        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.out).endsWith(
            "Zero tail: 4099 bytes of zeros from position " + end + " to the end (preallocated, not trimmed)");
        assertThat(run.err).isEmpty();
    }

    @Test
    void zerosFollowedByDataAreNotATail() throws Exception
    {
        FileBytes.append(log, new byte[64]);
        FileBytes.append(log, new byte[] { 1 });

        final CommandRun run = CommandRun.of("dump", "--files", log);

        assertThat(run.exitCode).isEqualTo(ExitCodes.INVALID);
        assertThat(run.out).endsWith("Found 65 invalid bytes at the end of " + log.getFileName());
    }

    @Test
    void aBadMagicIsAnInvalidBatchWhoseLengthStillLeadsToTheNext() throws Exception
    {
        final SampleLog.Appended damaged = batches.get(1);
        FileBytes.putByte(log, damaged.position() + RecordBatch.MAGIC_OFFSET, 1);

        final CommandRun run = CommandRun.of("dump", "--files", log);

        assertThat(run.exitCode).isEqualTo(ExitCodes.INVALID);
        final int line = lineOfBatchAt(run, damaged.position());
        assertThat(run.out.get(line)).contains(" magic: 1 ").endsWith("isvalid: false");
        assertThat(run.out.get(line + 1))
            .isEqualTo("Invalid batch at position " + damaged.position() + ": magic is not 2");
        assertThat(run.out).filteredOn(l -> l.startsWith("baseOffset: ")).hasSize(5);
    }

    @Test
    void aCorruptRecordUnderAValidCrcIsFoundOnlyByDeepIteration() throws Exception
    {
        final SampleLog.Appended first = batches.get(0);
        // first record: length, attributes, timestamp delta, offset delta, then the key length: make it 50
        final int keyLengthAt = first.position() + RecordBatch.RECORDS_OFFSET + 4;
        FileBytes.putByteUnderValidCrc(log, first.position(), keyLengthAt, 100);

        final CommandRun shallow = CommandRun.of("dump", "--files", log);
        final CommandRun deep = CommandRun.of("dump", "--files", log, "--deep-iteration");

        assertThat(shallow.exitCode).as(shallow.toString()).isEqualTo(ExitCodes.OK);
        assertThat(shallow.out.get(2)).endsWith("isvalid: true");
        assertThat(deep.exitCode).isEqualTo(ExitCodes.INVALID);
        assertThat(deep.out.get(2)).endsWith("isvalid: false");
        assertThat(deep.out.get(3)).isEqualTo("Invalid batch at position 0: record does not parse within its " +
            "bounds: record 0: record length disagrees with its fields");
        assertThat(deep.out.get(4)).startsWith("baseOffset: 3 ");
        assertThat(deep.err).containsExactly("Found 1 invalid batch in " + log);
    }

    @Test
    void aBaseOffsetThatBreaksTheOffsetSequenceIsAGap() throws Exception
    {
        final SampleLog.Appended moved = batches.get(3);
        FileBytes.putLong(log, moved.position() + RecordBatch.BASE_OFFSET_OFFSET, moved.baseOffset() + 5);

        final CommandRun run = CommandRun.of("dump", "--files", log);

        assertThat(run.exitCode).isEqualTo(ExitCodes.INVALID);
        assertThat(run.out).contains(
            "Offset gap: the batch at position " + moved.position() + " starts at offset " + (moved.baseOffset() + 5) +
                ", expected " + moved.baseOffset(),
            "Offset gap: the batch at position " + batches.get(4).position() + " starts at offset " +
                batches.get(4).baseOffset() + ", expected " + (moved.lastOffset() + 6));
        assertThat(run.err).containsExactly("Found 2 offset gaps in " + log);
    }

    @Test
    void aLogNamedAfterTheWrongBaseOffsetStartsWithAGap() throws Exception
    {
        final Path renamed = Files.copy(log, dir.resolve("00000000000000000100.log"));

        final CommandRun run = CommandRun.of("dump", "--files", renamed);

        assertThat(run.exitCode).isEqualTo(ExitCodes.INVALID);
        assertThat(run.out.get(2)).isEqualTo("Offset gap: the batch at position 0 starts at offset 0, expected 100");
    }

    @Test
    void everyFileIsDumpedAndTheWorstOutcomeIsTheExitCode() throws Exception
    {
        FileBytes.flipByte(log, batches.get(0).position() + RecordBatch.RECORDS_OFFSET);
        final Path missing = dir.resolve("00000000000000000077.log");

        final CommandRun run = CommandRun.of("dump", "--files", log + "," + missing + "," + sample.logFile(11));

        assertThat(run.exitCode).isEqualTo(ExitCodes.IO_ERROR);
        assertThat(run.err).containsExactly(
            "Found 1 invalid batch in " + log,
            "loggia dump: " + missing + ": no such file");
        assertThat(run.out).contains("Dumping " + missing, "Dumping " + sample.logFile(11), "Log starting offset: 11");
    }

    private static int lineOfBatchAt(final CommandRun run, final int position)
    {
        for (int i = 0; i < run.out.size(); i++)
        {
            if (run.out.get(i).startsWith("baseOffset: ") && run.out.get(i).contains(" position: " + position + " "))
            {
                return i;
            }
        }
        throw new AssertionError("no batch at position " + position + " in\n" + run);
    }
}
