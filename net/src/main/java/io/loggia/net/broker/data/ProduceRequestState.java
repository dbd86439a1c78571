package io.loggia.net.broker.data;

import io.loggia.engine.partition.Partition;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;

import java.util.Arrays;

/**
 * One Produce request from its arrival until its response, pooled and reused: what the response needs once the
 * request's bytes are gone (they are only valid during the dispatch), the outcome of each partition as it
 * arrives, and the batches not yet offered to a writer because its ring was full.
 * <pre>
 *   topics      t:  name or id, partition count (RequestTopics)
 *   partitions  p:  index, state, error, base offset, log append time, log start offset,
 *                   partition (for a later offer), stashed batch (offset, length in stash)
 *   state of p:  DONE (error or outcome known) ◄── AWAITING (offered, completion due) ◄── STASHED (ring was full)
 * </pre>
 * Partitions are numbered across the request in request order (the decoder's partition ordinal); an append's
 * correlation is the request's {@link #key(long)} and that ordinal:
 * <pre>
 *   correlation:  | key: request id & (2^44 - 1) (44 bits) | partition ordinal (20 bits) |
 * </pre>
 * <p>
 * Owned by one network thread.
 */
public final class ProduceRequestState
{
    static final byte DONE = 0;
    static final byte AWAITING = 1;
    static final byte STASHED = 2;

    /** Bits of a correlation that hold the partition ordinal; the request id takes the rest. */
    static final int ORDINAL_BITS = 20;
    static final int MAX_PARTITIONS = 1 << ORDINAL_BITS;
    static final long ORDINAL_MASK = MAX_PARTITIONS - 1;
    static final long KEY_MASK = (1L << (Long.SIZE - ORDINAL_BITS)) - 1;
    /** A pooled state keeps a stash up to this size; a larger one is dropped when the request is done. */
    static final int MAX_POOLED_STASH_BYTES = 4 * 1024 * 1024;

    long requestId;
    long connectionId;
    int version;
    int correlationId;
    short acks;
    int timeoutMs;
    /** acks=all only: when the partitions still awaiting a completion time out; Long.MAX_VALUE otherwise. */
    long deadlineNs = Long.MAX_VALUE;
    int awaitingCount;
    int stashedCount;
    /** Index in the handler's list of live requests, -1 when not live. */
    int liveIndex = -1;

    final RequestTopics topics = new RequestTopics();

    int partitionCount;
    int[] partitionIndex = new int[16];
    byte[] state = new byte[16];
    short[] errorCode = new short[16];
    long[] baseOffset = new long[16];
    long[] logAppendTime = new long[16];
    long[] logStartOffset = new long[16];
    Partition[] partition = new Partition[16];
    int[] stashOffset = new int[16];
    int[] stashLength = new int[16];
    /** Batches waiting for room in a writer's ring, copied out of the request buffer. */
    ExpandableDirectByteBuffer stash;
    int stashUsed;
    /** The first partition that may still be stashed: offers resume here, in request order. */
    int nextStashed;

    /**
     * The key of a request in the handler's map and in its appends' correlations: the request id's low 44 bits.
     * Two live requests never share it (their ids would have to be 2^44 apart), and ids past 2^44 keep working.
     */
    static long key(final long requestId)
    {
        return requestId & KEY_MASK;
    }

    static long correlation(final long requestId, final int ordinal)
    {
        return (key(requestId) << ORDINAL_BITS) | ordinal;
    }

    /** The {@link #key(long)} of the request a correlation belongs to. */
    static long correlationKey(final long correlation)
    {
        return correlation >>> ORDINAL_BITS;
    }

    static int ordinal(final long correlation)
    {
        return (int)(correlation & ORDINAL_MASK);
    }

    void reset(
        final long requestId,
        final long connectionId,
        final int version,
        final int correlationId,
        final short acks,
        final int timeoutMs,
        final int topicCount,
        final int partitionCount)
    {
        this.requestId = requestId;
        this.connectionId = connectionId;
        this.version = version;
        this.correlationId = correlationId;
        this.acks = acks;
        this.timeoutMs = timeoutMs;
        this.deadlineNs = Long.MAX_VALUE;
        this.awaitingCount = 0;
        this.stashedCount = 0;
        this.stashUsed = 0;
        this.nextStashed = 0;
        this.partitionCount = 0;
        topics.reset(topicCount);
        ensurePartitions(partitionCount);
    }

