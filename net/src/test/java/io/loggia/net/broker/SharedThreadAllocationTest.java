package io.loggia.net.broker;

import io.loggia.codec.wire.ApiKeys;
import io.loggia.engine.topic.Topic;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole broker in shared mode: the one thread that runs the dispatcher, the data path, the writer, the
 * controller and the group coordinator allocates nothing per Produce, Fetch or ApiVersions request once warm.
 * Measured with that thread's allocated-bytes counter over pipelined bursts on one connection.
 */
class SharedThreadAllocationTest
{
    private static final int WARM_UP_CYCLES = 1_500;
    private static final int CYCLES = 1_000;

    @TempDir
    Path dir;

    @Test
    void theSharedThreadAllocatesNothingPerDataRequest() throws Exception
    {
        try (BrokerFixture broker = BrokerFixture.start(dir, Map.of("loggia.threading.mode", "shared")))
        {
            broker.admin().createTopics(List.of(new NewTopic("quiet", 1, (short)1))).all().get(30, TimeUnit.SECONDS);
            final Topic topic = broker.broker().topics().topic("quiet");
            final Uuid id = new Uuid(topic.idMsb(), topic.idLsb());

            final ProduceRequestData produce = new ProduceRequestData().setAcks((short)1).setTimeoutMs(30_000);
            final ProduceRequestData.TopicProduceData data = new ProduceRequestData.TopicProduceData().setTopicId(id);
            data.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0)
                .setRecords(MemoryRecords.withRecords(Compression.NONE,
                    new SimpleRecord("value".getBytes(StandardCharsets.UTF_8)))));
            produce.topicData().add(data);
            final FetchRequestData fetch = new FetchRequestData().setMaxWaitMs(0).setMinBytes(0)
                .setMaxBytes(1024).setSessionEpoch(-1);
            final FetchRequestData.FetchTopic fetchTopic = new FetchRequestData.FetchTopic().setTopicId(id);
            fetchTopic.partitions().add(new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(0)
                .setPartitionMaxBytes(64).setLogStartOffset(-1));
            fetch.topics().add(fetchTopic);
            final byte[][] frames = {
                WireClient.frame(ApiKeys.PRODUCE, 13, 1, produce),
                WireClient.frame(ApiKeys.FETCH, 18, 2, fetch),
                WireClient.frame(ApiKeys.API_VERSIONS, 3, 3, new ApiVersionsRequestData()),
            };
            final ByteBuffer burst = ByteBuffer.allocate(frames[0].length + frames[1].length + frames[2].length);
            for (final byte[] frame : frames)
            {
                burst.put(frame);
            }

            final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
            final Thread shared = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> "loggia-shared".equals(thread.getName())).findFirst().orElseThrow();
            try (WireClient client = new WireClient(broker.broker().localAddress()))
            {
                for (int i = 0; i < WARM_UP_CYCLES; i++)
                {
                    cycle(client, burst.array(), frames.length);
                }
                final long before = threads.getThreadAllocatedBytes(shared.getId());
                for (int i = 0; i < CYCLES; i++)
                {
                    cycle(client, burst.array(), frames.length);
                }
                final long allocated = threads.getThreadAllocatedBytes(shared.getId()) - before;
                assertThat(allocated).as("bytes allocated by the shared thread over %d cycles", CYCLES)
                    .isLessThan(4096);
            }
            assertThat(topic.partition(0).log().logEndOffset()).isEqualTo(WARM_UP_CYCLES + CYCLES);
        }
    }

    private static void cycle(final WireClient client, final byte[] burst, final int responses) throws Exception
    {
        client.write(burst);
        for (int i = 0; i < responses; i++)
        {
            client.readFrame();
        }
    }
}
