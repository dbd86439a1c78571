package io.loggia.perf;

import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class ClientPropertiesTest
{
    @Test
    void producerFollowsTheWorkloadAndIdempotenceOnlyWithAcksAll()
    {
        final RunOptions options = new RunOptions();
        options.bootstrapServers = "127.0.0.1:19092";
        options.producerProperties.put("linger.ms", "7");
        final Properties acks1 = ClientProperties.producer(options, Presets.get("e2e-10k-100b"), "p0");
        assertThat(acks1.getProperty("acks")).isEqualTo("1");
        assertThat(acks1.getProperty("enable.idempotence")).isEqualTo("false");
        assertThat(acks1.getProperty("batch.size")).isEqualTo("16384");
        assertThat(acks1.getProperty("linger.ms")).isEqualTo("7");
        assertThat(acks1.getProperty("compression.type")).isEqualTo("none");

        final Properties acksAll = ClientProperties.producer(options, Presets.get("1-topic-1-partition-100b"), "p1");
        assertThat(acksAll.getProperty("acks")).isEqualTo("all");
        assertThat(acksAll.getProperty("enable.idempotence")).isEqualTo("true");
    }

    @Test
    void consumerReadsFromTheEarliestOffset()
    {
        final RunOptions options = new RunOptions();
        options.bootstrapServers = "127.0.0.1:19092";
        options.consumerProperties.put("fetch.max.wait.ms", "10");
        final Properties props = ClientProperties.consumer(options, "g", "c0");
        assertThat(props.getProperty("group.id")).isEqualTo("g");
        assertThat(props.getProperty("auto.offset.reset")).isEqualTo("earliest");
        assertThat(props.getProperty("fetch.max.wait.ms")).isEqualTo("10");
    }
}
