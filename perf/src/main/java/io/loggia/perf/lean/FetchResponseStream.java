package io.loggia.perf.lean;

import io.loggia.codec.record.Record;
import io.loggia.codec.record.RecordBatch;
import io.loggia.codec.record.RecordCursor;
import io.loggia.codec.wire.WireReader;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SocketChannel;

/**
 * Reads one Fetch v12/v13 response off a blocking socket through a fixed direct window and walks it as it
 * arrives: every byte of the frame is read from the socket, but only the fields that lead to the next fetch
 * offsets are looked at. A response may be larger than the window (64 MiB of records is usual), so the window
 * is never meant to hold a whole frame: small structures are made contiguous in it, and record batches are
 * passed over after their first 27 bytes.
 * <pre>
 *   frame     size int32 | correlation id int32 | tagged fields | throttle int32 | error int16 | session int32
 *             | topics compact array x [v12 name compact string / v13 id uuid,
 *                 partitions compact array x [index int32, error int16, high watermark int64,
 *                   last stable offset int64, log start offset int64,
 *                   aborted transactions compact nullable array x [producer id int64, first offset int64, tagged],
 *                   preferred read replica int32, records compact nullable bytes, tagged fields],
 *                 tagged fields]
 *             | tagged fields
 *
 *   records   +-------------+--------------+-- ... --+-------------------+-- ... --+
 *             | base offset | batch length | epoch,  | last offset delta | rest of |  whole batch: next fetch offset
 *             | int64 @0    | int32 @8     | magic.. | int32 @23         | batch   |  = base + last delta + 1
 *             +-------------+--------------+-- ... --+-------------------+-- ... --+
 *             a trailing batch cut short by the size limits (KIP-74) is counted as partial bytes and ignored;
 *             with a {@link RecordVisitor}, a whole uncompressed batch that fits the window is made contiguous
 *             and its records' values are handed to the visitor
 *
 *   window    0 ........ position ........ end ........ capacity
 *                        [ read, unwalked  ]  [ free   ]          socketRemaining: frame bytes not read yet
 * </pre>
 * Not thread safe: owned by one {@link DrainWorker}'s thread.
 */
public final class FetchResponseStream
{
    /** {@link #read} result for a response without errors. */
    public static final int OK = 0;
    /** {@link #read} result for a response that does not parse. */
    public static final int MALFORMED = -2;

    private static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;
    private static final int FRAME_SIZE_LENGTH = 4;
    /** Largest header-like structure (response header, topic, partition header, tagged fields) expected. */
    private static final int STRUCTURE_WINDOW = 8 * 1024;
    private static final int BATCH_PREFIX_LENGTH = RecordBatch.LAST_OFFSET_DELTA_OFFSET + 4;
    private static final int MIN_TOPIC_LENGTH = 3;
    private static final int MIN_PARTITION_LENGTH = 45;
    private static final int UUID_LENGTH = 16;
    private static final int NO_PROGRESS = -1;

    private final SocketChannel channel;
    private final ByteBuffer window;
    private final UnsafeBuffer view;
    private final WireReader reader = new WireReader();
    private final RecordBatch batch = new RecordBatch();
    private final RecordCursor cursor = new RecordCursor();
    private RecordVisitor visitor;
    private int position;
    private int end;
    private long socketRemaining;
    private long frameBytes;
    private long recordBytes;
    private long wholeBatchBytes;
    private long partialBytes;
    private int advanced;
    private int errorPartition;

    /**
     * @param channel     a connected, blocking channel; this stream is its only reader.
     * @param windowBytes size of the read window, at least 64 KiB.
     */
    public FetchResponseStream(final SocketChannel channel, final int windowBytes)
    {
        if (windowBytes < 64 * 1024)
        {
            throw new IllegalArgumentException("read window of " + windowBytes + " bytes is under 64 KiB");
        }
        this.channel = channel;
        this.window = ByteBuffer.allocateDirect(windowBytes);
        this.view = new UnsafeBuffer(window);
    }

    /** Hand every record value of the responses read from now on to {@code visitor} (null: none). */
    public void visitor(final RecordVisitor visitor)
    {
        this.visitor = visitor;
    }

