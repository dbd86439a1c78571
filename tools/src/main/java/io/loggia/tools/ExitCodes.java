package io.loggia.tools;

/**
 * Exit codes shared by every {@code loggia} command. Scripts rely on them: keep their meaning stable.
 */
public final class ExitCodes
{
    /** Done, and whatever was checked is fine. */
    public static final int OK = 0;
    /** The command ran and what it checked is not fine: an invalid batch, an index entry that misleads. */
    public static final int INVALID = 1;
    /** Unknown command, unknown or malformed option, missing argument. */
    public static final int USAGE = 2;
    /** An input could not be read: missing file, permission denied, I/O error. */
    public static final int IO_ERROR = 3;
    /** An unexpected exception: a bug. Run again with {@code LOGGIA_DEBUG=1} for the stack trace. */
    public static final int INTERNAL_ERROR = 4;

    private ExitCodes()
    {
    }
}
