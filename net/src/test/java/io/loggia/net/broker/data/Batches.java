package io.loggia.net.broker.data;

import io.loggia.codec.record.BatchValidator;
import io.loggia.codec.record.RecordBatch;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Record batches for raw requests: built by kafka-clients, then bent where a test needs a bad one. */
final class Batches
{
    static final long TIMESTAMP = 1_700_000_000_000L;

    private Batches()
    {
    }

    static byte[] bytes(final String value)
    {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** One batch of {@code count} keyed records, uncompressed, no producer id. */
    static MemoryRecords plain(final int count)
    {
        final SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++)
        {
            records[i] = new SimpleRecord(TIMESTAMP + i, bytes("k" + i), bytes("value-" + i));
        }
        return MemoryRecords.withRecords(Compression.NONE, records);
    }

    static MemoryRecords ofBytes(final byte[] bytes)
    {
        return MemoryRecords.readableRecords(ByteBuffer.wrap(bytes));
    }

    static byte[] toBytes(final MemoryRecords records)
    {
        final ByteBuffer buffer = records.buffer().duplicate();
        final byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    /** The batch with one byte under the CRC flipped (the CRC left as it was). */
    static MemoryRecords corruptCrc(final MemoryRecords records)
    {
        final byte[] bytes = toBytes(records);
        bytes[bytes.length - 2] ^= 0x5A;
        return ofBytes(bytes);
    }

    /** Changes an int field of the first batch and recomputes its CRC, so only the changed rule is broken. */
    static MemoryRecords withInt(final MemoryRecords records, final int fieldOffset, final int value)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(toBytes(records));
        buffer.putInt(fieldOffset, value, java.nio.ByteOrder.BIG_ENDIAN);
        new BatchValidator().writeCrc(buffer, 0);
        return ofBytes(buffer.byteArray());
    }

    /** Sets attribute bits of the first batch and recomputes its CRC. */
    static MemoryRecords withAttributes(final MemoryRecords records, final int bits)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(toBytes(records));
        final short attributes = buffer.getShort(RecordBatch.ATTRIBUTES_OFFSET, java.nio.ByteOrder.BIG_ENDIAN);
        buffer.putShort(RecordBatch.ATTRIBUTES_OFFSET, (short)(attributes | bits), java.nio.ByteOrder.BIG_ENDIAN);
        new BatchValidator().writeCrc(buffer, 0);
        return ofBytes(buffer.byteArray());
    }

    static MemoryRecords concat(final MemoryRecords first, final MemoryRecords second)
    {
        final byte[] a = toBytes(first);
        final byte[] b = toBytes(second);
        final byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return ofBytes(both);
    }
}
