package io.loggia.tools.torture;

import io.loggia.codec.record.BatchBuilder;
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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A partition log written through {@link PartitionLog} with idempotent batches of random records, for tests of
 * what the harness does to files and of what the broker's recovery makes of them.
 */
final class TestLog
{
    static final TopicPartition TP = new TopicPartition("torture", 0);
    static final long T0 = 1_700_000_000_000L;

    /** Where one appended batch went. */
    record Batch(long segmentBase, int position, int size, long baseOffset, long lastOffset)
    {
        int end()
        {
            return position + size;
        }
    }

    final Path logDir;
    final LogConfig config;
    final List<Batch> batches = new ArrayList<>();
    PartitionLog log;
    private final BatchBuilder builder = new BatchBuilder();
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64 * 1024);
    private final AppendInfo info = new AppendInfo();
    private final SplittableRandom random;
    private int sequence;

    private TestLog(final Path logDir, final LogConfig config, final long seed)
    {
        this.logDir = logDir;
        this.config = config;
        this.random = new SplittableRandom(seed);
    }

    /** A new log: 256 KiB segments, 64 KiB index files, an index entry every 256 bytes. */
    static TestLog open(final Path logDir, final long seed) throws IOException
    {
        final LogConfigParser.Result result = LogConfigParser.parseTopic(Map.of(
            LogConfig.SEGMENT_BYTES, Integer.toString(256 * 1024),
            LogConfig.SEGMENT_INDEX_BYTES, Integer.toString(64 * 1024),
            LogConfig.INDEX_INTERVAL_BYTES, "256"), LogConfig.DEFAULTS);
        final TestLog testLog = new TestLog(logDir, result.config(), seed);
        testLog.log = testLog.load(false);
        return testLog;
    }

    /** Load the partition again from its files, as a broker does at start. */
    PartitionLog load(final boolean cleanShutdown) throws IOException
    {
        return LogLoader.load(logDir, TP, config, cleanShutdown, 0, 0, Long.MAX_VALUE, T0, Throwable::printStackTrace,
            new RecoveryReport());
    }

    /** Append {@code count} batches of 1 to 20 records of up to 300 bytes. */
    void append(final int count)
    {
        append(count, 20, 300);
    }

    /** Append {@code count} batches of 1 to {@code maxRecords} records of up to {@code maxValueBytes} bytes. */
    void append(final int count, final int maxRecords, final int maxValueBytes)
    {
        for (int i = 0; i < count; i++)
        {
            final int records = 1 + random.nextInt(maxRecords);
            builder.wrap(buffer, 0).producer(7, (short)0, sequence);
            for (int r = 0; r < records; r++)
            {
                final byte[] value = new byte[1 + random.nextInt(maxValueBytes)];
                random.nextBytes(value);
                builder.append(T0 + batches.size(), null, value);
            }
            sequence += records;
            final int size = builder.build();
            final int code = log.append(buffer, 0, size, 0, T0 + batches.size(), info);
            if (LogCodes.OK != code)
            {
                throw new IllegalStateException("append failed: " + code);
            }
            batches.add(new Batch(info.segmentBaseOffset, info.position, size, info.firstOffset, info.lastOffset));
        }
        log.flush(Long.MAX_VALUE);
    }

    Path dir()
    {
        return LogFiles.partitionDir(logDir, TP);
    }

    /** Leave the files as a crash would: nothing trimmed, no marker, mappings dropped. */
    void crash()
    {
        log.abandon();
        log = null;
    }
}
