package io.loggia.net.limits;

import io.loggia.net.broker.BrokerProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Live fuzz soak run 13: a fuzzed topic grown by CreatePartitions to 13,000 partitions ran the broker out of heap
 * (-Xmx256m), and it hung, then died. A creation whose partitions the heap cannot hold is refused with
 * POLICY_VIOLATION, and the broker goes on serving. With -Xmx80m the budget holds about 1,700 partitions.
 */
class PartitionHeapLimitTest
{
    @TempDir
    Path dir;

    @Test
    void aCreationThatTheHeapCannotHoldIsRefusedAndTheBrokerCarriesOn() throws Exception
    {
        try (BrokerProcess broker = BrokerProcess.start(dir, Map.of(), List.of("-Xmx80m")))
        {
            final Properties properties = new Properties();
            properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            try (Admin admin = Admin.create(properties))
            {
                assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("too-many", 5000, (short)1)))
                    .all().get(60, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(PolicyViolationException.class)
                    .hasMessageContaining("heap");
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).doesNotContain("too-many");

                admin.createTopics(List.of(new NewTopic("fits", 10, (short)1))).all().get(60, TimeUnit.SECONDS);
                assertThatThrownBy(() -> admin.createPartitions(Map.of("fits", NewPartitions.increaseTo(5000)))
                    .all().get(60, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(PolicyViolationException.class)
                    .hasMessageContaining("heap");
                assertThat(admin.describeTopics(List.of("fits")).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get("fits").partitions()).hasSize(10);
            }
            assertThat(broker.isAlive()).isTrue();
            assertThat(broker.stderr()).noneMatch(line -> line.contains(" SEVERE "));
        }
    }
}
