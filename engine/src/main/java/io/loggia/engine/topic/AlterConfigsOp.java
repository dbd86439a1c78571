package io.loggia.engine.topic;

import java.util.ArrayList;
import java.util.List;

/**
 * IncrementalAlterConfigs (SET, DELETE, APPEND, SUBTRACT per config) and AlterConfigs (the given configs replace
 * every override) of topics.
 */
public final class AlterConfigsOp extends ControllerOp
{
    public static final byte SET = 0;
    public static final byte DELETE = 1;
    public static final byte APPEND = 2;
    public static final byte SUBTRACT = 3;

    /**
     * One change.
     *
     * @param name      the topic-level config name.
     * @param operation SET, DELETE, APPEND or SUBTRACT.
     * @param value     the value (ignored by DELETE; may be null).
     */
    public record Change(String name, byte operation, String value)
    {
    }

    /** One topic's changes, then the result. */
    public static final class Entry
    {
        public final String topic;
        public final List<Change> changes = new ArrayList<>();

        public short errorCode = TopicErrors.NONE;
        public String errorMessage;

        public Entry(final String topic)
        {
            this.topic = topic;
        }

        public Entry fail(final short errorCode, final String errorMessage)
        {
            this.errorCode = errorCode;
            this.errorMessage = errorMessage;
            return this;
        }

        public String toString()
        {
            return "Entry{" + topic + ", " + changes + ", error=" + TopicErrors.name(errorCode) + '}';
        }
    }

    public final List<Entry> topics = new ArrayList<>();
    public boolean validateOnly;
    /** AlterConfigs (not incremental): the SETs of an entry become the topic's whole set of overrides. */
    public boolean replace;

    public AlterConfigsOp()
    {
        super(ALTER_CONFIGS);
    }

    public Entry add(final String topic)
    {
        final Entry entry = new Entry(topic);
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
        return "AlterConfigsOp{" + topics + ", validateOnly=" + validateOnly + ", replace=" + replace + '}';
    }
}
