package io.loggia.codec.record;

import org.agrona.ExpandableDirectByteBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static io.loggia.codec.record.TestRecord.utf8;
import static org.assertj.core.api.Assertions.assertThat;

class RecordsValidatorTest
{
    private static final int MAX = 4 * 1024 * 1024;

    private final ExpandableDirectByteBuffer buffer = new ExpandableDirectByteBuffer(1024);
    private final BatchBuilder builder = new BatchBuilder();
    private final RecordsValidator validator = new RecordsValidator();

    @AfterEach
    void close()
    {
        builder.close();
        validator.close();
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 2, 3, 4 })
    void wellFormedBatchesOfEveryCodecAreValid(final int codec)
    {
        final int size = build(codec, 50, 100);
        assertThat(validator.validate(buffer, 0, size, MAX)).isEqualTo(RecordsValidator.VALID);
        assertThat(validator.recordCode()).isEqualTo(Record.VALID);
        assertThat(validator.failedRecordIndex()).isEqualTo(-1);
    }

    @Test
    void batchLevelFailuresPassThrough()
    {
        final int size = build(CompressionCodec.NONE, 3, 10);
        assertThat(validator.validate(buffer, 0, size - 1, MAX)).isEqualTo(BatchValidator.TRUNCATED);
        buffer.putByte(size - 1, (byte)(buffer.getByte(size - 1) ^ 1));
        assertThat(validator.validate(buffer, 0, size, MAX)).isEqualTo(BatchValidator.BAD_CRC);
    }

    @Test
    void recordThatDoesNotParseIsCorrupt()
    {
        final int size = build(CompressionCodec.NONE, 3, 10);
        final int secondRecord = RecordBatch.RECORDS_OFFSET + recordSize(RecordBatch.RECORDS_OFFSET, size);
        final Record record = new Record();
        assertThat(record.wrap(buffer, secondRecord, size)).isEqualTo(Record.VALID);
        Varint.putVarint(buffer, record.keyOffset() - 1, -5);
        builder.writeCrc(buffer, 0);

        assertThat(validator.validate(buffer, 0, size, MAX)).isEqualTo(RecordsValidator.CORRUPT_RECORD);
        assertThat(validator.recordCode()).isEqualTo(Record.BAD_KEY_LENGTH);
        assertThat(validator.failedRecordIndex()).isEqualTo(1);
    }

    @Test
    void fewerRecordsThanTheCountIsAMismatch()
    {
        final int size = build(CompressionCodec.NONE, 3, 10);
        buffer.putInt(RecordBatch.RECORD_COUNT_OFFSET, 4, RecordBatch.ORDER);
        buffer.putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, 3, RecordBatch.ORDER);
        builder.writeCrc(buffer, 0);
        assertThat(validator.validate(buffer, 0, size, MAX)).isEqualTo(RecordsValidator.RECORD_COUNT_MISMATCH);
        assertThat(validator.failedRecordIndex()).isEqualTo(3);
    }

    @Test
    void bytesAfterTheLastCountedRecordAreAMismatch()
    {
        final int size = build(CompressionCodec.NONE, 3, 10);
        buffer.putInt(RecordBatch.RECORD_COUNT_OFFSET, 2, RecordBatch.ORDER);
        buffer.putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, 1, RecordBatch.ORDER);
        builder.writeCrc(buffer, 0);
        assertThat(validator.validate(buffer, 0, size, MAX)).isEqualTo(RecordsValidator.RECORD_COUNT_MISMATCH);
    }

    @Test
    void partialRecordAtTheEndIsCorruptNotAMismatch()
    {
        final int size = build(CompressionCodec.NONE, 3, 10);
        buffer.putInt(RecordBatch.LENGTH_OFFSET, size - 2 - RecordBatch.LOG_OVERHEAD, RecordBatch.ORDER);
        builder.writeCrc(buffer, 0);
        assertThat(validator.validate(buffer, 0, size, MAX)).isEqualTo(RecordsValidator.CORRUPT_RECORD);
        assertThat(validator.recordCode()).isEqualTo(Record.TRUNCATED);
        assertThat(validator.failedRecordIndex()).isEqualTo(2);
    }

    @Test
    void offsetDeltasOutOfSequenceAreBad()
    {
        final int size = build(CompressionCodec.NONE, 3, 10);
        final int secondRecord = RecordBatch.RECORDS_OFFSET + recordSize(RecordBatch.RECORDS_OFFSET, size);
        final int offsetDeltaIndex = secondRecord + 1 + 1 + 1;
        assertThat(Varint.getVarint(buffer, offsetDeltaIndex)).isEqualTo(1);
        Varint.putVarint(buffer, offsetDeltaIndex, 2);
        builder.writeCrc(buffer, 0);
        assertThat(validator.validate(buffer, 0, size, MAX)).isEqualTo(RecordsValidator.BAD_OFFSET_DELTA);
        assertThat(validator.failedRecordIndex()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 2, 3, 4 })
    void truncatedCompressedRecordsAreCorruptCompression(final int codec)
    {
        final int size = build(codec, 50, 100);
        for (final int cut : new int[]{ 1, 3, 9 })
        {
            build(codec, 50, 100);
            buffer.putInt(RecordBatch.LENGTH_OFFSET, size - cut - RecordBatch.LOG_OVERHEAD, RecordBatch.ORDER);
            builder.writeCrc(buffer, 0);
            assertThat(validator.validate(buffer, 0, size - cut, MAX)).as("cut %d", cut)
                .isEqualTo(RecordsValidator.CORRUPT_COMPRESSION);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 2, 3, 4 })
    void damagedCompressedStreamIsCorruptCompression(final int codec)
    {
        final int size = build(codec, 50, 100);
        buffer.putByte(RecordBatch.RECORDS_OFFSET, (byte)(buffer.getByte(RecordBatch.RECORDS_OFFSET) ^ 0x5A));
        builder.writeCrc(buffer, 0);
        assertThat(validator.validate(buffer, 0, size, MAX)).isEqualTo(RecordsValidator.CORRUPT_COMPRESSION);
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 2, 3, 4 })
    void recordsDecompressingPastTheMaximumAreTooLarge(final int codec)
    {
        final int size = build(codec, 20, 1000);
        try (RecordsValidator small = new RecordsValidator(new BatchDecompressor(10_000)))
        {
            assertThat(small.validate(buffer, 0, size, MAX)).isEqualTo(RecordsValidator.DECOMPRESSED_TOO_LARGE);
        }
    }

    @Test
    void validateRecordsAloneSkipsTheCrc()
    {
        final int size = build(CompressionCodec.LZ4, 5, 10);
        buffer.putInt(RecordBatch.CRC_OFFSET, 0);
        assertThat(validator.validate(buffer, 0, size, MAX)).isEqualTo(BatchValidator.BAD_CRC);
        assertThat(validator.validateRecords(buffer, 0)).isEqualTo(RecordsValidator.VALID);
    }

    @Test
    void everyCodeHasADescription()
    {
        for (int code = RecordsValidator.VALID; code <= RecordsValidator.DECOMPRESSED_TOO_LARGE; code++)
        {
            assertThat(RecordsValidator.describe(code)).doesNotStartWith("unknown code");
        }
    }

    private int build(final int codec, final int records, final int valueSize)
    {
        final Random random = new Random(records);
        builder.wrap(buffer, 0).compression(codec);
        for (int i = 0; i < records; i++)
        {
            builder.append(5_000L, utf8("key" + i), TestRecord.compressible(random, valueSize));
        }
        return builder.build();
    }

    private int recordSize(final int offset, final int limit)
    {
        final Record record = new Record();
        assertThat(record.wrap(buffer, offset, limit)).isEqualTo(Record.VALID);
        return record.sizeInBytes();
    }
}
