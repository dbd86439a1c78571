package io.loggia.perf.lean;

import io.loggia.net.broker.BrokerFixture;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The drain against a real broker in this JVM: it receives exactly the batch bytes the log holds. */
class LeanFetchDrainTest
{
    private static final String TOPIC = "drain-test";
    private static final int PARTITIONS = 3;
    private static final int MESSAGES = 5000;
    private static final int MESSAGE_SIZE = 1000;

    @TempDir
    Path dir;

    @Test
    void drainsEveryBatchOnDiskWithOneOrSeveralConnections() throws Exception
    {
        try (BrokerFixture broker = BrokerFixture.start(dir, Map.of("log.segment.bytes", Integer.toString(1 << 20))))
        {
            broker.admin().createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short)1))).all()
                .get(30, TimeUnit.SECONDS);
            fill(broker.bootstrapServers());
            final long onDisk = batchBytesOnDisk(dir);
            assertThat(onDisk).isGreaterThan((long)MESSAGES * MESSAGE_SIZE);

            final String[] address = broker.bootstrapServers().split(":");
            final int port = Integer.parseInt(address[1]);
            final ByteArrayOutputStream text = new ByteArrayOutputStream();
            final PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8);

            final List<DrainResult> single = LeanFetchDrain.drain(new DrainOptions(address[0], port, TOPIC,
                64 << 20, 16 << 20, 1, ProcessHandle.current().pid(), 2, 500, 1 << 20), out);
            assertThat(single).hasSize(2).allSatisfy(result ->
            {
                assertThat(result.wholeBatchBytes()).isEqualTo(onDisk);
                assertThat(result.recordBytes()).isEqualTo(onDisk + result.partialBytes());
                assertThat(result.fetches()).isPositive();
                assertThat(result.hasBrokerCpu()).isTrue();
            });

            final List<DrainResult> split = LeanFetchDrain.drain(new DrainOptions(address[0], port, TOPIC,
                256 << 10, 64 << 10, 2, -1, 1, 500, 64 << 10), out);
            assertThat(split.get(0).wholeBatchBytes()).isEqualTo(onDisk);
            assertThat(split.get(0).fetches()).isGreaterThan(onDisk / (256 << 10));

            assertThat(text.toString(StandardCharsets.UTF_8))
                .contains("drain: topic drain-test, 3 partition(s), 5,000 offsets", "median of 2:",
                    "2 connection(s)")
                .containsPattern("drain: [0-9,]+ B in [0-9.]+ s = [0-9.]+ GB/s, [0-9,]+ fetches, broker cpu");
        }
    }

    @Test
    void anUnknownTopicIsAnError() throws Exception
    {
        try (BrokerFixture broker = BrokerFixture.start(dir))
        {
            final ByteArrayOutputStream err = new ByteArrayOutputStream();
            final int status = io.loggia.perf.PerfMain.run(
                new String[]{"drain", "--bootstrap-server", broker.bootstrapServers(), "--topic", "no-such-topic"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(status).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("no-such-topic");
        }
    }

    private static void fill(final String bootstrap)
    {
        final Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ProducerConfig.ACKS_CONFIG, "1");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(64 * 1024));
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        final SplittableRandom random = new SplittableRandom(5);
        try (KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer()))
        {
            for (int i = 0; i < MESSAGES; i++)
            {
                final byte[] value = new byte[MESSAGE_SIZE];
                for (int b = 0; b < value.length; b += 8)
                {
                    value[b] = (byte)random.nextInt(256);
                }
                producer.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, null, value));
            }
            producer.flush();
        }
    }

    /** The bytes of the whole batches in the topic's segment files (an active segment is preallocated). */
    private static long batchBytesOnDisk(final Path dataDir) throws IOException
    {
        long total = 0;
        for (int p = 0; p < PARTITIONS; p++)
        {
            try (Stream<Path> files = Files.list(dataDir.resolve(TOPIC + "-" + p)))
            {
                for (final Path file : (Iterable<Path>)files.filter(f -> f.toString().endsWith(".log"))::iterator)
                {
                    total += validLength(ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.BIG_ENDIAN));
                }
            }
        }
        return total;
    }

    private static long validLength(final ByteBuffer segment)
    {
        int position = 0;
        while (position + 12 <= segment.limit())
        {
            final int length = segment.getInt(position + 8);
            if (length <= 0 || position + 12L + length > segment.limit())
            {
                break;
            }
            position += 12 + length;
        }
        return position;
    }
}
