package io.loggia.net.transport;

import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * One request of one connection between its arrival and its response: a slot in the connection's in-order
 * response queue, and the handle the {@link RequestHandler} answers through. The connection owns a fixed ring
 * of these (one per allowed in-flight request), reused request after request; {@link #id()} tells uses apart.
 * <p>
 * A slot is FREE, then PENDING from hand-over until the handler completes it, then READY (a response waits
 * in the send buffer) or DISCARDED (no response), then FREE again once everything before it and its own
 * bytes have been sent. Its response occupies {@code [bufferStart, bufferEnd)} of the connection's send buffer,
 * size prefix included, with file regions spliced in at buffer positions:
 * <pre>
 *   send buffer:   | size | header bytes ... | more bytes ... | trailer |
 *                  ^bufferStart             ^splice 0        ^splice 1 ^bufferEnd
 *   on the wire:   | size | header bytes ... |[file region 0]| more bytes ... |[file region 1]| trailer |
 * </pre>
 * <p>
 * Called only on the owning network agent's thread.
 */
public final class InFlightRequest
{
    static final int FREE = 0;
    static final int PENDING = 1;
    static final int READY = 2;
    static final int DISCARDED = 3;

    private static final int INITIAL_REGION_CAPACITY = 4;

    final Connection connection;
    long id;
    int state = FREE;
    boolean closeAfterResponse;
    boolean registered;
    int bufferStart;
    int bufferEnd;
    int regionCount;
    int[] regionSplices = new int[INITIAL_REGION_CAPACITY];
    FileChannel[] regionChannels = new FileChannel[INITIAL_REGION_CAPACITY];
    long[] regionPositions = new long[INITIAL_REGION_CAPACITY];
    int[] regionLengths = new int[INITIAL_REGION_CAPACITY];
    long regionBytes;

    InFlightRequest(final Connection connection)
    {
        this.connection = connection;
    }

    /**
     * Identifies this request within its network agent, never reused; keep it to complete the request later
     * through {@link NetworkAgent#inFlight(long)}.
     */
    public long id()
    {
        return id;
    }

    /** Identifies the connection within the broker, as passed to {@link RequestHandler#onConnectionClosed(long)}. */
    public long connectionId()
    {
        return connection.id;
    }

    /** The peer's address and port, as accepted. */
    public InetSocketAddress remoteAddress()
    {
        return connection.remoteAddress;
    }

    /**
     * The peer's IP address in Kafka's spelling of a client host ({@code InetAddress.toString()} of an address
     * accepted without a name lookup: {@code "/127.0.0.1"}), as group members and their descriptions carry it. Made
     * once per connection; allocates nothing.
     */
    public String remoteHost()
    {
        return connection.remoteHost;
    }

    /** True from hand-over until {@link #complete()} or {@link #completeWithoutResponse()}. */
    public boolean isPending()
    {
        return state == PENDING;
    }

    /**
     * Starts (or returns, if this request already started it) the response of this request in the connection's
     * send buffer, after a reserved size prefix. One response per connection is written at a time: finish it
     * with {@link #complete()} before another request of the same connection asks for the writer.
     *
     * @throws IllegalStateException if this request is not pending or another response of the connection is open.
     */
    public ResponseWriter responseWriter()
    {
        checkPending();
        return connection.writer.begin(this);
    }

    /**
     * Seals the response written through {@link #responseWriter()} (the transport fills in the size prefix) and
     * queues it; it goes out once every earlier request of the connection has been answered.
     *
     * @throws IllegalStateException if this request is not pending or no response was started.
     */
    public void complete()
    {
        checkPending();
        connection.writer.finish(this);
        state = READY;
        connection.onCompleted(this);
    }

    /** Completes without sending anything (acks=0 produce); a response already started is dropped. */
    public void completeWithoutResponse()
    {
        checkPending();
        connection.writer.abandon(this);
        state = DISCARDED;
        connection.onCompleted(this);
    }

    /**
     * Closes the connection once this request's response has been sent (at once when it has none). The
     * connection reads no further requests; requests after this one are dropped.
     */
    public void closeAfterResponse()
    {
        if (state != PENDING && state != READY)
        {
            throw new IllegalStateException("request " + id + " is no longer in flight");
        }
        closeAfterResponse = true;
        connection.onCloseAfterResponse();
    }

    /** Closes the connection as soon as the current callback returns, without sending anything more. */
    public void closeConnection()
    {
        connection.requestClose(CloseReason.HANDLER_REQUEST);
    }

    public String toString()
    {
        return "InFlightRequest{id=" + id + ", connection=" + connection.id + ", state=" + state + '}';
    }

    void activate(final long id)
    {
        this.id = id;
        state = PENDING;
        closeAfterResponse = false;
        registered = false;
        regionCount = 0;
        regionBytes = 0;
    }

    void addRegion(final int splice, final FileChannel channel, final long position, final int length)
    {
        if (regionCount == regionSplices.length)
        {
            final int capacity = regionCount * 2;
            regionSplices = Arrays.copyOf(regionSplices, capacity);
            regionChannels = Arrays.copyOf(regionChannels, capacity);
            regionPositions = Arrays.copyOf(regionPositions, capacity);
            regionLengths = Arrays.copyOf(regionLengths, capacity);
        }
        regionSplices[regionCount] = splice;
        regionChannels[regionCount] = channel;
        regionPositions[regionCount] = position;
        regionLengths[regionCount] = length;
        regionCount++;
        regionBytes += length;
    }

    int lastSplice()
    {
        return regionCount > 0 ? regionSplices[regionCount - 1] : 0;
    }

    void clearRegions()
    {
        Arrays.fill(regionChannels, 0, regionCount, null);
        regionCount = 0;
        regionBytes = 0;
    }

    /** Moves the response by {@code delta} bytes within the send buffer (compaction). */
    void shift(final int delta)
    {
        bufferStart += delta;
        bufferEnd += delta;
        for (int i = 0; i < regionCount; i++)
        {
            regionSplices[i] += delta;
        }
    }

    /** Back to FREE; drops file channel references so a closed segment's channel can be collected. */
    void release()
    {
        clearRegions();
        state = FREE;
        closeAfterResponse = false;
        registered = false;
    }

    private void checkPending()
    {
        if (state != PENDING)
        {
            throw new IllegalStateException("request " + id + " is not pending (state " + state + ')');
        }
    }
}
