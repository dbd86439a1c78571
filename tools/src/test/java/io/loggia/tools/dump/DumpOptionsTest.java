package io.loggia.tools.dump;

import io.loggia.tools.CommandRun;
import io.loggia.tools.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DumpOptionsTest
{
    @TempDir
    Path dir;

    @Test
    void parsesEveryFlagInBothSpellings() throws Exception
    {
        final DumpOptions options = DumpOptions.parse(new String[]
        {
            "--files", "a/00000000000000000000.log,b/7.index", "--files=c/00000000000000000009.timeindex",
            "--print-data-log", "--verify-index-only", "--index-sanity-check", "--max-bytes=100"
        });

        assertThat(options.files()).containsExactly(
            Path.of("a/00000000000000000000.log"), Path.of("b/7.index"), Path.of("c/00000000000000000009.timeindex"));
        assertThat(options.printDataLog()).isTrue();
        assertThat(options.deepIteration()).as("implied by --print-data-log").isTrue();
        assertThat(options.verifyIndexOnly()).isTrue();
        assertThat(options.indexSanityCheck()).isTrue();
        assertThat(options.maxBytes()).isEqualTo(100);
        assertThat(DumpOptions.baseOffsetOf(Path.of("c/00000000000000000009.timeindex"))).isEqualTo(9);
        assertThat(DumpOptions.logFileOf(Path.of("b/7.index"))).isEqualTo(Path.of("b/7.log"));
    }

    @Test
    void defaults() throws Exception
    {
        final DumpOptions options = DumpOptions.parse(new String[] { "--files", "x.log" });

        assertThat(options.deepIteration()).isFalse();
        assertThat(options.printDataLog()).isFalse();
        assertThat(options.maxBytesLimited()).isFalse();
        assertThat(DumpOptions.baseOffsetOf(Path.of("x.log"))).isEqualTo(-1);
    }

    @Test
    void everyUsageErrorIsOneLineAndExitCodeTwoBeforeAnythingIsDumped() throws Exception
    {
        final Path log = Files.createFile(dir.resolve("00000000000000000000.log"));
        final String[][] cases =
        {
            {},
            { "--files" },
            { "--files", log.toString(), "--max-bytes", "lots" },
            { "--files", log.toString(), "--max-bytes", "-1" },
            { "--files", log.toString(), "--max-bytes" },
            { "--files", log.toString(), "--deep-iteration=yes" },
            { "--files", log.toString(), "--skip-record-metadata" },
            { "--files", log.toString(), "stray" },
            { "--files", log + ",," },
            { "--files", log + "," + dir.resolve("notes.txt") },
            { "--files", dir.resolve("segment.index").toString() },
        };
        for (final String[] args : cases)
        {
            final String[] command = new String[args.length + 1];
            command[0] = "dump";
            System.arraycopy(args, 0, command, 1, args.length);

            final CommandRun run = CommandRun.of((Object[])command);

            assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.out).as(run.toString()).isEmpty();
            assertThat(run.err).as(run.toString()).hasSize(1).allMatch(
                line -> line.startsWith("loggia dump: ") && line.endsWith("(see 'loggia help dump')"));
        }
    }

    @Test
    void helpDescribesEveryFlag()
    {
        final CommandRun run = CommandRun.of("dump", "--help");

        assertThat(run.exitCode).isEqualTo(ExitCodes.OK);
        assertThat(run.outText()).contains("--files", "--print-data-log", "--deep-iteration", "--verify-index-only",
            "--index-sanity-check", "--max-bytes", "exit codes");
    }

    @Test
    void aDirectoryIsNotALog() throws Exception
    {
        final Path notAFile = Files.createDirectory(dir.resolve("00000000000000000000.log"));

        final CommandRun run = CommandRun.of("dump", "--files", notAFile);

        assertThat(run.exitCode).isEqualTo(ExitCodes.IO_ERROR);
        assertThat(run.err).containsExactly("loggia dump: " + notAFile + ": is a directory");
    }
}
