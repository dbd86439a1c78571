package io.loggia.perf;

/**
 * What one run sends and reads, shaped like an OpenMessaging Benchmark workload: every topic has
 * {@link #producersPerTopic()} producers and {@link #subscriptionsPerTopic()} consumer groups, and every group
 * gets every message of its topic, spread over {@link #consumersPerSubscription()} consumers.
 * <p>
 * {@link #producerRate()} is the total over all producers; {@link #MAX_RATE} means "as fast as the clients go".
 * With {@link #backlogMessages()} above zero the run is a backlog drain instead: produce that many messages with
 * no consumer running, then start the consumers from the earliest offset and time how long they take to read it.
 * <p>
 * Not thread safe: built on the main thread before a run starts and only read afterwards.
 */
public final class Workload
{
    /** {@link #producerRate()} value meaning no rate limit. */
    public static final long MAX_RATE = 0;

    private String name = "custom";
    private int topics = 1;
    private int partitionsPerTopic = 1;
    private short replicationFactor = 1;
    private int messageSize = 100;
    private KeyDistribution keyDistribution = KeyDistribution.NONE;
    private int producersPerTopic = 1;
    private long producerRate = 10_000;
    private int subscriptionsPerTopic = 1;
    private int consumersPerSubscription = 1;
    private String acks = "1";
    private int batchSize = 65_536;
    private int lingerMs = 1;
    private String compression = "none";
    private int warmupSeconds = 5;
    private int testSeconds = 30;
    private long backlogMessages = 0;

    /** @return a copy that can be changed without touching this one. */
    public Workload copy()
    {
        final Workload copy = new Workload();
        copy.name = name;
        copy.topics = topics;
        copy.partitionsPerTopic = partitionsPerTopic;
        copy.replicationFactor = replicationFactor;
        copy.messageSize = messageSize;
        copy.keyDistribution = keyDistribution;
        copy.producersPerTopic = producersPerTopic;
        copy.producerRate = producerRate;
        copy.subscriptionsPerTopic = subscriptionsPerTopic;
        copy.consumersPerSubscription = consumersPerSubscription;
        copy.acks = acks;
        copy.batchSize = batchSize;
        copy.lingerMs = lingerMs;
        copy.compression = compression;
        copy.warmupSeconds = warmupSeconds;
        copy.testSeconds = testSeconds;
        copy.backlogMessages = backlogMessages;
        return copy;
    }

    /**
     * Check the values fit together.
     *
     * @throws IllegalArgumentException naming the first value that does not.
     */
    public void validate()
    {
        require(topics >= 1, "topics must be at least 1");
        require(partitionsPerTopic >= 1, "partitions must be at least 1");
        require(replicationFactor >= 1, "replication factor must be at least 1");
        require(messageSize >= PayloadFlyweight.HEADER_LENGTH,
            "message size must be at least " + PayloadFlyweight.HEADER_LENGTH + " bytes (the timestamp header)");
        require(producersPerTopic >= 1, "producers per topic must be at least 1");
        require(producerRate >= 0, "rate must be a positive number of messages per second or 'max'");
        require(producerRate == MAX_RATE || producerRate >= (long)topics * producersPerTopic,
            "rate must give every producer at least one message per second");
        require(subscriptionsPerTopic >= 0, "subscriptions must not be negative");
        require(consumersPerSubscription >= 1, "consumers per subscription must be at least 1");
        require("0".equals(acks) || "1".equals(acks) || "all".equals(acks) || "-1".equals(acks),
            "acks must be 0, 1 or all");
        require(batchSize >= 0, "batch size must not be negative");
        require(lingerMs >= 0, "linger.ms must not be negative");
        require(warmupSeconds >= 0, "warm-up must not be negative");
        require(backlogMessages >= 0, "backlog must not be negative");
        require(backlogMessages > 0 || testSeconds >= 1, "test duration must be at least 1 second");
        require(backlogMessages == 0 || subscriptionsPerTopic >= 1, "a backlog drain needs at least one subscription");
        require(backlogMessages == 0 || backlogMessages >= (long)topics * producersPerTopic,
            "backlog must give every producer at least one message");
    }