    /**
     * Drops references to partitions, so a deleted partition's log is not kept reachable by a pooled state, and
     * a stash that grew for a burst of large requests.
     */
    void clear()
    {
        Arrays.fill(partition, 0, partitionCount, null);
        if (null != stash && stash.capacity() > MAX_POOLED_STASH_BYTES)
        {
            stash = null;
        }
        partitionCount = 0;
        topics.count = 0;
        liveIndex = -1;
    }

    /** @return the new partition's ordinal; it starts DONE with no error and unknown offsets. */
    int addPartition(final int index)
    {
        final int p = partitionCount++;
        partitionIndex[p] = index;
        state[p] = DONE;
        errorCode[p] = DataErrors.NONE;
        baseOffset[p] = -1;
        logAppendTime[p] = -1;
        logStartOffset[p] = -1;
        partition[p] = null;
        return p;
    }

    void fail(final int p, final short error)
    {
        state[p] = DONE;
        errorCode[p] = error;
        baseOffset[p] = -1;
        logAppendTime[p] = -1;
        logStartOffset[p] = -1;
    }

    void awaiting(final int p)
    {
        state[p] = AWAITING;
        awaitingCount++;
    }

    void completed(
        final int p, final short error, final long baseOffset, final long logAppendTime, final long logStartOffset)
    {
        if (AWAITING != state[p])
        {
            return;
        }
        state[p] = DONE;
        awaitingCount--;
        errorCode[p] = error;
        this.baseOffset[p] = baseOffset;
        this.logAppendTime[p] = logAppendTime;
        this.logStartOffset[p] = logStartOffset;
    }

    /** Copies a validated batch out of the request buffer, to offer it once the writer's ring has room. */
    void stash(final int p, final Partition partition, final DirectBuffer buffer, final int offset, final int length)
    {
        if (null == stash)
        {
            stash = new ExpandableDirectByteBuffer(Math.max(64 * 1024, BitUtil.align(length, 4096)));
        }
        // 8-byte aligned so the ring copy runs at full speed
        final int at = BitUtil.align(stashUsed, 8);
        stash.putBytes(at, buffer, offset, length);
        stashUsed = at + length;
        stashOffset[p] = at;
        stashLength[p] = length;
        this.partition[p] = partition;
        if (0 == stashedCount)
        {
            nextStashed = p;
        }
        state[p] = STASHED;
        stashedCount++;
    }

    boolean isComplete()
    {
        return 0 == awaitingCount && 0 == stashedCount;
    }

    private void ensurePartitions(final int count)
    {
        if (count > partitionIndex.length)
        {
            final int capacity = Math.max(count, partitionIndex.length << 1);
            partitionIndex = Arrays.copyOf(partitionIndex, capacity);
            state = Arrays.copyOf(state, capacity);
            errorCode = Arrays.copyOf(errorCode, capacity);
            baseOffset = Arrays.copyOf(baseOffset, capacity);
            logAppendTime = Arrays.copyOf(logAppendTime, capacity);
            logStartOffset = Arrays.copyOf(logStartOffset, capacity);
            partition = Arrays.copyOf(partition, capacity);
            stashOffset = Arrays.copyOf(stashOffset, capacity);
            stashLength = Arrays.copyOf(stashLength, capacity);
        }
    }

    /** The in-flight request id of the transport. */
    public long requestId()
    {
        return requestId;
    }

    public int version()
    {
        return version;
    }

    public short acks()
    {
        return acks;
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

    public long baseOffset(final int partitionOrdinal)
    {
        return baseOffset[partitionOrdinal];
    }

    public String toString()
    {
        return "ProduceRequestState{requestId=" + requestId + ", version=" + version + ", acks=" + acks +
            ", partitions=" + partitionCount + ", awaiting=" + awaitingCount + ", stashed=" + stashedCount + '}';
    }
}
