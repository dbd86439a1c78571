package io.loggia.perf;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses the options of {@code loggia perf}: a preset first (wherever it appears), then every other option on
 * top of it, in order.
 * <p>
 * Not thread safe: one instance per command line.
 */
public final class PerfArgs
{
    /** Options and their meaning, printed by {@code --help}. */
    public static final String OPTIONS =
        "Broker and output:\n" +
        "  --bootstrap-server HOST:PORT   broker to load (required)\n" +
        "  --label NAME                   broker name in results and plots (default: broker)\n" +
        "  --broker-pid PID               sample the broker's CPU and memory from /proc/PID\n" +
        "  --out DIR                      result directory (default: perf-results/TIME-LABEL-WORKLOAD)\n" +
        "  --topic-prefix P               topics P-0, P-1...; reused if present (default: fresh perf-RUNID)\n" +
        "  --keep-topics                  do not delete the topics after the run\n" +
        "  --quiet                        no progress lines\n" +
        "Workload (override the preset's values):\n" +
        "  --preset NAME                  start from a named workload (see 'loggia perf presets')\n" +
        "  --topics N                     topics (1)\n" +
        "  --partitions N                 partitions per topic (1)\n" +
        "  --replication-factor N         replicas per partition (1)\n" +
        "  --message-size BYTES           record value size, at least 32 (100)\n" +
        "  --keys none|random|round-robin key distribution (none)\n" +
        "  --producers N                  producers per topic (1)\n" +
        "  --rate MSG_PER_S|max           total produce rate over all producers (10000)\n" +
        "  --subscriptions N              consumer groups per topic; each gets every message (1; 0 = none)\n" +
        "  --consumers N                  consumers per group (1)\n" +
        "  --acks 0|1|all                 producer acks (1)\n" +
        "  --batch-size BYTES             producer batch.size (65536)\n" +
        "  --linger-ms MS                 producer linger.ms (1)\n" +
        "  --compression TYPE             none, gzip, snappy, lz4, zstd (none)\n" +
        "  --warmup SECONDS               run before measuring (5)\n" +
        "  --duration SECONDS             measured time (30)\n" +
        "  --backlog MESSAGES             backlog drain: produce this many first, then consume from the start\n" +
        "  --name NAME                    workload name in results (the preset's, else custom)\n" +
        "Tuning:\n" +
        "  --idle park|spin               how fixed-rate producers wait between sends (park)\n" +
        "  --producer-client kafka|lean   Kafka's KafkaProducer, or the lean producer on Loggia's codec (kafka)\n" +
        "  --consumer-client kafka|lean   Kafka's KafkaConsumer in a group, or the lean consumer on Loggia's codec:\n" +
        "                                 no group, partitions dealt round-robin, uncompressed batches (kafka)\n" +
        "  --drain-timeout SECONDS        wait for consumers after producing (120)\n" +
        "  --producer-property K=V        extra producer setting (repeatable)\n" +
        "  --consumer-property K=V        extra consumer setting (repeatable)\n" +
        "  --client-property K=V          extra setting for every client, e.g. security (repeatable)\n";

    /** Options that change what the workload does, as opposed to how long it runs or what it is called. */
    private static final Set<String> WORKLOAD_OPTIONS = Set.of(
        "--topics", "--partitions", "--replication-factor", "--message-size", "--keys", "--producers",
        "--producers-per-topic", "--rate", "--subscriptions", "--subscriptions-per-topic", "--consumers",
        "--consumers-per-subscription", "--acks", "--batch-size", "--linger-ms", "--compression", "--backlog",
        "--producer-property");

    private final RunOptions options = new RunOptions();
    private final Workload workload;
    private boolean shapeChanged;
    private boolean named;

    private PerfArgs(final Workload workload)
    {
        this.workload = workload;
    }

