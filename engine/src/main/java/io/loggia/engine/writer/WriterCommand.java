package io.loggia.engine.writer;

import io.loggia.engine.log.LogConfig;
import io.loggia.engine.partition.Partition;

/**
 * A control-plane request to a writer, carried by its command queue (JCTools {@code MpscArrayQueue}). Commands
 * are rare and carry objects, so they are allocated per request; the append path never uses them.
 */
public final class WriterCommand
{
    /** Apply a new {@link LogConfig}. */
    public static final int UPDATE_CONFIG = 1;
    /** Flush and close the log; the partition stops taking appends. Files stay. */
    public static final int CLOSE_PARTITION = 2;
    /** Close the log without flushing, rename its directory {@code -delete}, delete its files. */
    public static final int DELETE_PARTITION = 3;
    /** Drop every batch holding {@link #offset()} or later. */
    public static final int TRUNCATE = 4;
    /** DeleteRecords: raise the log start offset to {@link #offset()}. */
    public static final int DELETE_RECORDS = 5;
    /** Write a producer-state snapshot at the log end offset. */
    public static final int TAKE_PRODUCER_SNAPSHOT = 6;
    /** Drain the ring, flush and close every log, then stop. */
    public static final int SHUTDOWN = 7;

    private final int type;
    private final Partition partition;
    private final LogConfig config;
    private final long offset;
    private final CommandCallback callback;

    private WriterCommand(
        final int type, final Partition partition, final LogConfig config, final long offset, final CommandCallback callback)
    {
        this.type = type;
        this.partition = partition;
        this.config = config;
        this.offset = offset;
        this.callback = null == callback ? CommandCallback.NONE : callback;
    }

    public static WriterCommand updateConfig(
        final Partition partition, final LogConfig config, final CommandCallback callback)
    {
        return new WriterCommand(UPDATE_CONFIG, partition, config, -1, callback);
    }

    public static WriterCommand closePartition(final Partition partition, final CommandCallback callback)
    {
        return new WriterCommand(CLOSE_PARTITION, partition, null, -1, callback);
    }

    public static WriterCommand deletePartition(final Partition partition, final CommandCallback callback)
    {
        return new WriterCommand(DELETE_PARTITION, partition, null, -1, callback);
    }

    public static WriterCommand truncate(final Partition partition, final long offset, final CommandCallback callback)
    {
        return new WriterCommand(TRUNCATE, partition, null, offset, callback);
    }

    public static WriterCommand deleteRecords(
        final Partition partition, final long offset, final CommandCallback callback)
    {
        return new WriterCommand(DELETE_RECORDS, partition, null, offset, callback);
    }

    public static WriterCommand takeProducerSnapshot(final Partition partition, final CommandCallback callback)
    {
        return new WriterCommand(TAKE_PRODUCER_SNAPSHOT, partition, null, -1, callback);
    }

    public static WriterCommand shutdown(final CommandCallback callback)
    {
        return new WriterCommand(SHUTDOWN, null, null, -1, callback);
    }

    public int type()
    {
        return type;
    }

    public Partition partition()
    {
        return partition;
    }

    public LogConfig config()
    {
        return config;
    }

    public long offset()
    {
        return offset;
    }

    public CommandCallback callback()
    {
        return callback;
    }

    public static String typeName(final int type)
    {
        switch (type)
        {
            case UPDATE_CONFIG: return "update-config";
            case CLOSE_PARTITION: return "close-partition";
            case DELETE_PARTITION: return "delete-partition";
            case TRUNCATE: return "truncate";
            case DELETE_RECORDS: return "delete-records";
            case TAKE_PRODUCER_SNAPSHOT: return "take-producer-snapshot";
            case SHUTDOWN: return "shutdown";
            default: return "command-" + type;
        }
    }

    public String toString()
    {
        return "WriterCommand{" + typeName(type) + ", partition=" + partition + ", offset=" + offset + '}';
    }
}
