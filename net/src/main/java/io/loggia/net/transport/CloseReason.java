package io.loggia.net.transport;

/**
 * Why a connection was closed or refused, as an int so the hot path neither allocates nor boxes. Each reason
 * has its own counter in {@link NetworkCounters}.
 */
public final class CloseReason
{
    /** The peer closed its side (end of stream), possibly in the middle of a frame. */
    public static final int PEER_CLOSED = 0;
    /** A read, write or transfer failed (reset, broken pipe, closed file channel). */
    public static final int IO_ERROR = 1;
    /** A size prefix was negative or above {@code socket.request.max.bytes}. */
    public static final int INVALID_FRAME = 2;
    /** Nothing read or written for {@code connections.max.idle.ms}. */
    public static final int IDLE_TIMEOUT = 3;
    /** A started frame made no progress for {@code loggia.request.receive.timeout.ms}. */
    public static final int RECEIVE_TIMEOUT = 4;
    /** A file region ended before the length the response promised (the file was truncated). */
    public static final int FILE_TRUNCATED = 5;
    /** The request handler threw. */
    public static final int HANDLER_ERROR = 6;
    /** The request handler asked for the close. */
    public static final int HANDLER_REQUEST = 7;
    /** The agent closed: broker shutdown. */
    public static final int SHUTDOWN = 8;
    /** Refused at accept: {@code max.connections} reached. */
    public static final int REFUSED_MAX_CONNECTIONS = 9;
    /** Refused at accept: {@code max.connections.per.ip} reached for the client's address. */
    public static final int REFUSED_MAX_CONNECTIONS_PER_IP = 10;
    /** Refused at accept: the target agent's new-connection queue was full or the socket could not be set up. */
    public static final int REFUSED_HAND_OFF = 11;

    public static final int COUNT = 12;

    private static final String[] NAMES =
    {
        "peer-closed",
        "io-error",
        "invalid-frame",
        "idle-timeout",
        "receive-timeout",
        "file-truncated",
        "handler-error",
        "handler-request",
        "shutdown",
        "refused-max-connections",
        "refused-max-connections-per-ip",
        "refused-hand-off",
    };

    private CloseReason()
    {
    }

    public static String name(final int reason)
    {
        return reason >= 0 && reason < COUNT ? NAMES[reason] : "unknown(" + reason + ")";
    }
}
