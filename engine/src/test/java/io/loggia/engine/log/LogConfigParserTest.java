package io.loggia.engine.log;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LogConfigParserTest
{
    @Test
    void defaultsAreKafkas()
    {
        final LogConfig config = LogConfigParser.parseBroker(Map.of()).config();
        assertThat(config).isEqualTo(LogConfig.DEFAULTS);
        assertThat(config.segmentBytes()).isEqualTo(1 << 30);
        assertThat(config.segmentMs()).isEqualTo(604_800_000L);
        assertThat(config.segmentIndexBytes()).isEqualTo(10 * 1024 * 1024);
        assertThat(config.indexIntervalBytes()).isEqualTo(4096);
        assertThat(config.retentionBytes()).isEqualTo(-1);
        assertThat(config.retentionMs()).isEqualTo(604_800_000L);
        assertThat(config.flushMessages()).isEqualTo(Long.MAX_VALUE);
        assertThat(config.flushMs()).isEqualTo(Long.MAX_VALUE);
        assertThat(config.fileDeleteDelayMs()).isEqualTo(60_000);
        assertThat(config.maxMessageBytes()).isEqualTo(1_048_588);
        assertThat(config.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
        assertThat(config.cleanupPolicy()).isEqualTo(CleanupPolicy.DELETE);
    }

    @Test
    void brokerNamesWithKafkasPrecedence()
    {
        final LogConfig config = LogConfigParser.parseBroker(Map.of(
            "log.segment.bytes", "1048576",
            "log.roll.hours", "2",
            "log.retention.hours", "5",
            "log.retention.minutes", "3",
            "log.index.size.max.bytes", "4096",
            "log.index.interval.bytes", "512",
            "log.flush.interval.messages", "1000",
            "log.segment.delete.delay.ms", "10",
            "message.max.bytes", "2000000",
            "log.message.timestamp.type", "LogAppendTime")).config();
        assertThat(config.segmentBytes()).isEqualTo(1_048_576);
        assertThat(config.segmentMs()).isEqualTo(2 * 3_600_000L);
        assertThat(config.retentionMs()).isEqualTo(3 * 60_000L);
        assertThat(config.segmentIndexBytes()).isEqualTo(4096);
        assertThat(config.indexIntervalBytes()).isEqualTo(512);
        assertThat(config.flushMessages()).isEqualTo(1000);
        assertThat(config.fileDeleteDelayMs()).isEqualTo(10);
        assertThat(config.maxMessageBytes()).isEqualTo(2_000_000);
        assertThat(config.isLogAppendTime()).isTrue();

        assertThat(LogConfigParser.parseBroker(Map.of("log.retention.ms", "7", "log.retention.hours", "1"))
            .config().retentionMs()).isEqualTo(7);
        assertThat(LogConfigParser.parseBroker(Map.of("log.retention.hours", "-1")).config().retentionMs()).isEqualTo(-1);
        assertThat(LogConfigParser.parseBroker(Map.of("log.roll.ms", "99", "log.roll.hours", "1"))
            .config().segmentMs()).isEqualTo(99);
        assertThat(LogConfigParser.parseBroker(Map.of("log.flush.scheduler.interval.ms", "3000"))
            .config().flushMs()).isEqualTo(3000);
    }

    @Test
    void topicOverridesOnTopOfBrokerDefaults()
    {
        final LogConfig broker = LogConfigParser.parseBroker(Map.of("log.segment.bytes", "1048576")).config();
        final LogConfig topic = LogConfigParser.parseTopic(Map.of(
            "retention.bytes", "123456",
            "cleanup.policy", "delete, compact",
            "compression.type", "zstd"), broker).config();
        assertThat(topic.segmentBytes()).isEqualTo(1_048_576);
        assertThat(topic.retentionBytes()).isEqualTo(123_456);
        assertThat(topic.cleanupPolicy()).isEqualTo(CleanupPolicy.COMPACT_DELETE);
        assertThat(topic.cleanupPolicy().isDelete()).isTrue();
        assertThat(LogConfigParser.parseTopic(topic.toProperties(), LogConfig.DEFAULTS).config()).isEqualTo(topic);
    }

    @Test
    void badValuesAreOneLineNamingTheKey()
    {
        assertError(Map.of("segment.bytes", "lots"), "segment.bytes: 'lots' is not a 32-bit integer");
        assertError(Map.of("segment.bytes", "13"), "segment.bytes: 13 is below the minimum 14");
        assertError(Map.of("segment.bytes", "3000000000"), "segment.bytes: '3000000000' is not a 32-bit integer");
        assertError(Map.of("retention.ms", "-2"), "retention.ms: -2 is below the minimum -1");
        assertError(Map.of("segment.ms", "0"), "segment.ms: 0 is below the minimum 1");
        assertError(Map.of("message.timestamp.type", "Now"), "message.timestamp.type: 'Now' is not CreateTime or LogAppendTime");
        assertError(Map.of("cleanup.policy", "delete,shred"), "cleanup.policy: 'delete,shred' is not a list of delete and compact");
        assertError(Map.of("segment.index.bytes", "8"), "segment.index.bytes: 8 is below the minimum 12");

        final LogConfigParser.Result broker = LogConfigParser.parseBroker(Map.of("log.retention.hours", "x"));
        assertThat(broker.isValid()).isFalse();
        assertThat(broker.error()).isEqualTo("log.retention.hours: 'x' is not a 32-bit integer");
    }

    private static void assertError(final Map<String, String> overrides, final String error)
    {
        final LogConfigParser.Result result = LogConfigParser.parseTopic(overrides, LogConfig.DEFAULTS);
        assertThat(result.isValid()).isFalse();
        assertThat(result.config()).isNull();
        assertThat(result.error()).isEqualTo(error);
    }
}
