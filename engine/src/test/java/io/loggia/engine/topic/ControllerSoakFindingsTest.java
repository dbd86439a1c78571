package io.loggia.engine.topic;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bugs the live fuzz soak found in topic administration once its broker watch read the broker's log lines
 * correctly (each starts with a timestamp, so "SEVERE" lines had gone unseen). The harness fails on any error the
 * engine reports.
 */
class ControllerSoakFindingsTest
{
    @TempDir
    Path dir;

    private ControllerHarness harness;

    @AfterEach
    void close()
    {
        ControllerHarness.closeClean(harness);
    }

    /**
     * A config value ending in a line break ("5000\n") passed the check (Kafka parses values trimmed) but the
     * config store refused to write it: KAFKA_STORAGE_ERROR and a broker error. Kafka's parse trims: the value
     * is stored trimmed; a line break inside a value is INVALID_CONFIG.
     */
    @Test
    void aConfigValueWithALineBreakIsTrimmedOrRefused() throws Exception
    {
        harness = new ControllerHarness(dir).open();
        assertThat(harness.create("conf", 1, Map.of()).errorCode).isEqualTo(TopicErrors.NONE);

        final AlterConfigsOp trailing = new AlterConfigsOp();
        trailing.add("conf").changes.add(new AlterConfigsOp.Change("retention.ms", AlterConfigsOp.SET, "5000\n"));
        assertThat(harness.call(trailing).topics.get(0).errorCode).isEqualTo(TopicErrors.NONE);
        assertThat(harness.registry.topic("conf").config().retentionMs()).isEqualTo(5000);

        final AlterConfigsOp inside = new AlterConfigsOp();
        inside.add("conf").changes.add(new AlterConfigsOp.Change("compression.type", AlterConfigsOp.SET, "gzip\nx"));
        assertThat(harness.call(inside).topics.get(0).errorCode).isEqualTo(TopicErrors.INVALID_CONFIG);

        final CreateTopicsOp create = new CreateTopicsOp();
        final CreateTopicsOp.Entry entry = create.add("conf2");
        entry.numPartitions = 1;
        entry.configs.put("cleanup.policy", "delete\r\ncompact");
        assertThat(harness.call(create).topics.get(0).errorCode).isEqualTo(TopicErrors.INVALID_CONFIG);

        harness.settle();
        harness.shutdown();
        harness = new ControllerHarness(dir).open();
        assertThat(harness.registry.topic("conf").config().retentionMs()).isEqualTo(5000);
    }

    /**
     * Deleting a topic whose name has 249 characters (Kafka's longest) renamed its partition directories to
     * "<topic>-<p>.<uuid>-delete", 290 bytes: the file system refused, the delete failed with a broker error and
     * the directory stayed under its own name (back on the next start). The topic part is cut short, as Kafka does.
     */
    @Test
    void aTopicWithTheLongestNameIsDeletedFromDisk() throws Exception
    {
        harness = new ControllerHarness(dir).open();
        final String name = "x".repeat(249);
        assertThat(harness.create(name, 2, Map.of()).errorCode).isEqualTo(TopicErrors.NONE);
        assertThat(harness.delete(name).errorCode).isEqualTo(TopicErrors.NONE);
        harness.settle();
        try (Stream<Path> left = Files.list(harness.engine.logDir()))
        {
            assertThat(left.map(path -> path.getFileName().toString()).filter(file -> file.startsWith("xxxx")))
                .isEmpty();
        }
    }
}
