package io.loggia.engine.writer;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counters of one writer, for metrics and tests.
 * <p>
 * <b>Assumptions and Guarantees</b>: only the writer's thread increments (a plain read and a release store: a
 * single writer needs no read-modify-write); any thread reads with {@link #get(int)} (volatile).
 */
public final class WriterCounters
{
    /** Batches appended (regions, one per append request). */
    public static final int APPENDS = 0;
    /** Bytes appended. */
    public static final int APPENDED_BYTES = 1;
    /** Append requests answered with an error. */
    public static final int APPEND_ERRORS = 2;
    /** Retried batches recognised as duplicates and answered with their original offsets. */
    public static final int DUPLICATES = 3;
    /** Unexpected exceptions passed to the error handler. */
    public static final int ERRORS = 4;
    /** Times the writer stopped reading its ring because the active segment's writable limit was reached. */
    public static final int WRITABLE_LIMIT_STALLS = 5;
    /** Offers of a completion that found the caller's ring full (the completion waits in the pending list). */
    public static final int COMPLETIONS_BACK_PRESSURED = 6;
    /** Completions for a caller that had unregistered. */
    public static final int COMPLETIONS_DROPPED = 7;
    /** Group-commit flushes (durable mode). */
    public static final int FLUSHES = 8;
    /** Duty cycles run. */
    public static final int DUTY_CYCLES = 9;
    /** Commands executed. */
    public static final int COMMANDS = 10;
    /** Completions written. */
    public static final int COMPLETIONS = 11;
    /** Waits at the writable limit: from the first stalled append of a partition to the one that fitted. */
    public static final int WRITABLE_LIMIT_WAITS = 12;
    /** Nanoseconds spent in those waits, summed. */
    public static final int WRITABLE_LIMIT_WAIT_NS = 13;
    /** The longest of those waits, in nanoseconds. */
    public static final int WRITABLE_LIMIT_WAIT_MAX_NS = 14;
    /** Wake-ups of the housekeeper because an append left less than half of what the last raise gave. */
    public static final int LOW_WATER_WAKES = 15;

    private static final int COUNT = 16;

    private final AtomicLongArray values = new AtomicLongArray(COUNT);

    /** Writer thread. */
    public void increment(final int counter)
    {
        values.setRelease(counter, values.getPlain(counter) + 1);
    }

    /** Writer thread. */
    public void add(final int counter, final long delta)
    {
        values.setRelease(counter, values.getPlain(counter) + delta);
    }

    /** Writer thread: raise a counter to {@code value} if it is below. */
    public void max(final int counter, final long value)
    {
        if (value > values.getPlain(counter))
        {
            values.setRelease(counter, value);
        }
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
            case APPENDS: return "appends";
            case APPENDED_BYTES: return "appended-bytes";
            case APPEND_ERRORS: return "append-errors";
            case DUPLICATES: return "duplicates";
            case ERRORS: return "errors";
            case WRITABLE_LIMIT_STALLS: return "writable-limit-stalls";
            case COMPLETIONS_BACK_PRESSURED: return "completions-back-pressured";
            case COMPLETIONS_DROPPED: return "completions-dropped";
            case FLUSHES: return "flushes";
            case DUTY_CYCLES: return "duty-cycles";
            case COMMANDS: return "commands";
            case COMPLETIONS: return "completions";
            case WRITABLE_LIMIT_WAITS: return "writable-limit-waits";
            case WRITABLE_LIMIT_WAIT_NS: return "writable-limit-wait-ns";
            case WRITABLE_LIMIT_WAIT_MAX_NS: return "writable-limit-wait-max-ns";
            case LOW_WATER_WAKES: return "low-water-wakes";
            default: return "counter-" + counter;
        }
    }

    public String toString()
    {
        final StringBuilder builder = new StringBuilder("WriterCounters{");
        for (int i = 0; i < COUNT; i++)
        {
            builder.append(i == 0 ? "" : ", ").append(name(i)).append('=').append(get(i));
        }
        return builder.append('}').toString();
    }
}
