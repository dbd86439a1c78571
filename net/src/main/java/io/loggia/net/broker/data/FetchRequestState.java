package io.loggia.net.broker.data;

import io.loggia.engine.partition.Partition;

import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * One Fetch request from its arrival until its response, pooled and reused: what it asked for (its bytes are
 * gone after the dispatch), and the outcome of its last evaluation, from which the response is written.
 * <pre>
 *   request     version, correlation id, min/max bytes, max wait, isolation, top-level (session) error
 *   topics      name or id, partition count (RequestTopics)
 *   partitions  p:  partition (null if unknown), index, fetch offset, partition max bytes, lookup error
 *   evaluation  p:  error, high watermark, log start offset, region (channel, file position, length),
 *                   the high watermark the evaluation saw (a parked fetch is looked at again when it moves)
 * </pre>
 * Owned by one network thread.
 */
public final class FetchRequestState
{
    long requestId;
    long connectionId;
    int version;
    int correlationId;
    int minBytes;
    int maxBytes;
    boolean readCommitted;
    short topLevelError;
    /** When a parked fetch answers with what it has; Long.MAX_VALUE until parked. */
    long deadlineNs = Long.MAX_VALUE;
    /** Index in the handler's parked list, -1 when not parked. */
    int parkedIndex = -1;
    /** Record bytes the last evaluation found. */
    long bytes;
    /** The last evaluation hit an error: answer at once, as Kafka does. */
    boolean hasError;

    final RequestTopics topics = new RequestTopics();

    int partitionCount;
    Partition[] partition = new Partition[16];
    int[] partitionIndex = new int[16];
    long[] fetchOffset = new long[16];
    int[] partitionMaxBytes = new int[16];
    short[] lookupError = new short[16];

    short[] errorCode = new short[16];
    long[] highWatermark = new long[16];
    long[] logStartOffset = new long[16];
    long[] observedHighWatermark = new long[16];
    FileChannel[] channel = new FileChannel[16];
    long[] filePosition = new long[16];
    int[] length = new int[16];

    void reset(
        final long requestId,
        final long connectionId,
        final int version,
        final int correlationId,
        final int minBytes,
        final int maxBytes,
        final boolean readCommitted,
        final int topicCount,
        final int partitionCount)
    {
        this.requestId = requestId;
        this.connectionId = connectionId;
        this.version = version;
        this.correlationId = correlationId;
        this.minBytes = minBytes;
        this.maxBytes = maxBytes;
        this.readCommitted = readCommitted;
        this.topLevelError = DataErrors.NONE;
        this.deadlineNs = Long.MAX_VALUE;
        this.bytes = 0;
        this.hasError = false;
        this.partitionCount = 0;
        topics.reset(topicCount);
        if (partitionCount > partition.length)
        {
            final int capacity = Math.max(partitionCount, partition.length << 1);
            partition = Arrays.copyOf(partition, capacity);
            partitionIndex = Arrays.copyOf(partitionIndex, capacity);
            fetchOffset = Arrays.copyOf(fetchOffset, capacity);
            partitionMaxBytes = Arrays.copyOf(partitionMaxBytes, capacity);
            lookupError = Arrays.copyOf(lookupError, capacity);
            errorCode = Arrays.copyOf(errorCode, capacity);
            highWatermark = Arrays.copyOf(highWatermark, capacity);
            logStartOffset = Arrays.copyOf(logStartOffset, capacity);
            observedHighWatermark = Arrays.copyOf(observedHighWatermark, capacity);
            channel = Arrays.copyOf(channel, capacity);
            filePosition = Arrays.copyOf(filePosition, capacity);
            length = Arrays.copyOf(length, capacity);
        }
    }

    void addPartition(
        final Partition partition,
        final int index,
        final long fetchOffset,
        final int partitionMaxBytes,
        final short lookupError)
    {
        final int p = partitionCount++;
        this.partition[p] = partition;
        partitionIndex[p] = index;
        this.fetchOffset[p] = fetchOffset;
        this.partitionMaxBytes[p] = partitionMaxBytes;
        this.lookupError[p] = lookupError;
        errorCode[p] = lookupError;
        highWatermark[p] = -1;
        logStartOffset[p] = -1;
        observedHighWatermark[p] = -1;
        channel[p] = null;
        length[p] = 0;
    }

    /** Drops references to partitions and file channels, so a pooled state keeps no deleted segment reachable. */
    void clear()
    {
        Arrays.fill(partition, 0, partitionCount, null);
        Arrays.fill(channel, 0, partitionCount, null);
        partitionCount = 0;
        topics.count = 0;
        parkedIndex = -1;
    }

    boolean isParked()
    {
        return parkedIndex >= 0;
    }

    /** The in-flight request id of the transport. */
    public long requestId()
    {
        return requestId;
    }

    /** Partitions across the request, in request order. */
    public int partitionCount()
    {
        return partitionCount;
    }

    public short errorCode(final int partitionOrdinal)
    {
        return errorCode[partitionOrdinal];
    }

    /** Record bytes of the partition's file region; 0 if none. */
    public int length(final int partitionOrdinal)
    {
        return length[partitionOrdinal];
    }

    /** The segment file of the partition's region; null if none. */
    public FileChannel channel(final int partitionOrdinal)
    {
        return channel[partitionOrdinal];
    }

    public long filePosition(final int partitionOrdinal)
    {
        return filePosition[partitionOrdinal];
    }

    /** Record bytes the last evaluation found across partitions. */
    public long bytes()
    {
        return bytes;
    }

    public String toString()
    {
        return "FetchRequestState{requestId=" + requestId + ", version=" + version + ", minBytes=" + minBytes +
            ", maxBytes=" + maxBytes + ", partitions=" + partitionCount + ", bytes=" + bytes + '}';
    }
}
