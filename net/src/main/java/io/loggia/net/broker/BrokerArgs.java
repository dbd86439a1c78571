package io.loggia.net.broker;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The broker's command line, Kafka's shape: {@code [server.properties] [--override key=value]...}. Overrides win
 * over the file, later ones over earlier ones.
 */
public final class BrokerArgs
{
    public static final String USAGE = "usage: loggia broker [server.properties] [--override key=value]...";

    private final Path file;
    private final Map<String, String> overrides;
    private final boolean help;

    private BrokerArgs(final Path file, final Map<String, String> overrides, final boolean help)
    {
        this.file = file;
        this.overrides = overrides;
        this.help = help;
    }

    /**
     * @throws IllegalArgumentException one line saying what is wrong with the arguments.
     */
    public static BrokerArgs parse(final String[] args)
    {
        Path file = null;
        final Map<String, String> overrides = new LinkedHashMap<>();
        boolean help = false;
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            if ("--help".equals(arg) || "-h".equals(arg))
            {
                help = true;
            }
            else if ("--override".equals(arg))
            {
                if (i + 1 == args.length)
                {
                    throw new IllegalArgumentException("--override needs key=value");
                }
                override(overrides, args[++i]);
            }
            else if (arg.startsWith("--override="))
            {
                override(overrides, arg.substring("--override=".length()));
            }
            else if (arg.startsWith("-"))
            {
                throw new IllegalArgumentException("unknown option " + arg);
            }
            else if (null == file)
            {
                file = Path.of(arg);
            }
            else
            {
                throw new IllegalArgumentException("one properties file only; got " + file + " and " + arg);
            }
        }
        return new BrokerArgs(file, overrides, help);
    }

    private static void override(final Map<String, String> overrides, final String pair)
    {
        final int equals = pair.indexOf('=');
        if (equals <= 0)
        {
            throw new IllegalArgumentException("--override " + pair + " is not key=value");
        }
        overrides.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
    }

    /** The properties file, null if none was given. */
    public Path file()
    {
        return file;
    }

    public Map<String, String> overrides()
    {
        return overrides;
    }

    public boolean help()
    {
        return help;
    }

    /**
     * The file's settings with the overrides applied.
     *
     * @throws IOException one line naming the file if it cannot be read.
     */
    public Map<String, String> settings() throws IOException
    {
        final Map<String, String> settings = null == file ? new LinkedHashMap<>() : BrokerConfig.load(file);
        settings.putAll(overrides);
        return settings;
    }
}
