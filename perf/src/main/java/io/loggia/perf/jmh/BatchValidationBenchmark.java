package io.loggia.perf.jmh;

import io.loggia.codec.record.BatchBuilder;
import io.loggia.codec.record.BatchValidator;
import io.loggia.codec.record.RecordBatch;
import io.loggia.codec.record.RecordsValidator;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * What the network thread pays per produced batch before it reaches the writer's ring: {@code validate}
 * (header checks and CRC-32C over attributes to the end), the CRC-32C alone, and for comparison the deep
 * record walk that only tools run.
 * <p>
 * Batches are 16 KiB of uncompressed 100-byte records (a 90-byte value, no key, no headers: about 160 records),
 * built once into direct memory. {@code batches} = 1 keeps the one batch in L1; 256 cycles through 4 MiB, so
 * each batch comes from L2/L3 as a freshly received one would. The {@code bytes} counter is reported as a rate:
 * it is the batch bytes checked per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
@State(Scope.Thread)
public class BatchValidationBenchmark
{
    private static final int BATCH_BYTES = 16 * 1024;
    private static final int RECORD_VALUE_BYTES = 90;
    private static final int MAX_BATCH_SIZE = 1024 * 1024;

    @Param({"1", "256"})
    public int batches;

    private final BatchValidator validator = new BatchValidator();
    private final RecordsValidator recordsValidator = new RecordsValidator();
    private UnsafeBuffer memory;
    private int batchSize;
    private int next;

    /** Batch bytes handled, reported per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Bytes
    {
        public long bytes;
    }

    @Setup(Level.Trial)
    public void setUp()
    {
        memory = new UnsafeBuffer(ByteBuffer.allocateDirect(batches * BATCH_BYTES));
        final UnsafeBuffer value = new UnsafeBuffer(new byte[RECORD_VALUE_BYTES]);
        for (int i = 0; i < RECORD_VALUE_BYTES; i++)
        {
            value.putByte(i, (byte)('a' + i % 26));
        }
        try (BatchBuilder builder = new BatchBuilder())
        {
            for (int b = 0; b < batches; b++)
            {
                builder.wrap(memory, b * BATCH_BYTES).baseOffset(b * 1000L).producer(1L, (short)0, b * 1000);
                while (builder.uncompressedSizeInBytes() + 100 <= BATCH_BYTES)
                {
                    final long timestamp = 1_700_000_000_000L + builder.recordCount();
                    builder.append(timestamp, null, 0, -1, value, 0, RECORD_VALUE_BYTES);
                }
                batchSize = builder.build();
                if (validator.validate(memory, b * BATCH_BYTES, batchSize, MAX_BATCH_SIZE) != BatchValidator.VALID)
                {
                    throw new IllegalStateException("benchmark batch does not validate");
                }
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        recordsValidator.close();
    }

    @Benchmark
    public int validate(final Bytes bytes)
    {
        bytes.bytes += batchSize;
        return validator.validate(memory, nextBatch(), batchSize, MAX_BATCH_SIZE);
    }

    @Benchmark
    public long crc32c(final Bytes bytes)
    {
        bytes.bytes += batchSize;
        final int covered = nextBatch() + RecordBatch.ATTRIBUTES_OFFSET;
        return validator.crc32c(memory, covered, batchSize - RecordBatch.ATTRIBUTES_OFFSET);
    }

    @Benchmark
    public int deepValidate(final Bytes bytes)
    {
        bytes.bytes += batchSize;
        return recordsValidator.validate(memory, nextBatch(), batchSize, MAX_BATCH_SIZE);
    }

    private int nextBatch()
    {
        final int batch = next;
        next = batch + 1 == batches ? 0 : batch + 1;
        return batch * BATCH_BYTES;
    }
}
