package io.loggia.tools;

/**
 * One command of the {@code loggia} command line: {@code loggia <name> [args...]}. {@link Main} finds it by
 * {@link #name()}, lists it in {@code loggia help}, prints {@link #help()} for {@code loggia help <name>} and
 * {@code loggia <name> --help}, and turns what {@link #run} returns or throws into the process's exit code.
 * <p>
 * A command reports failures the user can cause (a missing file, a bad flag, a corrupt file) as one line on
 * {@link Terminal#err()} and a non-zero {@link ExitCodes exit code}; it never prints a stack trace itself
 * unless {@link Terminal#debug()}. Bad arguments are best thrown as {@link UsageException}.
 */
public interface Command
{
    /** The word that selects the command, e.g. {@code dump}. */
    String name();

    /** One line for {@code loggia help}: what the command does. */
    String summary();

    /** Full usage: synopsis, options, exit codes. Ends with a line separator. */
    String help();

    /**
     * Run the command on the arguments after its name.
     *
     * @param args     the arguments after the command's name.
     * @param terminal where to write and whether to show stack traces.
     * @return an {@link ExitCodes} value.
     * @throws UsageException if the arguments are wrong; {@link Main} prints its message and exits with
     *                        {@link ExitCodes#USAGE}.
     * @throws Exception      anything unexpected; {@link Main} prints one line (and the stack trace with
     *                        {@code LOGGIA_DEBUG=1}) and exits with {@link ExitCodes#INTERNAL_ERROR}.
     */
    int run(String[] args, Terminal terminal) throws Exception;
}
