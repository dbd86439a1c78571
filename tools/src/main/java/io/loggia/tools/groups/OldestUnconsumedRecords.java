package io.loggia.tools.groups;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The timestamps of the records at given offsets, read from the broker with a group-less consumer: every
 * partition is assigned and seeked to its offset, and the first record each one returns is the record at that
 * offset (or the first one after it, if that one is gone: compacted away, or a control record). An offset below
 * the log start (deleted by retention) resets to the log start, whose record is then the oldest unconsumed one.
 * <p>
 * On the broker each partition's answer costs one Fetch: an offset index lookup, a scan of at most
 * {@code index.interval.bytes} of batch headers, and the batch holding the offset sent as is. The client reads
 * the record's timestamp from the batch: base timestamp plus the record's delta (CreateTime), or the batch's
 * max timestamp (LogAppendTime).
 */
final class OldestUnconsumedRecords
{
    /** Enough for the batch holding the offset in most cases; the broker sends a larger first batch anyway. */
    private static final int PARTITION_FETCH_BYTES = 16 * 1024;
    private static final Duration POLL = Duration.ofMillis(50);

    private OldestUnconsumedRecords()
    {
    }

    /**
     * @param bootstrapServer where the broker is.
     * @param offsets         the offset whose record is wanted, per partition.
     * @param timeoutMs       how long to try in all.
     * @return per partition: the record's timestamp (ms since the epoch, as the record carries it) and the time it
     * was read; partitions not read within the timeout, or whose record has no timestamp, are missing.
     */
    static Map<TopicPartition, Sample> read(
        final String bootstrapServer, final Map<TopicPartition, Long> offsets, final int timeoutMs)
    {
        final Map<TopicPartition, Sample> samples = new HashMap<>();
        if (offsets.isEmpty())
        {
            return samples;
        }
        final Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServer);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "loggia-groups-lag-time");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, PARTITION_FETCH_BYTES);
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        properties.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        properties.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        try (KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer()))
        {
            consumer.assign(List.copyOf(offsets.keySet()));
            offsets.forEach(consumer::seek);
            final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            int pending = offsets.size();
            while (pending > 0 && System.nanoTime() - deadlineNs < 0)
            {
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL))
                {
                    final TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (samples.containsKey(partition))
                    {
                        continue;
                    }
                    pending--;
                    consumer.pause(List.of(partition));
                    if (record.timestamp() >= 0)
                    {
                        final long readAtMs = System.currentTimeMillis();
                        samples.put(partition, new Sample(record.offset(), record.timestamp(), readAtMs));
                    }
                    else
                    {
                        samples.put(partition, null);
                    }
                }
            }
        }
        samples.values().removeIf(sample -> null == sample);
        return samples;
    }

    /**
     * @param offset      the record's offset (the one asked for, or the first after it).
     * @param timestampMs the record's timestamp.
     * @param readAtMs    this machine's clock when the record arrived.
     */
    record Sample(long offset, long timestampMs, long readAtMs)
    {
        /** How long the record has waited, as of when it was read; 0 if its timestamp is ahead of this clock. */
        long ageMs()
        {
            return Math.max(0, readAtMs - timestampMs);
        }
    }
}
