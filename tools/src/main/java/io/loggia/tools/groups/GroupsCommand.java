package io.loggia.tools.groups;

import io.loggia.tools.Command;
import io.loggia.tools.ExitCodes;
import io.loggia.tools.Terminal;
import io.loggia.tools.UsageException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.KafkaException;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code loggia groups}: lists consumer groups and shows, per partition, how far a group is behind, in records
 * and in time. Talks to any Kafka-protocol broker through kafka-clients' AdminClient (DescribeGroups,
 * OffsetFetch, ListOffsets) and a group-less consumer (Fetch, for the age of the oldest unconsumed record).
 * <p>
 * Exit code: {@link ExitCodes#OK}; {@link ExitCodes#INVALID} if a group named does not exist (the others are
 * still shown); {@link ExitCodes#IO_ERROR} if the broker does not answer within {@code --timeout} or refuses a
 * request; {@link ExitCodes#USAGE} for bad flags.
 */
public final class GroupsCommand implements Command
{
    public String name()
    {
        return "groups";
    }

    public String summary()
    {
        return "list consumer groups, or show their lag in records and in time: --list | --describe --group G";
    }

    public String help()
    {
        final String nl = System.lineSeparator();
        return "usage: loggia groups [--bootstrap-server HOST:PORT] [--timeout MS] --list" + nl +
            "       loggia groups [--bootstrap-server HOST:PORT] [--timeout MS] --describe" + nl +
            "                     (--group G [--group G2 ...] | --all-groups)" + nl +
            nl +
            "Lists consumer groups, or describes them as kafka-consumer-groups --describe does, one row per" + nl +
            "partition the group owns or has committed an offset for, with one more column, LAG-TIME:" + nl +
            nl +
            "  GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG LAG-TIME CONSUMER-ID HOST CLIENT-ID" + nl +
            nl +
            "  CURRENT-OFFSET  the group's committed offset (- if none)" + nl +
            "  LOG-END-OFFSET  the partition's high watermark" + nl +
            "  LAG             LOG-END-OFFSET - CURRENT-OFFSET" + nl +
            "  LAG-TIME        age of the oldest unconsumed record: this machine's clock minus the timestamp" + nl +
            "                  of the record at CURRENT-OFFSET, read from the broker; - when LAG is 0 or" + nl +
            "                  unknown, ? when the record could not be read or has no timestamp" + nl +
            "  CONSUMER-ID, HOST, CLIENT-ID  the member that owns the partition (- if none)" + nl +
            nl +
            "  --bootstrap-server HOST:PORT  the broker (default " + GroupsOptions.DEFAULT_BOOTSTRAP + ")" + nl +
            "  --list                        print every consumer group id, one per line" + nl +
            "  --describe                    print the table for each --group (repeatable) or --all-groups" + nl +
            "  --timeout MS                  longest wait for any answer (default " +
            GroupsOptions.DEFAULT_TIMEOUT_MS + ")" + nl +
            nl +
            "exit codes: 0 done, 1 a group does not exist, 2 bad usage, 3 the broker did not answer," + nl +
            "            4 unexpected failure" + nl;
    }

    public int run(final String[] args, final Terminal terminal) throws UsageException, InterruptedException
    {
        final GroupsOptions options = GroupsOptions.parse(args);
        final Admin admin;
        try
        {
            admin = Admin.create(adminProperties(options));
        }
        catch (final KafkaException ex)
        {
            throw new UsageException("--bootstrap-server '" + options.bootstrapServer() + "': " + rootMessage(ex));
        }
        try
        {
            return options.action() == GroupsOptions.Action.LIST ?
                list(admin, options, terminal.out()) : describe(admin, options, terminal);
        }
        catch (final TimeoutException ex)
        {
            terminal.error("loggia groups: no answer from " + options.bootstrapServer() + " within " +
                options.timeoutMs() + " ms (is a broker running there?)", ex);
            return ExitCodes.IO_ERROR;
        }
        catch (final ExecutionException ex)
        {
            final Throwable cause = null == ex.getCause() ? ex : ex.getCause();
            if (isTimeout(cause))
            {
                terminal.error("loggia groups: no answer from " + options.bootstrapServer() + " within " +
                    options.timeoutMs() + " ms (is a broker running there?)", cause);
            }
            else
            {
                terminal.error("loggia groups: the broker at " + options.bootstrapServer() + " refused: " +
                    rootMessage(cause), cause);
            }
            return ExitCodes.IO_ERROR;
        }
        finally
        {
            admin.close(Duration.ofMillis(options.timeoutMs()));
        }
    }

    private static int list(final Admin admin, final GroupsOptions options, final PrintStream out)
        throws ExecutionException, TimeoutException, InterruptedException
    {
        for (final String group : groupIds(admin, options))
        {
            out.println(group);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static int describe(final Admin admin, final GroupsOptions options, final Terminal terminal)
        throws ExecutionException, TimeoutException, InterruptedException
    {
        final GroupLagReader reader = new GroupLagReader(admin, options.bootstrapServer(), options.timeoutMs());
        final List<String> groups = options.allGroups() ? groupIds(admin, options) : options.groups();
        final PrintStream out = terminal.out();
        int exitCode = ExitCodes.OK;
        boolean first = true;
        for (final String group : groups)
        {
            final GroupLagReader.GroupReport report;
            try
            {
                report = reader.describe(group);
            }
            catch (final GroupLagReader.NoSuchGroupException ex)
            {
                out.flush();
                terminal.error("loggia groups: " + ex.getMessage(), null);
                exitCode = ExitCodes.INVALID;
                continue;
            }
            if (!first)
            {
                out.println();
            }
            first = false;
            if (report.members() == 0)
            {
                out.println("Consumer group '" + group + "' has no active members.");
            }
            else if (report.state() == GroupState.PREPARING_REBALANCE ||
                report.state() == GroupState.COMPLETING_REBALANCE)
            {
                out.println("Warning: consumer group '" + group + "' is rebalancing.");
            }
            LagTable.print(report.rows(), out);
        }
        out.flush();
        return exitCode;
    }

    private static List<String> groupIds(final Admin admin, final GroupsOptions options)
        throws ExecutionException, TimeoutException, InterruptedException
    {
        final List<String> ids = new ArrayList<>();
        for (final ConsumerGroupListing listing :
            admin.listConsumerGroups().all().get(options.timeoutMs(), TimeUnit.MILLISECONDS))
        {
            ids.add(listing.groupId());
        }
        ids.sort(String::compareTo);
        return ids;
    }

    private static Properties adminProperties(final GroupsOptions options)
    {
        final Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServer());
        properties.put(AdminClientConfig.CLIENT_ID_CONFIG, "loggia-groups");
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, options.timeoutMs());
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, options.timeoutMs());
        properties.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
        return properties;
    }

    /** Whether a failure is a client-side timeout, however deeply kafka-clients wrapped it. */
    private static boolean isTimeout(final Throwable failure)
    {
        for (Throwable cause = failure; null != cause; cause = cause.getCause() == cause ? null : cause.getCause())
        {
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException)
            {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(final Throwable failure)
    {
        Throwable cause = failure;
        while (null != cause.getCause() && cause.getCause() != cause)
        {
            cause = cause.getCause();
        }
        return null == cause.getMessage() ? cause.toString() : cause.getMessage();
    }
}
