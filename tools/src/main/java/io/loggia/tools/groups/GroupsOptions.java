package io.loggia.tools.groups;

import io.loggia.tools.UsageException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The flags of {@code loggia groups}, spelled as Kafka's {@code kafka-consumer-groups} spells them. Flags take
 * their value as the next argument or after {@code =}; {@code --group} may be given more than once.
 */
final class GroupsOptions
{
    static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";
    static final int DEFAULT_TIMEOUT_MS = 5_000;

    /** What the command does. */
    enum Action
    {
        LIST, DESCRIBE
    }

    private final String bootstrapServer;
    private final Action action;
    private final List<String> groups;
    private final boolean allGroups;
    private final int timeoutMs;

    private GroupsOptions(
        final String bootstrapServer,
        final Action action,
        final List<String> groups,
        final boolean allGroups,
        final int timeoutMs)
    {
        this.bootstrapServer = bootstrapServer;
        this.action = action;
        this.groups = Collections.unmodifiableList(groups);
        this.allGroups = allGroups;
        this.timeoutMs = timeoutMs;
    }

    /**
     * @throws UsageException for an unknown flag, a missing or malformed value, neither or both of
     *                        {@code --list} and {@code --describe}, or {@code --describe} without a group.
     */
    static GroupsOptions parse(final String[] args) throws UsageException
    {
        String bootstrapServer = DEFAULT_BOOTSTRAP;
        Action action = null;
        final List<String> groups = new ArrayList<>();
        boolean allGroups = false;
        int timeoutMs = DEFAULT_TIMEOUT_MS;

        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            final int equals = arg.indexOf('=');
            final String flag = arg.startsWith("--") && equals > 0 ? arg.substring(0, equals) : arg;
            final String inlineValue = flag.length() == arg.length() ? null : arg.substring(equals + 1);
            switch (flag)
            {
                case "--bootstrap-server":
                    bootstrapServer = null != inlineValue ? inlineValue : valueAfter(args, i++, flag);
                    if (bootstrapServer.isBlank())
                    {
                        throw new UsageException("--bootstrap-server needs host:port");
                    }
                    break;
                case "--group":
                    groups.add(null != inlineValue ? inlineValue : valueAfter(args, i++, flag));
                    break;
                case "--all-groups":
                    allGroups = noValue(flag, inlineValue);
                    break;
                case "--list":
                    noValue(flag, inlineValue);
                    action = action(action, Action.LIST);
                    break;
                case "--describe":
                    noValue(flag, inlineValue);
                    action = action(action, Action.DESCRIBE);
                    break;
                case "--timeout":
                    timeoutMs = parseTimeout(null != inlineValue ? inlineValue : valueAfter(args, i++, flag));
                    break;
                default:
                    throw new UsageException((arg.startsWith("-") ? "unknown option " : "unexpected argument ") +
                        "'" + arg + "'");
            }
        }
        if (null == action)
        {
            throw new UsageException("one of --list or --describe is required");
        }
        if (action == Action.DESCRIBE && groups.isEmpty() && !allGroups)
        {
            throw new UsageException("--describe needs --group G (or --all-groups)");
        }
        if (action == Action.LIST && (!groups.isEmpty() || allGroups))
        {
            throw new UsageException("--list takes no --group or --all-groups");
        }
        if (allGroups && !groups.isEmpty())
        {
            throw new UsageException("--group and --all-groups exclude each other");
        }
        return new GroupsOptions(bootstrapServer, action, groups, allGroups, timeoutMs);
    }

    String bootstrapServer()
    {
        return bootstrapServer;
    }

    Action action()
    {
        return action;
    }

    /** The groups named with {@code --group}, in the order given. */
    List<String> groups()
    {
        return groups;
    }

    boolean allGroups()
    {
        return allGroups;
    }

    /** How long any one call to the broker may take before the broker counts as unreachable. */
    int timeoutMs()
    {
        return timeoutMs;
    }

    private static Action action(final Action current, final Action next) throws UsageException
    {
        if (null != current && current != next)
        {
            throw new UsageException("--list and --describe exclude each other");
        }
        return next;
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

    private static int parseTimeout(final String value) throws UsageException
    {
        try
        {
            final int timeoutMs = Integer.parseInt(value.trim());
            if (timeoutMs <= 0)
            {
                throw new UsageException("--timeout must be a positive number of milliseconds, not " + value);
            }
            return timeoutMs;
        }
        catch (final NumberFormatException ex)
        {
            throw new UsageException("--timeout must be a positive number of milliseconds, not '" + value + "'");
        }
    }
}
