package io.loggia.net.broker;

import io.loggia.engine.Engine;
import io.loggia.engine.EngineConfig;
import io.loggia.engine.EngineListener;
import io.loggia.engine.log.CleanShutdownMarker;
import io.loggia.engine.log.RecoveryReport;
import io.loggia.engine.partition.Partition;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.agrona.concurrent.SystemEpochClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The broker as a real process: bad settings, SIGTERM, a second signal, kill -9. */
class BrokerProcessTest
{
    @TempDir
    Path dir;

    private static void produce(final String bootstrap, final String topic, final int count) throws Exception
    {
        final Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        try (KafkaProducer<String, String> producer =
            new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer()))
        {
            for (int i = 0; i < count; i++)
            {
                producer.send(new ProducerRecord<>(topic, 0, "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Opens the log dir as the next broker would, recording each partition's recovery report. */
    private List<RecoveryReport> reopen(final Map<String, Long> logEnds) throws Exception
    {
        final List<RecoveryReport> reports = new ArrayList<>();
        final Engine engine = Engine.open(new EngineConfig().logDir(dir).housekeeperNative(false),
            Throwable::printStackTrace,
            new EngineListener()
            {
                public void onPartitionLoaded(final Partition partition, final RecoveryReport report)
                {
                    final RecoveryReport copy = new RecoveryReport();
                    copy.cleanShutdown = report.cleanShutdown;
                    copy.segmentsRecovered = report.segmentsRecovered;
                    copy.bytesScanned = report.bytesScanned;
                    reports.add(copy);
                    logEnds.put(partition.topicPartition().toString(), partition.log().logEndOffset());
                }
            }, SystemEpochClock.INSTANCE);
        engine.close();
        return reports;
    }

    @Test
    void aBadSettingIsOneLineNamingItsKeyAndExitTwo() throws Exception
    {
        final BrokerProcess.Result result = BrokerProcess.run(List.of(
            "--override", "log.dirs=" + dir, "--override", "num.partitions=zero"));
        assertThat(result.exitCode()).isEqualTo(BrokerMain.USAGE);
        assertThat(result.stderr()).hasSize(1);
        assertThat(result.stderr().get(0)).contains("num.partitions").contains("zero");
        assertThat(result.stdout()).isEmpty();

        final BrokerProcess.Result missing = BrokerProcess.run(List.of(dir.resolve("nope.properties").toString()));
        assertThat(missing.exitCode()).isEqualTo(BrokerMain.USAGE);
        assertThat(missing.stderr()).hasSize(1);
        assertThat(missing.stderr().get(0)).contains("nope.properties");
    }

    @Test
    void sigtermShutsDownCleanlyAndTheNextStartDoesNotScan() throws Exception
    {
        try (BrokerProcess broker = BrokerProcess.start(dir, Map.of("num.partitions", "1")))
        {
            assertThat(broker.stdout()).hasSize(1);
            assertThat(broker.stdout().get(0)).contains("data in " + dir).contains("started in");
            produce(broker.bootstrapServers(), "durable", 100);
            broker.terminate();
            final BrokerProcess.Result result = broker.await(60_000);
            assertThat(result.exitCode()).isZero();
            assertThat(result.stdout().get(result.stdout().size() - 2)).contains("stopped cleanly");
            // 100 records in one produce call's batches: some appends, no stall, no error
            assertThat(result.stdout().get(result.stdout().size() - 1)).startsWith("counters: writer-0 ")
                .contains("append-errors=0").containsPattern("appends=[1-9]").contains("housekeeper ");
        }
        assertThat(CleanShutdownMarker.exists(dir)).isTrue();
        assertThat(Files.exists(dir.resolve(".lock"))).isTrue();
        final Map<String, Long> logEnds = new java.util.HashMap<>();
        final List<RecoveryReport> reports = reopen(logEnds);
        assertThat(reports).isNotEmpty().allSatisfy(report ->
        {
            assertThat(report.cleanShutdown).isTrue();
            assertThat(report.segmentsRecovered).isZero();
            assertThat(report.bytesScanned).isZero();
        });
        assertThat(logEnds).containsEntry("durable-0", 100L);
    }

    @Test
    void aSecondSignalDuringShutdownChangesNothing() throws Exception
    {
        try (BrokerProcess broker = BrokerProcess.start(dir, Map.of()))
        {
            produce(broker.bootstrapServers(), "twice", 10);
            broker.signal("TERM");
            broker.signal("INT");
            broker.signal("TERM");
            final BrokerProcess.Result result = broker.await(60_000);
            assertThat(result.exitCode()).isZero();
        }
        assertThat(CleanShutdownMarker.exists(dir)).isTrue();
        final Map<String, Long> logEnds = new java.util.HashMap<>();
        reopen(logEnds);
        assertThat(logEnds).containsEntry("twice-0", 10L);
    }

    @Test
    void killNineLeavesNoMarkerAndTheNextStartRecovers() throws Exception
    {
        try (BrokerProcess broker = BrokerProcess.start(dir, Map.of()))
        {
            produce(broker.bootstrapServers(), "crashed", 50);
            broker.kill();
        }
        assertThat(CleanShutdownMarker.exists(dir)).isFalse();
        final Map<String, Long> logEnds = new java.util.HashMap<>();
        final List<RecoveryReport> reports = reopen(logEnds);
        assertThat(reports).anySatisfy(report -> assertThat(report.segmentsRecovered).isPositive());
        assertThat(logEnds).containsEntry("crashed-0", 50L);

        // and a broker on it serves the topic again, with the same id
        try (BrokerFixture broker = BrokerFixture.start(dir))
        {
            assertThat(broker.broker().topics().topic("crashed").partition(0).log().logEndOffset()).isEqualTo(50);
        }
    }
}
