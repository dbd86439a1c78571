package io.loggia.net.fuzz;

import io.loggia.net.broker.WireClient;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Data written before a fuzz run and read back after it: every batch's offsets, CRC and length, which must be
 * exactly as they were (the run may append, never change or lose what was there).
 */
final class StoredTopics
{
    private static final int FETCH_VERSION = 12;
    private static final int PRODUCE_VERSION = 9;

    /**
     * One stored batch as a fetch sees it.
     *
     * @param topic      its topic.
     * @param partition  its partition.
     * @param baseOffset its first offset.
     * @param lastOffset its last offset.
     * @param crc        its CRC-32C.
     * @param size       its size in bytes.
     */
    record StoredBatch(String topic, int partition, long baseOffset, long lastOffset, long crc, int size)
    {
    }

    private final List<String> topics;
    private final int partitions;
    private final List<Long> endOffsets = new ArrayList<>();
    private List<StoredBatch> written;

    StoredTopics(final List<String> topics, final int partitions)
    {
        this.topics = topics;
        this.partitions = partitions;
    }

    /** Produce {@code batches} batches to each partition of each topic (acks=all), then read them back. */
    void write(final InetSocketAddress address, final int batches, final long seed) throws IOException
    {
        final Random random = new Random(seed);
        try (WireClient client = new WireClient(address))
        {
            for (final String topic : topics)
            {
                for (int p = 0; p < partitions; p++)
                {
                    for (int b = 0; b < batches; b++)
                    {
                        final SimpleRecord[] records = new SimpleRecord[1 + random.nextInt(10)];
                        for (int r = 0; r < records.length; r++)
                        {
                            final byte[] value = new byte[random.nextInt(300)];
                            random.nextBytes(value);
                            records[r] = new SimpleRecord(1_700_000_000_000L + b, ("k" + r).getBytes(), value);
                        }
                        final MemoryRecords memoryRecords = MemoryRecords.withRecords(
                            b % 7 == 3 ? Compression.lz4().build() : Compression.NONE, records);
                        final ProduceRequestData request = new ProduceRequestData().setAcks((short)-1)
                            .setTimeoutMs(30_000);
                        final ProduceRequestData.TopicProduceData data =
                            new ProduceRequestData.TopicProduceData().setName(topic);
                        data.partitionData().add(
                            new ProduceRequestData.PartitionProduceData().setIndex(p).setRecords(memoryRecords));
                        request.topicData().add(data);
                        final ProduceResponseData response =
                            client.call(0, PRODUCE_VERSION, request, ProduceResponseData::new);
                        final short error = response.responses().iterator().next().partitionResponses().get(0)
                            .errorCode();
                        if (error != 0)
                        {
                            throw new IOException("storing " + topic + "-" + p + " failed with error " + error);
                        }
                    }
                }
            }
            written = read(client, null);
        }
        for (int i = 0; i < topics.size() * partitions; i++)
        {
            endOffsets.add(0L);
        }
        for (final StoredBatch batch : written)
        {
            final int index = topics.indexOf(batch.topic()) * partitions + batch.partition();
            endOffsets.set(index, Math.max(endOffsets.get(index), batch.lastOffset() + 1));
        }
    }

    /** The batches written, as read after writing them. */
    List<StoredBatch> written()
    {
        return written;
    }

    /** The batches below the end offsets of {@link #write}, as the broker serves them now. */
    List<StoredBatch> readBack(final InetSocketAddress address) throws IOException
    {
        try (WireClient client = new WireClient(address))
        {
            return read(client, endOffsets);
        }
    }

    private List<StoredBatch> read(final WireClient client, final List<Long> ends) throws IOException
    {
        final List<StoredBatch> batches = new ArrayList<>();
        for (int t = 0; t < topics.size(); t++)
        {
            for (int p = 0; p < partitions; p++)
            {
                final long end = null == ends ? Long.MAX_VALUE : ends.get(t * partitions + p);
                long offset = 0;
                while (offset < end)
                {
                    final FetchRequestData request = new FetchRequestData().setMaxWaitMs(0).setMinBytes(0)
                        .setMaxBytes(1 << 20).setSessionEpoch(-1).setReplicaId(-1);
                    request.topics().add(new FetchRequestData.FetchTopic().setTopic(topics.get(t))
                        .setPartitions(List.of(new FetchRequestData.FetchPartition().setPartition(p)
                            .setFetchOffset(offset).setPartitionMaxBytes(1 << 20))));
                    final FetchResponseData response =
                        client.call(1, FETCH_VERSION, request, FetchResponseData::new);
                    final FetchResponseData.PartitionData data = response.responses().get(0).partitions().get(0);
                    if (data.errorCode() != 0)
                    {
                        throw new IOException("reading " + topics.get(t) + "-" + p + " at " + offset + ": error " +
                            data.errorCode() + ", log start " + data.logStartOffset() + ", high watermark " +
                            data.highWatermark());
                    }
                    final MemoryRecords records = (MemoryRecords)data.records();
                    boolean any = false;
                    for (final RecordBatch batch : records.batches())
                    {
                        if (batch.baseOffset() >= end)
                        {
                            break;
                        }
                        batch.ensureValid();
                        batches.add(new StoredBatch(topics.get(t), p, batch.baseOffset(), batch.lastOffset(),
                            batch.checksum(), batch.sizeInBytes()));
                        offset = batch.lastOffset() + 1;
                        any = true;
                    }
                    if (!any)
                    {
                        if (null == ends)
                        {
                            break;
                        }
                        throw new IOException("no batch at " + topics.get(t) + "-" + p + " offset " + offset +
                            " below the stored end " + end + ": " + data);
                    }
                }
            }
        }
        return batches;
    }
}
