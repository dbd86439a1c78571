package io.loggia.net.broker.data;

import io.loggia.codec.wire.ApiKeys;
import io.loggia.engine.EngineConfig;
import io.loggia.engine.log.LogConfigParser;
import io.loggia.net.transport.NetworkCounters;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The writers run only when the test says so: acks=all answered REQUEST_TIMED_OUT when the writer does not get
 * to the batch within timeout_ms, and a full append ring that stashes batches and retries them, in order, until
 * every request is answered.
 */
class WriterStallTest
{
    static final String TOPIC = "stalled";

    @TempDir
    Path dir;
    DataPathTestBroker broker;

    @BeforeEach
    void start() throws Exception
    {
        broker = new DataPathTestBroker(dir, 1, Map.of(
            EngineConfig.WRITER_RING_BYTES, "65536",
            LogConfigParser.MESSAGE_MAX_BYTES, "8000"), true);
        broker.createTopic(TOPIC, 2);
        broker.runWriters();
    }

    @AfterEach
    void stop()
    {
        broker.close();
        assertThat(broker.errors).isEmpty();
    }

    long logEnd(final int partition)
    {
        return broker.partition(TOPIC, partition).log().logEndOffset();
    }

    static ProduceResponseData.PartitionProduceResponse only(final ProduceResponseData response)
    {
        return response.responses().iterator().next().partitionResponses().get(0);
    }

    @Test
    void acksAllNotCompletedWithinTimeoutIsAnsweredRequestTimedOut() throws Exception
    {
        try (RawKafkaClient client = new RawKafkaClient(broker.address()))
        {
            final long start = System.nanoTime();
            final ProduceResponseData.PartitionProduceResponse timedOut = only(client.produce(9,
                RawKafkaClient.produceRequest((short)-1, TOPIC, null, 0, Batches.plain(2)).setTimeoutMs(0)));
            assertThat(System.nanoTime() - start)
                .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(ProduceHandler.MIN_ACKS_ALL_TIMEOUT_MS));
            assertThat(timedOut.errorCode()).isEqualTo(DataErrors.REQUEST_TIMED_OUT);
            assertThat(logEnd(0)).isZero();

            // the batch was handed over: Kafka's REQUEST_TIMED_OUT promises nothing either way
            broker.runWriters();
            assertThat(logEnd(0)).isEqualTo(2);
            final int correlationId = client.send(ApiKeys.PRODUCE, 9,
                RawKafkaClient.produceRequest((short)1, TOPIC, null, 0, Batches.plain(1)));
            Clients.await(() -> broker.handlers.get(0).pendingProduceCount() == 1, "the produce to be pending");
            broker.runWriters();
            final ProduceResponseData answered = new ProduceResponseData(new ByteBufferAccessor(
                client.receive(ApiKeys.responseHeaderVersion(ApiKeys.PRODUCE, 9), correlationId)), (short)9);
            assertThat(only(answered).errorCode()).isEqualTo(DataErrors.NONE);
            assertThat(only(answered).baseOffset()).isEqualTo(2);
        }
    }

    @Test
    void aFullRingStashesBatchesAndEveryRequestIsAnsweredInOrder() throws Exception
    {
        final int requests = 12;
        final long producerId = 77;
        final DataPathHandlers handlers = broker.handlers.get(0);
        try (RawKafkaClient idempotent = new RawKafkaClient(broker.address());
            RawKafkaClient acksAll = new RawKafkaClient(broker.address());
            RawKafkaClient acksZero = new RawKafkaClient(broker.address()))
        {
            final NetworkCounters counters = broker.server.agent(0).counters();
            final long before = counters.get(NetworkCounters.REQUESTS);
            final List<Integer> idempotentIds = new ArrayList<>();
            final List<Integer> acksAllIds = new ArrayList<>();
            for (int i = 0; i < requests; i++)
            {
                idempotentIds.add(idempotent.send(ApiKeys.PRODUCE, 9, RawKafkaClient.produceRequest((short)1, TOPIC,
                    null, 0, MemoryRecords.withIdempotentRecords(Compression.NONE, producerId, (short)0, i * 2,
                        record(i, 0), record(i, 1)))));
                acksAllIds.add(acksAll.send(ApiKeys.PRODUCE, 9,
                    RawKafkaClient.produceRequest((short)-1, TOPIC, null, 1, Batches.plain(3))));
                acksZero.send(ApiKeys.PRODUCE, 9,
                    RawKafkaClient.produceRequest((short)0, TOPIC, null, 1, Batches.plain(1)));
            }
            Clients.await(() -> counters.get(NetworkCounters.REQUESTS) - before >= 3L * requests,
                "every request to arrive");
            assertThat(logEnd(0)).isZero();
            assertThat(handlers.backPressuredProduceCount()).as("requests waiting for ring space").isPositive();

            final long expected0 = 2L * requests;
            final long expected1 = 4L * requests;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (logEnd(0) < expected0 || logEnd(1) < expected1 || handlers.pendingProduceCount() > 0)
            {
                assertThat(System.nanoTime() - deadline).isNegative();
                if (0 == broker.runWriters())
                {
                    Thread.onSpinWait();
                }
            }
            assertThat(logEnd(0)).isEqualTo(expected0);
            assertThat(logEnd(1)).isEqualTo(expected1);

            for (int i = 0; i < requests; i++)
            {
                final ProduceResponseData.PartitionProduceResponse first = only(new ProduceResponseData(
                    new ByteBufferAccessor(idempotent.receive(ApiKeys.responseHeaderVersion(ApiKeys.PRODUCE, 9),
                        idempotentIds.get(i))), (short)9));
                assertThat(first.errorCode()).as("request %d", i).isEqualTo(DataErrors.NONE);
                assertThat(first.baseOffset()).as("request %d", i).isEqualTo(2L * i);
                final ProduceResponseData.PartitionProduceResponse second = only(new ProduceResponseData(
                    new ByteBufferAccessor(acksAll.receive(ApiKeys.responseHeaderVersion(ApiKeys.PRODUCE, 9),
                        acksAllIds.get(i))), (short)9));
                assertThat(second.errorCode()).isEqualTo(DataErrors.NONE);
            }
        }
    }

    static SimpleRecord record(final int request, final int index)
    {
        return new SimpleRecord(Batches.TIMESTAMP, Batches.bytes("k" + request), new byte[3000 + index]);
    }
}
