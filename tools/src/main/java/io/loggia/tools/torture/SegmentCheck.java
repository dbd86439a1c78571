package io.loggia.tools.torture;

import io.loggia.engine.log.LogFiles;
import io.loggia.tools.ExitCodes;
import io.loggia.tools.Terminal;
import io.loggia.tools.dump.DumpCommand;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@code loggia dump --verify-index-only --deep-iteration} in-process over every segment and index file of
 * the given partition directories, sealed and active: every batch valid and contiguous, every record parsed,
 * every index entry pointing where it says, nothing but zeros after the last batch of a preallocated file.
 * <p>
 * Run it while the broker writes nothing (the harness holds its clients at their gates): a batch appended
 * during the dump could be read half-written. A failure is checked once more before it counts, in case a
 * group rebalance wrote to {@code __consumer_offsets} during the first run; damage does not go away.
 */
final class SegmentCheck
{
    private static final int MAX_ERROR_LINES = 20;

    long filesChecked;
    long runs;
    long failures;
    /** Of the failures, those where only index files of active (last) segments failed. */
    long activeIndexOnlyFailures;
    long retriedAndPassed;
    private final List<String> errors = new ArrayList<>();
    private final List<String> activeIndexFiles = new ArrayList<>();

    /**
     * @return true if every file passed.
     */
    boolean check(final List<Path> partitionDirs) throws IOException
    {
        errors.clear();
        activeIndexFiles.clear();
        final List<String> files = new ArrayList<>();
        for (final Path dir : partitionDirs)
        {
            final long[] bases = TornWrites.segmentBases(dir);
            for (final long base : bases)
            {
                files.add(LogFiles.logFile(dir, base).toString());
                addIfExists(files, LogFiles.offsetIndexFile(dir, base));
                addIfExists(files, LogFiles.timeIndexFile(dir, base));
            }
            if (bases.length > 0)
            {
                activeIndexFiles.add(LogFiles.offsetIndexFile(dir, bases[bases.length - 1]).toString());
                activeIndexFiles.add(LogFiles.timeIndexFile(dir, bases[bases.length - 1]).toString());
            }
        }
        if (files.isEmpty())
        {
            return true;
        }
        filesChecked += files.size();
        if (dump(files))
        {
            return true;
        }
        errors.clear();
        if (dump(files))
        {
            retriedAndPassed++;
            return true;
        }
        failures++;
        if (onlyActiveIndexesFailed())
        {
            activeIndexOnlyFailures++;
        }
        return false;
    }

    /**
     * Every file the last dump complained about is an index of an active segment: the failure class of stale or
     * garbage slots past the entries a recovery rebuilt (see reliability-crash.md, finding F1).
     */
    private boolean onlyActiveIndexesFailed()
    {
        boolean any = false;
        for (final String line : errors)
        {
            if (line.startsWith("loggia dump exit "))
            {
                continue;
            }
            final int in = line.lastIndexOf(" in /");
            if (!line.startsWith("Found ") || in < 0 || !activeIndexFiles.contains(line.substring(in + 4)))
            {
                return false;
            }
            any = true;
        }
        return any;
    }

    /** The dump's standard error lines from the last failed check. */
    List<String> errors()
    {
        return errors;
    }

    private boolean dump(final List<String> files)
    {
        runs++;
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exitCode;
        try (PrintStream out = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
            PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8))
        {
            final String[] args = {"--verify-index-only", "--deep-iteration", "--files", String.join(",", files)};
            int code;
            try
            {
                code = new DumpCommand().run(args, new Terminal(out, errStream, false));
            }
            catch (final Exception ex)
            {
                errStream.println("loggia dump: " + ex);
                code = ExitCodes.INTERNAL_ERROR;
            }
            exitCode = code;
        }
        if (ExitCodes.OK == exitCode)
        {
            return true;
        }
        errors.add("loggia dump exit " + exitCode);
        for (final String line : err.toString(StandardCharsets.UTF_8).split("\n"))
        {
            if (!line.isBlank() && errors.size() < MAX_ERROR_LINES)
            {
                errors.add(line);
            }
        }
        return false;
    }

    private static void addIfExists(final List<String> files, final Path file)
    {
        if (Files.exists(file))
        {
            files.add(file.toString());
        }
    }

    /** The partition directories of a topic (and of {@code __consumer_offsets} when asked) under the log dir. */
    static List<Path> partitionDirs(final Path logDir, final String topic) throws IOException
    {
        final List<Path> dirs = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(logDir))
        {
            for (final Path path : stream)
            {
                final String name = path.getFileName().toString();
                final int dash = name.lastIndexOf('-');
                if (Files.isDirectory(path) && dash > 0 && name.substring(0, dash).equals(topic) &&
                    name.substring(dash + 1).chars().allMatch(Character::isDigit) && dash + 1 < name.length())
                {
                    dirs.add(path);
                }
            }
        }
        dirs.sort(null);
        return dirs;
    }
}
