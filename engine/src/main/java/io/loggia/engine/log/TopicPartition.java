package io.loggia.engine.log;

/**
 * A partition's identity. Control-plane value: used as a map key in checkpoints and when loading, never on
 * the append or fetch path, which address partitions by their {@link PartitionLog}.
 *
 * @param topic     a name that {@link TopicNames#validate(String)} accepts.
 * @param partition zero or more.
 */
public record TopicPartition(String topic, int partition)
{
    public TopicPartition
    {
        if (TopicNames.VALID != TopicNames.validate(topic))
        {
            throw new IllegalArgumentException(
                "invalid topic name '" + topic + "': " + TopicNames.describe(TopicNames.validate(topic)));
        }
        if (partition < 0)
        {
            throw new IllegalArgumentException("negative partition " + partition + " of topic " + topic);
        }
    }

    /** The partition's directory name under a log dir, {@code <topic>-<partition>}. */
    public String directoryName()
    {
        return topic + '-' + partition;
    }

    public String toString()
    {
        return directoryName();
    }
}
