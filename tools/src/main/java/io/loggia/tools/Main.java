package io.loggia.tools;

import io.loggia.tools.dump.DumpCommand;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * The {@code loggia} command line: {@code loggia <command> [args...]}, run by the {@code ./loggia} launcher.
 * <p>
 * {@link #run(String[], PrintStream, PrintStream)} dispatches to a {@link Command} and returns the exit code;
 * only {@link #main(String[])} calls {@link System#exit(int)}, so tests run commands in-process. Every failure
 * becomes one line on standard error and an {@link ExitCodes exit code}; stack traces are printed only with
 * the environment variable {@code LOGGIA_DEBUG=1}.
 */
public final class Main
{
    /** Environment variable that adds stack traces to failure reports. */
    public static final String DEBUG_ENV = "LOGGIA_DEBUG";

    private static final String HELP = "help";

    private Main()
    {
    }

    /**
     * Every command, in the order {@code loggia help} lists them. Adding a command is one line here.
     */
    static Command[] commands()
    {
        return new Command[]
        {
            new io.loggia.tools.broker.BrokerCommand(),
            new DumpCommand(),
            new io.loggia.tools.groups.GroupsCommand(),
            new io.loggia.tools.torture.TortureCommand(),
        };
    }

    public static void main(final String[] args)
    {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Run one command line with {@code LOGGIA_DEBUG} taken from the environment.
     *
     * @return the exit code.
     */
    public static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        return run(args, new Terminal(out, err, "1".equals(System.getenv(DEBUG_ENV))));
    }

    /**
     * Run one command line on a given terminal, e.g. with captured streams in a test.
     *
     * @return the exit code.
     */
    public static int run(final String[] args, final Terminal terminal)
    {
        return run(commands(), args, terminal);
    }

    /**
     * Run one command line against a table of commands.
     *
     * @return the exit code.
     */
    static int run(final Command[] commands, final String[] args, final Terminal terminal)
    {
        if (0 == args.length)
        {
            usage(commands, terminal.err());
            return ExitCodes.USAGE;
        }

        final String name = args[0];
        final String[] rest = Arrays.copyOfRange(args, 1, args.length);
        if (HELP.equals(name) || "--help".equals(name) || "-h".equals(name))
        {
            return help(commands, rest, terminal);
        }

        final Command command = find(commands, name);
        if (null == command)
        {
            terminal.err().println("loggia: unknown command '" + name + "'");
            usage(commands, terminal.err());
            return ExitCodes.USAGE;
        }
        if (asksForHelp(rest))
        {
            terminal.out().print(command.help());
            return ExitCodes.OK;
        }

        try
        {
            return command.run(rest, terminal);
        }
        catch (final UsageException ex)
        {
            terminal.error("loggia " + name + ": " + ex.getMessage() + " (see 'loggia help " + name + "')", ex);
            return ExitCodes.USAGE;
        }
        catch (final Exception | Error ex)
        {
            terminal.error(
                "loggia " + name + ": unexpected failure: " + ex +
                (terminal.debug() ? "" : " (run with " + DEBUG_ENV + "=1 for the stack trace)"), ex);
            return ExitCodes.INTERNAL_ERROR;
        }
    }

    private static int help(final Command[] commands, final String[] args, final Terminal terminal)
    {
        if (0 == args.length)
        {
            usage(commands, terminal.out());
            return ExitCodes.OK;
        }
        final Command command = find(commands, args[0]);
        if (null == command)
        {
            terminal.err().println("loggia help: unknown command '" + args[0] + "'");
            usage(commands, terminal.err());
            return ExitCodes.USAGE;
        }
        terminal.out().print(command.help());
        return ExitCodes.OK;
    }

    private static Command find(final Command[] commands, final String name)
    {
        for (final Command command : commands)
        {
            if (command.name().equals(name))
            {
                return command;
            }
        }
        return null;
    }

    private static boolean asksForHelp(final String[] args)
    {
        for (final String arg : args)
        {
            if ("--help".equals(arg) || "-h".equals(arg))
            {
                return true;
            }
        }
        return false;
    }

    private static void usage(final Command[] commands, final PrintStream stream)
    {
        int width = HELP.length();
        for (final Command command : commands)
        {
            width = Math.max(width, command.name().length());
        }
        final StringBuilder text = new StringBuilder(256)
            .append("usage: loggia <command> [args...]").append(System.lineSeparator())
            .append(System.lineSeparator())
            .append("commands:").append(System.lineSeparator());
        for (final Command command : commands)
        {
            appendCommandLine(text, width, command.name(), command.summary());
        }
        appendCommandLine(text, width, HELP, "this text, or a command's options: loggia help <command>");
        text.append(System.lineSeparator())
            .append("Set ").append(DEBUG_ENV).append("=1 to see stack traces of failures.")
            .append(System.lineSeparator());
        stream.print(text);
        stream.flush();
    }

    private static void appendCommandLine(
        final StringBuilder text, final int width, final String name, final String summary)
    {
        text.append("  ").append(name);
        for (int i = name.length(); i < width + 3; i++)
        {
            text.append(' ');
        }
        text.append(summary).append(System.lineSeparator());
    }
}
