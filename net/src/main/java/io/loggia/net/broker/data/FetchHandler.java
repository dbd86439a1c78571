package io.loggia.net.broker.data;

import io.loggia.codec.wire.FetchRequestDecoder;
import io.loggia.codec.wire.WireError;
import io.loggia.engine.log.LogCodes;
import io.loggia.engine.log.PartitionLog;
import io.loggia.engine.log.ReadResult;
import io.loggia.engine.partition.DataAvailableSignal;
import io.loggia.engine.partition.Partition;
import io.loggia.engine.writer.Caller;
import org.agrona.DirectBuffer;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Fetch v4..v18 on one network thread: find the record regions with {@link PartitionLog#read}, answer with them
 * as file regions (sent with {@code transferTo}, never copied), or park the fetch until enough data arrives.
 * <pre>
 *   onRequest:  decode ─► session check ─► look up partitions ─► evaluate
 *               evaluate: for each partition in request order
 *                   read(fetch offset, min(partition max bytes, max bytes left), high watermark,
 *                        minOneBatch = no partition returned records yet)            KIP-74
 *               bytes >= min_bytes, max_wait_ms <= 0, or an error?  ─► respond
 *               else park: register a fetch waiter on each partition; a high watermark that moved meanwhile
 *                          means evaluate again at once
 *   doWork:     the caller's DataAvailableSignal moved?  ─► parked fetches whose partitions' high watermarks
 *                                                          moved are evaluated again; enough ─► respond
 *               a parked fetch's max_wait_ms passed       ─► evaluate once more and respond with what there is
 * </pre>
 * An append completes a waiting fetch within one hand-off: the writer signals the callers registered on the
 * partition right after it moved the high watermark and wakes their threads once per duty cycle; no timer is
 * involved.
 * <p>
 * <b>Sessions (KIP-227).</b> No incremental sessions are kept: every response carries session id 0, which a
 * client reads as "no session was created" and keeps sending full fetches (session epoch 0, or -1). A fetch with
 * any other epoch is an incremental fetch of a session this broker does not have: FETCH_SESSION_ID_NOT_FOUND
 * (70) at the top level and no partitions, after which the client falls back to a full fetch.
 * <p>
 * <b>Who fetches.</b> Consumers (replica id -1) read up to the high watermark. There are no followers: a
 * fetch with a replica id is served exactly like a consumer's (up to the high watermark).
 * <p>
 * Allocation-free in steady state: request states are pooled; a parked fetch costs one atomic OR per partition
 * per registration.
 * <p>
 * Owned by one network thread: every method is called on it. {@link DataPathHandlers} drives it; it is public
 * for the JMH benchmarks, which drive it without a transport.
 */
public final class FetchHandler
{
    /** {@link #onRequest} result: the request is being handled. */
    public static final int ACCEPTED = 0;
    /** {@link #onRequest} result: the body does not decode; the connection should be closed, as Kafka does. */
    public static final int MALFORMED = -1;

    static final int FULL_FETCH_EPOCH = 0;
    static final int SESSIONLESS_EPOCH = -1;

    private final TopicLookup topics;
    private final int callerId;
    private final DataAvailableSignal dataSignal;
    private final FetchResponder responder;
    private final FetchRequestDecoder decoder = new FetchRequestDecoder();
    private final ReadResult readResult = new ReadResult();
    private FetchRequestState[] pool = new FetchRequestState[16];
    private int poolCount;
    private FetchRequestState[] parked = new FetchRequestState[16];
    private int parkedCount;
    private long observedSignal;
    private long nextDeadlineNs = Long.MAX_VALUE;

    public FetchHandler(final TopicLookup topics, final Caller caller, final FetchResponder responder)
    {
        this.topics = topics;
        this.callerId = caller.callerId();
        this.dataSignal = caller.dataSignal();
        this.responder = responder;
        this.observedSignal = dataSignal.sequence();
    }

    /**
     * One Fetch request; its bytes are valid only during the call.
     *
     * @param limit index one past the frame's last byte.
     * @return {@link #ACCEPTED} or {@link #MALFORMED}.
     */
    public int onRequest(
        final DirectBuffer buffer,
        final int bodyOffset,
        final int limit,
        final int version,
        final int correlationId,
        final long requestId,
        final long connectionId,
        final long nowNs)
    {
        final FetchRequestDecoder decoder = this.decoder;
        if (WireError.NONE != decoder.wrap(buffer, bodyOffset, limit, version))
        {
            return MALFORMED;
        }
        final FetchRequestState state = acquire();
        state.reset(requestId, connectionId, version, correlationId, decoder.minBytes(), decoder.maxBytes(),
            1 == decoder.isolationLevel(), decoder.topicCount(), decoder.totalPartitionCount());
        final int epoch = decoder.sessionEpoch();
        if (FULL_FETCH_EPOCH != epoch && SESSIONLESS_EPOCH != epoch)
        {
            state.topLevelError = DataErrors.FETCH_SESSION_ID_NOT_FOUND;
            finish(state);
            return ACCEPTED;
        }
        final boolean byId = decoder.usesTopicIds();
        while (decoder.nextTopic())
        {
            final int partitionCount = decoder.partitionCount();
            final int nameOffset = decoder.topicNameOffset();
            final int nameLength = decoder.topicNameLength();
            final long idMsb = decoder.topicIdMostSignificantBits();
            final long idLsb = decoder.topicIdLeastSignificantBits();
            if (byId)
            {
                state.topics.addId(idMsb, idLsb, partitionCount);
            }
            else
            {
                state.topics.addName(buffer, nameOffset, nameLength, partitionCount);
            }
            while (decoder.nextPartition())
            {
                final int index = decoder.partition();
                final Partition partition = byId ?
                    topics.partition(idMsb, idLsb, index) : topics.partition(buffer, nameOffset, nameLength, index);
                short lookupError = DataErrors.NONE;
                if (null == partition)
                {
                    lookupError = byId && TopicLookup.UNKNOWN_TOPIC == topics.partitionCount(idMsb, idLsb) ?
                        DataErrors.UNKNOWN_TOPIC_ID : DataErrors.UNKNOWN_TOPIC_OR_PARTITION;
                }
                state.addPartition(partition, index, decoder.fetchOffset(), decoder.partitionMaxBytes(), lookupError);
            }
        }

        evaluate(state);
        if (isSatisfied(state) || decoder.maxWaitMs() <= 0 || !parkOrAnswer(state))
        {
            finish(state);
            return ACCEPTED;
        }
        state.deadlineNs = nowNs + TimeUnit.MILLISECONDS.toNanos(decoder.maxWaitMs());
        addParked(state);
        return ACCEPTED;
    }

    /** Parked fetches: new data, expired waits. */
    public int doWork(final long nowNs)
    {
        int workCount = 0;
        final long signal = dataSignal.sequence();
        if (signal != observedSignal)
        {
            observedSignal = signal;
            workCount += reevaluateParked();
        }
        if (nowNs - nextDeadlineNs >= 0)
        {
            workCount += expireParked(nowNs);
        }
        return workCount;
    }

    /** The earliest max_wait_ms of a parked fetch. */
    public long nextDeadlineNs()
    {
        return nextDeadlineNs;
    }

    /** Drops the parked fetches of a closed connection. */
    public void onConnectionClosed(final long connectionId)
    {
        for (int i = parkedCount - 1; i >= 0; i--)
        {
            final FetchRequestState state = parked[i];
            if (state.connectionId == connectionId)
            {
                removeParked(state);
                release(state);
            }
        }
    }

    public int parkedCount()
    {
        return parkedCount;
    }

    /**
     * Reads every partition the way the response will carry it and records the outcome in the state.
     */
    private void evaluate(final FetchRequestState state)
    {
        final ReadResult read = this.readResult;
        int remaining = Math.max(0, state.maxBytes);
        boolean minOneBatch = true;
        long bytes = 0;
        boolean hasError = false;
        for (int p = 0, count = state.partitionCount; p < count; p++)
        {
            state.length[p] = 0;
            state.channel[p] = null;
            final short lookupError = state.lookupError[p];
            if (DataErrors.NONE != lookupError)
            {
                hasError = true;
                continue;
            }
            final Partition partition = state.partition[p];
            if (!partition.isOpen())
            {
                setError(state, p, DataErrors.UNKNOWN_TOPIC_OR_PARTITION);
                hasError = true;
                continue;
            }
            final PartitionLog log = partition.log();
            final long highWatermark = log.highWatermark();
            final int maxBytes = Math.min(Math.max(0, state.partitionMaxBytes[p]), remaining);
            final int code = log.read(state.fetchOffset[p], maxBytes, highWatermark, minOneBatch, read);
            state.observedHighWatermark[p] = highWatermark;
            state.highWatermark[p] = highWatermark;
            state.logStartOffset[p] = read.logStartOffset;
            if (LogCodes.OFFSET_OUT_OF_RANGE == code)
            {
                state.errorCode[p] = DataErrors.OFFSET_OUT_OF_RANGE;
                hasError = true;
                continue;
            }
            state.errorCode[p] = DataErrors.NONE;
            if (LogCodes.OK == code && read.length > 0)
            {
                state.channel[p] = read.channel;
                state.filePosition[p] = read.position;
                state.length[p] = read.length;
                bytes += read.length;
                remaining = Math.max(0, remaining - read.length);
                minOneBatch = false;
            }
        }
        state.bytes = bytes;
        state.hasError = hasError;
    }

    private static void setError(final FetchRequestState state, final int p, final short error)
    {
        state.errorCode[p] = error;
        state.highWatermark[p] = -1;
        state.logStartOffset[p] = -1;
        state.observedHighWatermark[p] = -1;
    }

    private static boolean isSatisfied(final FetchRequestState state)
    {
        return state.hasError || state.bytes >= state.minBytes || 0 == state.partitionCount;
    }

    /**
     * Registers a fetch waiter on every partition of the state. A high watermark that moved since the evaluation
     * makes it evaluate again at once (the writer may have signalled before the registration was visible).
     *
     * @return true if the fetch must wait, false if it is satisfied now.
     */
    private boolean parkOrAnswer(final FetchRequestState state)
    {
        while (registerWaiters(state))
        {
            evaluate(state);
            if (isSatisfied(state))
            {
                return false;
            }
        }
        return true;
    }

    /** @return true if a partition's high watermark differs from what the last evaluation saw. */
    private boolean registerWaiters(final FetchRequestState state)
    {
        boolean moved = false;
        for (int p = 0, count = state.partitionCount; p < count; p++)
        {
            final Partition partition = state.partition[p];
            if (null != partition && DataErrors.NONE == state.errorCode[p])
            {
                final long highWatermark = partition.registerFetchWaiter(callerId);
                if (highWatermark != state.observedHighWatermark[p] || !partition.isOpen())
                {
                    moved = true;
                }
            }
        }
        return moved;
    }

    /** @return true if a partition's high watermark differs from what the last evaluation saw. */
    private static boolean hasMoved(final FetchRequestState state)
    {
        for (int p = 0, count = state.partitionCount; p < count; p++)
        {
            final Partition partition = state.partition[p];
            if (null != partition && DataErrors.NONE == state.errorCode[p] &&
                (!partition.isOpen() || partition.log().highWatermark() != state.observedHighWatermark[p]))
            {
                return true;
            }
        }
        return false;
    }

    private int reevaluateParked()
    {
        int answered = 0;
        for (int i = parkedCount - 1; i >= 0; i--)
        {
            final FetchRequestState state = parked[i];
            if (!hasMoved(state))
            {
                continue;
            }
            evaluate(state);
            if (isSatisfied(state) || !parkOrAnswer(state))
            {
                removeParked(state);
                finish(state);
                answered++;
            }
        }
        return answered;
    }

    private int expireParked(final long nowNs)
    {
        int expired = 0;
        long next = Long.MAX_VALUE;
        for (int i = parkedCount - 1; i >= 0; i--)
        {
            final FetchRequestState state = parked[i];
            if (nowNs - state.deadlineNs >= 0)
            {
                evaluate(state);
                removeParked(state);
                finish(state);
                expired++;
            }
            else if (state.deadlineNs - next < 0)
            {
                next = state.deadlineNs;
            }
        }
        nextDeadlineNs = next;
        return expired;
    }

    private void finish(final FetchRequestState state)
    {
        try
        {
            responder.respond(state);
        }
        finally
        {
            release(state);
        }
    }

    private FetchRequestState acquire()
    {
        return poolCount > 0 ? pool[--poolCount] : new FetchRequestState();
    }

    private void release(final FetchRequestState state)
    {
        state.clear();
        if (poolCount == pool.length)
        {
            pool = Arrays.copyOf(pool, poolCount << 1);
        }
        pool[poolCount++] = state;
    }

    private void addParked(final FetchRequestState state)
    {
        if (parkedCount == parked.length)
        {
            parked = Arrays.copyOf(parked, parkedCount << 1);
        }
        state.parkedIndex = parkedCount;
        parked[parkedCount++] = state;
        if (state.deadlineNs - nextDeadlineNs < 0)
        {
            nextDeadlineNs = state.deadlineNs;
        }
    }

    private void removeParked(final FetchRequestState state)
    {
        final int index = state.parkedIndex;
        if (index < 0)
        {
            return;
        }
        final FetchRequestState last = parked[--parkedCount];
        parked[index] = last;
        last.parkedIndex = index;
        parked[parkedCount] = null;
        state.parkedIndex = -1;
        if (0 == parkedCount)
        {
            nextDeadlineNs = Long.MAX_VALUE;
        }
    }
}
