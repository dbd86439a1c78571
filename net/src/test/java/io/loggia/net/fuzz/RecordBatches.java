package io.loggia.net.fuzz;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Valid record batches (magic 2) for Produce requests, written by kafka-clients so they are what a real producer
 * sends: 1 to 5 records with or without keys and headers, mostly uncompressed, sometimes compressed with each
 * codec, sometimes idempotent. Idempotent batches use a handful of producer ids so the broker's producer state
 * stays small however long a run is.
 */
final class RecordBatches
{
    static final long FIRST_PRODUCER_ID = 7_000;
    static final int PRODUCER_IDS = 4;
    private static final long TIMESTAMP = 1_700_000_000_000L;

    private RecordBatches()
    {
    }

    static byte[] batch(final SplittableRandom random)
    {
        final SimpleRecord[] records = new SimpleRecord[1 + random.nextInt(5)];
        for (int i = 0; i < records.length; i++)
        {
            final byte[] key =
                random.nextInt(4) == 0 ? null : ("k" + random.nextInt(100)).getBytes(StandardCharsets.UTF_8);
            final byte[] value = new byte[random.nextInt(8) == 0 ? random.nextInt(4096) : random.nextInt(64)];
            random.nextBytes(value);
            records[i] = random.nextInt(6) == 0 ?
                new SimpleRecord(TIMESTAMP + i, key, value,
                    new org.apache.kafka.common.header.Header[]{
                        new org.apache.kafka.common.header.internals.RecordHeader("h", new byte[]{1, 2})}) :
                new SimpleRecord(TIMESTAMP + i, key, value);
        }
        final Compression compression = compression(random);
        final MemoryRecords memoryRecords = random.nextInt(5) == 0 ?
            MemoryRecords.withIdempotentRecords(compression, FIRST_PRODUCER_ID + random.nextInt(PRODUCER_IDS),
                (short)0, random.nextInt(3) == 0 ? 0 : random.nextInt(50), records) :
            MemoryRecords.withRecords(compression, records);
        final ByteBuffer buffer = memoryRecords.buffer();
        final byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static Compression compression(final SplittableRandom random)
    {
        switch (random.nextInt(12))
        {
            case 0: return Compression.gzip().build();
            case 1: return Compression.snappy().build();
            case 2: return Compression.lz4().build();
            case 3: return Compression.zstd().build();
            default: return Compression.NONE;
        }
    }
}