    /**
     * Read the next response frame, whole, and move the partitions it carries forward.
     *
     * @param correlationId the request's.
     * @param version       the request's, 12 or 13.
     * @param partitions    the fetch state to move forward.
     * @return {@link #OK}, a Kafka error code (top level, or the first partition's; see {@link #errorPartition()}),
     *         or {@link #MALFORMED}. The frame has been read to its end whatever the result.
     * @throws IOException when the connection fails or closes.
     */
    public int read(final int correlationId, final int version, final DrainPartitions partitions) throws IOException
    {
        frameBytes = 0;
        recordBytes = 0;
        wholeBatchBytes = 0;
        partialBytes = 0;
        advanced = 0;
        errorPartition = -1;
        position = 0;
        end = 0;
        socketRemaining = FRAME_SIZE_LENGTH;
        fill(FRAME_SIZE_LENGTH);
        if (null != visitor)
        {
            visitor.onFrame();
        }
        final int length = view.getInt(position, ORDER);
        position += FRAME_SIZE_LENGTH;
        if (length < 0)
        {
            throw new IOException("implausible frame size " + length);
        }
        socketRemaining = length;
        frameBytes = FRAME_SIZE_LENGTH + (long)length;

        final int result = walk(correlationId, version, partitions);
        skip(frameRemaining());
        if (null != visitor)
        {
            visitor.onFrameEnd();
        }
        return result;
    }

    /** @return bytes of the last frame, size field included. */
    public long frameBytes()
    {
        return frameBytes;
    }

    /** @return bytes of the records fields of the last response, whole and partial batches. */
    public long recordBytes()
    {
        return recordBytes;
    }

    /** @return bytes of the whole batches of the last response. */
    public long wholeBatchBytes()
    {
        return wholeBatchBytes;
    }

    /** @return bytes of trailing batches cut short in the last response. */
    public long partialBytes()
    {
        return partialBytes;
    }

    /** @return partitions whose next offset moved in the last response. */
    public int advanced()
    {
        return advanced;
    }

    /** @return the partition index of the error {@link #read} returned, or -1 for a top-level one. */
    public int errorPartition()
    {
        return errorPartition;
    }

    private int walk(final int correlationId, final int version, final DrainPartitions partitions)
        throws IOException
    {
        structure();
        final int responseCorrelationId = reader.readInt32();
        reader.skipTaggedFields();
        reader.readInt32();
        final short topLevelError = reader.readInt16();
        reader.readInt32();
        final int topics = arrayLength(MIN_TOPIC_LENGTH);
        if (!consume() || responseCorrelationId != correlationId)
        {
            return MALFORMED;
        }
        if (topLevelError != 0)
        {
            return topLevelError;
        }
        int result = OK;
        for (int t = 0; t < topics; t++)
        {
            structure();
            if (version >= DrainProtocol.FETCH_VERSION_BY_ID)
            {
                reader.skip(UUID_LENGTH);
            }
            else
            {
                reader.readCompactString();
            }
            final int count = arrayLength(MIN_PARTITION_LENGTH);
            if (!consume())
            {
                return MALFORMED;
            }
            for (int p = 0; p < count; p++)
            {
                structure();
                final int index = reader.readInt32();
                final short error = reader.readInt16();
                reader.skip(3 * Long.BYTES);
                final int aborted = arrayLength(2 * Long.BYTES + 1);
                for (int a = 0; a < aborted && !reader.hasError(); a++)
                {
                    reader.skip(2 * Long.BYTES);
                    reader.skipTaggedFields();
                }
                reader.readInt32();
                final int recordsLength = reader.readUnsignedVarint() - 1;
                if (!consume() || recordsLength < WireReader.NULL_LENGTH || recordsLength > frameRemaining())
                {
                    return MALFORMED;
                }
                final long nextOffset = recordsLength > 0 ? walkRecords(recordsLength) : NO_PROGRESS;
                if (nextOffset == MALFORMED)
                {
                    return MALFORMED;
                }
                structure();
                reader.skipTaggedFields();
                if (!consume())
                {
                    return MALFORMED;
                }
                final int slot = partitions.slotOf(index);
                if (error != 0 && result == OK)
                {
                    result = error;
                    errorPartition = index;
                }
                else if (slot >= 0 && nextOffset != NO_PROGRESS && partitions.advance(slot, nextOffset))
                {
                    advanced++;
                }
            }
            structure();
            reader.skipTaggedFields();
            if (!consume())
            {
                return MALFORMED;
            }
        }
        structure();
        reader.skipTaggedFields();
        return consume() ? result : MALFORMED;
    }

