package io.loggia.tools.dump;

import io.loggia.codec.record.BatchBuilder;
import io.loggia.codec.record.CompressionCodec;
import io.loggia.codec.record.RecordBatch;
import io.loggia.engine.log.AppendInfo;
import io.loggia.engine.log.LogCodes;
import io.loggia.engine.log.LogConfig;
import io.loggia.engine.log.LogConfigParser;
import io.loggia.engine.log.LogFiles;
import io.loggia.engine.log.LogLoader;
import io.loggia.engine.log.PartitionLog;
import io.loggia.engine.log.RecoveryReport;
import io.loggia.engine.log.TopicPartition;
import org.agrona.ExpandableArrayBuffer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real partition log written through {@link PartitionLog} with batches from {@link BatchBuilder}, for the
 * dump tests. {@link #writeStandard(Path)} writes two segments covering every codec, headers, null, empty and
 * binary keys, an idempotent producer, a transaction and its commit marker.
 */
final class SampleLog implements AutoCloseable
{
    static final TopicPartition TP = new TopicPartition("orders", 0);
    static final long T0 = 1_700_000_000_000L;
    static final int LEADER_EPOCH = 7;
    static final long PRODUCER_ID = 1000;
    static final short PRODUCER_EPOCH = 3;
    static final long TXN_PRODUCER_ID = 2000;
    static final int COORDINATOR_EPOCH = 5;

    /** One appended batch: where it went and what it was. */
    record Appended(long segmentBase, int position, long baseOffset, long lastOffset, int size, int codec, long crc)
    {
    }

    final Path logDir;
    final PartitionLog log;
    final List<Appended> appended = new ArrayList<>();
    private final BatchBuilder builder = new BatchBuilder();
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
    private final AppendInfo info = new AppendInfo();
    private final List<Throwable> errors;
    private long nowMs = T0;

    private SampleLog(final Path logDir, final PartitionLog log, final List<Throwable> errors)
    {
        this.logDir = logDir;
        this.log = log;
        this.errors = errors;
    }

    /**
     * A new log with {@code index.interval.bytes} 64, so that nearly every batch is indexed, and any other
     * topic config given as key, value pairs.
     */
    static SampleLog open(final Path logDir, final String... keyValues) throws IOException
    {
        final Map<String, String> overrides = new HashMap<>();
        overrides.put(LogConfig.INDEX_INTERVAL_BYTES, "64");
        overrides.put(LogConfig.SEGMENT_BYTES, Integer.toString(1024 * 1024));
        overrides.put(LogConfig.SEGMENT_INDEX_BYTES, Integer.toString(64 * 1024));
        for (int i = 0; i < keyValues.length; i += 2)
        {
            overrides.put(keyValues[i], keyValues[i + 1]);
        }
        final LogConfigParser.Result result = LogConfigParser.parseTopic(overrides, LogConfig.DEFAULTS);
        if (!result.isValid())
        {
            throw new IllegalArgumentException(result.error());
        }
        final List<Throwable> errors = new ArrayList<>();
        final PartitionLog log = LogLoader.load(
            logDir, TP, result.config(), false, 0, 0, Long.MAX_VALUE, T0, errors::add, new RecoveryReport());
        return new SampleLog(logDir, log, errors);
    }

    /**
     * Segment 0: offsets 0-10 (none, gzip, snappy, lz4, zstd); segment 11: an idempotent batch, binary key and
     * value, a transaction of two records and its commit marker (offsets 11-17). Left open: close to seal.
     */
    static SampleLog writeStandard(final Path logDir) throws IOException
    {
        final SampleLog sample = open(logDir);
        sample.batch()
            .header("h1", "x".getBytes(StandardCharsets.UTF_8)).header("h2", null)
            .append(T0, bytes("k0"), bytes("value0"))
            .append(T0 + 1, null, bytes("value1"))
            .append(T0 + 2, new byte[0], new byte[0]);
        sample.append();
        final int[] codecs =
        {
            CompressionCodec.GZIP, CompressionCodec.SNAPPY, CompressionCodec.LZ4, CompressionCodec.ZSTD
        };
        for (int i = 0; i < codecs.length; i++)
        {
            final String name = CompressionCodec.name(codecs[i]);
            sample.batch().compression(codecs[i])
                .append(T0 + 10 + 2 * i, bytes(name + "-key-0"), bytes(name + " value 0 " + "x".repeat(100)))
                .append(T0 + 11 + 2 * i, bytes(name + "-key-1"), null);
            sample.append();
        }
        sample.roll();

        sample.batch().producer(PRODUCER_ID, PRODUCER_EPOCH, 40)
            .append(T0 + 20, bytes("p0"), bytes("idempotent 0"))
            .append(T0 + 21, bytes("p1"), bytes("idempotent 1"));
        sample.append();
        sample.batch().append(T0 + 22, binary(20), binary(256));
        sample.append();
        sample.batch().producer(TXN_PRODUCER_ID, (short)0, 0).transactional(true)
            .append(T0 + 23, bytes("t0"), bytes("in a transaction"))
            .append(T0 + 24, bytes("t1"), bytes("also in it"));
        sample.append();
        sample.batch().producer(TXN_PRODUCER_ID, (short)0, RecordBatch.NO_SEQUENCE).transactional(true).control(true)
            .appendEndTxnMarker(T0 + 25, true, COORDINATOR_EPOCH);
        sample.append();
        return sample;
    }

    static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Bytes 0, 1, 2, ... (mod 256): binary, not text. */
    static byte[] binary(final int length)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)i;
        }
        return bytes;
    }

    /** Starts the next batch; configure it and add records, then {@link #append()}. */
    BatchBuilder batch()
    {
        return builder.wrap(buffer, 0);
    }

    /** Builds the batch started by {@link #batch()} and appends it to the log. */
    Appended append()
    {
        final int size = builder.build();
        final int codec = new RecordBatch().wrap(buffer, 0).compressionCodec();
        final long crc = new RecordBatch().wrap(buffer, 0).crc();
        final int code = log.append(buffer, 0, size, LEADER_EPOCH, nowMs++, info);
        if (LogCodes.OK != code)
        {
            throw new IllegalStateException("append failed with code " + code);
        }
        final Appended batch = new Appended(
            info.segmentBaseOffset, info.position, info.firstOffset, info.lastOffset, size, codec, crc);
        appended.add(batch);
        return batch;
    }

    void roll()
    {
        if (LogCodes.OK != log.roll(nowMs))
        {
            throw new IllegalStateException("roll failed");
        }
    }

    List<Appended> inSegment(final long segmentBase)
    {
        final List<Appended> batches = new ArrayList<>();
        for (final Appended batch : appended)
        {
            if (batch.segmentBase() == segmentBase)
            {
                batches.add(batch);
            }
        }
        return batches;
    }

    Path dir()
    {
        return LogFiles.partitionDir(logDir, TP);
    }

    Path logFile(final long base)
    {
        return LogFiles.logFile(dir(), base);
    }

    Path indexFile(final long base)
    {
        return LogFiles.offsetIndexFile(dir(), base);
    }

    Path timeIndexFile(final long base)
    {
        return LogFiles.timeIndexFile(dir(), base);
    }

    /** Seals the active segment: every file is cut to its contents. */
    public void close()
    {
        log.close();
        builder.close();
        if (!errors.isEmpty())
        {
            throw new IllegalStateException("the log reported errors: " + errors);
        }
    }
}
