package io.loggia.engine.group;

import io.loggia.engine.log.AppendInfo;
import io.loggia.engine.log.LogCodes;
import io.loggia.engine.log.LogConfig;
import io.loggia.engine.log.LogConfigParser;
import io.loggia.engine.log.LogLoader;
import io.loggia.engine.log.PartitionLog;
import io.loggia.engine.log.RecoveryReport;
import io.loggia.engine.log.TopicPartition;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@code __consumer_offsets} for tests: real {@link PartitionLog}s in a temporary directory, and the test thread
 * as their writer. Offered batches wait until {@link #drain(long)} appends them (and raises the high watermark,
 * acks=-1 on one node), then their completions wait for the coordinator's poll. Failures and back pressure can
 * be injected. Public for the net module's tests of the group APIs.
 */
public final class OffsetsLogFixture implements OffsetsLog, OffsetsTopic, AutoCloseable
{
    public record Offered(int partition, long correlation, byte[] batch)
    {
    }

    private record Completion(long correlation, short error, long baseOffset)
    {
    }

    public final List<Throwable> errors = new CopyOnWriteArrayList<>();
    public final List<Offered> appended = new ArrayList<>();
    private final Path logDir;
    private final LogConfig config;
    private final ArrayDeque<Offered> offered = new ArrayDeque<>();
    private final ArrayDeque<Completion> completions = new ArrayDeque<>();
    private final AppendInfo appendInfo = new AppendInfo();
    private final Map<String, String> createdWith = new HashMap<>();
    private PartitionLog[] logs;
    private int createRequests;
    private boolean autoCreate = true;
    private int capacity = Integer.MAX_VALUE;
    private int failuresLeft;
    private short failureError;
    private int flushes;

    public OffsetsLogFixture(final Path logDir)
    {
        this.logDir = logDir;
        final LogConfigParser.Result result = LogConfigParser.parseTopic(Map.of(
            LogConfig.SEGMENT_BYTES, Integer.toString(1024 * 1024),
            LogConfig.SEGMENT_INDEX_BYTES, Integer.toString(64 * 1024),
            LogConfig.CLEANUP_POLICY, "compact"), LogConfig.DEFAULTS);
        this.config = result.config();
    }

    /** Opens (or reopens, recovering as after an unclean shutdown) {@code partitions} partitions now. */
    public OffsetsLogFixture open(final int partitions)
    {
        logs = new PartitionLog[partitions];
        for (int p = 0; p < partitions; p++)
        {
            try
            {
                logs[p] = LogLoader.load(logDir, new TopicPartition(GroupConfig.OFFSETS_TOPIC, p), config, false, 0, 0,
                    Long.MAX_VALUE, 0, errors::add, new RecoveryReport());
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }
        return this;
    }

    /** When false, {@link #create} only records the request; the test opens the partitions itself. */
    public OffsetsLogFixture autoCreate(final boolean autoCreate)
    {
        this.autoCreate = autoCreate;
        return this;
    }

    /** Offers beyond this many undrained batches are back-pressured. */
    public void capacity(final int capacity)
    {
        this.capacity = capacity;
    }

    /** The next {@code count} drained batches fail with {@code error} instead of being appended. */
    public void failNext(final int count, final short error)
    {
        failuresLeft = count;
        failureError = error;
    }

    public int createRequests()
    {
        return createRequests;
    }

    public Map<String, String> createdWith()
    {
        return createdWith;
    }

    public int pendingOffers()
    {
        return offered.size();
    }

    public int flushes()
    {
        return flushes;
    }

    public PartitionLog log(final int partition)
    {
        return logs[partition];
    }

    // OffsetsTopic

    public int partitionCount()
    {
        return null == logs ? 0 : logs.length;
    }

    public void create(final int partitions, final Map<String, String> topicConfig)
    {
        createRequests++;
        createdWith.putAll(topicConfig);
        if (autoCreate && null == logs)
        {
            open(partitions);
        }
    }

    public PartitionLog partitionLog(final int partition)
    {
        return logs[partition];
    }

    public int writerIndex(final int partition)
    {
        return null == logs || partition >= logs.length ? -1 : 0;
    }

    public int partitionKey(final int partition)
    {
        return partition;
    }

    // OffsetsLog

    public int offer(final int partition, final long correlation, final DirectBuffer batch, final int offset,
        final int length)
    {
        if (null == logs || partition >= logs.length)
        {
            return NOT_AVAILABLE;
        }
        if (offered.size() >= capacity)
        {
            return BACK_PRESSURED;
        }
        final byte[] copy = new byte[length];
        batch.getBytes(offset, copy);
        offered.addLast(new Offered(partition, correlation, copy));
        return OFFERED;
    }

    public void flush()
    {
        flushes++;
    }

    public int poll(final CompletionHandler handler, final int limit)
    {
        int count = 0;
        Completion completion;
        while (count < limit && null != (completion = completions.pollFirst()))
        {
            handler.onAppended(completion.correlation, completion.error, completion.baseOffset);
            count++;
        }
        return count;
    }

    /**
     * The test thread as writer: appends every offered batch to its partition's log, raises the high
     * watermark, and queues the completions.
     *
     * @return batches taken.
     */
    public int drain(final long nowMs)
    {
        int count = 0;
        Offered next;
        while (null != (next = offered.pollFirst()))
        {
            count++;
            if (failuresLeft > 0)
            {
                failuresLeft--;
                completions.addLast(new Completion(next.correlation, failureError, -1));
                continue;
            }
            final PartitionLog log = logs[next.partition];
            final int code = log.append(new UnsafeBuffer(next.batch), 0, next.batch.length, 0, nowMs, appendInfo);
            if (code != LogCodes.OK)
            {
                completions.addLast(new Completion(next.correlation, GroupErrors.KAFKA_STORAGE_ERROR, -1));
                continue;
            }
            log.advanceHighWatermark(log.logEndOffset());
            appended.add(next);
            completions.addLast(new Completion(next.correlation, GroupErrors.NONE, appendInfo.firstOffset));
        }
        return count;
    }

    /** Closes the logs as a clean shutdown would (the next {@link #open} still scans them). */
    public void close()
    {
        if (null != logs)
        {
            for (final PartitionLog log : logs)
            {
                log.close();
            }
            logs = null;
        }
    }
}
