package io.loggia.engine.log;

import org.agrona.collections.Object2LongHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogFilesTest
{
    @TempDir
    Path logDir;

    @Test
    void topicNamesFollowKafkasRules()
    {
        assertThat(TopicNames.validate("orders.v2_eu-west")).isEqualTo(TopicNames.VALID);
        assertThat(TopicNames.validate("a".repeat(249))).isEqualTo(TopicNames.VALID);
        assertThat(TopicNames.validate("a".repeat(250))).isEqualTo(TopicNames.TOO_LONG);
        assertThat(TopicNames.validate("")).isEqualTo(TopicNames.EMPTY);
        assertThat(TopicNames.validate(null)).isEqualTo(TopicNames.EMPTY);
        assertThat(TopicNames.validate(".")).isEqualTo(TopicNames.DOT_OR_DOT_DOT);
        assertThat(TopicNames.validate("..")).isEqualTo(TopicNames.DOT_OR_DOT_DOT);
        assertThat(TopicNames.validate("...")).isEqualTo(TopicNames.VALID);
        for (final String bad : new String[]{ "a/b", "../x", "a b", "a\\b", "é", "a:b", "a\0b", "/" })
        {
            assertThat(TopicNames.validate(bad)).as(bad).isEqualTo(TopicNames.ILLEGAL_CHARACTER);
        }
        assertThat(TopicNames.describe(TopicNames.TOO_LONG)).contains("249");
        assertThatThrownBy(() -> new TopicPartition("..", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TopicPartition("x", -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void partitionDirectoriesStayInTheLogDir()
    {
        final Path dir = LogFiles.partitionDir(logDir, new TopicPartition("orders", 3));
        assertThat(dir).isEqualTo(logDir.toAbsolutePath().resolve("orders-3"));
        assertThat(LogFiles.partitionDir(logDir.resolve("sub/.."), new TopicPartition("...", 0)).getParent())
            .isEqualTo(logDir.toAbsolutePath().normalize());
        assertThat(LogFiles.parsePartitionDirName("my-topic-12")).isEqualTo(new TopicPartition("my-topic", 12));
        assertThat(LogFiles.parsePartitionDirName("orders-3.8f1e2c-delete")).isNull();
        assertThat(LogFiles.parsePartitionDirName("orders")).isNull();
        assertThat(LogFiles.parsePartitionDirName("-1")).isNull();
        assertThat(LogFiles.parsePartitionDirName("..-1")).isNull();
        assertThat(LogFiles.parsePartitionDirName("t-99999999999")).isNull();
    }

    @Test
    void segmentFileNames()
    {
        assertThat(LogFiles.fileName(0, LogFiles.LOG_SUFFIX)).isEqualTo("00000000000000000000.log");
        assertThat(LogFiles.fileName(368769, LogFiles.INDEX_SUFFIX)).isEqualTo("00000000000000368769.index");
        assertThat(LogFiles.fileName(Long.MAX_VALUE, LogFiles.TIME_INDEX_SUFFIX)).isEqualTo("09223372036854775807.timeindex");
        assertThat(LogFiles.parseBaseOffset("00000000000000368769.log", LogFiles.LOG_SUFFIX)).isEqualTo(368769);
        assertThat(LogFiles.parseBaseOffset("00000000000000368769.log.deleted", LogFiles.LOG_SUFFIX)).isEqualTo(-1);
        assertThat(LogFiles.parseBaseOffset("0000000000000036876x.log", LogFiles.LOG_SUFFIX)).isEqualTo(-1);
        assertThat(LogFiles.parseBaseOffset("99999999999999999999.log", LogFiles.LOG_SUFFIX)).isEqualTo(-1);
        assertThat(LogFiles.parseBaseOffset("09223372036854775807.log", LogFiles.LOG_SUFFIX)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void checkpointFilesRoundTripInKafkasFormat() throws IOException
    {
        final Path file = logDir.resolve(LogFiles.RECOVERY_POINT_CHECKPOINT_FILE);
        assertThat(OffsetCheckpointFile.read(file)).isEmpty();
        final Object2LongHashMap<TopicPartition> offsets = new Object2LongHashMap<>(-1);
        offsets.put(new TopicPartition("orders", 0), 368769L);
        offsets.put(new TopicPartition("my-topic", 12), 0L);
        OffsetCheckpointFile.write(file, offsets);
        final String text = Files.readString(file);
        assertThat(text).startsWith("0\n2\n").contains("orders 0 368769\n").contains("my-topic 12 0\n");
        assertThat(OffsetCheckpointFile.read(file)).isEqualTo(offsets);
        assertThat(Files.exists(logDir.resolve(LogFiles.RECOVERY_POINT_CHECKPOINT_FILE + ".tmp"))).isFalse();

        Files.writeString(file, "0\n2\norders 0 5\n");
        assertThatThrownBy(() -> OffsetCheckpointFile.read(file)).hasMessageContaining("declares 2 entries but holds 1");
        Files.writeString(file, "0\n1\norders 0\n");
        assertThatThrownBy(() -> OffsetCheckpointFile.read(file)).hasMessageContaining("malformed line 3");
        Files.writeString(file, "1\n0\n");
        assertThatThrownBy(() -> OffsetCheckpointFile.read(file)).hasMessageContaining("unsupported checkpoint version 1");
        Files.writeString(file, "0\n1\n../x 0 5\n");
        assertThatThrownBy(() -> OffsetCheckpointFile.read(file)).hasMessageContaining("malformed line 3");
    }

    @Test
    void cleanShutdownMarker() throws IOException
    {
        assertThat(CleanShutdownMarker.exists(logDir)).isFalse();
        CleanShutdownMarker.write(logDir, 7);
        assertThat(CleanShutdownMarker.exists(logDir)).isTrue();
        assertThat(Files.readString(logDir.resolve(".kafka_cleanshutdown"), StandardCharsets.UTF_8))
            .isEqualTo("{\"version\":0,\"brokerEpoch\":7}");
        CleanShutdownMarker.delete(logDir);
        assertThat(CleanShutdownMarker.exists(logDir)).isFalse();
        CleanShutdownMarker.delete(logDir);
    }
}
