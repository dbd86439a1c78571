package io.loggia.tools.torture;

import io.loggia.tools.UsageException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * The flags of {@code loggia torture}. Flags take their value as the next argument or after {@code =};
 * {@code --broker-override} may be repeated. Every value is checked here, so a run never starts with a setting
 * it would trip over later.
 */
final class TortureOptions
{
    static final String DEFAULT_TOPIC = "torture";
    static final String DEFAULT_GROUP = "torture-group";

    private static final Set<String> VALUE_FLAGS = Set.of("--iterations", "--partitions", "--consumers",
        "--record-bytes", "--rate", "--min-run-ms", "--max-run-ms", "--torn-writes", "--kill-during-recovery",
        "--clean-stops", "--segment-bytes", "--compression", "--seed", "--dir", "--broker-override");

    int iterations = 10;
    int partitions = 3;
    int consumers = 2;
    int maxRecordBytes = 512;
    int rate = 2_000;
    boolean bursts;
    int minRunMs = 500;
    int maxRunMs = 3_000;
    double tornWriteProbability = 0.5;
    double killDuringRecoveryProbability = 0.1;
    double cleanStopProbability;
    int segmentBytes = 1024 * 1024;
    String compression = "none";
    long seed = System.nanoTime();
    Path dir;
    boolean keepData;
    boolean stopOnViolation = true;
    boolean quiet;
    List<String> brokerOverrides = new ArrayList<>();
    /**
     * Self-check of the harness: damage acknowledged bytes as well, so the run must report lost records and
     * fail. Proves that the checks can see a loss; never use it to judge a broker.
     */
    boolean damageAcknowledged;

    private TortureOptions()
    {
    }

    /**
     * @throws UsageException for an unknown flag, a missing or malformed value, or values that contradict each
     *                        other.
     */
    static TortureOptions parse(final String... args) throws UsageException
    {
        final TortureOptions options = new TortureOptions();
        for (int i = 0; i < args.length; i++)
        {
            final String arg = args[i];
            final int equals = arg.indexOf('=');
            final String flag = arg.startsWith("--") && equals > 0 ? arg.substring(0, equals) : arg;
            final String inline = flag.length() == arg.length() ? null : arg.substring(equals + 1);
            switch (flag)
            {
                case "--bursts":
                    options.bursts = noValue(flag, inline);
                    continue;
                case "--keep-data":
                    options.keepData = noValue(flag, inline);
                    continue;
                case "--continue-on-violation":
                    options.stopOnViolation = !noValue(flag, inline);
                    continue;
                case "--quiet":
                    options.quiet = noValue(flag, inline);
                    continue;
                case "--self-check-damage-acknowledged":
                    options.damageAcknowledged = noValue(flag, inline);
                    continue;
                default:
                    break;
            }
            if (!VALUE_FLAGS.contains(flag))
            {
                throw new UsageException(
                    arg.startsWith("-") ? "unknown option " + flag : "unexpected argument '" + arg + "'");
            }
            final String value = null != inline ? inline : valueAfter(args, i++, flag);
            switch (flag)
            {
                case "--iterations":
                    options.iterations = intIn(flag, value, 1, Integer.MAX_VALUE);
                    break;
                case "--partitions":
                    options.partitions = intIn(flag, value, 1, 64);
                    break;
                case "--consumers":
                    options.consumers = intIn(flag, value, 0, 16);
                    break;
                case "--record-bytes":
                    options.maxRecordBytes = intIn(flag, value, Payloads.MIN_VALUE_LENGTH, 1 << 20);
                    break;
                case "--rate":
                    options.rate = intIn(flag, value, 0, 10_000_000);
                    break;
                case "--min-run-ms":
                    options.minRunMs = intIn(flag, value, 0, 3_600_000);
                    break;
                case "--max-run-ms":
                    options.maxRunMs = intIn(flag, value, 0, 3_600_000);
                    break;
                case "--torn-writes":
                    options.tornWriteProbability = probability(flag, value);
                    break;
                case "--kill-during-recovery":
                    options.killDuringRecoveryProbability = probability(flag, value);
                    break;
                case "--clean-stops":
                    options.cleanStopProbability = probability(flag, value);
                    break;
                case "--segment-bytes":
                    options.segmentBytes = intIn(flag, value, 64 * 1024, Integer.MAX_VALUE);
                    break;
                case "--compression":
                    options.compression = compression(value);
                    break;
                case "--seed":
                    options.seed = longValue(flag, value);
                    break;
                case "--dir":
                    options.dir = Path.of(value);
                    break;
                case "--broker-override":
                    if (value.indexOf('=') <= 0)
                    {
                        throw new UsageException("--broker-override wants key=value, not '" + value + "'");
                    }
                    options.brokerOverrides.add(value);
                    break;
                default:
                    throw new IllegalStateException(flag);
            }
        }
        if (options.minRunMs > options.maxRunMs)
        {
            throw new UsageException("--min-run-ms " + options.minRunMs + " is above --max-run-ms " + options.maxRunMs);
        }
        options.brokerOverrides = Collections.unmodifiableList(options.brokerOverrides);
        return options;
    }

    private static boolean noValue(final String flag, final String inline) throws UsageException
    {
        if (null != inline)
        {
            throw new UsageException(flag + " takes no value");
        }
        return true;
    }

    private static String valueAfter(final String[] args, final int index, final String flag) throws UsageException
    {
        if (index + 1 >= args.length)
        {
            throw new UsageException(flag + " needs a value");
        }
        return args[index + 1];
    }

    private static int intIn(final String flag, final String value, final int min, final int max)
        throws UsageException
    {
        final long parsed = longValue(flag, value);
        if (parsed < min || parsed > max)
        {
            throw new UsageException(flag + " must be between " + min + " and " + max + ", not " + value);
        }
        return (int)parsed;
    }

    private static long longValue(final String flag, final String value) throws UsageException
    {
        try
        {
            return Long.parseLong(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new UsageException(flag + " wants a number, not '" + value + "'");
        }
    }

    private static double probability(final String flag, final String value) throws UsageException
    {
        final double parsed;
        try
        {
            parsed = Double.parseDouble(value.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new UsageException(flag + " wants a probability between 0 and 1, not '" + value + "'");
        }
        if (!(parsed >= 0.0 && parsed <= 1.0))
        {
            throw new UsageException(flag + " wants a probability between 0 and 1, not '" + value + "'");
        }
        return parsed;
    }

    private static String compression(final String value) throws UsageException
    {
        switch (value)
        {
            case "none":
            case "gzip":
            case "snappy":
            case "lz4":
            case "zstd":
                return value;
            default:
                throw new UsageException("--compression must be none, gzip, snappy, lz4 or zstd, not '" + value + "'");
        }
    }
}
