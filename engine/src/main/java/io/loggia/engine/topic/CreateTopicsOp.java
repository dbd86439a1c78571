package io.loggia.engine.topic;

import io.loggia.engine.log.LogConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * CreateTopics, and the auto-creation of topics a Metadata request names. Entries the caller already failed
 * (duplicates in one request) keep their error and are skipped.
 */
public final class CreateTopicsOp extends ControllerOp
{
    /** One topic to create. Request fields first, then results. */
    public static final class Entry
    {
        public String name;
        /** -1: the broker's {@code num.partitions}. */
        public int numPartitions = -1;
        /** -1: the broker's default (1). */
        public short replicationFactor = -1;
        /** Manual assignment: element i lists the broker ids of partition i; empty if none was given. */
        public final List<int[]> assignments = new ArrayList<>();
        /** Topic-level configs; a null value means "not set", as Kafka reads it. */
        public final Map<String, String> configs = new LinkedHashMap<>();

        public short errorCode = TopicErrors.NONE;
        public String errorMessage;
        /** Results when created or validated: the id (created only), partitions, overrides and effective config. */
        public UUID topicId;
        public int resultPartitions = -1;
        public short resultReplicationFactor = -1;
        public Map<String, String> resultOverrides;
        public LogConfig resultConfig;

        public Entry(final String name)
        {
            this.name = name;
        }

        public Entry fail(final short errorCode, final String errorMessage)
        {
            this.errorCode = errorCode;
            this.errorMessage = errorMessage;
            return this;
        }

        public String toString()
        {
            return "Entry{" + name + ", partitions=" + numPartitions + ", rf=" + replicationFactor + ", error=" +
                TopicErrors.name(errorCode) + (null == errorMessage ? "" : " " + errorMessage) + '}';
        }
    }

    public final List<Entry> topics = new ArrayList<>();
    /** Check everything, create nothing. */
    public boolean validateOnly;
    /**
     * From Metadata's auto-creation or the broker itself: internal topic names allowed (broker only), defaults
     * for every setting.
     */
    public boolean internal;

    public CreateTopicsOp()
    {
        super(CREATE_TOPICS);
    }

    public Entry add(final String name)
    {
        final Entry entry = new Entry(name);
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
        return "CreateTopicsOp{" + topics + ", validateOnly=" + validateOnly + '}';
    }
}
