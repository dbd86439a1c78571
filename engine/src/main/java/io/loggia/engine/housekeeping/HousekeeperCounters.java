package io.loggia.engine.housekeeping;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counters of the housekeeper, for metrics and tests.
 * <p>
 * <b>Assumptions and Guarantees</b>: only the housekeeper's thread increments (plain read, release store); any
 * thread reads with {@link #get(int)} (volatile).
 */
public final class HousekeeperCounters
{
    /** Bytes reserved with fallocate. */
    public static final int ALLOCATED_BYTES = 0;
    /** Bytes populated with MADV_POPULATE_WRITE. */
    public static final int POPULATED_BYTES = 1;
    /** Bytes pre-touched from Java (no native calls). */
    public static final int TOUCHED_BYTES = 2;
    /** Writable-limit raises. */
    public static final int LIMIT_RAISES = 3;
    /** fallocate calls that failed for lack of space. */
    public static final int OUT_OF_SPACE = 4;
    /** Unexpected failures passed to the error handler. */
    public static final int ERRORS = 5;
    /** Checkpoint files written. */
    public static final int CHECKPOINTS = 6;
    /** Deleted partition directories removed. */
    public static final int DIRECTORIES_DELETED = 7;
    /** Writer wake-ups after a limit raise or a full-disk verdict. */
    public static final int WRITER_WAKES = 8;
    /** Sealed segments forced to disk (flush on roll). */
    public static final int SEGMENTS_FORCED = 9;
    /** Index files whose reachable range was reserved with fallocate. */
    public static final int INDEXES_RESERVED = 10;
    /** Active segments gated after being written ungated: loaded at start-up, or made while native calls loaded. */
    public static final int SEGMENTS_GATED = 11;

    /** Segment mappings advised not to read around (MADV_RANDOM). */
    public static final int READ_AROUND_OFF = 12;
    /** Bytes of segment space written with zeros before it was populated. */
    public static final int ZEROED_BYTES = 13;

    private static final int COUNT = 14;

    private final AtomicLongArray values = new AtomicLongArray(COUNT);

    void add(final int counter, final long delta)
    {
        values.setRelease(counter, values.getPlain(counter) + delta);
    }

    void increment(final int counter)
    {
        add(counter, 1);
    }

    /** Any thread. */
    public long get(final int counter)
    {
        return values.get(counter);
    }

    public static String name(final int counter)
    {
        switch (counter)
        {
            case ALLOCATED_BYTES: return "allocated-bytes";
            case POPULATED_BYTES: return "populated-bytes";
            case TOUCHED_BYTES: return "touched-bytes";
            case LIMIT_RAISES: return "limit-raises";
            case OUT_OF_SPACE: return "out-of-space";
            case ERRORS: return "errors";
            case CHECKPOINTS: return "checkpoints";
            case DIRECTORIES_DELETED: return "directories-deleted";
            case WRITER_WAKES: return "writer-wakes";
            case SEGMENTS_FORCED: return "segments-forced";
            case INDEXES_RESERVED: return "indexes-reserved";
            case SEGMENTS_GATED: return "segments-gated";
            case READ_AROUND_OFF: return "read-around-off";
            case ZEROED_BYTES: return "zeroed-bytes";
            default: return "counter-" + counter;
        }
    }

    public String toString()
    {
        final StringBuilder builder = new StringBuilder("HousekeeperCounters{");
        for (int i = 0; i < COUNT; i++)
        {
            builder.append(i == 0 ? "" : ", ").append(name(i)).append('=').append(get(i));
        }
        return builder.append('}').toString();
    }
}
