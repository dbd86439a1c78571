package io.loggia.tools.dump;

import io.loggia.tools.Command;
import io.loggia.tools.ExitCodes;
import io.loggia.tools.Terminal;
import io.loggia.tools.UsageException;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code loggia dump}: prints and verifies segment files ({@code .log}, {@code .index}, {@code .timeindex}) the
 * way Kafka's {@code kafka-dump-log} does, with the broker's own read-only readers. Files are dumped in the
 * order given; a file that cannot be read is reported in one line and the next one is dumped. Each file that
 * fails verification gets one summary line on standard error ({@code Found 1 invalid batch in ...}).
 * <p>
 * Exit code: {@link ExitCodes#OK} if every file was read and verified; {@link ExitCodes#INVALID} if one failed
 * verification; {@link ExitCodes#IO_ERROR} if one could not be read (this wins over INVALID);
 * {@link ExitCodes#USAGE} for bad flags, before anything is dumped.
 */
public final class DumpCommand implements Command
{
    private static final int OUTPUT_BUFFER_BYTES = 64 * 1024;

    public String name()
    {
        return "dump";
    }

    public String summary()
    {
        return "print and verify segment files: --files A.log[,B.index,C.timeindex] [options]";
    }

    public String help()
    {
        final String nl = System.lineSeparator();
        return "usage: loggia dump --files A.log[,B.index,C.timeindex] [--print-data-log] [--deep-iteration]" + nl +
            "                   [--verify-index-only] [--index-sanity-check] [--max-bytes N]" + nl +
            nl +
            "Prints and verifies segment files as Kafka's kafka-dump-log does; never changes them." + nl +
            nl +
            "  --files F[,F...]      .log, .index and .timeindex files (an index is checked against the" + nl +
            "                        .log beside it, which must exist)" + nl +
            "  --print-data-log      print each record's key and payload (implies --deep-iteration); binary" + nl +
            "                        keys and payloads are printed as hex dumps" + nl +
            "  --deep-iteration      decompress, validate and print every record" + nl +
            "  --verify-index-only   for indexes, print only entries that do not match the log" + nl +
            "  --index-sanity-check  for indexes, run only the broker's sanity check" + nl +
            "  --max-bytes N         read at most the first N bytes of each .log" + nl +
            nl +
            "exit codes: 0 all files read and valid, 1 a file failed verification," + nl +
            "            2 bad usage, 3 a file could not be read, 4 unexpected failure" + nl;
    }

    public int run(final String[] args, final Terminal terminal) throws UsageException
    {
        final DumpOptions options = DumpOptions.parse(args);
        // a dump can be millions of lines: buffer them, and flush before every line written to standard error
        final PrintStream out = new PrintStream(new BufferedOutputStream(terminal.out(), OUTPUT_BUFFER_BYTES), false);
        int exitCode = ExitCodes.OK;
        try (LogDumper logDumper = new LogDumper())
        {
            for (final Path file : options.files())
            {
                out.println("Dumping " + file);
                final Findings findings = new Findings();
                try
                {
                    dumpFile(file, options, logDumper, out, findings);
                }
                catch (final IOException ex)
                {
                    out.flush();
                    terminal.error("loggia dump: " + failedFile(file, ex) + ": " + MappedFile.describe(ex), ex);
                    exitCode = Math.max(exitCode, ExitCodes.IO_ERROR);
                    continue;
                }
                if (!findings.isEmpty())
                {
                    out.flush();
                    terminal.err().println(findings.summary(file));
                    terminal.err().flush();
                    exitCode = Math.max(exitCode, ExitCodes.INVALID);
                }
            }
        }
        finally
        {
            out.flush();
        }
        return exitCode;
    }

    private static void dumpFile(
        final Path file,
        final DumpOptions options,
        final LogDumper logDumper,
        final PrintStream out,
        final Findings findings) throws IOException
    {
        final String name = file.getFileName().toString();
        if (name.endsWith(DumpOptions.LOG_SUFFIX))
        {
            try (MappedFile log = MappedFile.open(file))
            {
                logDumper.dump(log, options, out, findings);
            }
            return;
        }

        final Path logFile = DumpOptions.logFileOf(file);
        try (MappedFile log = openLogOfIndex(logFile))
        {
            if (name.endsWith(DumpOptions.TIME_INDEX_SUFFIX))
            {
                TimeIndexDumper.dump(file, log, options, out, findings);
            }
            else
            {
                OffsetIndexDumper.dump(file, log, options, out, findings);
            }
        }
    }

    private static MappedFile openLogOfIndex(final Path logFile) throws IOException
    {
        try
        {
            return MappedFile.open(logFile);
        }
        catch (final IOException ex)
        {
            throw new LogOfIndexException(logFile, ex);
        }
    }

    /** The file a failure is about: the index itself, or the log it must be checked against. */
    private static String failedFile(final Path file, final IOException ex)
    {
        return ex instanceof LogOfIndexException ?
            file + ": cannot check it against " + ((LogOfIndexException)ex).logFile : file.toString();
    }

    /** The {@code .log} beside an index could not be opened; its message is the underlying reason. */
    private static final class LogOfIndexException extends IOException
    {
        private static final long serialVersionUID = 1L;

        private final transient Path logFile;

        LogOfIndexException(final Path logFile, final IOException cause)
        {
            super(MappedFile.describe(cause), cause);
            this.logFile = logFile;
        }
    }
}
