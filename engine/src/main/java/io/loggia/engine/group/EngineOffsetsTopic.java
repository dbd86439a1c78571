package io.loggia.engine.group;

import io.loggia.engine.Engine;
import io.loggia.engine.log.PartitionLog;
import io.loggia.engine.partition.Partition;

import java.util.Map;
import java.util.function.IntSupplier;

/**
 * {@link OffsetsTopic} over the broker's {@link Engine}: logs, writer indexes and partition ids come from the
 * engine's partitions of {@code __consumer_offsets}; whether the topic exists, and its creation, from the
 * broker's topic registry (the controller), which alone knows when every partition of a new topic is there.
 * <p>
 * <b>Assumptions and Guarantees</b>: called only from the coordinator thread. {@code partitionCount} must
 * report the topic only once all its partitions are in the engine; the partitions are looked up once and
 * kept (the offsets topic is never deleted while the broker runs).
 */
public final class EngineOffsetsTopic implements OffsetsTopic
{
    /** Creates {@code __consumer_offsets} through the broker's controller, asynchronously. */
    @FunctionalInterface
    public interface Creator
    {
        void create(String topic, int partitions, Map<String, String> config);
    }

    private final Engine engine;
    private final IntSupplier partitionCount;
    private final Creator creator;
    private Partition[] partitions = new Partition[0];

    /**
     * @param engine         the broker's engine.
     * @param partitionCount the registry's partition count of {@code __consumer_offsets}, 0 while it does not
     *                       exist (any thread may call it; the coordinator does, every duty cycle until then).
     * @param creator        asks the controller to create the topic.
     */
    public EngineOffsetsTopic(final Engine engine, final IntSupplier partitionCount, final Creator creator)
    {
        this.engine = engine;
        this.partitionCount = partitionCount;
        this.creator = creator;
    }

    public int partitionCount()
    {
        return partitionCount.getAsInt();
    }

    public void create(final int partitions, final Map<String, String> config)
    {
        creator.create(GroupConfig.OFFSETS_TOPIC, partitions, config);
    }

    public PartitionLog partitionLog(final int partition)
    {
        final Partition found = partition(partition);
        return null == found ? null : found.log();
    }

    public int writerIndex(final int partition)
    {
        final Partition found = partition(partition);
        return null == found || !found.isOpen() ? -1 : found.writerIndex();
    }

    public int partitionKey(final int partition)
    {
        final Partition found = partition(partition);
        return null == found ? -1 : found.id();
    }

    private Partition partition(final int partition)
    {
        if (partition < 0)
        {
            return null;
        }
        if (partition >= partitions.length)
        {
            final Partition[] grown = new Partition[Math.max(partition + 1, partitionCount())];
            System.arraycopy(partitions, 0, grown, 0, partitions.length);
            partitions = grown;
        }
        Partition found = partitions[partition];
        if (null == found || !found.isOpen())
        {
            found = engine.partition(GroupConfig.OFFSETS_TOPIC, partition);
            partitions[partition] = found;
        }
        return found;
    }
}
