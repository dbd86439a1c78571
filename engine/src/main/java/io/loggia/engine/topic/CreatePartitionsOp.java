package io.loggia.engine.topic;

import java.util.ArrayList;
import java.util.List;

/** CreatePartitions: raise topics' partition counts. */
public final class CreatePartitionsOp extends ControllerOp
{
    /** One topic. Request fields, then results. */
    public static final class Entry
    {
        public final String name;
        /** The new total partition count. */
        public final int count;
        /** Broker ids of each new partition, in order; null when the request gave none. */
        public List<int[]> assignments;

        public short errorCode = TopicErrors.NONE;
        public String errorMessage;

        public Entry(final String name, final int count)
        {
            this.name = name;
            this.count = count;
        }

        public Entry fail(final short errorCode, final String errorMessage)
        {
            this.errorCode = errorCode;
            this.errorMessage = errorMessage;
            return this;
        }

        public String toString()
        {
            return "Entry{" + name + ", count=" + count + ", error=" + TopicErrors.name(errorCode) + '}';
        }
    }

    public final List<Entry> topics = new ArrayList<>();
    public boolean validateOnly;

    public CreatePartitionsOp()
    {
        super(CREATE_PARTITIONS);
    }

    public Entry add(final String name, final int count)
    {
        final Entry entry = new Entry(name, count);
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
        return "CreatePartitionsOp{" + topics + ", validateOnly=" + validateOnly + '}';
    }
}
