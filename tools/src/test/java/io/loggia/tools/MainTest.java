package io.loggia.tools;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest
{
    /** A command that fails the way a bug does. */
    private static final class Failing implements Command
    {
        public String name()
        {
            return "fail";
        }

        public String summary()
        {
            return "always fails";
        }

        public String help()
        {
            return "usage: loggia fail" + System.lineSeparator();
        }

        public int run(final String[] args, final Terminal terminal)
        {
            throw new IllegalStateException("boom");
        }
    }

    /** A command that echoes its arguments and rejects "bad". */
    private static final class Echo implements Command
    {
        public String name()
        {
            return "echo";
        }

        public String summary()
        {
            return "prints its arguments";
        }

        public String help()
        {
            return "usage: loggia echo [words...]" + System.lineSeparator();
        }

        public int run(final String[] args, final Terminal terminal) throws UsageException
        {
            if (args.length > 0 && "bad".equals(args[0]))
            {
                throw new UsageException("bad is not a word");
            }
            terminal.out().println(String.join(" ", args));
            return ExitCodes.OK;
        }
    }

    private static final Command[] COMMANDS = { new Echo(), new Failing() };

    @Test
    void dispatchesToTheNamedCommandWithTheRemainingArguments()
    {
        final CommandRun run = CommandRun.run(COMMANDS, false, "echo", "a", "b");

        assertThat(run.exitCode).isEqualTo(ExitCodes.OK);
        assertThat(run.out).containsExactly("a b");
        assertThat(run.err).isEmpty();
    }

    @Test
    void noCommandOrAnUnknownOnePrintsTheUsageOnStandardErrorAndExitsTwo()
    {
        final CommandRun none = CommandRun.run(COMMANDS, false);
        final CommandRun unknown = CommandRun.run(COMMANDS, false, "frobnicate", "--x");

        assertThat(none.exitCode).isEqualTo(ExitCodes.USAGE);
        assertThat(none.out).isEmpty();
        assertThat(none.err).first().isEqualTo("usage: loggia <command> [args...]");
        assertThat(unknown.exitCode).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.out).isEmpty();
        assertThat(unknown.err).startsWith("loggia: unknown command 'frobnicate'", "usage: loggia <command> [args...]")
            .contains("  echo   prints its arguments", "  fail   always fails");
    }

    @Test
    void helpListsTheCommandsOrShowsOne()
    {
        final CommandRun all = CommandRun.run(COMMANDS, false, "help");
        final CommandRun one = CommandRun.run(COMMANDS, false, "help", "echo");
        final CommandRun flag = CommandRun.run(COMMANDS, false, "echo", "x", "--help");
        final CommandRun unknown = CommandRun.run(COMMANDS, false, "help", "nope");

        assertThat(all.exitCode).isEqualTo(ExitCodes.OK);
        assertThat(all.out).contains("  echo   prints its arguments", "  help   this text, or a command's options: " +
            "loggia help <command>");
        assertThat(one.out).containsExactly("usage: loggia echo [words...]");
        assertThat(flag.out).containsExactly("usage: loggia echo [words...]");
        assertThat(unknown.exitCode).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err).first().isEqualTo("loggia help: unknown command 'nope'");
    }

    @Test
    void aUsageErrorIsOneLinePointingAtTheHelp()
    {
        final CommandRun run = CommandRun.run(COMMANDS, false, "echo", "bad");

        assertThat(run.exitCode).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err).containsExactly("loggia echo: bad is not a word (see 'loggia help echo')");
    }

    @Test
    void anUnexpectedFailureIsOneLineWithoutDebugAndAStackTraceWithIt()
    {
        final CommandRun quiet = CommandRun.run(COMMANDS, false, "fail");
        final CommandRun debug = CommandRun.run(COMMANDS, true, "fail");

        assertThat(quiet.exitCode).isEqualTo(ExitCodes.INTERNAL_ERROR);
        assertThat(quiet.err).containsExactly(
            "loggia fail: unexpected failure: java.lang.IllegalStateException: boom " +
            "(run with LOGGIA_DEBUG=1 for the stack trace)");
        assertThat(debug.exitCode).isEqualTo(ExitCodes.INTERNAL_ERROR);
        assertThat(debug.err.get(0))
            .isEqualTo("loggia fail: unexpected failure: java.lang.IllegalStateException: boom");
        assertThat(debug.err.get(1)).isEqualTo("java.lang.IllegalStateException: boom");
        assertThat(debug.err).anyMatch(line -> line.contains("at io.loggia.tools.MainTest$Failing.run"));
    }

    @Test
    void theRealTableHasTheDumpCommand()
    {
        final CommandRun run = CommandRun.of("help");

        assertThat(run.exitCode).isEqualTo(ExitCodes.OK);
        assertThat(run.out).anyMatch(line -> line.startsWith("  dump "));
    }
}
