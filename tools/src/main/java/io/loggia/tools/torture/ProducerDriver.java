package io.loggia.tools.torture;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One idempotent producer ({@code enable.idempotence=true}, {@code acks=all}) on its own thread, sending records
 * made by {@link Payloads} to random partitions at a steady rate or in bursts, and entering every send and every
 * answer in the {@link AckLog}. The same producer lives through every kill and restart: it retries what was in
 * flight, and the broker must recognise the retries of batches it had stored (from the producer state it
 * recovers) and store the others once.
 * <p>
 * <b>Assumptions and Guarantees.</b> The producing thread sends and parks at the {@link Gate}; the producer's I/O
 * thread runs the callbacks (into the {@link AckLog}, which is synchronized); the harness's main thread opens and
 * closes the gate and reads {@link #connections()} and {@link #errors()}.
 */
final class ProducerDriver implements AutoCloseable
{
    private static final int MAX_ERROR_SAMPLES = 10;

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final AckLog ackLog;
    private final Payloads payloads;
    private final TortureOptions options;
    private final SplittableRandom random;
    private final Gate gate = new Gate(1);
    private final Thread thread;
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final ConcurrentHashMap<String, Boolean> errorKinds = new ConcurrentHashMap<>();

    ProducerDriver(
        final String bootstrapServers,
        final String topic,
        final AckLog ackLog,
        final Payloads payloads,
        final TortureOptions options,
        final long seed)
    {
        this.topic = topic;
        this.ackLog = ackLog;
        this.payloads = payloads;
        this.options = options;
        this.random = new SplittableRandom(seed);
        this.producer = new KafkaProducer<>(config(bootstrapServers, options.compression));
        this.thread = new Thread(this::run, "torture-producer");
        this.thread.setDaemon(true);
    }

    static Properties config(final String bootstrapServers, final String compression)
    {
        final Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "torture-producer");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
        // a restart takes seconds; nothing may expire while the broker is down
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 120_000);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        config.put(ProducerConfig.RECONNECT_BACKOFF_MS_CONFIG, 20);
        config.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
        config.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 20);
        config.put(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 200);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return config;
    }

    /** Start the producing thread, its gate closed: {@link #resume()} lets it send. */
    void start() throws InterruptedException
    {
        thread.start();
        gate.close(60_000);
    }

    void resume()
    {
        gate.open();
    }

    /**
     * Stop sending (records in flight carry on).
     *
     * @return false if the producing thread did not stop within the timeout (a {@code send} blocked).
     */
    boolean pause(final long timeoutMs) throws InterruptedException
    {
        return gate.close(timeoutMs);
    }

    /** Connections the producer holds open, from its {@code connection-count} metric. */
    int connections()
    {
        return Clients.connectionCount(producer.metrics());
    }

    /** Selects of the producer's I/O thread so far, from its {@code select-total} metric. */
    long selects()
    {
        return Clients.selectCount(producer.metrics());
    }

    /** Up to ten failures of sends, one line each. */
    List<String> errors()
    {
        return errors;
    }

    private void run()
    {
        try
        {
            final long intervalNs = options.rate > 0 ? TimeUnit.SECONDS.toNanos(1) / options.rate : 0;
            long nextSendNs = System.nanoTime();
            while (gate.pass())
            {
                if (options.bursts)
                {
                    sendBurst();
                    continue;
                }
                if (intervalNs > 0)
                {
                    final long now = System.nanoTime();
                    if (now - nextSendNs > TimeUnit.SECONDS.toNanos(1))
                    {
                        // behind after a blocked send: carry on at the rate, do not catch up in a storm
                        nextSendNs = now;
                    }
                    if (!parkUntil(nextSendNs))
                    {
                        nextSendNs = System.nanoTime();
                        continue;
                    }
                    nextSendNs += intervalNs;
                }
                send(random.nextInt(ackLog.partitions()));
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        finally
        {
            gate.workerEnded();
        }
    }

    /**
     * Bursts: up to a fifth of a second's worth of records back to back (so batches fill and many are in flight
     * when a kill lands), then a random pause of up to 200 ms.
     */
    private void sendBurst()
    {
        final int largest = Math.max(1, options.rate > 0 ? options.rate / 5 : 2_000);
        final int count = 1 + random.nextInt(largest);
        for (int i = 0; i < count && !gate.closing(); i++)
        {
            send(random.nextInt(ackLog.partitions()));
        }
        parkUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(random.nextInt(201)));
    }

    /** @return false if the gate started closing while parked. */
    private boolean parkUntil(final long deadlineNs)
    {
        long remaining;
        while ((remaining = deadlineNs - System.nanoTime()) > 0)
        {
            if (gate.closing())
            {
                return false;
            }
            LockSupport.parkNanos(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(10)));
        }
        return true;
    }

    private void send(final int partition)
    {
        final long sequence = ackLog.register(partition);
        final ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(
            topic, partition, payloads.key(partition, sequence), payloads.value(partition, sequence));
        try
        {
            producer.send(record, new Answer(partition, sequence));
        }
        catch (final RuntimeException ex)
        {
            onError(partition, sequence, ex);
        }
    }

    private void onError(final int partition, final long sequence, final Exception ex)
    {
        ackLog.failed(partition, sequence);
        final String kind = ex.getClass().getName();
        if (errors.size() < MAX_ERROR_SAMPLES && null == errorKinds.putIfAbsent(kind + ex.getMessage(), Boolean.TRUE))
        {
            errors.add("partition " + partition + " sequence " + sequence + ": " + ex);
        }
    }

    public void close() throws InterruptedException
    {
        gate.shutDown();
        thread.join(10_000);
        producer.close(Duration.ofSeconds(5));
    }

    private final class Answer implements Callback
    {
        private final int partition;
        private final long sequence;

        Answer(final int partition, final long sequence)
        {
            this.partition = partition;
            this.sequence = sequence;
        }

        public void onCompletion(final RecordMetadata metadata, final Exception exception)
        {
            if (null == exception)
            {
                ackLog.acknowledged(partition, sequence, metadata.offset());
            }
            else
            {
                onError(partition, sequence, exception);
            }
        }
    }
}
