package io.loggia.tools.groups;

import io.loggia.tools.CommandRun;
import io.loggia.tools.ExitCodes;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code loggia groups} against a real broker: the rows and their lag for a group with a live member, LAG-TIME
 * from the record timestamps, and the failures (no such group, no broker, bad flags) as one line each.
 */
class GroupsCommandTest
{
    @TempDir
    static Path dir;

    private static LaggingGroup group;

    @BeforeAll
    static void start() throws Exception
    {
        group = LaggingGroup.start(dir);
    }

    @AfterAll
    static void stop()
    {
        group.close();
    }

    @Test
    void listPrintsEveryGroup() throws Exception
    {
        group.member.commitSync(Map.of());
        final CommandRun run = CommandRun.of("groups", "--bootstrap-server", group.bootstrap(), "--list");
        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.out).contains(LaggingGroup.GROUP);
        assertThat(run.err).isEmpty();
    }

    @Test
    void describeShowsOneRowPerPartitionWithLagInRecordsAndInTime() throws Exception
    {
        final long before = System.currentTimeMillis();
        final CommandRun run = CommandRun.of("groups", "--bootstrap-server", group.bootstrap(), "--describe",
            "--group", LaggingGroup.GROUP);
        final long after = System.currentTimeMillis();
        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.err).isEmpty();
        assertThat(run.out.get(0).split(" +")).containsExactly(LagTable.HEADER);

        final Map<String, String[]> rows = rows(run.out.subList(1, run.out.size()));
        assertThat(rows).containsOnlyKeys("events-0", "events-1", "events-2", "archive-0");
        final MemberDescription member = group.broker.admin().describeConsumerGroups(List.of(LaggingGroup.GROUP))
            .all().get(30, TimeUnit.SECONDS).get(LaggingGroup.GROUP).members().iterator().next();

        // the member's host as the broker reports it ("/127.0.0.1"), or "-" from a broker that reports none
        final String host = member.host().isEmpty() ? "-" : member.host();
        assertThat(rows.get("events-0")).containsExactly(LaggingGroup.GROUP, "events", "0", "10", "10", "0", "-",
            member.consumerId(), host, LaggingGroup.CLIENT_ID);
        assertThat(rows.get("events-2")).containsExactly(LaggingGroup.GROUP, "events", "2", "-", "10", "-", "-",
            member.consumerId(), host, LaggingGroup.CLIENT_ID);
        assertThat(rows.get("archive-0")).containsExactly(LaggingGroup.GROUP, "archive", "0", "4", "10", "6",
            rows.get("archive-0")[6], "-", "-", "-");

        final String[] lagging = rows.get("events-1");
        assertThat(lagging).startsWith(LaggingGroup.GROUP, "events", "1", "5", "10", "5");
        // the record at offset 5 carries oldTimestamp + 5; the command read it between before and after
        final long recordTimestamp = group.oldTimestamp + 5;
        assertThat(parseDuration(lagging[6])).isBetween(before - recordTimestamp, after - recordTimestamp);

        // records produced just now: a small lag time, but more than nothing
        final long archiveLagMs = parseDuration(rows.get("archive-0")[6]);
        assertThat(archiveLagMs).isGreaterThanOrEqualTo(0).isLessThan(LaggingGroup.AGE_MS);
    }

    @Test
    void aGroupWithoutMembersSaysSo() throws Exception
    {
        group.member.commitSync(Map.of());
        try (KafkaConsumer<String, String> committer = new KafkaConsumer<>(
            Map.of("bootstrap.servers", group.bootstrap(), "group.id", "offsets-only"),
            new StringDeserializer(), new StringDeserializer()))
        {
            committer.commitSync(Map.of(new TopicPartition(LaggingGroup.TOPIC, 0), new OffsetAndMetadata(10)));
        }
        final CommandRun run = CommandRun.of("groups", "--bootstrap-server", group.bootstrap(), "--describe",
            "--group", "offsets-only");
        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCodes.OK);
        assertThat(run.out.get(0)).isEqualTo("Consumer group 'offsets-only' has no active members.");
        assertThat(rows(run.out.subList(2, run.out.size())).get("events-0"))
            .containsExactly("offsets-only", "events", "0", "10", "10", "0", "-", "-", "-", "-");
    }

    @Test
    void anUnknownGroupIsOneLineAndExitOne()
    {
        final CommandRun run = CommandRun.of("groups", "--bootstrap-server", group.bootstrap(), "--describe",
            "--group", "nobody", "--group", LaggingGroup.GROUP);
        assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCodes.INVALID);
        assertThat(run.err).containsExactly("loggia groups: consumer group 'nobody' does not exist");
        assertThat(run.out).anyMatch(line -> line.startsWith(LaggingGroup.GROUP + " "));
    }

    @Test
    void noBrokerIsOneLineAndExitThree() throws Exception
    {
        final int port = unusedPort();
        final CommandRun list = CommandRun.of("groups", "--bootstrap-server", "127.0.0.1:" + port, "--timeout",
            "1000", "--list");
        assertThat(list.exitCode).as(list.toString()).isEqualTo(ExitCodes.IO_ERROR);
        assertThat(list.err).hasSize(1);
        assertThat(list.err.get(0)).startsWith("loggia groups: no answer from 127.0.0.1:" + port + " within 1000 ms");
        final CommandRun describe = CommandRun.of("groups", "--bootstrap-server", "127.0.0.1:" + port, "--timeout",
            "1000", "--describe", "--group", "g");
        assertThat(describe.exitCode).isEqualTo(ExitCodes.IO_ERROR);
        assertThat(describe.err).hasSize(1);
    }

    @Test
    void badFlagsAreUsageErrors()
    {
        for (final String[] args : new String[][]{
            {"groups"},
            {"groups", "--describe"},
            {"groups", "--list", "--describe", "--group", "g"},
            {"groups", "--list", "--group", "g"},
            {"groups", "--list", "--timeout", "soon"},
            {"groups", "--list", "--bootstrap-server"},
            {"groups", "--lisst"},
            {"groups", "--bootstrap-server", "no-such-host.invalid:9092", "--list"},
        })
        {
            final CommandRun run = CommandRun.of((Object[])args);
            assertThat(run.exitCode).as(String.join(" ", args) + ": " + run).isEqualTo(ExitCodes.USAGE);
            assertThat(run.err).as(String.join(" ", args)).hasSize(1);
        }
        final CommandRun help = CommandRun.of("help", "groups");
        assertThat(help.exitCode).isEqualTo(ExitCodes.OK);
        assertThat(help.outText()).contains("LAG-TIME");
    }

    /** Data rows by "topic-partition", split on spaces. */
    static Map<String, String[]> rows(final List<String> lines)
    {
        final Map<String, String[]> rows = new HashMap<>();
        for (final String line : lines)
        {
            final String[] cells = line.trim().split(" +");
            rows.put(cells[1] + '-' + cells[2], cells);
        }
        return rows;
    }

    /** Inverse of {@link DurationText#format(long)}, to the precision it prints. */
    static long parseDuration(final String text)
    {
        if (text.endsWith("ms"))
        {
            return Long.parseLong(text.substring(0, text.length() - 2));
        }
        if (text.matches("\\d+\\.\\d{3}s"))
        {
            return Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 1000);
        }
        if (text.matches("\\d+m\\d{2}s"))
        {
            final int m = text.indexOf('m');
            return TimeUnit.MINUTES.toMillis(Long.parseLong(text.substring(0, m))) +
                TimeUnit.SECONDS.toMillis(Long.parseLong(text.substring(m + 1, text.length() - 1)));
        }
        throw new IllegalArgumentException("not a short duration: " + text);
    }

    static int unusedPort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
    }
}
