package io.loggia.perf;

import java.util.Locale;

/**
 * The producer implementation a run uses. Consumers are always the Kafka client.
 */
public enum ProducerClient
{
    /** {@code org.apache.kafka:kafka-clients}' KafkaProducer, one per producer ({@link ProducerWorker}). */
    KAFKA("kafka-clients"),
    /** The lean producer on Loggia's own codec ({@code lean.LeanProducer}): no keys, no idempotence, one broker. */
    LEAN("lean");

    private final String label;

    ProducerClient(final String label)
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
    public static ProducerClient parse(final String text)
    {
        switch (text.toLowerCase(Locale.ROOT))
        {
            case "kafka":
            case "kafka-clients":
                return KAFKA;
            case "lean":
                return LEAN;
            default:
                throw new IllegalArgumentException("producer client must be kafka or lean, got '" + text + "'");
        }
    }
}