    /**
     * @param args the arguments after {@code perf}.
     * @return the parsed options and workload.
     * @throws IllegalArgumentException naming the first bad or unknown option.
     */
    public static PerfArgs parse(final String[] args)
    {
        String presetName = null;
        for (int i = 0; i < args.length; i++)
        {
            if (args[i].equals("--preset") && i + 1 < args.length)
            {
                presetName = args[i + 1];
            }
            else if (args[i].startsWith("--preset="))
            {
                presetName = args[i].substring("--preset=".length());
            }
        }
        Workload base = new Workload();
        if (null != presetName)
        {
            base = Presets.get(presetName);
            if (null == base)
            {
                throw new IllegalArgumentException("no preset named '" + presetName + "'; presets: " +
                    String.join(", ", Presets.all().keySet()));
            }
        }
        final PerfArgs parsed = new PerfArgs(base);
        for (int i = 0; i < args.length; i++)
        {
            String option = args[i];
            String value = null;
            final int equals = option.indexOf('=');
            if (option.startsWith("--") && equals > 0)
            {
                value = option.substring(equals + 1);
                option = option.substring(0, equals);
            }
            if (isFlag(option))
            {
                if (null != value)
                {
                    throw new IllegalArgumentException(option + " takes no value");
                }
                parsed.applyFlag(option);
                continue;
            }
            if (null == value)
            {
                if (i + 1 >= args.length)
                {
                    throw new IllegalArgumentException(option + " needs a value");
                }
                value = args[++i];
            }
            parsed.apply(option, value);
        }
        if (null != presetName && parsed.shapeChanged && !parsed.named)
        {
            // A result must not claim to be the preset when its shape differs; only timing changes keep the name.
            parsed.workload.name(presetName + "-modified");
        }
        if (null == parsed.options.bootstrapServers)
        {
            throw new IllegalArgumentException("--bootstrap-server is required");
        }
        parsed.workload.validate();
        if (parsed.options.producerClient == ClientKind.LEAN)
        {
            if (parsed.workload.keyDistribution() != KeyDistribution.NONE)
            {
                throw new IllegalArgumentException("the lean producer sends no keys: use --keys none");
            }
            if (!parsed.options.producerProperties.isEmpty())
            {
                throw new IllegalArgumentException("--producer-property applies to the Kafka producer only");
            }
        }
        if (parsed.options.consumerClient == ClientKind.LEAN)
        {
            if (!parsed.options.consumerProperties.isEmpty())
            {
                throw new IllegalArgumentException("--consumer-property applies to the Kafka consumer only");
            }
            if (!"none".equals(parsed.workload.compression()))
            {
                throw new IllegalArgumentException("the lean consumer reads uncompressed batches: use --compression none");
            }
        }
        return parsed;
    }

    public RunOptions options()
    {
        return options;
    }

    public Workload workload()
    {
        return workload;
    }

    private static boolean isFlag(final String option)
    {
        return option.equals("--keep-topics") || option.equals("--quiet");
    }

    private void applyFlag(final String option)
    {
        if (option.equals("--keep-topics"))
        {
            options.keepTopics = true;
        }
        else
        {
            options.quiet = true;
        }
    }

