package io.loggia.perf.lean;

import io.loggia.perf.CostTracker;

/**
 * The options of {@code loggia perf drain}, parsed from its arguments.
 * <p>
 * Immutable; safe on any thread.
 */
public final class DrainOptions
{
    /** The option summary printed with usage errors. */
    public static final String USAGE =
        "usage: loggia perf drain --bootstrap-server HOST:PORT --topic T [--partitions-from-metadata]\n" +
        "         [--max-bytes N (64m)] [--partition-max-bytes N (16m)] [--connections C (1)]\n" +
        "         [--broker-pid PID] [--repeat R (1)] [--max-wait-ms MS (500)] [--read-buffer N (1m)]\n" +
        "  sizes take a k, m or g suffix (powers of 1024)\n";

    private static final int DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
    private static final int DEFAULT_PARTITION_MAX_BYTES = 16 * 1024 * 1024;
    private static final int DEFAULT_READ_BUFFER = 1024 * 1024;
    private static final int DEFAULT_MAX_WAIT_MS = 500;

    private final String host;
    private final int port;
    private final String topic;
    private final int maxBytes;
    private final int partitionMaxBytes;
    private final int connections;
    private final long brokerPid;
    private final int repeat;
    private final int maxWaitMs;
    private final int readBufferBytes;

    /**
     * @param host              broker host.
     * @param port              broker port.
     * @param topic             topic to drain.
     * @param maxBytes          Fetch max bytes.
     * @param partitionMaxBytes Fetch partition max bytes.
     * @param connections       connections, each on its own thread.
     * @param brokerPid         broker pid, or {@link CostTracker#NO_PID}.
     * @param repeat            drains to run.
     * @param maxWaitMs         Fetch max wait.
     * @param readBufferBytes   each connection's read window.
     */
    public DrainOptions(
        final String host,
        final int port,
        final String topic,
        final int maxBytes,
        final int partitionMaxBytes,
        final int connections,
        final long brokerPid,
        final int repeat,
        final int maxWaitMs,
        final int readBufferBytes)
    {
        this.host = host;
        this.port = port;
        this.topic = topic;
        this.maxBytes = maxBytes;
        this.partitionMaxBytes = partitionMaxBytes;
        this.connections = connections;
        this.brokerPid = brokerPid;
        this.repeat = repeat;
        this.maxWaitMs = maxWaitMs;
        this.readBufferBytes = readBufferBytes;
    }

    /**
     * @param args the arguments after {@code drain}.
     * @return the options.
     * @throws IllegalArgumentException for unknown options, missing or bad values.
     */
    public static DrainOptions parse(final String[] args)
    {
        String bootstrap = null;
        String topic = null;
        int maxBytes = DEFAULT_MAX_BYTES;
        int partitionMaxBytes = DEFAULT_PARTITION_MAX_BYTES;
        int connections = 1;
        long brokerPid = CostTracker.NO_PID;
        int repeat = 1;
        int maxWaitMs = DEFAULT_MAX_WAIT_MS;
        int readBuffer = DEFAULT_READ_BUFFER;
        for (int i = 0; i < args.length; i++)
        {
            final String option = args[i];
            switch (option)
            {
                case "--bootstrap-server":
                    bootstrap = value(args, ++i, option);
                    break;
                case "--topic":
                    topic = value(args, ++i, option);
                    break;
                case "--partitions-from-metadata":
                    break;
                case "--max-bytes":
                    maxBytes = size(value(args, ++i, option), option, 1);
                    break;
                case "--partition-max-bytes":
                    partitionMaxBytes = size(value(args, ++i, option), option, 1);
                    break;
                case "--connections":
                    connections = number(value(args, ++i, option), option, 1, 1024);
                    break;
                case "--broker-pid":
                    brokerPid = number(value(args, ++i, option), option, 1, Integer.MAX_VALUE);
                    break;
                case "--repeat":
                    repeat = number(value(args, ++i, option), option, 1, 1000);
                    break;
                case "--max-wait-ms":
                    maxWaitMs = number(value(args, ++i, option), option, 0, 60_000);
                    break;
                case "--read-buffer":
                    readBuffer = size(value(args, ++i, option), option, 64 * 1024);
                    break;
                default:
                    throw new IllegalArgumentException("drain: unknown option '" + option + "'");
            }
        }
        if (null == bootstrap || null == topic)
        {
            throw new IllegalArgumentException("drain needs --bootstrap-server HOST:PORT and --topic T");
        }
        final int colon = bootstrap.lastIndexOf(':');
        if (colon <= 0 || bootstrap.indexOf(',') >= 0)
        {
            throw new IllegalArgumentException("--bootstrap-server needs one HOST:PORT, got '" + bootstrap + "'");
        }
        final int port = number(bootstrap.substring(colon + 1), "--bootstrap-server port", 1, 65535);
        return new DrainOptions(bootstrap.substring(0, colon), port, topic, maxBytes, partitionMaxBytes, connections,
            brokerPid, repeat, maxWaitMs, readBuffer);
    }

    public String host()
    {
        return host;
    }

    public int port()
    {
        return port;
    }

    public String topic()
    {
        return topic;
    }

    public int maxBytes()
    {
        return maxBytes;
    }

    public int partitionMaxBytes()
    {
        return partitionMaxBytes;
    }

    public int connections()
    {
        return connections;
    }

    /** @return the broker's pid, or {@link CostTracker#NO_PID}. */
    public long brokerPid()
    {
        return brokerPid;
    }

    public int repeat()
    {
        return repeat;
    }

    public int maxWaitMs()
    {
        return maxWaitMs;
    }

    public int readBufferBytes()
    {
        return readBufferBytes;
    }

    private static String value(final String[] args, final int index, final String option)
    {
        if (index >= args.length)
        {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static int number(final String text, final String option, final long min, final long max)
    {
        try
        {
            final long value = Long.parseLong(text.trim());
            if (value < min || value > max)
            {
                throw new IllegalArgumentException(option + " must be between " + min + " and " + max);
            }
            return (int)value;
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(option + " needs a number, got '" + text + "'");
        }
    }

    private static int size(final String text, final String option, final long min)
    {
        final String trimmed = text.trim().toLowerCase();
        long unit = 1;
        String digits = trimmed;
        if (trimmed.endsWith("k") || trimmed.endsWith("m") || trimmed.endsWith("g"))
        {
            final char suffix = trimmed.charAt(trimmed.length() - 1);
            unit = suffix == 'k' ? 1024L : suffix == 'm' ? 1024L * 1024 : 1024L * 1024 * 1024;
            digits = trimmed.substring(0, trimmed.length() - 1);
        }
        try
        {
            final long value = Long.parseLong(digits) * unit;
            if (value < min || value > Integer.MAX_VALUE)
            {
                throw new IllegalArgumentException(option + " must be between " + min + " and " + Integer.MAX_VALUE);
            }
            return (int)value;
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(option + " needs a size, got '" + text + "'");
        }
    }
}
