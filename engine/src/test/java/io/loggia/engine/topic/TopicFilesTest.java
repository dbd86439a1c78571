package io.loggia.engine.topic;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The controller's files: partition.metadata, meta.properties and the topic config store. */
class TopicFilesTest
{
    @TempDir
    Path dir;

    @Test
    void idsAreKafkasTwentyTwoCharacterBase64()
    {
        for (int i = 0; i < 1000; i++)
        {
            final UUID id = TopicIds.random();
            final String text = TopicIds.toString(id);
            assertThat(text).hasSize(TopicIds.TEXT_LENGTH).doesNotStartWith("-").matches("[A-Za-z0-9_-]+");
            assertThat(TopicIds.parse(text)).isEqualTo(id);
            assertThat(TopicIds.isReserved(id)).isFalse();
        }
        assertThat(TopicIds.toString(new UUID(0, 1))).isEqualTo("AAAAAAAAAAAAAAAAAAAAAQ");
        assertThat(TopicIds.parse("short")).isNull();
        assertThat(TopicIds.parse("AAAAAAAAAAAAAAAAAAAA+Q")).isNull();
        assertThat(TopicIds.isReserved(new UUID(0, 0))).isTrue();
    }

    @Test
    void partitionMetadataRoundTripsAndRefusesGarbage() throws IOException
    {
        assertThat(PartitionMetadataFile.read(dir)).isNull();
        final UUID id = TopicIds.random();
        PartitionMetadataFile.write(dir, id);
        assertThat(PartitionMetadataFile.read(dir)).isEqualTo(id);
        assertThat(Files.exists(dir.resolve(PartitionMetadataFile.TEMPORARY_FILE_NAME))).isFalse();
        Files.writeString(dir.resolve(PartitionMetadataFile.FILE_NAME), "version: 1\ntopic_id: x\n");
        assertThatThrownBy(() -> PartitionMetadataFile.read(dir)).isInstanceOf(IOException.class);
        Files.writeString(dir.resolve(PartitionMetadataFile.FILE_NAME),
            "version: 0\ntopic_id: AAAAAAAAAAAAAAAAAAAAAA\n");
        assertThatThrownBy(() -> PartitionMetadataFile.read(dir)).hasMessageContaining("no valid topic id");
    }

    @Test
    void metaPropertiesAreCreatedOnceThenChecked() throws IOException
    {
        final MetaProperties created = MetaProperties.ensure(dir, 3);
        assertThat(created.clusterId()).hasSize(TopicIds.TEXT_LENGTH);
        assertThat(MetaProperties.ensure(dir, 3)).isEqualTo(created);
        assertThatThrownBy(() -> MetaProperties.ensure(dir, 4))
            .isInstanceOf(IOException.class)
            .hasMessageContaining("node.id 4 does not match node.id 3");
        final Properties properties = new Properties();
        try (var reader = Files.newBufferedReader(dir.resolve(MetaProperties.FILE_NAME)))
        {
            properties.load(reader);
        }
        assertThat(properties).containsEntry("version", "1").containsEntry("node.id", "3")
            .containsEntry("cluster.id", created.clusterId()).containsEntry("directory.id", created.directoryId());
        Files.writeString(dir.resolve(MetaProperties.FILE_NAME), "version=1\nnode.id=3\n");
        assertThatThrownBy(() -> MetaProperties.read(dir)).hasMessageContaining("cluster.id");
    }

    @Test
    void configStoreWritesReadsAndForgets() throws IOException
    {
        final TopicConfigStore store = new TopicConfigStore(dir);
        assertThat(store.loadAll()).isEmpty();
        store.write("a.b", Map.of("retention.ms", "5", "cleanup.policy", "compact,delete"));
        store.write("c", Map.of("flush.ms", "1"));
        store.write("c", Map.of());
        Files.writeString(store.directory().resolve("a.b~"), "half written");
        assertThat(store.loadAll()).isEqualTo(Map.of("a.b", Map.of("retention.ms", "5", "cleanup.policy",
            "compact,delete")));
        assertThat(Files.exists(store.directory().resolve("a.b~"))).isFalse();
        assertThat(Files.readString(store.directory().resolve("a.b")))
            .isEqualTo("version: 0\ncleanup.policy=compact,delete\nretention.ms=5\n");
        store.delete("a.b");
        assertThat(store.loadAll()).isEmpty();
        Files.writeString(store.directory().resolve("bad"), "retention.ms=5\n");
        assertThatThrownBy(store::loadAll).hasMessageContaining("bad");
    }

    @Test
    void catalogChecksKafkaTopicConfigs()
    {
        assertThat(TopicConfigCatalog.check("min.insync.replicas", "2")).isNull();
        assertThat(TopicConfigCatalog.check("min.insync.replicas", "0")).contains("minimum");
        assertThat(TopicConfigCatalog.check("preallocate", "yes")).contains("true or false");
        assertThat(TopicConfigCatalog.check("compression.type", "brotli")).contains("compression.type");
        assertThat(TopicConfigCatalog.check("retention.ms", "x")).contains("LONG");
        assertThat(TopicConfigCatalog.check("nope", "1")).isEqualTo("Unknown topic config name: nope");
        assertThat(TopicConfigCatalog.entries()).hasSize(37);
        assertThat(TopicConfigCatalog.resolve(Map.of("segment.bytes", "1"), io.loggia.engine.log.LogConfig.DEFAULTS)
            .error()).contains("segment.bytes");
    }
}
