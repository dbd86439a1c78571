package io.loggia.net.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

import static org.agrona.BitUtil.SIZE_OF_INT;

/**
 * One client connection: its socket, receive buffer, in-order queue of in-flight requests and send state.
 * <p>
 * States. OPEN: reading unless paused; each pause reason is a bit of {@code readPauses} and OP_READ is on only
 * when none is set: PIPELINE (all request slots in flight), MEMORY (the budget cannot supply the buffer the
 * next frame needs), CLOSING (a handler asked to close after a response). OP_WRITE is on only while a
 * response is stuck on a full socket. CLOSED: socket closed, buffers back in the pool, slots freed; terminal.
 * A close asked for inside a handler callback is deferred ({@code pendingCloseReason}) until the callback has
 * returned, so the frame being handled never loses its buffer under the handler.
 * <p>
 * Created by the acceptor's thread and published to the owning agent through its new-connection queue; from
 * then on touched only by the owning agent's thread.
 */
final class Connection
{
    static final int PAUSE_PIPELINE = 1;
    static final int PAUSE_MEMORY = 2;
    static final int PAUSE_CLOSING = 4;

    static final int DIRTY_DISPATCH = 1;
    static final int DIRTY_FLUSH = 2;
    static final int DIRTY_CLOSE = 4;

    static final int OPEN = -1;
    static final long NO_DEADLINE = Long.MAX_VALUE;

    private static final System.Logger LOG = System.getLogger(Connection.class.getName());

    final long id;
    final NetworkAgent agent;
    final SocketChannel channel;
    final InetSocketAddress remoteAddress;
    /** The peer's IP address as Kafka reports a client host ({@code InetAddress.toString()}: "/127.0.0.1"). */
    final String remoteHost;
    final ReceiveBuffer receive;
    final ResponseWriter writer;
    final ResponseSend send;
    private final InFlightRequest[] slots;
    private final int maxFrameBytes;
    private final int initialReceiveCapacity;
    private final int maxReceiveCapacity;
    private SelectionKey key;
    private int head;
    int queued;
    int index = -1;
    int dirtyFlags;
    private int readPauses;
    private int pendingReceiveCapacity;
    private boolean writeBlocked;
    private int interestOps;
    private int pendingCloseReason = OPEN;
    private int closeReason = OPEN;
    private long bytesIn;
    private long progressMarkBytes;
    private long frameDeadlineNs = NO_DEADLINE;
    private long lastActivityNs;
    private long lastReadNs;
    private long lastWriteNs;

    Connection(
        final long id,
        final NetworkAgent agent,
        final SocketChannel channel,
        final InetSocketAddress remoteAddress,
        final TransportConfig config)
    {
        this.id = id;
        this.agent = agent;
        this.channel = channel;
        this.remoteAddress = remoteAddress;
        // once per connection, on the acceptor's thread: requests read it without allocating
        this.remoteHost = String.valueOf(remoteAddress.getAddress());
        this.maxFrameBytes = config.socketRequestMaxBytes();
        this.initialReceiveCapacity = config.receiveBufferInitialBytes();
        this.maxReceiveCapacity = config.maxReceiveBufferCapacity();
        final int slotCount = config.maxInFlightRequestsPerConnection();
        this.receive = new ReceiveBuffer(agent.pool);
        this.writer = new ResponseWriter(this, agent.pool, config.sendBufferInitialBytes(), slotCount);
        this.send = new ResponseSend(this);
        this.slots = new InFlightRequest[slotCount];
        for (int i = 0; i < slotCount; i++)
        {
            slots[i] = new InFlightRequest(this);
        }
    }

    InetAddress address()
    {
        return remoteAddress.getAddress();
    }

    boolean isClosed()
    {
        return closeReason != OPEN;
    }

    /** The {@code i}-th queued request, 0 being the oldest (the next response to send). */
    InFlightRequest queuedAt(final int i)
    {
        final int slot = head + i;
        return slots[slot < slots.length ? slot : slot - slots.length];
    }

