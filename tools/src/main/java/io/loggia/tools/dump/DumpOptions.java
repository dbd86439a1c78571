package io.loggia.tools.dump;

import io.loggia.tools.UsageException;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The flags of {@code loggia dump}, as Kafka's {@code kafka-dump-log} spells them. Flags take their value as
 * the next argument or after {@code =}; {@code --files} may be given more than once.
 */
final class DumpOptions
{
    static final String LOG_SUFFIX = ".log";
    static final String INDEX_SUFFIX = ".index";
    static final String TIME_INDEX_SUFFIX = ".timeindex";

    private final List<Path> files;
    private final boolean printDataLog;
    private final boolean verifyIndexOnly;
    private final boolean deepIteration;
    private final boolean indexSanityCheck;
    private final int maxBytes;

    private DumpOptions(
        final List<Path> files,
        final boolean printDataLog,
        final boolean verifyIndexOnly,
        final boolean deepIteration,
        final boolean indexSanityCheck,
        final int maxBytes)
    {
        this.files = Collections.unmodifiableList(files);
        this.printDataLog = printDataLog;
        this.verifyIndexOnly = verifyIndexOnly;
        this.deepIteration = deepIteration;
        this.indexSanityCheck = indexSanityCheck;
        this.maxBytes = maxBytes;
    }

    /**
     * @throws UsageException for an unknown flag, a missing or malformed value, no files, or a file that is not
     *                        a {@code .log}, {@code .index} or {@code .timeindex} named after its base offset.
     */
    static DumpOptions parse(final String[] args) throws UsageException
    {
        final List<Path> files = new ArrayList<>();
        boolean printDataLog = false;
        boolean verifyIndexOnly = false;
        boolean deepIteration = false;
        boolean indexSanityCheck = false;
        int maxBytes = Integer.MAX_VALUE;

        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            final int equals = arg.indexOf('=');
            final String flag = arg.startsWith("--") && equals > 0 ? arg.substring(0, equals) : arg;
            final String inlineValue = flag.length() == arg.length() ? null : arg.substring(equals + 1);
            switch (flag)
            {
                case "--files":
                {
                    final String value = null != inlineValue ? inlineValue : valueAfter(args, i++, flag);
                    for (final String name : value.split(",", -1))
                    {
                        files.add(checkedFile(name.trim()));
                    }
                    break;
                }
                case "--max-bytes":
                    maxBytes = parseMaxBytes(null != inlineValue ? inlineValue : valueAfter(args, i++, flag));
                    break;
                case "--print-data-log":
                    printDataLog = noValue(flag, inlineValue);
                    break;
                case "--verify-index-only":
                    verifyIndexOnly = noValue(flag, inlineValue);
                    break;
                case "--deep-iteration":
                    deepIteration = noValue(flag, inlineValue);
                    break;
                case "--index-sanity-check":
                    indexSanityCheck = noValue(flag, inlineValue);
                    break;
                default:
                    throw new UsageException(
                        arg.startsWith("-") ? "unknown option " + flag : "unexpected argument '" + arg + "'");
            }
        }

        if (files.isEmpty())
        {
            throw new UsageException("--files is required");
        }
        // as in kafka-dump-log, printing the records implies reading them
        return new DumpOptions(
            files, printDataLog, verifyIndexOnly, deepIteration || printDataLog, indexSanityCheck, maxBytes);
    }

    List<Path> files()
    {
        return files;
    }

    boolean printDataLog()
    {
        return printDataLog;
    }

    boolean verifyIndexOnly()
    {
        return verifyIndexOnly;
    }

    /** Validate and decompress every record; set by {@code --deep-iteration} or {@code --print-data-log}. */
    boolean deepIteration()
    {
        return deepIteration;
    }

    boolean indexSanityCheck()
    {
        return indexSanityCheck;
    }

    /** Bytes of a {@code .log} to read from its start; {@link Integer#MAX_VALUE} when not limited. */
    int maxBytes()
    {
        return maxBytes;
    }

    boolean maxBytesLimited()
    {
        return Integer.MAX_VALUE != maxBytes;
    }

    /** The base offset a segment file is named after: the digits before the first dot, or -1. */
    static long baseOffsetOf(final Path file)
    {
        final String name = file.getFileName().toString();
        final int dot = name.indexOf('.');
        if (dot <= 0)
        {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < dot; i++)
        {
            final char c = name.charAt(i);
            if (c < '0' || c > '9')
            {
                return -1;
            }
            final int digit = c - '0';
            if (value > (Long.MAX_VALUE - digit) / 10)
            {
                return -1;
            }
            value = value * 10 + digit;
        }
        return value;
    }

    /** The {@code .log} an index file belongs to: same directory, same base offset. */
    static Path logFileOf(final Path indexFile)
    {
        final String name = indexFile.getFileName().toString();
        return indexFile.resolveSibling(name.substring(0, name.indexOf('.')) + LOG_SUFFIX);
    }

    private static Path checkedFile(final String name) throws UsageException
    {
        if (name.isEmpty())
        {
            throw new UsageException("--files has an empty file name");
        }
        final Path file;
        try
        {
            file = Paths.get(name);
        }
        catch (final RuntimeException ex)
        {
            throw new UsageException("'" + name + "' is not a valid path");
        }
        if (null == file.getFileName())
        {
            throw new UsageException("'" + name + "' names no file");
        }
        final String fileName = file.getFileName().toString();
        if (fileName.endsWith(INDEX_SUFFIX) || fileName.endsWith(TIME_INDEX_SUFFIX))
        {
            if (baseOffsetOf(file) < 0)
            {
                throw new UsageException(name + ": an index file must be named <base offset>" +
                    fileName.substring(fileName.lastIndexOf('.')) + ", like 00000000000000000000.index");
            }
        }
        else if (!fileName.endsWith(LOG_SUFFIX))
        {
            throw new UsageException(name + ": not a .log, .index or .timeindex file");
        }
        return file;
    }

    private static String valueAfter(final String[] args, final int index, final String flag) throws UsageException
    {
        if (index + 1 >= args.length || args[index + 1].startsWith("--"))
        {
            throw new UsageException(flag + " needs a value");
        }
        return args[index + 1];
    }

    private static boolean noValue(final String flag, final String inlineValue) throws UsageException
    {
        if (null != inlineValue)
        {
            throw new UsageException(flag + " takes no value");
        }
        return true;
    }

    private static int parseMaxBytes(final String value) throws UsageException
    {
        try
        {
            final int parsed = Integer.parseInt(value.trim());
            if (parsed < 0)
            {
                throw new UsageException("--max-bytes must not be negative, got " + value);
            }
            return parsed;
        }
        catch (final NumberFormatException ex)
        {
            throw new UsageException("--max-bytes needs a number of bytes up to " + Integer.MAX_VALUE +
                ", got '" + value + "'");
        }
    }
}
