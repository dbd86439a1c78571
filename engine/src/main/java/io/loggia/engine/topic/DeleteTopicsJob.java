package io.loggia.engine.topic;

import java.io.IOException;
import java.util.Set;

/**
 * Deletes the topics of a {@link DeleteTopicsOp} in one step: each leaves the registry at once (so requests find
 * it unknown), its overrides file is removed, and its partitions are handed to the {@link WriterCommandBacklog},
 * which deletes them through their writers over the following duty cycles. The answer does not wait for the
 * files, as Kafka answers once the deletion is decided; a new topic of the same name waits for them instead.
 * {@code __consumer_offsets} is refused: the group coordinator owns it for the broker's lifetime.
 */
final class DeleteTopicsJob extends ControllerJob
{
    private static final System.Logger LOG = System.getLogger(DeleteTopicsJob.class.getName());

    private final ControllerState state;
    private final DeleteTopicsOp deleteOp;

    DeleteTopicsJob(final ControllerState state, final DeleteTopicsOp op)
    {
        super(op);
        this.state = state;
        this.deleteOp = op;
    }

    int step(final long nowNs, final long stopNs)
    {
        for (final DeleteTopicsOp.Entry entry : deleteOp.topics)
        {
            if (TopicErrors.NONE == entry.errorCode)
            {
                delete(entry);
            }
        }
        done();
        return 1;
    }

    boolean names(final Set<String> names)
    {
        for (final DeleteTopicsOp.Entry entry : deleteOp.topics)
        {
            if (null != entry.name)
            {
                names.add(entry.name);
            }
            else
            {
                // an id no topic has now can only be unknown when this job runs: no job creates a known id
                final Topic topic = state.registry.topic(entry.topicId);
                if (null != topic)
                {
                    names.add(topic.name());
                }
            }
        }
        return true;
    }

    private void delete(final DeleteTopicsOp.Entry entry)
    {
        final Topic topic = null != entry.name ? state.registry.topic(entry.name) : state.registry.topic(entry.topicId);
        if (null == topic)
        {
            if (null != entry.name)
            {
                entry.fail(TopicErrors.UNKNOWN_TOPIC_OR_PARTITION, "This server does not host this topic-partition.");
            }
            else
            {
                entry.fail(TopicErrors.UNKNOWN_TOPIC_ID, "This server does not host this topic ID.");
            }
            return;
        }
        entry.resultName = topic.name();
        entry.resultTopicId = topic.id();
        if (topic.isInternal())
        {
            entry.fail(TopicErrors.INVALID_REQUEST, "Loggia does not delete the internal topic " + topic.name() +
                ": the group coordinator owns it.");
            return;
        }
        state.registry.remove(topic.name());
        try
        {
            state.configStore.delete(topic.name());
        }
        catch (final IOException ex)
        {
            state.errorHandler.onError(ex);
        }
        for (int i = 0; i < topic.partitionCount(); i++)
        {
            state.backlog.delete(topic.partition(i));
        }
        LOG.log(System.Logger.Level.INFO, "deleted topic {0} ({1} partitions), id {2}",
            topic.name(), topic.partitionCount(), TopicIds.toString(topic.id()));
    }
}
