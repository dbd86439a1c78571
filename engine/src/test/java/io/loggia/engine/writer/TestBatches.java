package io.loggia.engine.writer;

import io.loggia.codec.record.BatchBuilder;
import io.loggia.codec.record.BatchValidator;
import io.loggia.codec.record.RecordBatch;
import io.loggia.engine.log.LogConfig;
import io.loggia.engine.log.LogConfigParser;
import org.agrona.ErrorHandler;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Batches and configs for the writer, housekeeper and engine tests, built with the codec's {@link BatchBuilder}.
 */
public final class TestBatches
{
    private TestBatches()
    {
    }

    /** Collects errors; tests assert it stays empty unless they provoke one. */
    public static final class Errors implements ErrorHandler
    {
        public final List<Throwable> seen = new CopyOnWriteArrayList<>();

        public void onError(final Throwable throwable)
        {
            seen.add(throwable);
        }
    }

    public static LogConfig config(final String... keyValues)
    {
        final Map<String, String> map = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2)
        {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        final LogConfigParser.Result result = LogConfigParser.parseTopic(map, LogConfig.DEFAULTS);
        if (!result.isValid())
        {
            throw new IllegalArgumentException(result.error());
        }
        return result.config();
    }

    /**
     * A batch of {@code records} records whose values are {@code valueSize} bytes, the first 8 holding
     * {@code tag} (the tests' way of recognising a batch after it went through the log).
     */
    public static UnsafeBuffer batch(final int records, final int valueSize, final long timestamp, final long tag)
    {
        return batch(records, valueSize, timestamp, tag, -1, (short)-1, -1);
    }

    /** An idempotent batch: producer id, epoch and base sequence set. */
    public static UnsafeBuffer batch(
        final int records,
        final int valueSize,
        final long timestamp,
        final long tag,
        final long producerId,
        final short epoch,
        final int baseSequence)
    {
        return batch(records, valueSize, timestamp, tag, producerId, epoch, baseSequence, false);
    }

    /** An idempotent batch, transactional if asked. */
    public static UnsafeBuffer batch(
        final int records,
        final int valueSize,
        final long timestamp,
        final long tag,
        final long producerId,
        final short epoch,
        final int baseSequence,
        final boolean transactional)
    {
        try (BatchBuilder builder = new BatchBuilder())
        {
            final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
            builder.wrap(buffer, 0);
            if (producerId >= 0)
            {
                builder.producer(producerId, epoch, baseSequence).transactional(transactional);
            }
            for (int i = 0; i < records; i++)
            {
                final byte[] value = new byte[Math.max(8, valueSize)];
                final UnsafeBuffer view = new UnsafeBuffer(value);
                view.putLong(0, tag);
                view.putInt(Math.min(8, value.length - 4), i);
                builder.append(timestamp + i, null, value);
            }
            final int size = builder.build();
            final UnsafeBuffer batch = new UnsafeBuffer(ByteBuffer.allocateDirect(size));
            batch.putBytes(0, buffer, 0, size);
            return batch;
        }
    }

    /** Two regions back to back, as one append. */
    public static UnsafeBuffer concat(final UnsafeBuffer first, final UnsafeBuffer second)
    {
        final UnsafeBuffer both = new UnsafeBuffer(ByteBuffer.allocateDirect(first.capacity() + second.capacity()));
        both.putBytes(0, first, 0, first.capacity());
        both.putBytes(first.capacity(), second, 0, second.capacity());
        return both;
    }

    /** The tag of the batch at {@code offset}: the first 8 bytes of its first record's value. */
    public static long tagOf(final org.agrona.DirectBuffer buffer, final int offset)
    {
        final RecordBatch batch = new RecordBatch().wrap(buffer, offset);
        final io.loggia.codec.record.Record record = new io.loggia.codec.record.Record();
        record.wrap(buffer, batch.recordsOffset(), batch.recordsOffset() + batch.recordsLength());
        return buffer.getLong(record.valueOffset());
    }

    /** Checks length, magic, record count and CRC. */
    public static boolean valid(final org.agrona.DirectBuffer buffer, final int offset, final int length)
    {
        return BatchValidator.VALID == new BatchValidator().validate(buffer, offset, length, Integer.MAX_VALUE);
    }
}
