package io.loggia.net.transport;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counters of one network agent, indexed by the constants below; {@link #closes(int)} per {@link CloseReason}.
 * <p>
 * <b>Assumptions and Guarantees</b>: only the agent's thread writes (plain read, then a release store: there is
 * one writer, so no read-modify-write atomics are needed); any thread may read with {@link #get(int)}, an
 * acquire load that sees each counter's latest released value, not a snapshot across counters.
 */
public final class NetworkCounters
{
    /** Connections registered with this agent. */
    public static final int CONNECTIONS_OPENED = 0;
    /** Connections open now (gauge). */
    public static final int CONNECTIONS_ACTIVE = 1;
    /** Frames handed to the request handler. */
    public static final int REQUESTS = 2;
    /** Responses written completely. */
    public static final int RESPONSES = 3;
    /** Requests completed without a response (acks=0). */
    public static final int NO_RESPONSES = 4;
    /** Bytes read from sockets, size prefixes included. */
    public static final int BYTES_IN = 5;
    /** Bytes written to sockets, file regions included. */
    public static final int BYTES_OUT = 6;
    /** Of {@link #BYTES_OUT}, the bytes sent from files with transferTo. */
    public static final int FILE_BYTES_OUT = 7;
    /** Times a send stopped on a full socket and waited for OP_WRITE. */
    public static final int SEND_WAITS = 8;
    /** Times a connection stopped reading because the buffer budget was exhausted. */
    public static final int READ_PAUSES_MEMORY = 9;
    /** Times a connection stopped reading because its pipeline of in-flight requests was full. */
    public static final int READ_PAUSES_PIPELINE = 10;
    /** Direct buffer bytes the agent holds, pooled and in use (gauge). */
    public static final int BUFFER_BYTES = 11;
    /** Request handler exceptions (each also closes its connection). */
    public static final int HANDLER_ERRORS = 12;
    /** First of {@link CloseReason#COUNT} close counters. */
    public static final int CLOSES_BASE = 16;

    public static final int COUNT = CLOSES_BASE + CloseReason.COUNT;

    private static final String[] NAMES =
    {
        "connections-opened",
        "connections-active",
        "requests",
        "responses",
        "no-responses",
        "bytes-in",
        "bytes-out",
        "file-bytes-out",
        "send-waits",
        "read-pauses-memory",
        "read-pauses-pipeline",
        "buffer-bytes",
        "handler-errors",
    };

    private final AtomicLongArray values = new AtomicLongArray(COUNT);

    /** Acquire load of one counter; callable from any thread. */
    public long get(final int counterId)
    {
        return values.get(counterId);
    }

    /** Acquire load of the close counter for {@code reason}; callable from any thread. */
    public long closes(final int reason)
    {
        return values.get(CLOSES_BASE + reason);
    }

    void increment(final int counterId)
    {
        values.lazySet(counterId, values.get(counterId) + 1);
    }

    void add(final int counterId, final long delta)
    {
        values.lazySet(counterId, values.get(counterId) + delta);
    }

    void set(final int counterId, final long value)
    {
        values.lazySet(counterId, value);
    }

    void incrementCloses(final int reason)
    {
        increment(CLOSES_BASE + reason);
    }

    /** One {@code name: value} line per non-zero counter, for a metrics dump. */
    public String toString()
    {
        final StringBuilder builder = new StringBuilder();
        for (int i = 0; i < NAMES.length; i++)
        {
            appendIfNonZero(builder, NAMES[i], values.get(i));
        }
        for (int reason = 0; reason < CloseReason.COUNT; reason++)
        {
            appendIfNonZero(builder, "closes-" + CloseReason.name(reason), values.get(CLOSES_BASE + reason));
        }
        return builder.toString();
    }

    private static void appendIfNonZero(final StringBuilder builder, final String name, final long value)
    {
        if (value != 0)
        {
            builder.append(name).append(": ").append(value).append('\n');
        }
    }
}
