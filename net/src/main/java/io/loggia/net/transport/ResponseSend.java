package io.loggia.net.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Writes a connection's completed responses to its socket in request order, and keeps where it stopped when
 * the socket is full, to go on at the next OP_WRITE. A response is a run of buffer parts and file parts:
 * buffer parts go out with {@code SocketChannel.write}, file parts with {@code FileChannel.transferTo}
 * (sendfile: page cache to socket, no copy through the JVM). Buffer parts of consecutive ready responses that
 * lie back to back in the send buffer go out in one write.
 * <p>
 * State: {@code position}, the next send buffer byte of the head response (-1 before it starts);
 * {@code regionIndex}, its next file region; {@code regionSent}, bytes of that region already sent.
 * <p>
 * A transfer that stops short is checked against the file size: a file shorter than the region promised
 * (truncated or deleted under us) closes the connection, since the size prefix already announced the bytes.
 * <p>
 * Called only on the owning network agent's thread.
 */
final class ResponseSend
{
    /** Every completed response at the head of the queue was sent; the head, if any, is still pending. */
    static final int SENT = 0;
    /** The socket is full: wait for OP_WRITE. */
    static final int BLOCKED = 1;
    /** The connection was closed. */
    static final int CLOSED = 2;

    private static final System.Logger LOG = System.getLogger(ResponseSend.class.getName());

    private final Connection connection;
    private int position = -1;
    private int regionIndex;
    private long regionSent;

    ResponseSend(final Connection connection)
    {
        this.connection = connection;
    }

    int send()
    {
        final Connection connection = this.connection;
        while (connection.queued > 0)
        {
            final InFlightRequest head = connection.queuedAt(0);
            if (head.state == InFlightRequest.PENDING)
            {
                return SENT;
            }
            if (head.state == InFlightRequest.READY)
            {
                if (position < 0)
                {
                    position = head.bufferStart;
                }
                final int result = sendResponse(head);
                if (result != SENT)
                {
                    return result;
                }
                if (position == head.bufferEnd)
                {
                    position = -1;
                }
                regionIndex = 0;
                regionSent = 0;
            }
            connection.freeHead();
            if (connection.isClosed())
            {
                return CLOSED;
            }
        }
        return SENT;
    }

    /** Compaction moved {@code request} by {@code delta}; follow it if it is the one being sent. */
    void onShift(final InFlightRequest request, final int delta)
    {
        if (position >= 0 && connection.queued > 0 && connection.queuedAt(0) == request)
        {
            position += delta;
        }
    }

    void reset()
    {
        position = -1;
        regionIndex = 0;
        regionSent = 0;
    }

    private int sendResponse(final InFlightRequest response)
    {
        while (true)
        {
            if (regionIndex < response.regionCount)
            {
                final int splice = response.regionSplices[regionIndex];
                if (position < splice)
                {
                    final int result = writeBuffer(splice);
                    if (result != SENT)
                    {
                        return result;
                    }
                }
                final int result = transferRegion(response);
                if (result != SENT)
                {
                    return result;
                }
                regionIndex++;
                regionSent = 0;
            }
            else if (position < response.bufferEnd)
            {
                final int result = writeBuffer(contiguousEnd(response));
                if (result != SENT || position < response.bufferEnd)
                {
                    return result == SENT ? BLOCKED : result;
                }
            }
            else
            {
                return SENT;
            }
        }
    }

    /**
     * End of the run of buffer bytes starting in the head's last part: it extends over following ready
     * responses that start where the previous one ends, up to the first file region of one of them.
     */
    private int contiguousEnd(final InFlightRequest head)
    {
        int end = head.bufferEnd;
        for (int i = 1; i < connection.queued; i++)
        {
            final InFlightRequest next = connection.queuedAt(i);
            if (next.state != InFlightRequest.READY || next.bufferStart != end)
            {
                break;
            }
            if (next.regionCount > 0)
            {
                end = next.regionSplices[0];
                break;
            }
            end = next.bufferEnd;
        }
        return end;
    }

    private int writeBuffer(final int limit)
    {
        final ByteBuffer byteBuffer = connection.writer.byteBuffer();
        byteBuffer.limit(limit).position(position);
        final int written;
        try
        {
            written = connection.channel.write(byteBuffer);
        }
        catch (final IOException ex)
        {
            connection.close(CloseReason.IO_ERROR, ex);
            return CLOSED;
        }
        position += written;
        connection.onBytesSent(written, false);
        return position < limit ? BLOCKED : SENT;
    }

    private int transferRegion(final InFlightRequest response)
    {
        final FileChannel file = response.regionChannels[regionIndex];
        final long length = response.regionLengths[regionIndex];
        final long filePosition = response.regionPositions[regionIndex] + regionSent;
        final long remaining = length - regionSent;
        try
        {
            final long transferred = file.transferTo(filePosition, remaining, connection.channel);
            if (transferred > 0)
            {
                regionSent += transferred;
                connection.onBytesSent(transferred, true);
            }
            if (transferred == remaining)
            {
                return SENT;
            }
            final long fileSize = file.size();
            if (fileSize < filePosition + remaining)
            {
                LOG.log(System.Logger.Level.WARNING, "closing " + connection + ": file region [" +
                    response.regionPositions[regionIndex] + ", +" + length + ") of request " + response.id +
                    " ends past the file's size " + fileSize + " (truncated while sending)");
                connection.close(CloseReason.FILE_TRUNCATED, null);
                return CLOSED;
            }
            return BLOCKED;
        }
        catch (final IOException ex)
        {
            if (!file.isOpen())
            {
                LOG.log(System.Logger.Level.WARNING, "closing " + connection + ": the file channel of request " +
                    response.id + " was closed while sending it");
            }
            connection.close(CloseReason.IO_ERROR, ex);
            return CLOSED;
        }
    }
}