    /** Registered with the owning agent's selector; starts reading. */
    void onRegistered(final SelectionKey key, final long nowNs)
    {
        this.key = key;
        this.interestOps = SelectionKey.OP_READ;
        lastActivityNs = nowNs;
        lastReadNs = nowNs;
        lastWriteNs = nowNs;
    }

    int onReadable(final long nowNs)
    {
        if (readPauses != 0 || isClosed())
        {
            return 0;
        }
        if (!receive.hasBuffer() && !receive.allocate(initialReceiveCapacity))
        {
            pauseForMemory(initialReceiveCapacity);
            return 0;
        }
        if (receive.writableBytes() == 0)
        {
            receive.compact();
        }
        final int read;
        try
        {
            read = receive.readFrom(channel);
        }
        catch (final IOException ex)
        {
            close(CloseReason.IO_ERROR, ex);
            return 1;
        }
        if (read < 0)
        {
            close(CloseReason.PEER_CLOSED, null);
            return 1;
        }
        if (read == 0)
        {
            return 0;
        }
        bytesIn += read;
        agent.counters.add(NetworkCounters.BYTES_IN, read);
        lastReadNs = nowNs;
        lastActivityNs = nowNs;
        dispatchFrames(nowNs);
        return 1;
    }

    int onWritable()
    {
        return flush();
    }

    /** Hands every complete frame to the handler while a slot is free and nothing paused or closed the connection. */
    int dispatchFrames(final long nowNs)
    {
        int frames = 0;
        while (readPauses == 0 && pendingCloseReason == OPEN && closeReason == OPEN)
        {
            final int available = receive.available();
            if (available < SIZE_OF_INT)
            {
                break;
            }
            final int size = receive.frameSize();
            if (size < 0 || size > maxFrameBytes)
            {
                LOG.log(System.Logger.Level.WARNING, "closing " + this + ": frame size " + size +
                    " outside [0, " + maxFrameBytes + "] (" + TransportConfig.SOCKET_REQUEST_MAX_BYTES + ')');
                close(CloseReason.INVALID_FRAME, null);
                return frames;
            }
            final int frameLength = SIZE_OF_INT + size;
            if (available < frameLength)
            {
                if (frameLength > receive.capacity())
                {
                    final int capacity = receiveCapacityFor(frameLength);
                    if (!receive.grow(capacity))
                    {
                        pauseForMemory(capacity);
                    }
                }
                break;
            }
            if (queued == slots.length)
            {
                pause(PAUSE_PIPELINE);
                agent.counters.increment(NetworkCounters.READ_PAUSES_PIPELINE);
                break;
            }
            final int offset = receive.readIndex() + SIZE_OF_INT;
            receive.consume(frameLength);
            frameDeadlineNs = NO_DEADLINE;
            handOver(offset, size);
            frames++;
        }
        if (!isClosed())
        {
            afterDispatch(nowNs);
        }
        return frames;
    }

    void onCompleted(final InFlightRequest request)
    {
        agent.unregisterPending(request);
        agent.markDirty(this, DIRTY_FLUSH);
    }

    void onCloseAfterResponse()
    {
        pause(PAUSE_CLOSING);
        agent.markDirty(this, DIRTY_FLUSH);
    }

    /** Close as soon as the current callback has returned. */
    void requestClose(final int reason)
    {
        if (!isClosed() && pendingCloseReason == OPEN)
        {
            pendingCloseReason = reason;
            agent.markDirty(this, DIRTY_CLOSE);
        }
    }

    void onDirty(final int flags, final long nowNs)
    {
        if (isClosed())
        {
            return;
        }
        if ((flags & DIRTY_DISPATCH) != 0 && pendingCloseReason == OPEN)
        {
            dispatchFrames(nowNs);
        }
        if (pendingCloseReason != OPEN)
        {
            close(pendingCloseReason, null);
            return;
        }
        if ((flags & DIRTY_FLUSH) != 0 && !isClosed())
        {
            flush();
        }
    }

