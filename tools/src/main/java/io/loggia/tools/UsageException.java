package io.loggia.tools;

/**
 * Thrown by a {@link Command} whose arguments are wrong. {@link Main} prints the message as one line on
 * standard error, with a pointer to the command's help, and exits with {@link ExitCodes#USAGE}.
 */
public final class UsageException extends Exception
{
    private static final long serialVersionUID = 1L;

    public UsageException(final String message)
    {
        super(message);
    }
}
