package io.loggia.net.limits;

import io.loggia.net.broker.BrokerProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Live fuzz soak: topics of thousands of partitions took the broker process to its open-file limit (each segment
 * keeps its log file open for sendfile), and then everything that opens a file failed: deleting directories,
 * rolling segments, accepting connections. A creation whose partitions would leave less than a reserve of free
 * files is refused with POLICY_VIOLATION, and the broker goes on serving. The limit is lowered on the running
 * process with {@code prlimit}, as an operator would change it.
 */
class OpenFileLimitTest
{
    @TempDir
    Path dir;

    @Test
    void aCreationThatWouldExhaustTheOpenFileLimitIsRefusedAndTheBrokerCarriesOn() throws Exception
    {
        try (BrokerProcess broker = BrokerProcess.start(dir, Map.of()))
        {
            final Process prlimit = new ProcessBuilder("prlimit", "--nofile=2500:2500", "--pid",
                Long.toString(broker.pid())).inheritIO().start();
            assertThat(prlimit.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(prlimit.exitValue()).as("prlimit").isZero();
            // no creation has asked the broker's budget yet, so its first check reads the lowered limit
            assertThat(Files.readAllLines(Path.of("/proc", Long.toString(broker.pid()), "limits")))
                .anyMatch(line -> line.startsWith("Max open files") && line.contains(" 2500 "));

            final Properties properties = new Properties();
            properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            try (Admin admin = Admin.create(properties))
            {
                assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("too-many", 3000, (short)1)))
                    .all().get(60, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(PolicyViolationException.class)
                    .hasMessageContaining("open files");
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).doesNotContain("too-many");

                admin.createTopics(List.of(new NewTopic("fits", 10, (short)1))).all().get(60, TimeUnit.SECONDS);
                assertThatThrownBy(() -> admin.createPartitions(Map.of("fits", NewPartitions.increaseTo(3000)))
                    .all().get(60, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(PolicyViolationException.class);
                assertThat(admin.describeTopics(List.of("fits")).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get("fits").partitions()).hasSize(10);
            }
            assertThat(broker.isAlive()).isTrue();
            assertThat(broker.stderr()).noneMatch(line -> line.contains(" SEVERE "));
        }
    }
}