    int flush()
    {
        if (isClosed())
        {
            return 0;
        }
        final int result = send.send();
        if (result == ResponseSend.CLOSED)
        {
            return 1;
        }
        final boolean blocked = result == ResponseSend.BLOCKED;
        if (blocked != writeBlocked)
        {
            writeBlocked = blocked;
            if (blocked)
            {
                agent.counters.increment(NetworkCounters.SEND_WAITS);
            }
            updateInterest();
        }
        if (queued == 0 && !writer.isWriting() && writer.hasBuffer() &&
            writer.capacity() > agent.config.sendBufferInitialBytes() && agent.hasMemoryWaiters())
        {
            writer.release();
        }
        return 1;
    }

    /** Called by {@link ResponseSend} once the head response (or non-response) is done. */
    void freeHead()
    {
        final InFlightRequest request = slots[head];
        final boolean closeAfter = request.closeAfterResponse;
        agent.counters.increment(request.state == InFlightRequest.READY ?
            NetworkCounters.RESPONSES : NetworkCounters.NO_RESPONSES);
        request.release();
        head = head + 1 == slots.length ? 0 : head + 1;
        queued--;
        if (closeAfter)
        {
            close(CloseReason.HANDLER_REQUEST, null);
            return;
        }
        if ((readPauses & PAUSE_PIPELINE) != 0)
        {
            readPauses &= ~PAUSE_PIPELINE;
            updateInterest();
            agent.markDirty(this, DIRTY_DISPATCH);
        }
    }

    void onBytesSent(final long bytes, final boolean fromFile)
    {
        if (bytes > 0)
        {
            agent.counters.add(NetworkCounters.BYTES_OUT, bytes);
            if (fromFile)
            {
                agent.counters.add(NetworkCounters.FILE_BYTES_OUT, bytes);
            }
            lastWriteNs = agent.nowNs();
            lastActivityNs = lastWriteNs;
        }
    }

    /**
     * Retries the buffer this connection waits for. True when done (or the connection closed meanwhile), so
     * the agent moves on to the next waiter; false when the budget still cannot supply it.
     */
    boolean retryReceiveMemory(final long nowNs)
    {
        if (isClosed())
        {
            return true;
        }
        final boolean acquired = receive.hasBuffer() ?
            receive.grow(pendingReceiveCapacity) : receive.allocate(pendingReceiveCapacity);
        if (!acquired)
        {
            return false;
        }
        readPauses &= ~PAUSE_MEMORY;
        updateInterest();
        updateFrameDeadline(nowNs);
        return true;
    }

    /**
     * Enforces the idle and receive timeouts and returns idle buffers to the pool.
     *
     * @return the next time this connection needs a timer check.
     */
    long onTimerCheck(final long nowNs, final long idleNs, final long releaseNs)
    {
        final long idleDeadlineNs = lastActivityNs + idleNs;
        if (nowNs - idleDeadlineNs >= 0)
        {
            LOG.log(System.Logger.Level.DEBUG, "closing " + this + ": idle for " +
                TransportConfig.CONNECTIONS_MAX_IDLE_MS);
            close(CloseReason.IDLE_TIMEOUT, null);
            return NO_DEADLINE;
        }
        long nextNs = idleDeadlineNs;
        if (frameDeadlineNs != NO_DEADLINE)
        {
            if (nowNs - frameDeadlineNs >= 0)
            {
                LOG.log(System.Logger.Level.WARNING, "closing " + this + ": a frame made no progress for " +
                    TransportConfig.REQUEST_RECEIVE_TIMEOUT_MS + " (" + receive.available() + " bytes received)");
                close(CloseReason.RECEIVE_TIMEOUT, null);
                return NO_DEADLINE;
            }
            nextNs = Math.min(nextNs, frameDeadlineNs);
        }
        if (receive.hasBuffer() && receive.available() == 0 && (readPauses & PAUSE_MEMORY) == 0)
        {
            final long releaseAtNs = lastReadNs + releaseNs;
            if (nowNs - releaseAtNs >= 0)
            {
                receive.release();
            }
            else
            {
                nextNs = Math.min(nextNs, releaseAtNs);
            }
        }
        if (writer.hasBuffer() && queued == 0 && !writer.isWriting())
        {
            final long releaseAtNs = lastWriteNs + releaseNs;
            if (nowNs - releaseAtNs >= 0)
            {
                writer.release();
            }
            else
            {
                nextNs = Math.min(nextNs, releaseAtNs);
            }
        }
        return nextNs;
    }