    /**
     * Walk the batch headers of one records field and pass over the rest of its bytes.
     *
     * @return one past the last offset of the last whole batch, {@link #NO_PROGRESS} when there is none, or
     *         {@link #MALFORMED}.
     */
    private long walkRecords(final int recordsLength) throws IOException
    {
        recordBytes += recordsLength;
        long nextOffset = NO_PROGRESS;
        long remaining = recordsLength;
        while (remaining >= RecordBatch.HEADER_LENGTH)
        {
            fill(BATCH_PREFIX_LENGTH);
            final long baseOffset = view.getLong(position + RecordBatch.BASE_OFFSET_OFFSET, ORDER);
            final int batchLength = view.getInt(position + RecordBatch.LENGTH_OFFSET, ORDER);
            final long total = RecordBatch.LOG_OVERHEAD + (long)batchLength;
            if (total > remaining)
            {
                break;
            }
            if (batchLength < RecordBatch.MIN_BATCH_LENGTH ||
                view.getByte(position + RecordBatch.MAGIC_OFFSET) != RecordBatch.MAGIC_V2)
            {
                return MALFORMED;
            }
            nextOffset = baseOffset + view.getInt(position + RecordBatch.LAST_OFFSET_DELTA_OFFSET, ORDER) + 1;
            wholeBatchBytes += total;
            if (null != visitor && visit((int)total) != Record.VALID)
            {
                return MALFORMED;
            }
            skip(total);
            remaining -= total;
        }
        if (remaining > 0)
        {
            partialBytes += remaining;
            skip(remaining);
        }
        return nextOffset;
    }

    /**
     * Hand the values of the whole batch at the position to the visitor, leaving the position where it is.
     *
     * @return {@link Record#VALID}, or the code of a record that does not parse.
     */
    private int visit(final int total) throws IOException
    {
        if (total > window.capacity())
        {
            visitor.onSkippedBatch(view.getInt(position + RecordBatch.RECORD_COUNT_OFFSET, ORDER));
            return Record.VALID;
        }
        fill(total);
        batch.wrap(view, position);
        if (batch.compressionCodec() != 0)
        {
            visitor.onSkippedBatch(batch.recordCount());
            return Record.VALID;
        }
        cursor.wrapUncompressed(batch);
        int code;
        while ((code = cursor.next()) == Record.VALID)
        {
            final Record record = cursor.record();
            visitor.onValue(view, record.valueOffset(), record.hasValue() ? record.valueLength() : -1);
        }
        return code == RecordCursor.END ? Record.VALID : code;
    }

    /** Make the next structure contiguous in the window and point the reader at it. */
    private void structure() throws IOException
    {
        fill(STRUCTURE_WINDOW);
        reader.wrap(view, position, end);
    }

    /** @return false when the structure did not parse; else the window position moves past it. */
    private boolean consume()
    {
        if (reader.hasError())
        {
            return false;
        }
        position = reader.position();
        return true;
    }

    /** A compact array's count, checked against the frame's remaining bytes rather than the window's. */
    private int arrayLength(final int minElementLength)
    {
        final int count = reader.readUnsignedVarint() - 1;
        if (count < 0)
        {
            return 0;
        }
        if ((long)count * minElementLength > frameRemaining())
        {
            reader.fail(MALFORMED);
            return 0;
        }
        return count;
    }

    private long frameRemaining()
    {
        return (end - position) + socketRemaining;
    }

    /** Read until {@code wanted} bytes (or all the frame has left) are in the window from the position. */
    private void fill(final int wanted) throws IOException
    {
        final int need = (int)Math.min(wanted, frameRemaining());
        if (end - position >= need)
        {
            return;
        }
        if (position + need > window.capacity())
        {
            view.putBytes(0, view, position, end - position);
            end -= position;
            position = 0;
        }
        while (end - position < need)
        {
            readSome();
        }
    }

    private void skip(final long bytes) throws IOException
    {
        long left = bytes;
        while (true)
        {
            final int available = end - position;
            if (left <= available)
            {
                position += (int)left;
                return;
            }
            left -= available;
            position = 0;
            end = 0;
            if (socketRemaining == 0)
            {
                throw new IOException("fetch response shorter than its fields say");
            }
            readSome();
        }
    }

    private void readSome() throws IOException
    {
        final int limit = end + (int)Math.min(window.capacity() - end, socketRemaining);
        window.limit(limit).position(end);
        final int read = channel.read(window);
        if (read < 0)
        {
            throw new EOFException("the broker closed the connection");
        }
        end += read;
        socketRemaining -= read;
    }
}
