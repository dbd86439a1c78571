package io.loggia.tools;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * One in-process run of the {@code loggia} command line through {@link Main}, with standard output, standard
 * error and the exit code captured.
 */
public final class CommandRun
{
    public final int exitCode;
    public final List<String> out;
    public final List<String> err;

    private CommandRun(final int exitCode, final String out, final String err)
    {
        this.exitCode = exitCode;
        this.out = lines(out);
        this.err = lines(err);
    }

    /** Run {@code loggia args...} without debug output. */
    public static CommandRun of(final Object... args)
    {
        return run(false, args);
    }

    /** Run {@code loggia args...} as with {@code LOGGIA_DEBUG=1}. */
    public static CommandRun debug(final Object... args)
    {
        return run(true, args);
    }

    static CommandRun run(final Command[] commands, final boolean debug, final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int exitCode;
        try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
            PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8))
        {
            exitCode = Main.run(commands, args, new Terminal(outStream, errStream, debug));
        }
        return new CommandRun(
            exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    public String outText()
    {
        return String.join("\n", out);
    }

    public String toString()
    {
        return "exit " + exitCode + "\n--- out\n" + outText() + "\n--- err\n" + String.join("\n", err);
    }

    private static CommandRun run(final boolean debug, final Object... args)
    {
        final String[] strings = new String[args.length];
        for (int i = 0; i < args.length; i++)
        {
            strings[i] = String.valueOf(args[i]);
        }
        return run(Main.commands(), debug, strings);
    }

    private static List<String> lines(final String text)
    {
        if (text.isEmpty())
        {
            return List.of();
        }
        final String[] split = text.split("\\R", -1);
        final int count = text.endsWith("\n") ? split.length - 1 : split.length;
        return List.of(Arrays.copyOf(split, count));
    }
}
