package io.loggia.engine.group;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GroupConfigTest
{
    @Test
    void defaultsAreKafkas()
    {
        final GroupConfig config = GroupConfig.parse(Map.of()).config();
        assertThat(config.minSessionTimeoutMs()).isEqualTo(6000);
        assertThat(config.maxSessionTimeoutMs()).isEqualTo(1_800_000);
        assertThat(config.initialRebalanceDelayMs()).isEqualTo(3000);
        assertThat(config.maxSize()).isEqualTo(Integer.MAX_VALUE);
        assertThat(config.offsetsTopicPartitions()).isEqualTo(50);
        assertThat(config.offsetMetadataMaxBytes()).isEqualTo(4096);
        assertThat(config.offsetsRetentionMs()).isEqualTo(7L * 24 * 3600 * 1000);
        assertThat(config.offsetsRetentionCheckIntervalMs()).isEqualTo(600_000);
        assertThat(config.offsetsTopicSegmentBytes()).isEqualTo(100 * 1024 * 1024);
        assertThat(config.offsetsTopicConfig())
            .containsExactlyInAnyOrderEntriesOf(Map.of("cleanup.policy", "compact", "segment.bytes", "104857600"));
    }

    @Test
    void overridesAndBadValues()
    {
        final GroupConfig config = GroupConfig.parse(Map.of(
            GroupConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "0",
            GroupConfig.GROUP_MAX_SIZE, "10",
            GroupConfig.OFFSETS_TOPIC_NUM_PARTITIONS, " 7 ",
            "log.retention.ms", "1")).config();
        assertThat(config.initialRebalanceDelayMs()).isZero();
        assertThat(config.maxSize()).isEqualTo(10);
        assertThat(config.offsetsTopicPartitions()).isEqualTo(7);

        assertThat(GroupConfig.parse(Map.of(GroupConfig.OFFSETS_TOPIC_NUM_PARTITIONS, "0")).error())
            .isEqualTo("offsets.topic.num.partitions=0 is below 1");
        assertThat(GroupConfig.parse(Map.of(GroupConfig.GROUP_MAX_SIZE, "many")).error())
            .isEqualTo("group.max.size=many is not a number");
        assertThat(GroupConfig.parse(Map.of(GroupConfig.GROUP_MIN_SESSION_TIMEOUT_MS, "9000",
            GroupConfig.GROUP_MAX_SESSION_TIMEOUT_MS, "8000")).isValid()).isFalse();
        assertThat(GroupConfig.parse(Map.of(GroupConfig.OFFSETS_RETENTION_MS, "99999999999")).isValid()).isTrue();
        assertThat(GroupConfig.parse(Map.of(GroupConfig.OFFSET_METADATA_MAX_BYTES, "99999999999")).isValid())
            .isFalse();
    }

    @Test
    void groupPartitionIsKafkasAbsoluteHashModuloPartitions()
    {
        assertThat(GroupConfig.partitionFor("", 50)).isZero();
        // "polygenelubricants" hashes to Integer.MIN_VALUE: Kafka's Utils.abs makes it 0
        assertThat("polygenelubricants".hashCode()).isEqualTo(Integer.MIN_VALUE);
        assertThat(GroupConfig.partitionFor("polygenelubricants", 50)).isZero();
        // a negative hash: the absolute value, not the sign bit masked off
        final String negative = "my-group";
        assertThat(negative.hashCode()).isNegative();
        assertThat(GroupConfig.partitionFor(negative, 50)).isEqualTo(Math.abs(negative.hashCode()) % 50);
        assertThat(GroupConfig.partitionFor(negative, 50))
            .isNotEqualTo((negative.hashCode() & 0x7fffffff) % 50);
        assertThat(GroupConfig.partitionFor("test-group", 50)).isEqualTo("test-group".hashCode() % 50);
    }
}