    /** @return one line naming every value, for headers and logs. */
    public String describe()
    {
        final StringBuilder sb = new StringBuilder(256);
        sb.append(name).append(": ").append(topics).append(" topic(s) x ").append(partitionsPerTopic)
            .append(" partition(s), ").append(messageSize).append(" B, keys ").append(keyDistribution.label())
            .append(", ").append(producersPerTopic).append(" producer(s)/topic at ")
            .append(producerRate == MAX_RATE ? "max rate" : producerRate + " msg/s total")
            .append(", ").append(subscriptionsPerTopic).append(" subscription(s) x ").append(consumersPerSubscription)
            .append(" consumer(s), acks=").append(acks).append(" batch.size=").append(batchSize)
            .append(" linger.ms=").append(lingerMs).append(" compression=").append(compression);
        if (backlogMessages > 0)
        {
            sb.append(", backlog drain of ").append(backlogMessages).append(" messages");
        }
        else
        {
            sb.append(", warm-up ").append(warmupSeconds).append(" s, test ").append(testSeconds).append(" s");
        }
        return sb.toString();
    }

    /** @return true for a backlog-drain run. */
    public boolean isBacklogDrain()
    {
        return backlogMessages > 0;
    }

    /** @return producers over all topics. */
    public int producerCount()
    {
        return topics * producersPerTopic;
    }

    /** @return consumers over all topics and subscriptions. */
    public int consumerCount()
    {
        return topics * subscriptionsPerTopic * consumersPerSubscription;
    }

    private static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalArgumentException(message);
        }
    }

    public String name()
    {
        return name;
    }

    public Workload name(final String name)
    {
        this.name = name;
        return this;
    }

    public int topics()
    {
        return topics;
    }

    public Workload topics(final int topics)
    {
        this.topics = topics;
        return this;
    }

    public int partitionsPerTopic()
    {
        return partitionsPerTopic;
    }

    public Workload partitionsPerTopic(final int partitionsPerTopic)
    {
        this.partitionsPerTopic = partitionsPerTopic;
        return this;
    }

    public short replicationFactor()
    {
        return replicationFactor;
    }

    public Workload replicationFactor(final short replicationFactor)
    {
        this.replicationFactor = replicationFactor;
        return this;
    }

    public int messageSize()
    {
        return messageSize;
    }

    public Workload messageSize(final int messageSize)
    {
        this.messageSize = messageSize;
        return this;
    }

    public KeyDistribution keyDistribution()
    {
        return keyDistribution;
    }

    public Workload keyDistribution(final KeyDistribution keyDistribution)
    {
        this.keyDistribution = keyDistribution;
        return this;
    }

    public int producersPerTopic()
    {
        return producersPerTopic;
    }

    public Workload producersPerTopic(final int producersPerTopic)
    {
        this.producersPerTopic = producersPerTopic;
        return this;
    }

    /** @return messages per second over all producers, or {@link #MAX_RATE}. */
    public long producerRate()
    {
        return producerRate;
    }

    public Workload producerRate(final long producerRate)
    {
        this.producerRate = producerRate;
        return this;
    }

    public int subscriptionsPerTopic()
    {
        return subscriptionsPerTopic;
    }

    public Workload subscriptionsPerTopic(final int subscriptionsPerTopic)
    {
        this.subscriptionsPerTopic = subscriptionsPerTopic;
        return this;
    }

    public int consumersPerSubscription()
    {
        return consumersPerSubscription;
    }

    public Workload consumersPerSubscription(final int consumersPerSubscription)
    {
        this.consumersPerSubscription = consumersPerSubscription;
        return this;
    }

    /** @return the producer's {@code acks}: "0", "1" or "all". */
    public String acks()
    {
        return acks;
    }

    public Workload acks(final String acks)
    {
        this.acks = "-1".equals(acks) ? "all" : acks;
        return this;
    }

    public int batchSize()
    {
        return batchSize;
    }

    public Workload batchSize(final int batchSize)
    {
        this.batchSize = batchSize;
        return this;
    }

    public int lingerMs()
    {
        return lingerMs;
    }

    public Workload lingerMs(final int lingerMs)
    {
        this.lingerMs = lingerMs;
        return this;
    }

    /** @return the producer's {@code compression.type}. */
    public String compression()
    {
        return compression;
    }

    public Workload compression(final String compression)
    {
        this.compression = compression;
        return this;
    }

    public int warmupSeconds()
    {
        return warmupSeconds;
    }

    public Workload warmupSeconds(final int warmupSeconds)
    {
        this.warmupSeconds = warmupSeconds;
        return this;
    }

    public int testSeconds()
    {
        return testSeconds;
    }

    public Workload testSeconds(final int testSeconds)
    {
        this.testSeconds = testSeconds;
        return this;
    }

    /** @return messages to produce before any consumer starts; 0 for a normal run. */
    public long backlogMessages()
    {
        return backlogMessages;
    }

    public Workload backlogMessages(final long backlogMessages)
    {
        this.backlogMessages = backlogMessages;
        return this;
    }
}
