package io.loggia.tools.dump;

import io.loggia.codec.record.BatchDecompressor;
import io.loggia.codec.record.BatchValidator;
import io.loggia.codec.record.CompressionCodec;
import io.loggia.codec.record.Record;
import io.loggia.codec.record.RecordBatch;
import io.loggia.codec.record.RecordCursor;
import io.loggia.codec.record.RecordsValidator;
import org.agrona.DirectBuffer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteOrder;

/**
 * Dumps and verifies a {@code .log} segment file: one line per batch with the fields {@code kafka-dump-log}
 * prints, and with {@code --deep-iteration} one line per record (see {@link RecordPrinter}).
 * <pre>
 * baseOffset: 0 lastOffset: 2 count: 3 baseSequence: -1 lastSequence: -1 producerId: -1 producerEpoch: -1
 * partitionLeaderEpoch: 0 isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty
 * position: 0 CreateTime: 1700000000002 size: 100 magic: 2 compresscodec: none crc: 2785134427 isvalid: true
 * </pre>
 * (one line in the output). Each batch is checked with {@link BatchValidator} (length, magic, codec, count,
 * CRC-32C) and with {@code --deep-iteration} also with {@link RecordsValidator} (every record parses, counts and
 * offset deltas agree, compressed records decode); a batch that fails is printed with {@code isvalid: false}
 * and followed by a line saying why. Offsets must run on from the file's base offset without gaps, as the
 * broker's recovery demands.
 * <p>
 * The walk ends at the end of the file, at a zero tail (a preallocated active segment that was not trimmed:
 * fine), or at bytes that hold no batch (reported as invalid bytes at the end). Not thread safe; one instance
 * per dump, reused across files.
 */
final class LogDumper implements AutoCloseable
{
    private static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;

    private final BatchValidator batchValidator = new BatchValidator();
    private final BatchDecompressor decompressor = new BatchDecompressor();
    private final RecordsValidator recordsValidator = new RecordsValidator(new BatchDecompressor());
    private final RecordCursor cursor = new RecordCursor();
    private final RecordBatch batch = new RecordBatch();
    private final RecordPrinter recordPrinter = new RecordPrinter();
    private final StringBuilder line = new StringBuilder(320);

    /**
     * Dump one mapped {@code .log}.
     *
     * @param findings receives the problems found.
     * @throws IOException if the file cannot be read.
     */
    void dump(final MappedFile file, final DumpOptions options, final PrintStream out, final Findings findings)
        throws IOException
    {
        final long baseOffset = DumpOptions.baseOffsetOf(file.path());
        out.println("Log starting offset: " + (baseOffset >= 0 ? Long.toString(baseOffset) : "unknown"));

        final DirectBuffer buffer = file.buffer();
        final int fileLength = file.length();
        final int limit = Math.min(fileLength, options.maxBytes());
        final boolean cutByMaxBytes = limit < fileLength;
        long expectedOffset = baseOffset;
        int invalidBatches = 0;
        int gaps = 0;
        int position = 0;
        while (position < limit)
        {
            final int available = limit - position;
            if (isZeroTail(file, position, available))
            {
                out.println("Zero tail: " + available + " bytes of zeros from position " + position +
                    (cutByMaxBytes ? " to --max-bytes" : " to the end") + " (preallocated, not trimmed)");
                break;
            }
            final int batchLength = available >= RecordBatch.LOG_OVERHEAD ?
                buffer.getInt(position + RecordBatch.LENGTH_OFFSET, ORDER) : -1;
            final long size = (long)RecordBatch.LOG_OVERHEAD + batchLength;
            if (available < RecordBatch.LOG_OVERHEAD || batchLength < RecordBatch.MIN_BATCH_LENGTH || size > available)
            {
                final boolean lengthPlausible = available >= RecordBatch.LOG_OVERHEAD &&
                    batchLength >= RecordBatch.MIN_BATCH_LENGTH;
                if (cutByMaxBytes && (lengthPlausible || available < RecordBatch.LOG_OVERHEAD))
                {
                    // the next batch crosses the --max-bytes limit: stop there, as kafka-dump-log does
                    break;
                }
                if (lengthPlausible && available >= RecordBatch.HEADER_LENGTH &&
                    RecordBatch.MAGIC_V2 == buffer.getByte(position + RecordBatch.MAGIC_OFFSET))
                {
                    batch.wrap(buffer, position);
                    printBatch(out, position, false);
                    out.println("Invalid batch at position " + position + ": truncated: the batch is " + size +
                        " bytes, " + available + " are left in the file");
                    invalidBatches++;
                }
                else
                {
                    out.println("Found " + available + " invalid bytes at the end of " + file.path().getFileName());
                    findings.add(available, "invalid byte at the end", "invalid bytes at the end");
                }
                break;
            }

            batch.wrap(buffer, position);
            if (expectedOffset >= 0 && batch.baseOffset() != expectedOffset)
            {
                out.println("Offset gap: the batch at position " + position + " starts at offset " +
                    batch.baseOffset() + ", expected " + expectedOffset);
                gaps++;
            }

            int code = batchValidator.validate(buffer, position, available, Integer.MAX_VALUE);
            final boolean headerValid = BatchValidator.VALID == code || BatchValidator.BAD_CRC == code;
            if (BatchValidator.VALID == code && options.deepIteration())
            {
                code = recordsValidator.validateRecords(buffer, position);
            }
            printBatch(out, position, BatchValidator.VALID == code);
            if (BatchValidator.VALID != code)
            {
                out.println("Invalid batch at position " + position + ": " + reason(code, buffer, position));
                invalidBatches++;
            }
            if (options.deepIteration() && headerValid)
            {
                printRecords(out, buffer, position, options.printDataLog());
            }

            expectedOffset = batch.lastOffsetDelta() >= 0 ? batch.lastOffset() + 1 : -1;
            position += (int)size;
        }

        findings.add(invalidBatches, "invalid batch", "invalid batches");
        findings.add(gaps, "offset gap", "offset gaps");
    }