    void close(final int reason, final Throwable cause)
    {
        if (isClosed())
        {
            return;
        }
        closeReason = reason;
        if (null != cause)
        {
            LOG.log(System.Logger.Level.DEBUG, "closing " + this + ": " + CloseReason.name(reason) + ": " + cause);
        }
        if (null != key)
        {
            key.cancel();
        }
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // Closing is best effort: the descriptor is released either way.
        }
        for (int i = 0; i < queued; i++)
        {
            final InFlightRequest request = queuedAt(i);
            agent.unregisterPending(request);
            request.release();
        }
        queued = 0;
        send.reset();
        receive.release();
        writer.release();
        agent.onConnectionClosed(this, reason);
    }

    public String toString()
    {
        return "connection " + id + " (" + remoteAddress + ')';
    }

    private void handOver(final int offset, final int length)
    {
        final InFlightRequest request = queuedAt(queued);
        queued++;
        request.activate(agent.nextRequestId());
        agent.registerPending(request);
        agent.counters.increment(NetworkCounters.REQUESTS);
        try
        {
            agent.handler.onRequest(receive.buffer(), offset, length, request);
        }
        catch (final Throwable ex)
        {
            agent.onHandlerError(this, request, ex);
            requestClose(CloseReason.HANDLER_ERROR);
        }
    }

    private void afterDispatch(final long nowNs)
    {
        if (receive.available() == 0)
        {
            receive.compact();
            if (receive.capacity() > initialReceiveCapacity && agent.hasMemoryWaiters())
            {
                receive.release();
            }
        }
        else if (receive.readIndex() > 0)
        {
            receive.compact();
        }
        updateFrameDeadline(nowNs);
    }

    /**
     * A started frame must complete, or grow by the initial receive size, within the receive timeout; the
     * clock does not run while reading is paused by the transport itself.
     */
    private void updateFrameDeadline(final long nowNs)
    {
        if (readPauses != 0 || receive.available() == 0)
        {
            frameDeadlineNs = NO_DEADLINE;
        }
        else if (frameDeadlineNs == NO_DEADLINE || bytesIn - progressMarkBytes >= initialReceiveCapacity)
        {
            frameDeadlineNs = nowNs + agent.config.requestReceiveTimeoutNs();
            progressMarkBytes = bytesIn;
        }
    }

    private int receiveCapacityFor(final int frameLength)
    {
        final long powerOfTwo = Long.highestOneBit(frameLength - 1L) << 1;
        return (int)Math.min(Math.max(powerOfTwo, initialReceiveCapacity), maxReceiveCapacity);
    }

    private void pauseForMemory(final int capacity)
    {
        pendingReceiveCapacity = capacity;
        pause(PAUSE_MEMORY);
        frameDeadlineNs = NO_DEADLINE;
        agent.counters.increment(NetworkCounters.READ_PAUSES_MEMORY);
        agent.addMemoryWaiter(this);
    }

    private void pause(final int reason)
    {
        readPauses |= reason;
        updateInterest();
    }

    private void updateInterest()
    {
        if (isClosed())
        {
            return;
        }
        final int ops = (readPauses == 0 ? SelectionKey.OP_READ : 0) | (writeBlocked ? SelectionKey.OP_WRITE : 0);
        if (ops != interestOps)
        {
            interestOps = ops;
            key.interestOps(ops);
        }
    }
}
