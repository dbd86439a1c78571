package io.loggia.engine.log;

/**
 * Kafka's rules for topic names. A valid name is also a safe single path component: no separator, not
 * {@code .} or {@code ..}, so a partition directory can never land outside its log dir.
 */
public final class TopicNames
{
    public static final int VALID = 0;
    public static final int EMPTY = 1;
    public static final int TOO_LONG = 2;
    public static final int ILLEGAL_CHARACTER = 3;
    public static final int DOT_OR_DOT_DOT = 4;

    /** Kafka's limit, so that {@code <topic>-<partition>} and suffixed names fit a 255-byte file name. */
    public static final int MAX_LENGTH = 249;

    private TopicNames()
    {
    }

    /**
     * @param name a proposed topic name; null counts as empty.
     * @return {@link #VALID} or the first rule it breaks.
     */
    public static int validate(final String name)
    {
        if (null == name || name.isEmpty())
        {
            return EMPTY;
        }
        if (".".equals(name) || "..".equals(name))
        {
            return DOT_OR_DOT_DOT;
        }
        if (name.length() > MAX_LENGTH)
        {
            return TOO_LONG;
        }
        for (int i = 0, length = name.length(); i < length; i++)
        {
            if (!isLegal(name.charAt(i)))
            {
                return ILLEGAL_CHARACTER;
            }
        }
        return VALID;
    }

    /**
     * Kafka warns that {@code .} and {@code _} collide in metric names; the controller may refuse a name that
     * differs from an existing one only there.
     */
    public static boolean hasCollisionChars(final String name)
    {
        return name.indexOf('.') >= 0 || name.indexOf('_') >= 0;
    }

    /** Replaces {@code .} with {@code _}: two topics with the same form collide in metric names. */
    public static String unifyCollisionChars(final String name)
    {
        return name.replace('.', '_');
    }

    /** One line for an error message. */
    public static String describe(final int code)
    {
        switch (code)
        {
            case VALID: return "valid";
            case EMPTY: return "topic name is empty";
            case TOO_LONG: return "topic name is longer than " + MAX_LENGTH + " characters";
            case ILLEGAL_CHARACTER: return "topic name may contain only ASCII letters, digits, '.', '_' and '-'";
            case DOT_OR_DOT_DOT: return "topic name cannot be '.' or '..'";
            default: return "unknown code " + code;
        }
    }

    private static boolean isLegal(final char c)
    {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '.' || c == '_' || c == '-';
    }
}