    public void close()
    {
        decompressor.close();
        recordsValidator.close();
    }

    private void printBatch(final PrintStream out, final int position, final boolean valid)
    {
        final RecordBatch batch = this.batch;
        final StringBuilder line = this.line;
        line.setLength(0);
        line.append("baseOffset: ").append(batch.baseOffset())
            .append(" lastOffset: ").append(batch.lastOffset())
            .append(" count: ").append(batch.recordCount())
            .append(" baseSequence: ").append(batch.baseSequence())
            .append(" lastSequence: ").append(batch.lastSequence())
            .append(" producerId: ").append(batch.producerId())
            .append(" producerEpoch: ").append(batch.producerEpoch())
            .append(" partitionLeaderEpoch: ").append(batch.partitionLeaderEpoch())
            .append(" isTransactional: ").append(batch.isTransactional())
            .append(" isControl: ").append(batch.isControlBatch())
            .append(" deleteHorizonMs: ");
        // printed as Kafka's tool prints java.util.OptionalLong, so that the two dumps compare line for line
        if (0 != (batch.attributes() & RecordBatch.DELETE_HORIZON_FLAG_MASK))
        {
            line.append("OptionalLong[").append(batch.baseTimestamp()).append(']');
        }
        else
        {
            line.append("OptionalLong.empty");
        }
        line.append(" position: ").append(position)
            .append(batch.isLogAppendTime() ? " LogAppendTime: " : " CreateTime: ").append(batch.maxTimestamp())
            .append(" size: ").append(batch.sizeInBytes())
            .append(" magic: ").append(batch.magic())
            .append(" compresscodec: ").append(CompressionCodec.name(batch.compressionCodec()))
            .append(" crc: ").append(batch.crc())
            .append(" isvalid: ").append(valid);
        out.println(line);
    }

    /** Prints the records that parse; the batch line already said whether and where they stop parsing. */
    private void printRecords(
        final PrintStream out, final DirectBuffer buffer, final int position, final boolean content)
    {
        if (decompressor.wrapRecords(buffer, position, cursor) < 0)
        {
            return;
        }
        while (Record.VALID == cursor.next())
        {
            recordPrinter.print(out, batch, cursor.record(), content);
        }
    }

    private String reason(final int code, final DirectBuffer buffer, final int position)
    {
        switch (code)
        {
            case BatchValidator.BAD_CRC:
            {
                final int size = batch.sizeInBytes();
                final long computed = batchValidator.crc32c(
                    buffer, position + RecordBatch.ATTRIBUTES_OFFSET, size - RecordBatch.ATTRIBUTES_OFFSET);
                return "CRC-32C mismatch: stored " + batch.crc() + ", computed " + computed;
            }
            case RecordsValidator.CORRUPT_RECORD:
                return RecordsValidator.describe(code) + ": record " + recordsValidator.failedRecordIndex() + ": " +
                    Record.describe(recordsValidator.recordCode());
            case RecordsValidator.BAD_OFFSET_DELTA:
                return RecordsValidator.describe(code) + ": record " + recordsValidator.failedRecordIndex();
            default:
                return RecordsValidator.describe(code);
        }
    }

    /**
     * True if every byte from {@code position} to the limit is zero: the unwritten, preallocated end of an active
     * segment. A batch can never start with twelve zero bytes (its length is at least 49), so only then is
     * the rest read.
     */
    private static boolean isZeroTail(final MappedFile file, final int position, final int available)
        throws IOException
    {
        final DirectBuffer buffer = file.buffer();
        final int head = Math.min(available, RecordBatch.LOG_OVERHEAD);
        for (int i = 0; i < head; i++)
        {
            if (0 != buffer.getByte(position + i))
            {
                return false;
            }
        }
        return file.isZero(position + head, (long)position + available);
    }
}