    private void apply(final String option, final String value)
    {
        if (option.equals("--name"))
        {
            named = true;
        }
        else if (!option.equals("--warmup") && !option.equals("--duration") && !option.equals("--preset") &&
            WORKLOAD_OPTIONS.contains(option))
        {
            shapeChanged = true;
        }
        switch (option)
        {
            case "--preset":
                break;
            case "--bootstrap-server":
                options.bootstrapServers = value;
                break;
            case "--label":
                options.label = value;
                break;
            case "--broker-pid":
                options.brokerPid = positiveLong(option, value);
                break;
            case "--out":
                options.outDir = Path.of(value);
                break;
            case "--topic-prefix":
                options.topicPrefix = value;
                break;
            case "--topics":
                workload.topics(positiveInt(option, value));
                break;
            case "--partitions":
                workload.partitionsPerTopic(positiveInt(option, value));
                break;
            case "--replication-factor":
                workload.replicationFactor((short)positiveInt(option, value));
                break;
            case "--message-size":
                workload.messageSize(positiveInt(option, value));
                break;
            case "--keys":
                workload.keyDistribution(KeyDistribution.parse(value));
                break;
            case "--producers":
            case "--producers-per-topic":
                workload.producersPerTopic(positiveInt(option, value));
                break;
            case "--rate":
                workload.producerRate("max".equals(value.toLowerCase(Locale.ROOT)) ?
                    Workload.MAX_RATE : positiveLong(option, value));
                break;
            case "--subscriptions":
            case "--subscriptions-per-topic":
                workload.subscriptionsPerTopic(nonNegativeInt(option, value));
                break;
            case "--consumers":
            case "--consumers-per-subscription":
                workload.consumersPerSubscription(positiveInt(option, value));
                break;
            case "--acks":
                workload.acks(value.toLowerCase(Locale.ROOT));
                break;
            case "--batch-size":
                workload.batchSize(nonNegativeInt(option, value));
                break;
            case "--linger-ms":
                workload.lingerMs(nonNegativeInt(option, value));
                break;
            case "--compression":
                workload.compression(compression(value));
                break;
            case "--warmup":
                workload.warmupSeconds(nonNegativeInt(option, value));
                break;
            case "--duration":
                workload.testSeconds(positiveInt(option, value));
                break;
            case "--backlog":
                workload.backlogMessages(nonNegativeLong(option, value));
                break;
            case "--name":
                workload.name(value);
                break;
            case "--idle":
                options.idleMode = IdleMode.parse(value);
                break;
            case "--producer-client":
                options.producerClient = ClientKind.parse(value);
                break;
            case "--consumer-client":
                options.consumerClient = ClientKind.parse(value);
                break;
            case "--drain-timeout":
                options.drainTimeoutSeconds = positiveInt(option, value);
                break;
            case "--producer-property":
                property(option, value, options.producerProperties);
                break;
            case "--consumer-property":
                property(option, value, options.consumerProperties);
                break;
            case "--client-property":
                property(option, value, options.commonProperties);
                break;
            default:
                throw new IllegalArgumentException("unknown option '" + option + "'");
        }
    }

    private static String compression(final String value)
    {
        final String type = value.toLowerCase(Locale.ROOT);
        switch (type)
        {
            case "none":
            case "gzip":
            case "snappy":
            case "lz4":
            case "zstd":
                return type;
            default:
                throw new IllegalArgumentException("compression must be none, gzip, snappy, lz4 or zstd, got '" +
                    value + "'");
        }
    }

    private static void property(final String option, final String value, final Map<String, String> into)
    {
        final int equals = value.indexOf('=');
        if (equals <= 0)
        {
            throw new IllegalArgumentException(option + " wants KEY=VALUE, got '" + value + "'");
        }
        into.put(value.substring(0, equals), value.substring(equals + 1));
    }

    private static int positiveInt(final String option, final String value)
    {
        final long parsed = positiveLong(option, value);
        if (parsed > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException(option + " is too large: " + value);
        }
        return (int)parsed;
    }

    private static int nonNegativeInt(final String option, final String value)
    {
        final long parsed = nonNegativeLong(option, value);
        if (parsed > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException(option + " is too large: " + value);
        }
        return (int)parsed;
    }

    private static long positiveLong(final String option, final String value)
    {
        final long parsed = nonNegativeLong(option, value);
        if (parsed == 0)
        {
            throw new IllegalArgumentException(option + " must be above zero");
        }
        return parsed;
    }

    private static long nonNegativeLong(final String option, final String value)
    {
        final long parsed;
        try
        {
            parsed = Long.parseLong(value.replace("_", ""));
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(option + " wants a whole number, got '" + value + "'");
        }
        if (parsed < 0)
        {
            throw new IllegalArgumentException(option + " must not be negative");
        }
        return parsed;
    }
}
