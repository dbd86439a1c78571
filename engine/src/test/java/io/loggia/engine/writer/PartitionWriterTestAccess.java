package io.loggia.engine.writer;

import io.loggia.engine.log.PartitionLog;

import java.util.List;

/** Lets tests in other packages read a log back the way the writer tests do. */
public final class PartitionWriterTestAccess
{
    private PartitionWriterTestAccess()
    {
    }

    /** The tags of every batch in the log, in offset order; every batch checked whole, CRC included. */
    public static List<Long> tagsInLog(final PartitionLog log)
    {
        return PartitionWriterTest.tagsInLog(log);
    }
}
