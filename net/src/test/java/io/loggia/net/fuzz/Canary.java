package io.loggia.net.fuzz;

import io.loggia.net.broker.WireClient;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A well-behaved client beside a fuzz run, on its own connection and thread: it produces one numbered record
 * (acks=all) every few milliseconds to a topic no fuzz input names, and fetches them back in order. Every round
 * trip must succeed, with the right records, within {@link #MAX_ROUND_TRIP_MS}; the slowest one is reported.
 */
final class Canary implements AutoCloseable
{
    static final String TOPIC = "canary";
    static final long MAX_ROUND_TRIP_MS = 5_000;
    private static final long PAUSE_NS = TimeUnit.MILLISECONDS.toNanos(5);

    private final InetSocketAddress address;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long produced;
    private volatile long fetched;
    private volatile long slowestNs;
    private volatile String failure;

    Canary(final InetSocketAddress address)
    {
        this.address = address;
        this.thread = new Thread(this::run, "fuzz-canary");
        thread.setDaemon(true);
    }

    Canary start()
    {
        thread.start();
        return this;
    }

    /** Null while every round trip succeeded in time, else the first thing that went wrong. */
    String failure()
    {
        return failure;
    }

    long produced()
    {
        return produced;
    }

    long fetched()
    {
        return fetched;
    }

    long slowestMs()
    {
        return TimeUnit.NANOSECONDS.toMillis(slowestNs);
    }

    public String toString()
    {
        return String.format(Locale.ROOT, "canary: %,d records produced, %,d fetched back in order, slowest round " +
            "trip %d ms%s", produced, fetched, slowestMs(), null == failure ? "" : ", FAILED: " + failure);
    }

    private void run()
    {
        try (WireClient client = new WireClient(address))
        {
            long next = 0;
            long readOffset = 0;
            while (running)
            {
                final long startNs = System.nanoTime();
                final ProduceRequestData produce = new ProduceRequestData().setAcks((short)-1).setTimeoutMs(30_000);
                final ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData()
                    .setName(TOPIC);
                topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0)
                    .setRecords(MemoryRecords.withRecords(Compression.NONE,
                        new SimpleRecord(System.currentTimeMillis(), null, ByteBuffer.allocate(8).putLong(next)
                            .array()))));
                produce.topicData().add(topic);
                final ProduceResponseData.PartitionProduceResponse answer = client.call(0, 9, produce,
                    ProduceResponseData::new).responses().iterator().next().partitionResponses().get(0);
                if (answer.errorCode() != 0 || answer.baseOffset() != next)
                {
                    fail("produce of record " + next + " answered error " + answer.errorCode() + " at offset " +
                        answer.baseOffset());
                    return;
                }
                next++;
                produced = next;
                while (readOffset < next)
                {
                    final FetchRequestData fetch = new FetchRequestData().setMaxWaitMs(0).setMinBytes(0)
                        .setMaxBytes(1 << 20).setSessionEpoch(-1).setReplicaId(-1);
                    fetch.topics().add(new FetchRequestData.FetchTopic().setTopic(TOPIC).setPartitions(List.of(
                        new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(readOffset)
                            .setPartitionMaxBytes(1 << 20))));
                    final FetchResponseData.PartitionData data = client.call(1, 12, fetch, FetchResponseData::new)
                        .responses().get(0).partitions().get(0);
                    if (data.errorCode() != 0)
                    {
                        fail("fetch at " + readOffset + " answered error " + data.errorCode());
                        return;
                    }
                    for (final RecordBatch batch : ((MemoryRecords)data.records()).batches())
                    {
                        for (final Record record : batch)
                        {
                            if (record.offset() < readOffset)
                            {
                                continue;
                            }
                            final long value = record.value().getLong(0);
                            if (record.offset() != readOffset || value != readOffset)
                            {
                                fail("record at offset " + record.offset() + " holds " + value + ", expected " +
                                    readOffset);
                                return;
                            }
                            readOffset++;
                        }
                    }
                    fetched = readOffset;
                }
                final long tookNs = System.nanoTime() - startNs;
                if (tookNs > slowestNs)
                {
                    slowestNs = tookNs;
                }
                if (tookNs > TimeUnit.MILLISECONDS.toNanos(MAX_ROUND_TRIP_MS))
                {
                    fail("a round trip took " + TimeUnit.NANOSECONDS.toMillis(tookNs) + " ms");
                    return;
                }
                LockSupport.parkNanos(PAUSE_NS);
            }
        }
        catch (final Exception ex)
        {
            fail(ex.toString());
        }
    }

    private void fail(final String what)
    {
        if (running)
        {
            failure = what;
        }
    }

    public void close() throws InterruptedException
    {
        running = false;
        thread.join(30_000);
    }
}
