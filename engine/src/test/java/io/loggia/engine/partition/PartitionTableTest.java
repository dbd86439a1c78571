package io.loggia.engine.partition;

import io.loggia.engine.log.LogConfigParser;
import io.loggia.engine.log.LogLoader;
import io.loggia.engine.log.PartitionLog;
import io.loggia.engine.log.RecoveryReport;
import io.loggia.engine.log.TopicPartition;
import io.loggia.engine.writer.TestBatches;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PartitionTableTest
{
    @TempDir
    Path dir;

    private PartitionLog log;
    private final PartitionTable table = new PartitionTable();

    @BeforeEach
    void openOneLog() throws IOException
    {
        // The table never touches a partition's log, so every partition here shares one real one.
        log = LogLoader.load(dir, new TopicPartition("shared", 0),
            LogConfigParser.parseBroker(Map.of(LogConfigParser.LOG_SEGMENT_BYTES, "1048576")).config(),
            false, 0, 0, 0, 1_000L, new TestBatches.Errors(), new RecoveryReport());
    }

    @AfterEach
    void closeLog()
    {
        log.close();
    }

    @Test
    void theViewHoldsOnlyLivePartitionsHoweverManyCameAndWent()
    {
        final Partition keptFirst = create("kept", 0);
        for (int i = 0; i < 100_000; i++)
        {
            final int versionBefore = table.version();
            final Partition churned = create("churn", i);
            assertThat(table.remove(churned)).isTrue();
            assertThat(table.version()).isEqualTo(versionBefore + 2);
            assertThat(table.get(churned.id())).isNull();
        }
        final Partition keptLast = create("kept", 1);

        assertThat(table.partitions()).containsExactly(keptFirst, keptLast);
        assertThat(table.get(keptFirst.id())).isSameAs(keptFirst);
        assertThat(table.get(keptLast.id())).isSameAs(keptLast);
        assertThat(keptLast.id()).isEqualTo(100_001);
        assertThat(table.list()).containsExactly(keptFirst, keptLast);
        assertThat(table.size()).isEqualTo(2);
    }

    @Test
    void partitionsAddedOutOfIdOrderAreKeptInIdOrderAndFoundById()
    {
        final int first = table.allocateId();
        final int second = table.allocateId();
        final int third = table.allocateId();
        final Partition c = partition("c", third);
        final Partition a = partition("a", first);
        final Partition b = partition("b", second);
        assertThat(table.add(c)).isTrue();
        assertThat(table.add(a)).isTrue();
        assertThat(table.add(b)).isTrue();

        assertThat(table.partitions()).containsExactly(a, b, c);
        assertThat(table.get(second)).isSameAs(b);
        assertThat(table.get(third + 1)).isNull();
        assertThat(table.get(-1)).isNull();

        assertThat(table.remove(b)).isTrue();
        assertThat(table.remove(b)).isFalse();
        assertThat(table.partitions()).containsExactly(a, c);
        assertThat(table.find(new TopicPartition("a", 0))).isSameAs(a);
        assertThat(table.find(new TopicPartition("b", 0))).isNull();
    }

    @Test
    void aSecondPartitionOfTheSameNameIsRefusedAndAnArrayAlreadyHandedOutNeverChanges()
    {
        final Partition a = create("a", 0);
        final Partition[] before = table.partitions();
        assertThat(table.add(partition("a", table.allocateId()))).isFalse();
        final Partition b = create("b", 0);
        table.remove(a);

        assertThat(before).containsExactly(a);
        assertThat(table.partitions()).containsExactly(b);
    }

    private Partition create(final String topic, final int index)
    {
        final Partition partition =
            new Partition(new TopicPartition(topic, index), null, table.allocateId(), 0, log, null, 0);
        assertThat(table.add(partition)).isTrue();
        return partition;
    }

    private Partition partition(final String topic, final int id)
    {
        return new Partition(new TopicPartition(topic, 0), null, id, 0, log, null, 0);
    }
}
