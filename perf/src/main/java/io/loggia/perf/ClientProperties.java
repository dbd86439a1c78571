package io.loggia.perf;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.util.Properties;

/**
 * The Kafka client settings of a run: the workload's producer settings, the consumer settings the harness needs,
 * then the user's overrides on top.
 * <p>
 * Stateless; safe on any thread.
 */
public final class ClientProperties
{
    private ClientProperties()
    {
    }

    /**
     * @param options  broker address and overrides.
     * @param workload acks, batching, compression.
     * @param clientId the producer's client.id.
     * @return producer properties.
     */
    public static Properties producer(final RunOptions options, final Workload workload, final String clientId)
    {
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, workload.acks());
        // Set explicitly: the client turns idempotence on by default but silently off for acks other than all;
        // saying so makes the acks=all runs idempotent (InitProducerId, sequence numbers) on purpose.
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, Boolean.toString("all".equals(workload.acks())));
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(workload.batchSize()));
        props.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(workload.lingerMs()));
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, workload.compression());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.putAll(options.commonProperties);
        props.putAll(options.producerProperties);
        return props;
    }

    /**
     * @param options  broker address and overrides.
     * @param groupId  the consumer group.
     * @param clientId the consumer's client.id.
     * @return consumer properties.
     */
    public static Properties consumer(final RunOptions options, final String groupId, final String clientId)
    {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        // Every group is new, so it starts at the earliest offset: that is all of this run's data in a fresh topic,
        // and the whole backlog in a drain.
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.putAll(options.commonProperties);
        props.putAll(options.consumerProperties);
        return props;
    }
}
