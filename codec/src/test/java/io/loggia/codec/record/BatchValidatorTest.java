package io.loggia.codec.record;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.zip.CRC32C;

import static io.loggia.codec.record.TestRecord.utf8;
import static org.assertj.core.api.Assertions.assertThat;

class BatchValidatorTest
{
    private static final int MAX = 1024 * 1024;

    private final BatchValidator validator = new BatchValidator();
    private final BatchBuilder builder = new BatchBuilder();
    private final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(4096));

    @TempDir
    Path dir;

    @Test
    void validBatchPassesInHeapDirectAndMappedMemory() throws IOException
    {
        final int size = buildBatch(3);
        assertThat(validator.validate(buffer, 0, size, MAX)).isEqualTo(BatchValidator.VALID);

        final byte[] bytes = new byte[size + 5];
        buffer.getBytes(0, bytes, 5, size);
        assertThat(validator.validate(new UnsafeBuffer(bytes), 5, size, MAX)).isEqualTo(BatchValidator.VALID);
        assertThat(validator.validate(new UnsafeBuffer(bytes, 5, size), 0, size, MAX)).isEqualTo(BatchValidator.VALID);

        final Path file = dir.resolve("00000000000000000000.log");
        Files.write(file, bytes);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, bytes.length);
            try
            {
                final UnsafeBuffer segment = new UnsafeBuffer(mapped);
                assertThat(validator.validate(segment, 5, size, MAX)).isEqualTo(BatchValidator.VALID);
                final UnsafeBuffer raw = new UnsafeBuffer(segment.addressOffset() + 5, size);
                assertThat(validator.validate(raw, 0, size, MAX)).isEqualTo(BatchValidator.VALID);
            }
            finally
            {
                IoUtil.unmap(mapped);
            }
        }
    }

    @Test
    void fewerBytesThanAHeaderOrTheBatchIsTruncated()
    {
        final int size = buildBatch(2);
        assertThat(validator.validate(buffer, 0, 0, MAX)).isEqualTo(BatchValidator.TRUNCATED);
        assertThat(validator.validate(buffer, 0, RecordBatch.LOG_OVERHEAD, MAX)).isEqualTo(BatchValidator.TRUNCATED);
        assertThat(validator.validate(buffer, 0, RecordBatch.HEADER_LENGTH - 1, MAX))
            .isEqualTo(BatchValidator.TRUNCATED);
        assertThat(validator.validate(buffer, 0, size - 1, MAX)).isEqualTo(BatchValidator.TRUNCATED);
    }

    @Test
    void lengthBelowAnEmptyBatchIsBad()
    {
        final int size = buildBatch(1);
        buffer.putInt(RecordBatch.LENGTH_OFFSET, RecordBatch.MIN_BATCH_LENGTH - 1, RecordBatch.ORDER);
        assertThat(validator.validate(buffer, 0, size, MAX)).isEqualTo(BatchValidator.BAD_LENGTH);
        assertThat(validator.validate(buffer, 0, 20, MAX)).isEqualTo(BatchValidator.BAD_LENGTH);
        buffer.putInt(RecordBatch.LENGTH_OFFSET, -5, RecordBatch.ORDER);
        assertThat(validator.validate(buffer, 0, size, MAX)).isEqualTo(BatchValidator.BAD_LENGTH);
    }

    @Test
    void magicOtherThanTwoIsBad()
    {
        final int size = buildBatch(1);
        buffer.putByte(RecordBatch.MAGIC_OFFSET, (byte)1);
        assertThat(validator.validate(buffer, 0, size, MAX)).isEqualTo(BatchValidator.BAD_MAGIC);
    }

    @Test
    void anyChangedCoveredByteFailsTheCrc()
    {
        final int size = buildBatch(4);
        for (final int index : new int[]{ RecordBatch.CRC_OFFSET, RecordBatch.BASE_TIMESTAMP_OFFSET,
            RecordBatch.PRODUCER_ID_OFFSET + 7, RecordBatch.RECORDS_OFFSET + 3, size - 1 })
        {
            final byte original = buffer.getByte(index);
            buffer.putByte(index, (byte)(original ^ 0x10));
            assertThat(validator.validate(buffer, 0, size, MAX)).as("index %d", index)
                .isEqualTo(BatchValidator.BAD_CRC);
            buffer.putByte(index, original);
        }
        assertThat(validator.validate(buffer, 0, size, MAX)).isEqualTo(BatchValidator.VALID);
    }

    @Test
    void stampingOffsetAndEpochKeepsTheCrc()
    {
        final int size = buildBatch(2);
        RecordBatch.stampOffsetAndEpoch(buffer, 0, 987_654_321L, 42);
        assertThat(validator.validate(buffer, 0, size, MAX)).isEqualTo(BatchValidator.VALID);
        final RecordBatch batch = new RecordBatch().wrap(buffer, 0);
        assertThat(batch.baseOffset()).isEqualTo(987_654_321L);
        assertThat(batch.partitionLeaderEpoch()).isEqualTo(42);
        assertThat(batch.nextOffset()).isEqualTo(987_654_323L);
    }

    @Test
    void recordCountOutOfStepIsBad()
    {
        final int size = buildBatch(3);
        buffer.putInt(RecordBatch.RECORD_COUNT_OFFSET, 0, RecordBatch.ORDER);
        assertThat(validator.validate(buffer, 0, size, MAX)).isEqualTo(BatchValidator.BAD_RECORD_COUNT);
        buffer.putInt(RecordBatch.RECORD_COUNT_OFFSET, -1, RecordBatch.ORDER);
        assertThat(validator.validate(buffer, 0, size, MAX)).isEqualTo(BatchValidator.BAD_RECORD_COUNT);
        buffer.putInt(RecordBatch.RECORD_COUNT_OFFSET, 4, RecordBatch.ORDER);
        assertThat(validator.validate(buffer, 0, size, MAX)).isEqualTo(BatchValidator.BAD_RECORD_COUNT);
        buffer.putInt(RecordBatch.RECORD_COUNT_OFFSET, 1000, RecordBatch.ORDER);
        buffer.putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, 999, RecordBatch.ORDER);
        assertThat(validator.validate(buffer, 0, size, MAX)).isEqualTo(BatchValidator.BAD_RECORD_COUNT);
    }

    @Test
    void codecAboveZstdIsUnknown()
    {
        for (int codec = 5; codec <= 7; codec++)
        {
            final int size = buildBatch(1);
            final short attributes = buffer.getShort(RecordBatch.ATTRIBUTES_OFFSET, RecordBatch.ORDER);
            buffer.putShort(RecordBatch.ATTRIBUTES_OFFSET, (short)(attributes | codec), RecordBatch.ORDER);
            builder.writeCrc(buffer, 0);
            assertThat(validator.validate(buffer, 0, size, MAX)).isEqualTo(BatchValidator.UNKNOWN_COMPRESSION);
        }
    }

    @Test
    void batchAboveTheMaximumIsTooLarge()
    {
        final int size = buildBatch(2);
        assertThat(validator.validate(buffer, 0, size, size)).isEqualTo(BatchValidator.VALID);
        assertThat(validator.validate(buffer, 0, size, size - 1)).isEqualTo(BatchValidator.TOO_LARGE);
        assertThat(validator.validate(buffer, 0, size - 10, size - 1)).isEqualTo(BatchValidator.TOO_LARGE);
    }

    @Test
    void crcMatchesTheJdkOnEveryKindOfBuffer()
    {
        final Random random = new Random(7);
        final byte[] bytes = new byte[3000];
        random.nextBytes(bytes);
        final UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(bytes.length));
        direct.putBytes(0, bytes);
        for (int i = 0; i < 200; i++)
        {
            final int offset = random.nextInt(bytes.length);
            final int length = random.nextInt(bytes.length - offset + 1);
            final CRC32C jdk = new CRC32C();
            jdk.update(bytes, offset, length);
            assertThat(validator.crc32c(new UnsafeBuffer(bytes), offset, length)).isEqualTo(jdk.getValue());
            assertThat(validator.crc32c(direct, offset, length)).isEqualTo(jdk.getValue());
        }
    }

    @Test
    void everyCodeHasADescription()
    {
        for (int code = BatchValidator.VALID; code <= BatchValidator.TOO_LARGE; code++)
        {
            assertThat(BatchValidator.describe(code)).doesNotStartWith("unknown code");
        }
    }

    private int buildBatch(final int records)
    {
        builder.wrap(buffer, 0).baseOffset(100).producer(1L, (short)0, 0);
        for (int i = 0; i < records; i++)
        {
            builder.header("h", utf8("v" + i)).append(1_000L + i, utf8("k" + i), utf8("value-" + i));
        }
        return builder.build();
    }
}
