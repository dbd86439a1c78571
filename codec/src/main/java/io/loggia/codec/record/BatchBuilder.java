package io.loggia.codec.record;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Builds one v2 RecordBatch into a caller's buffer, for tests, tools and benchmarks.
 * <pre>
 *   final int size = builder.wrap(buffer, 0)
 *       .baseOffset(100).compression(CompressionCodec.LZ4)
 *       .header("trace", traceBytes).append(timestamp, key, value)
 *       .append(timestamp + 1, null, value)
 *       .build();
 * </pre>
 * Lengths, offset deltas, timestamp deltas against the first record's timestamp, the max timestamp and the
 * CRC-32C are derived. Headers given with {@code header(...)} belong to the next {@code append}. Uncompressed
 * records go straight into the target buffer and the whole cycle allocates nothing; compressed records are
 * staged in a scratch buffer and compressed on {@link #build()} (gzip and zstd allocate native state once).
 * <p>
 * An expandable target buffer grows as needed; a fixed one that is too small throws
 * IndexOutOfBoundsException, which is misuse. Not thread safe; one instance per thread, reused via
 * {@link #wrap(MutableDirectBuffer, int)}. {@link #close()} frees native compression state.
 */
public final class BatchBuilder implements AutoCloseable
{
    /** Kafka's value when no leader epoch is known. */
    public static final int NO_PARTITION_LEADER_EPOCH = -1;
    /** Control record key type of an abort marker. */
    public static final short CONTROL_TYPE_ABORT = 0;
    /** Control record key type of a commit marker. */
    public static final short CONTROL_TYPE_COMMIT = 1;

    private static final int CONTROL_KEY_LENGTH = 4;
    private static final int END_TXN_MARKER_VALUE_LENGTH = 6;

    private final BatchValidator crc = new BatchValidator();
    private final ExpandableArrayBuffer pendingHeaders = new ExpandableArrayBuffer(256);
    private final ExpandableDirectByteBuffer stagedRecords = new ExpandableDirectByteBuffer(1024);
    private final ExpandableDirectByteBuffer compressed = new ExpandableDirectByteBuffer(1024);
    private final UnsafeBuffer keyView = new UnsafeBuffer(BufferUtil.NULL_BYTES);
    private final UnsafeBuffer valueView = new UnsafeBuffer(BufferUtil.NULL_BYTES);
    private final UnsafeBuffer controlView =
        new UnsafeBuffer(new byte[CONTROL_KEY_LENGTH + END_TXN_MARKER_VALUE_LENGTH]);

    private GzipStream gzip;
    private SnappyStream snappy;
    private Lz4Frame lz4;
    private ZstdStream zstd;

    private MutableDirectBuffer buffer;
    private int offset;
    private MutableDirectBuffer recordsTarget;
    private int recordsTargetOffset;

    private long baseOffset;
    private int partitionLeaderEpoch;
    private int codec;
    private boolean logAppendTime;
    private long logAppendTimestamp;
    private long producerId;
    private short producerEpoch;
    private int baseSequence;
    private boolean transactional;
    private boolean control;

    private int recordCount;
    private int recordsLength;
    private long baseTimestamp;
    private long maxTimestamp;
    private int pendingHeaderCount;
    private int pendingHeadersLength;

    /**
     * Starts a new batch at {@code offset} and resets every field to its default: base offset 0, no leader
     * epoch, no compression, CreateTime, no producer id, not transactional, not control.
     */
    public BatchBuilder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        buffer.checkLimit(offset + RecordBatch.RECORDS_OFFSET);
        this.buffer = buffer;
        this.offset = offset;
        baseOffset = 0;
        partitionLeaderEpoch = NO_PARTITION_LEADER_EPOCH;
        codec = CompressionCodec.NONE;
        logAppendTime = false;
        logAppendTimestamp = RecordBatch.NO_TIMESTAMP;
        producerId = RecordBatch.NO_PRODUCER_ID;
        producerEpoch = RecordBatch.NO_PRODUCER_EPOCH;
        baseSequence = RecordBatch.NO_SEQUENCE;
        transactional = false;
        control = false;
        recordCount = 0;
        recordsLength = 0;
        baseTimestamp = RecordBatch.NO_TIMESTAMP;
        maxTimestamp = RecordBatch.NO_TIMESTAMP;
        pendingHeaderCount = 0;
        pendingHeadersLength = 0;
        recordsTarget = buffer;
        recordsTargetOffset = offset + RecordBatch.RECORDS_OFFSET;
        return this;
    }

    public BatchBuilder baseOffset(final long baseOffset)
    {
        this.baseOffset = baseOffset;
        return this;
    }

    public BatchBuilder partitionLeaderEpoch(final int partitionLeaderEpoch)
    {
        this.partitionLeaderEpoch = partitionLeaderEpoch;
        return this;
    }

    /** One of {@link CompressionCodec}'s ids; must be chosen before the first record. */
    public BatchBuilder compression(final int codec)
    {
        if (!CompressionCodec.isKnown(codec))
        {
            throw new IllegalArgumentException("unknown codec " + codec);
        }
        if (recordCount > 0)
        {
            throw new IllegalStateException("compression must be set before the first record");
        }
        this.codec = codec;
        recordsTarget = codec == CompressionCodec.NONE ? buffer : stagedRecords;
        recordsTargetOffset = codec == CompressionCodec.NONE ? offset + RecordBatch.RECORDS_OFFSET : 0;
        return this;
    }

    /** Marks the batch LogAppendTime and sets its max timestamp to the broker's {@code timestamp}. */
    public BatchBuilder logAppendTime(final long timestamp)
    {
        logAppendTime = true;
        logAppendTimestamp = timestamp;
        return this;
    }

    /** Marks the batch CreateTime, the default: its max timestamp is the largest record timestamp. */
    public BatchBuilder createTime()
    {
        logAppendTime = false;
        logAppendTimestamp = RecordBatch.NO_TIMESTAMP;
        return this;
    }

    public BatchBuilder producer(final long producerId, final short producerEpoch, final int baseSequence)
    {
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
        this.baseSequence = baseSequence;
        return this;
    }

    public BatchBuilder transactional(final boolean transactional)
    {
        this.transactional = transactional;
        return this;
    }

    public BatchBuilder control(final boolean control)
    {
        this.control = control;
        return this;
    }

    /** Adds a header to the next record. {@code value} may be null. Allocates to encode the key. */
    public BatchBuilder header(final String key, final byte[] value)
    {
        return header(key.getBytes(StandardCharsets.UTF_8), value);
    }

    /** Adds a header to the next record. {@code value} may be null. */
    public BatchBuilder header(final byte[] key, final byte[] value)
    {
        keyView.wrap(key);
        if (value != null)
        {
            valueView.wrap(value);
        }
        return header(keyView, 0, key.length, value == null ? null : valueView, 0, value == null ? -1 : value.length);
    }

    /**
     * Adds a header to the next record. A null {@code value} buffer or a {@code valueLength} of -1 makes the
     * value null.
     */
    public BatchBuilder header(
        final DirectBuffer key,
        final int keyOffset,
        final int keyLength,
        final DirectBuffer value,
        final int valueOffset,
        final int valueLength)
    {
        final int actualValueLength = value == null ? -1 : valueLength;
        int index = pendingHeadersLength;
        pendingHeaders.checkLimit(index + 2 * Varint.MAX_VARINT_LENGTH + keyLength + Math.max(actualValueLength, 0));
        index += Varint.putVarint(pendingHeaders, index, keyLength);
        pendingHeaders.putBytes(index, key, keyOffset, keyLength);
        index += keyLength;
        index += Varint.putVarint(pendingHeaders, index, actualValueLength);
        if (actualValueLength > 0)
        {
            pendingHeaders.putBytes(index, value, valueOffset, actualValueLength);
            index += actualValueLength;
        }
        pendingHeadersLength = index;
        pendingHeaderCount++;
        return this;
    }

    /** Appends a record; a null key or value stays null. */
    public BatchBuilder append(final long timestamp, final byte[] key, final byte[] value)
    {
        if (key != null)
        {
            keyView.wrap(key);
        }
        if (value != null)
        {
            valueView.wrap(value);
        }
        return append(
            timestamp,
            key == null ? null : keyView, 0, key == null ? -1 : key.length,
            value == null ? null : valueView, 0, value == null ? -1 : value.length);
    }

    /**
     * Appends a record with the pending headers. A null buffer or a length of -1 makes the key or the value
     * null.
     */
    public BatchBuilder append(
        final long timestamp,
        final DirectBuffer key,
        final int keyOffset,
        final int keyLength,
        final DirectBuffer value,
        final int valueOffset,
        final int valueLength)
    {
        if (buffer == null)
        {
            throw new IllegalStateException("wrap a buffer first");
        }
        final int actualKeyLength = key == null ? -1 : keyLength;
        final int actualValueLength = value == null ? -1 : valueLength;
        if (recordCount == 0)
        {
            baseTimestamp = timestamp;
            maxTimestamp = timestamp;
        }
        else if (timestamp > maxTimestamp)
        {
            maxTimestamp = timestamp;
        }
        final long timestampDelta = timestamp - baseTimestamp;
        final int offsetDelta = recordCount;

        final int bodyLength = 1 +
            Varint.sizeOfVarlong(timestampDelta) +
            Varint.sizeOfVarint(offsetDelta) +
            Varint.sizeOfVarint(actualKeyLength) + Math.max(actualKeyLength, 0) +
            Varint.sizeOfVarint(actualValueLength) + Math.max(actualValueLength, 0) +
            Varint.sizeOfVarint(pendingHeaderCount) + pendingHeadersLength;
        final int recordLength = Varint.sizeOfVarint(bodyLength) + bodyLength;

        final MutableDirectBuffer target = recordsTarget;
        int index = recordsTargetOffset + recordsLength;
        target.checkLimit(index + recordLength);
        index += Varint.putVarint(target, index, bodyLength);
        target.putByte(index++, (byte)0);
        index += Varint.putVarlong(target, index, timestampDelta);
        index += Varint.putVarint(target, index, offsetDelta);
        index += Varint.putVarint(target, index, actualKeyLength);
        if (actualKeyLength > 0)
        {
            target.putBytes(index, key, keyOffset, actualKeyLength);
            index += actualKeyLength;
        }
        index += Varint.putVarint(target, index, actualValueLength);
        if (actualValueLength > 0)
        {
            target.putBytes(index, value, valueOffset, actualValueLength);
            index += actualValueLength;
        }
        index += Varint.putVarint(target, index, pendingHeaderCount);
        if (pendingHeadersLength > 0)
        {
            target.putBytes(index, pendingHeaders, 0, pendingHeadersLength);
        }

        recordsLength += recordLength;
        recordCount++;
        pendingHeaderCount = 0;
        pendingHeadersLength = 0;
        return this;
    }

    /**
     * Appends the control record that ends a transaction, as a transaction coordinator writes it. The batch
     * must be marked {@link #control(boolean)} and {@link #transactional(boolean)}.
     * <pre>
     *   key:   version (int16, 0) | type (int16, 0 = abort, 1 = commit)
     *   value: version (int16, 0) | coordinator epoch (int32)
     * </pre>
     */
    public BatchBuilder appendEndTxnMarker(final long timestamp, final boolean commit, final int coordinatorEpoch)
    {
        controlView.putShort(0, (short)0, RecordBatch.ORDER);
        controlView.putShort(2, commit ? CONTROL_TYPE_COMMIT : CONTROL_TYPE_ABORT, RecordBatch.ORDER);
        controlView.putShort(CONTROL_KEY_LENGTH, (short)0, RecordBatch.ORDER);
        controlView.putInt(CONTROL_KEY_LENGTH + 2, coordinatorEpoch, RecordBatch.ORDER);
        return append(
            timestamp,
            controlView, 0, CONTROL_KEY_LENGTH,
            controlView, CONTROL_KEY_LENGTH, END_TXN_MARKER_VALUE_LENGTH);
    }

    public int recordCount()
    {
        return recordCount;
    }

    /** Size the batch would have uncompressed: header plus the records so far. */
    public int uncompressedSizeInBytes()
    {
        return RecordBatch.HEADER_LENGTH + recordsLength;
    }

    /**
     * Compresses if asked, writes the header and the CRC-32C.
     *
     * @return the batch size in bytes; the batch occupies {@code [offset, offset + size)} of the buffer.
     */
    public int build()
    {
        if (recordCount == 0)
        {
            throw new IllegalStateException("a batch needs at least one record");
        }
        final int recordsSectionLength;
        if (codec == CompressionCodec.NONE)
        {
            recordsSectionLength = recordsLength;
        }
        else
        {
            recordsSectionLength = compressStagedRecords();
            buffer.checkLimit(offset + RecordBatch.RECORDS_OFFSET + recordsSectionLength);
            buffer.putBytes(offset + RecordBatch.RECORDS_OFFSET, compressed, 0, recordsSectionLength);
        }
        final int size = RecordBatch.HEADER_LENGTH + recordsSectionLength;

        int attributes = codec;
        attributes |= logAppendTime ? RecordBatch.TIMESTAMP_TYPE_MASK : 0;
        attributes |= transactional ? RecordBatch.TRANSACTIONAL_FLAG_MASK : 0;
        attributes |= control ? RecordBatch.CONTROL_FLAG_MASK : 0;

        final MutableDirectBuffer buffer = this.buffer;
        final int offset = this.offset;
        buffer.putLong(offset + RecordBatch.BASE_OFFSET_OFFSET, baseOffset, RecordBatch.ORDER);
        buffer.putInt(offset + RecordBatch.LENGTH_OFFSET, size - RecordBatch.LOG_OVERHEAD, RecordBatch.ORDER);
        buffer.putInt(offset + RecordBatch.PARTITION_LEADER_EPOCH_OFFSET, partitionLeaderEpoch, RecordBatch.ORDER);
        buffer.putByte(offset + RecordBatch.MAGIC_OFFSET, RecordBatch.MAGIC_V2);
        buffer.putShort(offset + RecordBatch.ATTRIBUTES_OFFSET, (short)attributes, RecordBatch.ORDER);
        buffer.putInt(offset + RecordBatch.LAST_OFFSET_DELTA_OFFSET, recordCount - 1, RecordBatch.ORDER);
        buffer.putLong(offset + RecordBatch.BASE_TIMESTAMP_OFFSET, baseTimestamp, RecordBatch.ORDER);
        final long batchMaxTimestamp = logAppendTime ? logAppendTimestamp : maxTimestamp;
        buffer.putLong(offset + RecordBatch.MAX_TIMESTAMP_OFFSET, batchMaxTimestamp, RecordBatch.ORDER);
        buffer.putLong(offset + RecordBatch.PRODUCER_ID_OFFSET, producerId, RecordBatch.ORDER);
        buffer.putShort(offset + RecordBatch.PRODUCER_EPOCH_OFFSET, producerEpoch, RecordBatch.ORDER);
        buffer.putInt(offset + RecordBatch.BASE_SEQUENCE_OFFSET, baseSequence, RecordBatch.ORDER);
        buffer.putInt(offset + RecordBatch.RECORD_COUNT_OFFSET, recordCount, RecordBatch.ORDER);
        writeCrc(buffer, offset);
        return size;
    }

    /** Recomputes and stores the CRC-32C of the batch at {@code offset}: {@link BatchValidator#writeCrc}. */
    public long writeCrc(final MutableDirectBuffer buffer, final int offset)
    {
        return crc.writeCrc(buffer, offset);
    }

    public void close()
    {
        if (gzip != null)
        {
            gzip.close();
        }
        if (zstd != null)
        {
            zstd.close();
        }
    }

    private int compressStagedRecords()
    {
        switch (codec)
        {
            case CompressionCodec.GZIP:
                if (gzip == null)
                {
                    gzip = new GzipStream();
                }
                return gzip.compress(stagedRecords, recordsLength, compressed);
            case CompressionCodec.SNAPPY:
                if (snappy == null)
                {
                    snappy = new SnappyStream();
                }
                return snappy.compress(stagedRecords, recordsLength, compressed);
            case CompressionCodec.LZ4:
                if (lz4 == null)
                {
                    lz4 = new Lz4Frame();
                }
                return lz4.compress(stagedRecords, recordsLength, compressed);
            default:
                if (zstd == null)
                {
                    zstd = new ZstdStream();
                }
                return zstd.compress(stagedRecords, recordsLength, compressed);
        }
    }
}
