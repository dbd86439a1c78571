package io.loggia.engine.log;

import io.loggia.codec.record.BatchBuilder;
import io.loggia.codec.record.BatchValidator;
import io.loggia.codec.record.RecordBatch;
import org.agrona.ErrorHandler;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Shared helpers for the log tests: configs, batches built with the codec's {@link BatchBuilder}, loading,
 * and reading a {@link ReadResult}'s bytes back through the file channel, as a fetch would send them.
 */
final class TestLogs
{
    static final TopicPartition TP = new TopicPartition("orders", 0);
    static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;

    /** Collects errors the log reports; tests assert it stays empty unless they provoke one. */
    static final class Errors implements ErrorHandler
    {
        final List<Throwable> seen = new CopyOnWriteArrayList<>();

        public void onError(final Throwable throwable)
        {
            seen.add(throwable);
        }
    }

    private TestLogs()
    {
    }

    static LogConfig config(final String... keyValues)
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

    /** A fresh or existing log, loaded as after an unclean shutdown with recovery point 0. */
    static PartitionLog open(final Path logDir, final LogConfig config, final ErrorHandler errors) throws IOException
    {
        return LogLoader.load(logDir, TP, config, false, 0, 0, Long.MAX_VALUE, 0, errors, new RecoveryReport());
    }

    /**
     * Build one batch of {@code records} records of {@code valueSize} random bytes at {@code offset} in
     * {@code buffer}; timestamps {@code timestamp}, {@code timestamp + 1}, ...
     *
     * @return its size.
     */
    static int batch(
        final BatchBuilder builder,
        final ExpandableArrayBuffer buffer,
        final int offset,
        final int records,
        final int valueSize,
        final long timestamp,
        final Random random)
    {
        builder.wrap(buffer, offset).producer(1000L, (short)0, 0);
        for (int i = 0; i < records; i++)
        {
            final byte[] value = new byte[valueSize];
            random.nextBytes(value);
            builder.append(timestamp + i, null, value);
        }
        return builder.build();
    }

    /** A standalone batch as an array, for a model to keep. */
    static byte[] batchBytes(final int records, final int valueSize, final long timestamp, final Random random)
    {
        try (BatchBuilder builder = new BatchBuilder())
        {
            final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
            final int size = batch(builder, buffer, 0, records, valueSize, timestamp, random);
            final byte[] bytes = new byte[size];
            buffer.getBytes(0, bytes);
            return bytes;
        }
    }

    /** What the log stores for {@code produced}: the same bytes with base offset and leader epoch stamped. */
    static byte[] stamped(final byte[] produced, final long baseOffset, final int leaderEpoch)
    {
        final byte[] copy = produced.clone();
        RecordBatch.stampOffsetAndEpoch(new UnsafeBuffer(copy), 0, baseOffset, leaderEpoch);
        return copy;
    }

    static int append(final PartitionLog log, final byte[] batch, final int epoch, final long nowMs, final AppendInfo info)
    {
        return log.append(new UnsafeBuffer(batch), 0, batch.length, epoch, nowMs, info);
    }

    /** The bytes a fetch would send for {@code result}, read through the segment's channel. */
    static byte[] bytesOf(final ReadResult result) throws IOException
    {
        final ByteBuffer target = ByteBuffer.allocate(result.length);
        final FileChannel channel = result.channel;
        long position = result.position;
        while (target.hasRemaining())
        {
            final int read = channel.read(target, position);
            if (read < 0)
            {
                throw new IOException("file ended at " + position);
            }
            position += read;
        }
        return target.array();
    }

    /** One decoded batch of a region: where it starts and its offsets. */
    record Batch(int position, int size, long baseOffset, long lastOffset, long maxTimestamp, int leaderEpoch)
    {
    }

    /**
     * Split a region into whole batches, checking each with {@link BatchValidator} (CRC included).
     *
     * @throws AssertionError if the region is not a sequence of whole valid batches.
     */
    static List<Batch> batches(final byte[] region)
    {
        final List<Batch> batches = new ArrayList<>();
        final UnsafeBuffer buffer = new UnsafeBuffer(region);
        final BatchValidator validator = new BatchValidator();
        int position = 0;
        while (position < region.length)
        {
            final int code = validator.validate(buffer, position, region.length - position, Integer.MAX_VALUE);
            if (BatchValidator.VALID != code)
            {
                throw new AssertionError("invalid batch at " + position + " of " + region.length + ": " +
                    BatchValidator.describe(code));
            }
            final int size = RecordBatch.LOG_OVERHEAD + buffer.getInt(position + RecordBatch.LENGTH_OFFSET, ORDER);
            final long base = buffer.getLong(position + RecordBatch.BASE_OFFSET_OFFSET, ORDER);
            batches.add(new Batch(
                position,
                size,
                base,
                base + buffer.getInt(position + RecordBatch.LAST_OFFSET_DELTA_OFFSET, ORDER),
                buffer.getLong(position + RecordBatch.MAX_TIMESTAMP_OFFSET, ORDER),
                buffer.getInt(position + RecordBatch.PARTITION_LEADER_EPOCH_OFFSET, ORDER)));
            position += size;
        }
        return batches;
    }

    static void deleteRecursively(final Path dir) throws IOException
    {
        if (!Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Copy a directory's files (one level), as a crash would leave them on disk from the page cache. */
    static void copyFiles(final Path from, final Path to) throws IOException
    {
        Files.createDirectories(to);
        try (Stream<Path> paths = Files.list(from))
        {
            for (final Path path : paths.toList())
            {
                if (Files.isRegularFile(path))
                {
                    Files.copy(path, to.resolve(path.getFileName()));
                }
            }
        }
    }
}
