package io.loggia.engine.topic;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** DeleteTopics, by name (v0..v5, and v6 with a name) or by topic id (v6). */
public final class DeleteTopicsOp extends ControllerOp
{
    /** One topic to delete: a name, or an id when the name is null. Then results. */
    public static final class Entry
    {
        public final String name;
        public final UUID topicId;

        public short errorCode = TopicErrors.NONE;
        public String errorMessage;
        /** The topic's name and id once resolved. */
        public String resultName;
        public UUID resultTopicId;

        public Entry(final String name, final UUID topicId)
        {
            this.name = name;
            this.topicId = topicId;
            this.resultName = name;
            this.resultTopicId = topicId;
        }

        public Entry fail(final short errorCode, final String errorMessage)
        {
            this.errorCode = errorCode;
            this.errorMessage = errorMessage;
            return this;
        }

        public String toString()
        {
            return "Entry{" + (null != name ? name : topicId) + ", error=" + TopicErrors.name(errorCode) + '}';
        }
    }

    public final List<Entry> topics = new ArrayList<>();

    public DeleteTopicsOp()
    {
        super(DELETE_TOPICS);
    }

    public Entry add(final String name, final UUID topicId)
    {
        final Entry entry = new Entry(name, topicId);
        topics.add(entry);
        return entry;
    }

    public void fail(final short errorCode, final String message)
    {
        for (final Entry entry : topics)
        {
            if (TopicErrors.NONE == entry.errorCode)
            {
                entry.fail(errorCode, message);
            }
        }
    }

    public String toString()
    {
        return "DeleteTopicsOp{" + topics + '}';
    }
}
