package io.loggia.engine.producer;

import io.loggia.codec.record.BatchBuilder;
import io.loggia.codec.record.RecordBatch;
import io.loggia.engine.log.AppendInfo;
import io.loggia.engine.log.LogCodes;
import io.loggia.engine.log.LogConfig;
import io.loggia.engine.log.LogConfigParser;
import io.loggia.engine.log.LogLoader;
import io.loggia.engine.log.PartitionLog;
import io.loggia.engine.log.RecoveryReport;
import io.loggia.engine.log.TopicPartition;
import org.agrona.ErrorHandler;
import org.agrona.ExpandableArrayBuffer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real partition log in a temporary directory with the producer state manager on top, driven from the test
 * thread, which plays the partition's writer: build an idempotent batch with the codec's {@link BatchBuilder},
 * {@link ProducerStateManager#check} it, append it to the {@link PartitionLog}, {@link ProducerStateManager#onAppend}.
 */
final class TestPartition implements AutoCloseable
{
    static final TopicPartition TP = new TopicPartition("idempotent", 0);
    static final long EXPIRATION_MS = ProducerStateManager.DEFAULT_PRODUCER_ID_EXPIRATION_MS;

    /** Collects the errors the log and the manager report; tests assert it stays empty unless they cause one. */
    static final class Errors implements ErrorHandler
    {
        final List<Throwable> seen = new CopyOnWriteArrayList<>();

        public void onError(final Throwable throwable)
        {
            seen.add(throwable);
        }
    }

    final Path logDir;
    final LogConfig config;
    final Errors errors = new Errors();
    final BatchBuilder builder = new BatchBuilder();
    final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);
    final AppendInfo info = new AppendInfo();
    final DuplicateInfo duplicate = new DuplicateInfo();
    ProducerLoadReport report = new ProducerLoadReport();
    PartitionLog log;
    ProducerStateManager producers;
    long nowMs = 1_000_000;
    /** Size of the batch last built in {@link #buffer}. */
    int batchSize;

    private TestPartition(final Path logDir, final LogConfig config)
    {
        this.logDir = logDir;
        this.config = config;
    }

    /** Open (or reopen) the partition in {@code logDir}, segments rolling every {@code segmentBytes}. */
    static TestPartition open(final Path logDir, final int segmentBytes) throws IOException
    {
        final TestPartition partition =
            new TestPartition(logDir, config(LogConfig.SEGMENT_BYTES, Integer.toString(segmentBytes)));
        partition.load();
        return partition;
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

    Path dir()
    {
        return log.dir();
    }

    /** Load the log as after an unclean shutdown, then the producer state. */
    void load() throws IOException
    {
        log = LogLoader.load(logDir, TP, config, false, 0, 0, Long.MAX_VALUE, nowMs, errors, new RecoveryReport());
        report = new ProducerLoadReport();
        producers = ProducerStateManager.load(log.dir(), log, EXPIRATION_MS, nowMs, errors, report);
    }

    /** Close the log (the manager holds nothing open) and load both again. */
    void reopen() throws IOException
    {
        log.close();
        load();
    }

    /** Build a batch of {@code records} records into {@link #buffer}. */
    int build(
        final long producerId,
        final short epoch,
        final int baseSequence,
        final int records,
        final long timestamp,
        final boolean transactional)
    {
        builder.wrap(buffer, 0).producer(producerId, epoch, baseSequence).transactional(transactional);
        for (int i = 0; i < records; i++)
        {
            builder.append(timestamp + i, null, new byte[]{ (byte)i, (byte)(i >> 8) });
        }
        batchSize = builder.build();
        return batchSize;
    }

    /** The last sequence of a batch starting at {@code baseSequence} with {@code records} records. */
    static int lastSequence(final int baseSequence, final int records)
    {
        final long last = (long)baseSequence + records - 1;
        return (int)(last > Integer.MAX_VALUE ? last - Integer.MAX_VALUE - 1 : last);
    }

    /**
     * Play the writer for one produced batch: build it, check it, and append it if the check says OK.
     *
     * @return the check's code; on OK {@link #info} holds the append, on DUPLICATE {@link #duplicate} the original.
     */
    int produce(
        final long producerId, final short epoch, final int baseSequence, final int records, final long timestamp)
    {
        return produce(producerId, epoch, baseSequence, records, timestamp, false);
    }

    int produce(
        final long producerId,
        final short epoch,
        final int baseSequence,
        final int records,
        final long timestamp,
        final boolean transactional)
    {
        build(producerId, epoch, baseSequence, records, timestamp, transactional);
        final RecordBatch batch = new RecordBatch().wrap(buffer, 0);
        final int code = producers.check(
            producerId, epoch, baseSequence, batch.lastSequence(), batch.isTransactional(), duplicate);
        if (ProducerStateManager.OK == code)
        {
            appendBuilt();
        }
        return code;
    }

    /** Append the batch in {@link #buffer} without a check, and tell the manager, as the writer does after OK. */
    void appendBuilt()
    {
        final int code = log.append(buffer, 0, batchSize, 0, nowMs, info);
        if (LogCodes.OK != code)
        {
            throw new AssertionError("append failed: " + LogCodes.describe(code));
        }
        final RecordBatch batch = new RecordBatch().wrap(buffer, 0);
        producers.onAppend(
            batch.producerId(),
            batch.producerEpoch(),
            batch.baseSequence(),
            batch.lastSequence(),
            info.firstOffset,
            info.lastOffset,
            info.maxTimestamp);
    }

    /** Append a batch without producer id. */
    void appendPlain(final int records, final long timestamp)
    {
        build(RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH, RecordBatch.NO_SEQUENCE,
            records, timestamp, false);
        appendBuilt();
    }

    public void close()
    {
        builder.close();
        if (null != log)
        {
            log.close();
        }
    }
}
