package io.loggia.perf;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * One consumer of one {@link Subscription}: polls, checks each record's payload header against the run and
 * records the end-to-end latencies. Receive time is taken once per poll, when the records became available to the
 * application; later records of the same poll would otherwise be charged this loop's own processing time.
 * <p>
 * <b>Assumptions and Guarantees.</b> {@link #run()} and the rebalance callbacks run on the worker's thread (the
 * client calls them inside {@code poll}). The main thread reads the counters and calls {@link #stop()}, which uses
 * the client's thread-safe {@code wakeup()}. The counts live in {@link ReceivedRecords}, written by this thread only.
 */
public final class ConsumerWorker implements LoadConsumer, ConsumerRebalanceListener
{
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    private static final CloseOptions CLOSE = CloseOptions.timeout(Duration.ofSeconds(5));

    private final Subscription subscription;
    private final Consumer<byte[], byte[]> consumer;
    private final RunClock clock;
    private final ReceivedRecords records;
    private final PayloadFlyweight payload = new PayloadFlyweight();
    private volatile boolean running = true;
    private volatile String failure;

    /**
     * @param subscription  the group this consumer belongs to.
     * @param consumer      the client; this worker closes it.
     * @param clock         the run clock.
     * @param records       where what it receives is counted and measured.
     */
    public ConsumerWorker(
        final Subscription subscription,
        final Consumer<byte[], byte[]> consumer,
        final RunClock clock,
        final ReceivedRecords records)
    {
        this.subscription = subscription;
        this.consumer = consumer;
        this.clock = clock;
        this.records = records;
    }

    public void run()
    {
        try
        {
            consumer.subscribe(List.of(subscription.topic()), this);
            while (running)
            {
                final ConsumerRecords<byte[], byte[]> polled = consumer.poll(POLL_TIMEOUT);
                if (polled.isEmpty())
                {
                    continue;
                }
                final long nowNs = clock.nanoTime();
                for (final ConsumerRecord<byte[], byte[]> record : polled)
                {
                    final byte[] value = record.value();
                    records.onValue(null == value ? null : payload.wrap(value), null == value ? 0 : value.length,
                        nowNs);
                }
                subscription.onReceiveTime(nowNs);
            }
        }
        catch (final WakeupException ex)
        {
            if (running)
            {
                failure = "unexpected wakeup";
            }
        }
        catch (final RuntimeException ex)
        {
            failure = ex.getClass().getSimpleName() + ": " + ex.getMessage();
        }
        finally
        {
            try
            {
                consumer.close(CLOSE);
            }
            catch (final RuntimeException ex)
            {
                if (null == failure)
                {
                    failure = "close: " + ex.getMessage();
                }
            }
        }
    }

    /** Make {@link #run()} return and close the client. */
    public void stop()
    {
        running = false;
        consumer.wakeup();
    }

    /** Close the client of a worker whose thread never started; called by the main thread. */
    public void closeUnstarted()
    {
        consumer.close(CLOSE);
    }

    public ReceivedRecords records()
    {
        return records;
    }

    /** @return why the consumer stopped early, or null. */
    public String failure()
    {
        return failure;
    }

    public void onPartitionsAssigned(final Collection<TopicPartition> partitions)
    {
        subscription.onAssignmentChange(partitions.size());
    }

    public void onPartitionsRevoked(final Collection<TopicPartition> partitions)
    {
        subscription.onAssignmentChange(-partitions.size());
    }

    public void onPartitionsLost(final Collection<TopicPartition> partitions)
    {
        subscription.onAssignmentChange(-partitions.size());
    }
}
