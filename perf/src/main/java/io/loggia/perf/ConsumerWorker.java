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
import java.util.concurrent.atomic.AtomicLong;

/**
 * One consumer of one {@link Subscription}: polls, checks each record's payload header against the run and
 * records the end-to-end latencies. Receive time is taken once per poll, when the records became available to the
 * application; later records of the same poll would otherwise be charged this loop's own processing time.
 * <p>
 * <b>Assumptions and Guarantees.</b> {@link #run()} and the rebalance callbacks run on the worker's thread (the
 * client calls them inside {@code poll}). The main thread reads the counters and calls {@link #stop()}, which uses
 * the client's thread-safe {@code wakeup()}. {@code received} and {@code receivedBytes} have the worker as their
 * only writer and are published with release stores.
 */
public final class ConsumerWorker implements Runnable, ConsumerRebalanceListener
{
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);
    private static final CloseOptions CLOSE = CloseOptions.timeout(Duration.ofSeconds(5));

    private final Subscription subscription;
    private final Consumer<byte[], byte[]> consumer;
    private final int runId;
    private final RunClock clock;
    private final MeasurementWindow window;
    private final LatencyMetrics metrics;
    private final boolean recordLatency;
    private final PayloadFlyweight payload = new PayloadFlyweight();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong receivedBytes = new AtomicLong();
    private volatile boolean running = true;
    private volatile String failure;

    /**
     * @param subscription  the group this consumer belongs to.
     * @param consumer      the client; this worker closes it.
     * @param runId         the run's id; records carrying another are counted as foreign.
     * @param clock         the run clock.
     * @param window        the measurement window.
     * @param metrics       where latencies go.
     * @param recordLatency false in a backlog drain, where the time since sending is the backlog's age.
     */
    public ConsumerWorker(
        final Subscription subscription,
        final Consumer<byte[], byte[]> consumer,
        final int runId,
        final RunClock clock,
        final MeasurementWindow window,
        final LatencyMetrics metrics,
        final boolean recordLatency)
    {
        this.subscription = subscription;
        this.consumer = consumer;
        this.runId = runId;
        this.clock = clock;
        this.window = window;
        this.metrics = metrics;
        this.recordLatency = recordLatency;
    }

    public void run()
    {
        try
        {
            consumer.subscribe(List.of(subscription.topic()), this);
            while (running)
            {
                final ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL_TIMEOUT);
                if (records.isEmpty())
                {
                    continue;
                }
                final long nowNs = clock.nanoTime();
                for (final ConsumerRecord<byte[], byte[]> record : records)
                {
                    onRecord(record.value(), nowNs);
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

    public long received()
    {
        return received.getAcquire();
    }

    public long receivedBytes()
    {
        return receivedBytes.getAcquire();
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

    private void onRecord(final byte[] value, final long nowNs)
    {
        received.setRelease(received.getPlain() + 1);
        receivedBytes.setRelease(receivedBytes.getPlain() + (null == value ? 0 : value.length));
        if (null == value || !payload.wrap(value).hasHeader() || payload.runId() != runId)
        {
            subscription.onForeign();
            return;
        }
        final SequenceTracker tracker = subscription.tracker(payload.producerIndex());
        if (null == tracker || tracker.onReceive(payload.sequence()) == SequenceTracker.OUT_OF_RANGE)
        {
            subscription.onForeign();
            return;
        }
        if (recordLatency)
        {
            final long intendedNs = payload.intendedSendTimeNs();
            final boolean measured = window.contains(intendedNs);
            metrics.endToEnd.recordNanos(nowNs - intendedNs, measured);
            metrics.endToEndUncorrected.recordNanos(nowNs - payload.sendTimeNs(), measured);
        }
    }
}
