package io.loggia.codec.record;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/** The steady-state paths the broker and the benchmarks lean on allocate nothing, measured per thread. */
class AllocationFreeTest
{
    private static final int CYCLES = 2_000;

    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
    private final UnsafeBuffer target = new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024));
    private final UnsafeBuffer heapTarget = new UnsafeBuffer(new byte[64 * 1024]);
    private final UnsafeBuffer key = new UnsafeBuffer(ByteBuffer.allocateDirect(16));
    private final UnsafeBuffer value = new UnsafeBuffer(new byte[100]);
    private final BatchBuilder builder = new BatchBuilder();
    private final BatchValidator batchValidator = new BatchValidator();
    private final RecordsValidator recordsValidator = new RecordsValidator();
    private final RecordCursor cursor = new RecordCursor();
    private final RecordHeader header = new RecordHeader();
    private final RecordBatch batch = new RecordBatch();

    @Test
    void buildValidateAndIterateUncompressedBatchesWithoutAllocating()
    {
        long sink = 0;
        for (int i = 0; i < CYCLES; i++)
        {
            sink += cycle(i);
        }
        final long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < CYCLES; i++)
        {
            sink += cycle(i);
        }
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(sink).isPositive();
        assertThat(allocated).as("bytes allocated over %d cycles", CYCLES).isLessThan(CYCLES);
        builder.close();
        recordsValidator.close();
    }

    private long cycle(final int round)
    {
        final UnsafeBuffer buffer = (round & 1) == 0 ? target : heapTarget;
        builder.wrap(buffer, 0).baseOffset(round).producer(7L, (short)1, round);
        for (int i = 0; i < 100; i++)
        {
            key.putLong(0, i);
            builder.header(key, 0, 3, value, 0, 5)
                .append(1_000L + i, key, 0, 8, value, 0, value.capacity());
        }
        final int size = builder.build();
        long sum = size;
        sum += batchValidator.validate(buffer, 0, size, 1 << 20);
        sum += recordsValidator.validate(buffer, 0, size, 1 << 20);
        cursor.wrapUncompressed(batch.wrap(buffer, 0));
        while (cursor.next() == Record.VALID)
        {
            final Record record = cursor.record();
            sum += record.offsetDelta() + record.valueLength();
            record.headers(header);
            while (header.next())
            {
                sum += header.keyLength();
            }
        }
        return sum;
    }
}
