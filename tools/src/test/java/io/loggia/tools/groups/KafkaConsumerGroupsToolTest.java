package io.loggia.tools.groups;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.internals.Exit;
import org.apache.kafka.tools.consumer.group.ConsumerGroupCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka's own {@code kafka-consumer-groups} (ConsumerGroupCommand from kafka-tools 4.4, run in this JVM with its
 * standard output captured) against a Loggia broker: {@code --list}, {@code --describe} (offsets and lag,
 * {@code --state}, {@code --members}), {@code --reset-offsets --to-earliest --execute}, {@code --delete-offsets}
 * and {@code --delete}.
 */
class KafkaConsumerGroupsToolTest
{
    @TempDir
    static Path dir;

    private static LaggingGroup group;

    /** How the tool ended: exit status (0 when it returned) and its standard output and error. */
    record ToolRun(int exitCode, String out, String err)
    {
        List<String> lines()
        {
            final List<String> lines = new ArrayList<>();
            for (final String line : out.split("\\R"))
            {
                if (!line.isBlank())
                {
                    lines.add(line);
                }
            }
            return lines;
        }
    }

    private static final class ExitCalled extends RuntimeException
    {
        private static final long serialVersionUID = 1L;
        final int code;

        ExitCalled(final int code)
        {
            super("exit " + code);
            this.code = code;
        }
    }

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
    void listShowsTheGroup()
    {
        final ToolRun run = kafkaConsumerGroups("--bootstrap-server", group.bootstrap(), "--list");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.lines()).contains(LaggingGroup.GROUP);
    }

    @Test
    void describeShowsOffsetsAndLag()
    {
        final ToolRun run = kafkaConsumerGroups("--bootstrap-server", group.bootstrap(), "--describe",
            "--group", LaggingGroup.GROUP);
        assertThat(run.exitCode()).as(run.toString()).isZero();
        final Map<String, Map<String, String>> rows = table(run.lines());
        assertThat(rows).containsOnlyKeys("events-0", "events-1", "events-2", "archive-0");
        assertThat(rows.get("events-0")).containsEntry("CURRENT-OFFSET", "10").containsEntry("LOG-END-OFFSET", "10")
            .containsEntry("LAG", "0").containsEntry("CLIENT-ID", LaggingGroup.CLIENT_ID);
        assertThat(rows.get("events-1")).containsEntry("CURRENT-OFFSET", "5").containsEntry("LOG-END-OFFSET", "10")
            .containsEntry("LAG", "5").containsEntry("CLIENT-ID", LaggingGroup.CLIENT_ID);
        assertThat(rows.get("events-2")).containsEntry("CURRENT-OFFSET", "-").containsEntry("LOG-END-OFFSET", "10")
            .containsEntry("LAG", "-");
        assertThat(rows.get("archive-0")).containsEntry("CURRENT-OFFSET", "4").containsEntry("LOG-END-OFFSET", "10")
            .containsEntry("LAG", "6").containsEntry("CONSUMER-ID", "-").containsEntry("CLIENT-ID", "-");
        assertThat(rows.get("events-1").get("CONSUMER-ID")).startsWith(LaggingGroup.CLIENT_ID + '-');
    }

    @Test
    void describeStateAndMembers()
    {
        final ToolRun state = kafkaConsumerGroups("--bootstrap-server", group.bootstrap(), "--describe",
            "--group", LaggingGroup.GROUP, "--state");
        assertThat(state.exitCode()).as(state.toString()).isZero();
        final Map<String, String> row = table(state.lines(), "GROUP").get(LaggingGroup.GROUP);
        assertThat(row).containsEntry("ASSIGNMENT-STRATEGY", "range").containsEntry("STATE", "Stable")
            .containsEntry("#MEMBERS", "1");
        assertThat(row.get("COORDINATOR (ID)")).isEqualTo(group.bootstrap() + "  (1)");

        final ToolRun members = kafkaConsumerGroups("--bootstrap-server", group.bootstrap(), "--describe",
            "--group", LaggingGroup.GROUP, "--members", "--verbose");
        assertThat(members.exitCode()).as(members.toString()).isZero();
        final Map<String, String> member = table(members.lines(), "GROUP").get(LaggingGroup.GROUP);
        assertThat(member).containsEntry("CLIENT-ID", LaggingGroup.CLIENT_ID).containsEntry("#PARTITIONS", "3");
        assertThat(member.get("CURRENT-ASSIGNMENT")).as(members.out()).isEqualTo("events:0,1,2");
    }

    @Test
    void resetOffsetsToEarliestThenDeleteOffsetsThenDeleteTheGroup() throws Exception
    {
        final String resettable = "resettable";
        try (KafkaConsumer<String, String> committer = new KafkaConsumer<>(
            Map.of("bootstrap.servers", group.bootstrap(), "group.id", resettable),
            new StringDeserializer(), new StringDeserializer()))
        {
            committer.commitSync(Map.of(
                new TopicPartition(LaggingGroup.TOPIC, 0), new OffsetAndMetadata(7),
                new TopicPartition(LaggingGroup.TOPIC, 1), new OffsetAndMetadata(8),
                new TopicPartition(LaggingGroup.OTHER_TOPIC, 0), new OffsetAndMetadata(9)));
        }

        final ToolRun reset = kafkaConsumerGroups("--bootstrap-server", group.bootstrap(), "--reset-offsets",
            "--to-earliest", "--execute", "--group", resettable, "--topic", LaggingGroup.TOPIC);
        assertThat(reset.exitCode()).as(reset.toString()).isZero();
        final Map<String, Map<String, String>> rows = table(reset.lines());
        assertThat(rows).containsOnlyKeys("events-0", "events-1", "events-2");
        assertThat(rows.values()).allSatisfy(row -> assertThat(row).containsEntry("NEW-OFFSET", "0"));
        assertThat(committed(resettable)).containsOnly(
            Map.entry(new TopicPartition(LaggingGroup.TOPIC, 0), 0L),
            Map.entry(new TopicPartition(LaggingGroup.TOPIC, 1), 0L),
            Map.entry(new TopicPartition(LaggingGroup.TOPIC, 2), 0L),
            Map.entry(new TopicPartition(LaggingGroup.OTHER_TOPIC, 0), 9L));

        final ToolRun deleteOffsets = kafkaConsumerGroups("--bootstrap-server", group.bootstrap(),
            "--delete-offsets", "--group", resettable, "--topic", LaggingGroup.OTHER_TOPIC);
        assertThat(deleteOffsets.exitCode()).as(deleteOffsets.toString()).isZero();
        assertThat(deleteOffsets.out()).contains("Request succeeded for deleting offsets from group " + resettable);
        assertThat(committed(resettable)).doesNotContainKey(new TopicPartition(LaggingGroup.OTHER_TOPIC, 0))
            .hasSize(3);

        final ToolRun delete = kafkaConsumerGroups("--bootstrap-server", group.bootstrap(), "--delete",
            "--group", resettable);
        assertThat(delete.exitCode()).as(delete.toString()).isZero();
        assertThat(delete.out())
            .contains("Deletion of requested consumer groups ('" + resettable + "') was successful.");
        assertThat(kafkaConsumerGroups("--bootstrap-server", group.bootstrap(), "--list").lines())
            .doesNotContain(resettable).contains(LaggingGroup.GROUP);
        assertThat(committed(resettable)).isEmpty();
    }

    @Test
    void deletingAGroupWithMembersIsRefused()
    {
        final ToolRun delete = kafkaConsumerGroups("--bootstrap-server", group.bootstrap(), "--delete",
            "--group", LaggingGroup.GROUP);
        assertThat(delete.out() + delete.err()).contains("The group is not empty");
        assertThat(kafkaConsumerGroups("--bootstrap-server", group.bootstrap(), "--list").lines())
            .contains(LaggingGroup.GROUP);
    }

    /** Runs kafka-consumer-groups in this JVM; its calls to Exit.exit become an exit code. */
    static synchronized ToolRun kafkaConsumerGroups(final String... args)
    {
        final PrintStream out = System.out;
        final PrintStream err = System.err;
        final ByteArrayOutputStream capturedOut = new ByteArrayOutputStream();
        final ByteArrayOutputStream capturedErr = new ByteArrayOutputStream();
        int exitCode = 0;
        Exit.setExitProcedure((code, message) ->
        {
            throw new ExitCalled(code);
        });
        try (PrintStream toolOut = new PrintStream(capturedOut, true, StandardCharsets.UTF_8);
            PrintStream toolErr = new PrintStream(capturedErr, true, StandardCharsets.UTF_8))
        {
            System.setOut(toolOut);
            System.setErr(toolErr);
            ConsumerGroupCommand.main(args);
        }
        catch (final ExitCalled ex)
        {
            exitCode = ex.code;
        }
        finally
        {
            System.setOut(out);
            System.setErr(err);
            Exit.resetExitProcedure();
        }
        return new ToolRun(exitCode, capturedOut.toString(StandardCharsets.UTF_8),
            capturedErr.toString(StandardCharsets.UTF_8));
    }

    /** Rows of Kafka's fixed-width tables by "topic-partition", each cell under the header it starts below. */
    static Map<String, Map<String, String>> table(final List<String> lines)
    {
        final Map<String, Map<String, String>> byPartition = new HashMap<>();
        for (final Map<String, String> row : rows(lines))
        {
            byPartition.put(row.get("TOPIC") + '-' + row.get("PARTITION"), row);
        }
        return byPartition;
    }

    /** Rows keyed by the value of one column. */
    static Map<String, Map<String, String>> table(final List<String> lines, final String key)
    {
        final Map<String, Map<String, String>> byKey = new HashMap<>();
        for (final Map<String, String> row : rows(lines))
        {
            byKey.put(row.get(key), row);
        }
        return byKey;
    }

    /**
     * Kafka pads every column to its width, so a cell is the text between the start of its header and the start of
     * the next one; an empty cell (an empty host) stays empty instead of shifting the row.
     */
    private static List<Map<String, String>> rows(final List<String> lines)
    {
        int headerIndex = 0;
        while (headerIndex < lines.size() && !lines.get(headerIndex).startsWith("GROUP "))
        {
            headerIndex++;
        }
        assertThat(headerIndex).as("a header line in %s", lines).isLessThan(lines.size());
        final String header = lines.get(headerIndex);
        final List<String> names = new ArrayList<>();
        final List<Integer> starts = new ArrayList<>();
        final Matcher matcher = Pattern.compile("\\S+( \\(ID\\))?").matcher(header);
        while (matcher.find())
        {
            names.add(matcher.group());
            starts.add(matcher.start());
        }
        final List<Map<String, String>> rows = new ArrayList<>();
        for (final String line : lines.subList(headerIndex + 1, lines.size()))
        {
            final Map<String, String> row = new HashMap<>();
            for (int i = 0; i < names.size(); i++)
            {
                final int start = Math.min(starts.get(i), line.length());
                final int end = i + 1 < names.size() ? Math.min(starts.get(i + 1), line.length()) : line.length();
                row.put(names.get(i), line.substring(start, end).trim());
            }
            rows.add(row);
        }
        return rows;
    }

    private static Map<TopicPartition, Long> committed(final String groupId) throws Exception
    {
        final Map<TopicPartition, Long> offsets = new HashMap<>();
        group.broker.admin().listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata()
            .get(30, TimeUnit.SECONDS).forEach((partition, offset) -> offsets.put(partition, offset.offset()));
        return offsets;
    }
}
