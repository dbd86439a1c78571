package io.loggia.perf;

import java.util.Locale;

/**
 * The client implementation a run uses for its producers ({@code --producer-client}) or its consumers
 * ({@code --consumer-client}).
 */
public enum ClientKind
{
    /** {@code org.apache.kafka:kafka-clients}: a KafkaProducer per producer ({@link ProducerWorker}), a KafkaConsumer
     * per consumer ({@link ConsumerWorker}). */
    KAFKA("kafka-clients"),
    /** Loggia's own codec: the lean producer ({@code lean.LeanProducer}: no keys, no idempotence, one broker) or the
     * lean consumer ({@code lean.LeanConsumer}: no group, one broker, uncompressed batches read). */
    LEAN("lean");

    private final String label;

    ClientKind(final String label)
    {
        this.label = label;
    }

    /** @return the name results carry. */
    public String label()
    {
        return label;
    }

    /**
     * @param text {@code kafka} or {@code lean}.
     * @return the client.
     */
    public static ClientKind parse(final String text)
    {
        switch (text.toLowerCase(Locale.ROOT))
        {
            case "kafka":
            case "kafka-clients":
                return KAFKA;
            case "lean":
                return LEAN;
            default:
                throw new IllegalArgumentException("client must be kafka or lean, got '" + text + "'");
        }
    }
}
