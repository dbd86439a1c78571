package io.loggia.tools.torture;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.InvalidOffsetException;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Consumers of one group running alongside the producer, each on its own thread: they subscribe to the topic,
 * check every record they are given against {@link Payloads} (a broker must never serve garbage, not even for a
 * moment after a recovery), and commit what they consumed with {@code commitSync}, entering every acknowledged
 * commit in the {@link CommitLog}. Odd-numbered members are static ({@code group.instance.id}, KIP-345), even ones
 * dynamic.
 * <p>
 * A commit never goes past the highest offset the producer had acknowledged ({@link AckLog#maxAckedOffset}): the
 * torn writes damage only bytes past that, so a commit can never point into damage the harness made. A member
 * whose position was destroyed that way (it had fetched flushed records the producer had not heard of yet) gets
 * OFFSET_OUT_OF_RANGE and goes back to its committed offset ({@code auto.offset.reset=none}); it never jumps back
 * to the log start, so its commits only move forward.
 * <p>
 * <b>Assumptions and Guarantees.</b> Each consumer is used by its own thread only (and {@code wakeup()} by the
 * closing thread). Counters are atomic; examples go to a concurrent list. The harness's main thread opens and
 * closes the {@link Gate}.
 */
final class GroupConsumers implements AutoCloseable
{
    private static final int MAX_EXAMPLES = 20;
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(5);

    private final String bootstrapServers;
    private final String topic;
    private final String group;
    private final AckLog ackLog;
    private final CommitLog commitLog;
    private final Payloads payloads;
    private final Gate gate;
    private final List<Thread> threads = new ArrayList<>();
    private final List<KafkaConsumer<byte[], byte[]>> live = new CopyOnWriteArrayList<>();
    private final AtomicLong recordsConsumed = new AtomicLong();
    private final AtomicLong corruptDelivered = new AtomicLong();
    private final AtomicLong commitFailures = new AtomicLong();
    private final AtomicLong repositioned = new AtomicLong();
    private final List<String> examples = new CopyOnWriteArrayList<>();
    private volatile boolean closing;

    GroupConsumers(
        final String bootstrapServers,
        final String topic,
        final String group,
        final int members,
        final AckLog ackLog,
        final CommitLog commitLog,
        final Payloads payloads)
    {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.group = group;
        this.ackLog = ackLog;
        this.commitLog = commitLog;
        this.payloads = payloads;
        this.gate = new Gate(members);
        for (int i = 0; i < members; i++)
        {
            final int member = i;
            final Thread thread = new Thread(() -> run(member), "torture-consumer-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
    }

    /** Start the members, their gate closed: {@link #resume()} lets them consume. */
    void start() throws InterruptedException
    {
        for (final Thread thread : threads)
        {
            thread.start();
        }
        gate.close(60_000);
    }

    void resume()
    {
        gate.open();
    }

    /** @return false if a member did not stop within the timeout. */
    boolean pause(final long timeoutMs) throws InterruptedException
    {
        return gate.close(timeoutMs);
    }

    long recordsConsumed()
    {
        return recordsConsumed.get();
    }

    /** Records given to a member that were not exactly what was sent: violations. */
    long corruptDelivered()
    {
        return corruptDelivered.get();
    }

    long commitFailures()
    {
        return commitFailures.get();
    }

    /**
     * Times a member found its position gone (OFFSET_OUT_OF_RANGE) and went back to its committed offset; a
     * partition without a committed offset, read from the log start, is not counted.
     */
    long repositioned()
    {
        return repositioned.get();
    }

    List<String> examples()
    {
        return examples;
    }

    private void run(final int member)
    {
        KafkaConsumer<byte[], byte[]> consumer = null;
        final Map<Integer, Long> committedByMe = new HashMap<>();
        try
        {
            while (gate.pass() && !closing)
            {
                if (null == consumer)
                {
                    consumer = newConsumer(member);
                    consumer.subscribe(List.of(topic));
                }
                try
                {
                    consume(consumer, committedByMe);
                }
                catch (final InvalidOffsetException ex)
                {
                    try
                    {
                        reposition(consumer, ex);
                    }
                    catch (final WakeupException wakeup)
                    {
                        break;
                    }
                    catch (final KafkaException failure)
                    {
                        commitFailures.incrementAndGet();
                    }
                }
                catch (final WakeupException ex)
                {
                    break;
                }
                catch (final FencedInstanceIdException ex)
                {
                    // another incarnation took the static identity; start over as a new one
                    example("member " + member + " fenced: " + ex.getMessage());
                    close(consumer);
                    consumer = null;
                }
                catch (final KafkaException ex)
                {
                    commitFailures.incrementAndGet();
                }
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        finally
        {
            if (null != consumer)
            {
                close(consumer);
            }
            gate.workerEnded();
        }
    }

    private void consume(final KafkaConsumer<byte[], byte[]> consumer, final Map<Integer, Long> committedByMe)
    {
        final ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
        if (records.isEmpty())
        {
            return;
        }
        final Map<Integer, Long> next = new HashMap<>();
        for (final ConsumerRecord<byte[], byte[]> record : records)
        {
            recordsConsumed.incrementAndGet();
            if (Payloads.NOT_A_PAYLOAD == payloads.sequenceOf(record.partition(), record.key(), record.value()))
            {
                corruptDelivered.incrementAndGet();
                example("group member got a corrupt record at partition " + record.partition() + " offset " +
                    record.offset());
            }
            next.merge(record.partition(), record.offset() + 1, Math::max);
        }
        final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (final Map.Entry<Integer, Long> entry : next.entrySet())
        {
            final int partition = entry.getKey();
            final long offset = Math.min(entry.getValue(), ackLog.maxAckedOffset(partition) + 1);
            if (offset > committedByMe.getOrDefault(partition, 0L))
            {
                offsets.put(new TopicPartition(topic, partition), new OffsetAndMetadata(offset));
            }
        }
        if (offsets.isEmpty())
        {
            return;
        }
        consumer.commitSync(offsets, COMMIT_TIMEOUT);
        for (final Map.Entry<TopicPartition, OffsetAndMetadata> entry : offsets.entrySet())
        {
            commitLog.acknowledged(entry.getKey().partition(), entry.getValue().offset());
            committedByMe.put(entry.getKey().partition(), entry.getValue().offset());
        }
    }

    private void reposition(
        final KafkaConsumer<byte[], byte[]> consumer, final InvalidOffsetException reason)
    {
        final Set<TopicPartition> partitions = reason.partitions();
        if (!(reason instanceof NoOffsetForPartitionException))
        {
            repositioned.incrementAndGet();
        }
        final Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(partitions, COMMIT_TIMEOUT);
        final List<TopicPartition> fromStart = new ArrayList<>();
        for (final TopicPartition partition : partitions)
        {
            final OffsetAndMetadata offset = committed.get(partition);
            if (null == offset)
            {
                fromStart.add(partition);
            }
            else
            {
                consumer.seek(partition, offset.offset());
            }
        }
        if (!fromStart.isEmpty())
        {
            consumer.seekToBeginning(fromStart);
        }
    }

    private KafkaConsumer<byte[], byte[]> newConsumer(final int member)
    {
        final Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "torture-consumer-" + member);
        if (1 == (member & 1))
        {
            config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "torture-static-" + member);
        }
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000);
        config.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        config.put(ConsumerConfig.RECONNECT_BACKOFF_MS_CONFIG, 20);
        config.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
        config.put(ConsumerConfig.RETRY_BACKOFF_MS_CONFIG, 20);
        config.put(ConsumerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 200);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        final KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config);
        live.add(consumer);
        return consumer;
    }

    private void close(final KafkaConsumer<byte[], byte[]> consumer)
    {
        live.remove(consumer);
        try
        {
            consumer.close(Duration.ofSeconds(2));
        }
        catch (final KafkaException ex)
        {
            // closing against a dead broker may time out; nothing to keep
        }
    }

    private void example(final String line)
    {
        if (examples.size() < MAX_EXAMPLES)
        {
            examples.add(line);
        }
    }

    public void close() throws InterruptedException
    {
        closing = true;
        gate.shutDown();
        for (final KafkaConsumer<byte[], byte[]> consumer : live)
        {
            consumer.wakeup();
        }
        for (final Thread thread : threads)
        {
            thread.join(15_000);
        }
    }
}
