package io.loggia.net.broker.data;

import io.loggia.codec.record.BatchDecompressor;
import io.loggia.codec.record.BatchValidator;
import io.loggia.codec.record.CompressionCodec;
import io.loggia.codec.record.Record;
import io.loggia.codec.record.RecordBatch;
import io.loggia.codec.record.RecordCursor;
import io.loggia.codec.wire.WireReader;
import io.loggia.engine.log.LogConfig;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;

/**
 * Checks the records of one partition of a Produce request before they reach a writer's ring, with Kafka's
 * rules and Kafka's error codes, in Kafka's order (request structure, then the log's checks, then the
 * validator's), so a client sees the error a Kafka broker would have given it:
 * <pre>
 *   check                                                        Kafka error
 *   -----------------------------------------------------------  ---------------------------------
 *   records null, empty, or shorter than the batch they start    INVALID_RECORD (87): no whole batch
 *   batch length below 14                                        CORRUPT_MESSAGE (2)
 *   magic != 2                                                   INVALID_RECORD (87)
 *   more than one batch (bytes after the first)                  INVALID_RECORD (87): exactly one from v3
 *   base offset != 0                                             INVALID_RECORD (87): clients send 0
 *   size > the topic's max.message.bytes                         MESSAGE_TOO_LARGE (10)
 *   length below a header, unknown codec, CRC-32C mismatch       CORRUPT_MESSAGE (2)
 *   record count != last offset delta + 1, count too large       INVALID_RECORD (87)
 *   control batch                                                INVALID_RECORD (87): clients may not write them
 *   producer id >= 0 with a negative base sequence               INVALID_RECORD (87)
 *   a record that does not parse, or bytes after the last        INVALID_RECORD (87)
 *     record the count announces (compressed batches inflated)
 *   compressed records that do not decompress, or inflate past   INVALID_RECORD (87)
 *     MAX_DECOMPRESSED_BYTES
 *   compacted topic, a record without key                        INVALID_RECORD (87)
 *   transactional batch                                          UNSUPPORTED_FOR_MESSAGE_FORMAT (43), as the writer
 * </pre>
 * The records of every batch are walked, as Kafka's validator iterates them: a producer that gets its CRC right
 * over records that do not parse, or over compressed bytes that do not decompress, would otherwise store a batch
 * every consumer of the partition fails on (found by the protocol fuzzer). A compressed batch is inflated into
 * this validator's reused buffers on the network thread, as Kafka inflates it on a request handler thread; the
 * batch is still stored as the producer sent it.
 * <p>
 * Allocation-free for uncompressed batches; a compressed one allocates only while its codec's reusable context
 * and the buffers grow to the largest batch seen. Not thread safe; one instance per network thread.
 */
final class ProduceValidator
{
    /** Kafka's iterator refuses a batch length below the smallest record of any magic (14) as corrupt. */
    static final int MIN_ANY_BATCH_LENGTH = 14;

    private final BatchValidator batchValidator = new BatchValidator();
    private final RecordBatch batch = new RecordBatch();
    private final RecordCursor cursor = new RecordCursor();
    /** The most a compressed batch may inflate to: far above any producer's batch, small enough to hold. */
    static final int MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;
    private final BatchDecompressor decompressor = new BatchDecompressor(MAX_DECOMPRESSED_BYTES);

    /**
     * @param recordsLength the partition's records length, or {@link WireReader#NULL_LENGTH}.
     * @return {@link DataErrors#NONE} or the Kafka error to answer this partition with.
     */
    short validate(final DirectBuffer buffer, final int recordsOffset, final int recordsLength, final LogConfig config)
    {
        if (recordsLength < RecordBatch.LOG_OVERHEAD)
        {
            return DataErrors.INVALID_RECORD;
        }
        final int batchLength = buffer.getInt(recordsOffset + RecordBatch.LENGTH_OFFSET, ByteOrder.BIG_ENDIAN);
        if (batchLength < MIN_ANY_BATCH_LENGTH)
        {
            return DataErrors.CORRUPT_MESSAGE;
        }
        final long size = (long)RecordBatch.LOG_OVERHEAD + batchLength;
        if (size > recordsLength)
        {
            return DataErrors.INVALID_RECORD;
        }
        if (buffer.getByte(recordsOffset + RecordBatch.MAGIC_OFFSET) != RecordBatch.MAGIC_V2 || size != recordsLength)
        {
            return DataErrors.INVALID_RECORD;
        }
        final RecordBatch batch = this.batch.wrap(buffer, recordsOffset);
        if (0 != batch.baseOffset())
        {
            return DataErrors.INVALID_RECORD;
        }
        if (size > config.maxMessageBytes())
        {
            return DataErrors.MESSAGE_TOO_LARGE;
        }

        final int headerCode = batchValidator.validateHeader(buffer, recordsOffset, recordsLength, Integer.MAX_VALUE);
        if (BatchValidator.VALID != headerCode && BatchValidator.BAD_RECORD_COUNT != headerCode)
        {
            return DataErrors.CORRUPT_MESSAGE;
        }
        final long computed = batchValidator.crc32c(
            buffer, recordsOffset + RecordBatch.ATTRIBUTES_OFFSET, recordsLength - RecordBatch.ATTRIBUTES_OFFSET);
        if (computed != batch.crc())
        {
            return DataErrors.CORRUPT_MESSAGE;
        }
        if (BatchValidator.BAD_RECORD_COUNT == headerCode)
        {
            return DataErrors.INVALID_RECORD;
        }

        if (batch.isControlBatch())
        {
            return DataErrors.INVALID_RECORD;
        }
        if (batch.producerId() >= 0 && batch.baseSequence() < 0)
        {
            return DataErrors.INVALID_RECORD;
        }
        final boolean keysRequired = config.cleanupPolicy().isCompact();
        final short records = CompressionCodec.NONE == batch.compressionCodec() ?
            checkRecords(this.cursor.wrapUncompressed(batch), keysRequired) :
            checkCompressedRecords(buffer, recordsOffset, keysRequired);
        if (DataErrors.NONE != records)
        {
            return records;
        }
        // Kafka checks producer state after validation; the writer would refuse it the same way
        return batch.isTransactional() ? DataErrors.UNSUPPORTED_FOR_MESSAGE_FORMAT : DataErrors.NONE;
    }

    /** The records inflate within the bound, then as {@link #checkRecords}. */
    private short checkCompressedRecords(final DirectBuffer buffer, final int batchOffset, final boolean keysRequired)
    {
        final RecordCursor cursor = this.cursor;
        return 0 != decompressor.wrapRecords(buffer, batchOffset, cursor) ?
            DataErrors.INVALID_RECORD : checkRecords(cursor, keysRequired);
    }

    /** Every record parses, they fill the batch exactly, and on a compacted topic each has a key. */
    private static short checkRecords(final RecordCursor cursor, final boolean keysRequired)
    {
        int code;
        while (Record.VALID == (code = cursor.next()))
        {
            if (keysRequired && !cursor.record().hasKey())
            {
                return DataErrors.INVALID_RECORD;
            }
        }
        return RecordCursor.END == code && 0 == cursor.remaining() ? DataErrors.NONE : DataErrors.INVALID_RECORD;
    }
}
