package io.loggia.engine.group;

import io.loggia.codec.record.BatchDecompressor;
import io.loggia.codec.record.BatchValidator;
import io.loggia.codec.record.Record;
import io.loggia.codec.record.RecordBatch;
import io.loggia.codec.record.RecordCursor;
import io.loggia.engine.log.LogCodes;
import io.loggia.engine.log.PartitionLog;
import io.loggia.engine.log.ReadResult;
import org.agrona.BufferUtil;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads one {@code __consumer_offsets} partition from its log start to the log end it saw when it started,
 * a bounded chunk per {@link #step()}, so the coordinator keeps serving loaded partitions meanwhile. Each
 * chunk is read with {@link PartitionLog#read} and a positional {@code FileChannel.read} into a direct buffer;
 * batches are walked with {@link RecordCursor} (compressed ones through {@link BatchDecompressor}), and every
 * record is applied in log order: the last value of a key wins and a null value (tombstone) deletes it.
 * <p>
 * The result is the partition's groups as stored ({@link #metadata()}, a removed group maps to null) and the
 * committed offsets by group ({@link #offsets()}). A batch or record that does not decode is reported to the
 * error handler and skipped; the log itself was already cut at the first invalid byte by recovery.
 * <p>
 * Called only from the coordinator thread.
 */
final class OffsetsLoader
{
    private static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;

    private final int bufferSize;
    private final ErrorHandler errorHandler;
    private final GroupRecords records = new GroupRecords();
    private final BatchValidator validator = new BatchValidator();
    private final BatchDecompressor decompressor = new BatchDecompressor();
    private final RecordCursor cursor = new RecordCursor();
    private final RecordKey key = new RecordKey();
    private final ReadResult read = new ReadResult();
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    private ByteBuffer buffer;

    private PartitionLog log;
    private int partition = -1;
    private long nextOffset;
    private long endOffset;
    private HashMap<String, GroupMetadataValue> metadata;
    private HashMap<String, GroupOffsets> offsets;
    private long recordsRead;
    private long bytesRead;
    private int malformed;

    OffsetsLoader(final int bufferSize, final ErrorHandler errorHandler)
    {
        this.bufferSize = bufferSize;
        this.errorHandler = errorHandler;
    }

    /** Starts loading {@code partition} from {@code log} (null: nothing to read), up to its log end as of now. */
    void start(final int partition, final PartitionLog log)
    {
        this.partition = partition;
        this.log = log;
        this.nextOffset = null == log ? 0 : log.logStartOffset();
        this.endOffset = null == log ? 0 : log.logEndOffset();
        this.metadata = new HashMap<>();
        this.offsets = new HashMap<>();
        this.recordsRead = 0;
        this.bytesRead = 0;
        this.malformed = 0;
    }

    int partition()
    {
        return partition;
    }

    /**
     * Reads and applies the next chunk.
     *
     * @return true once the partition is fully read.
     */
    boolean step()
    {
        if (nextOffset >= endOffset)
        {
            return true;
        }
        int code = log.read(nextOffset, bufferSize, endOffset, true, read);
        if (code == LogCodes.OFFSET_OUT_OF_RANGE && nextOffset < log.logStartOffset())
        {
            nextOffset = log.logStartOffset();
            code = log.read(nextOffset, bufferSize, endOffset, true, read);
        }
        if (code != LogCodes.OK)
        {
            return true;
        }
        final int length = read.length;
        if (!readRegion(length))
        {
            return true;
        }
        bytesRead += length;
        applyBatches(length);
        nextOffset = read.nextFetchOffset();
        return nextOffset >= endOffset;
    }

    /** Groups as stored in the partition; a group whose last record is a tombstone maps to null. */
    Map<String, GroupMetadataValue> metadata()
    {
        return metadata;
    }

    /** Committed offsets by group. */
    Map<String, GroupOffsets> offsets()
    {
        return offsets;
    }

    long recordsRead()
    {
        return recordsRead;
    }

    long bytesRead()
    {
        return bytesRead;
    }

    int malformed()
    {
        return malformed;
    }

    void close()
    {
        decompressor.close();
        if (null != buffer)
        {
            BufferUtil.free(buffer);
            buffer = null;
        }
    }

    private boolean readRegion(final int length)
    {
        if (null == buffer || buffer.capacity() < length)
        {
            if (null != buffer)
            {
                BufferUtil.free(buffer);
            }
            buffer = ByteBuffer.allocateDirect(Math.max(length, Math.min(bufferSize, 64 * 1024)));
        }
        buffer.clear().limit(length);
        try
        {
            long position = read.position;
            while (buffer.hasRemaining())
            {
                final int n = read.channel.read(buffer, position);
                if (n < 0)
                {
                    throw new IOException("end of file at " + position + " in partition " + partition);
                }
                position += n;
            }
        }
        catch (final IOException ex)
        {
            errorHandler.onError(ex);
            return false;
        }
        view.wrap(buffer, 0, length);
        return true;
    }

    private void applyBatches(final int length)
    {
        int position = 0;
        while (position < length)
        {
            final int code = validator.validateHeader(view, position, length - position, length - position);
            if (code != BatchValidator.VALID)
            {
                malformed++;
                errorHandler.onError(new IllegalStateException("__consumer_offsets-" + partition +
                    ": batch at offset " + view.getLong(position, ORDER) + " skipped: " +
                    BatchValidator.describe(code)));
                return;
            }
            final int size = RecordBatch.LOG_OVERHEAD + view.getInt(position + RecordBatch.LENGTH_OFFSET, ORDER);
            final short attributes = view.getShort(position + RecordBatch.ATTRIBUTES_OFFSET, ORDER);
            if ((attributes & RecordBatch.CONTROL_FLAG_MASK) == 0)
            {
                applyRecords(position);
            }
            position += size;
        }
    }

    private void applyRecords(final int batchOffset)
    {
        final int code = decompressor.wrapRecords(view, batchOffset, cursor);
        if (code < 0)
        {
            malformed++;
            errorHandler.onError(new IllegalStateException("__consumer_offsets-" + partition +
                ": batch at offset " + view.getLong(batchOffset, ORDER) + " does not decompress: " + code));
            return;
        }
        int next;
        while ((next = cursor.next()) == Record.VALID)
        {
            applyRecord(cursor.record());
        }
        if (next != RecordCursor.END)
        {
            malformed++;
            errorHandler.onError(new IllegalStateException("__consumer_offsets-" + partition +
                ": record in batch at offset " + view.getLong(batchOffset, ORDER) + " skipped: " +
                Record.describe(next)));
        }
    }

    private void applyRecord(final Record record)
    {
        recordsRead++;
        if (!record.hasKey())
        {
            malformed++;
            return;
        }
        try
        {
            final short type = records.decodeKey(record.buffer(), record.keyOffset(), record.keyLength(), key);
            if (key.isOffsetCommit())
            {
                final GroupOffsets groupOffsets = offsets.computeIfAbsent(key.group, g -> new GroupOffsets());
                if (record.hasValue())
                {
                    groupOffsets.put(key.topic, key.partition,
                        records.decodeOffsetCommitValue(record.buffer(), record.valueOffset(), record.valueLength()));
                }
                else
                {
                    groupOffsets.remove(key.topic, key.partition);
                }
            }
            else if (type == RecordKey.GROUP_METADATA)
            {
                metadata.put(key.group, record.hasValue() ?
                    records.decodeGroupMetadataValue(record.buffer(), record.valueOffset(), record.valueLength()) :
                    null);
            }
        }
        catch (final GroupRecords.MalformedRecordException ex)
        {
            malformed++;
            errorHandler.onError(new IllegalStateException(
                "__consumer_offsets-" + partition + ": record skipped: " + ex.getMessage(), ex));
        }
    }
}
