package io.loggia.net.broker.data;

import io.loggia.codec.wire.ProduceRequestDecoder;
import io.loggia.codec.wire.WireError;
import io.loggia.engine.partition.Partition;
import io.loggia.engine.writer.AppendCompletionAdapter;
import io.loggia.engine.writer.AppendCompletionHandler;
import io.loggia.engine.writer.AppendProxy;
import io.loggia.engine.writer.Caller;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Produce v3..v13 on one network thread: decode with the flyweight, check every partition's batch, offer it to
 * the partition's writer, and answer once every partition has its outcome.
 * <pre>
 *   onRequest:  decode ─► per partition: look up ─► validate ─► AppendProxy.offer ─► OFFERED:  awaits completion
 *                                                                               ├► BACK_PRESSURED: stash a copy
 *                                                                               └► TOO_LARGE: MESSAGE_TOO_LARGE
 *               one wake per writer (AppendProxy.wakeWriters)
 *               all outcomes known? respond (acks 1/-1) or complete without response (acks 0)
 *   doWork:     completions ─► outcomes; stashed batches ─► offered again, oldest request first;
 *               acks=all past timeout_ms ─► REQUEST_TIMED_OUT for what is still awaited
 * </pre>
 * <b>Back-pressure.</b> A full ring never blocks the thread and never fails a batch: the batch, and every later
 * one of the request, is copied into the request's stash, and the request joins a FIFO retried every duty
 * cycle. While the FIFO is not empty, new Produce requests go behind it whole, so batches of one partition
 * reach the writer in the order they arrived (the idempotent producer's sequences depend on it). A client's
 * pipeline (max.in.flight.requests.per.connection) bounds what it can add to the FIFO; the transport stops
 * reading a connection whose pipeline is full.
 * <p>
 * <b>Correlation.</b> An append's correlation is the in-flight request id (its low 44 bits) shifted left by
 * {@link ProduceRequestState#ORDINAL_BITS} plus the partition's ordinal in the request. Request ids are never
 * reused, so a completion for a request that timed out or whose connection closed finds nothing and is dropped.
 * A request of {@link ProduceRequestState#MAX_PARTITIONS} partitions or more is refused as malformed.
 * <p>
 * <b>acks=all timeout.</b> Counted from the moment the last batch of the request is in a ring: Kafka appends
 * locally before the delayed operation starts, so its timeout covers the wait for the high watermark only.
 * Here the append itself is asynchronous, so a timeout below {@link #MIN_ACKS_ALL_TIMEOUT_MS} is raised to it,
 * or a timeout_ms of 0 would fail every acks=all request. acks=1 waits for the writer without a timeout, as
 * Kafka does.
 * <p>
 * Allocation-free in steady state: request states are pooled and grow to the largest request seen; the map
 * from request id to state holds primitive keys.
 * <p>
 * Owned by one network thread: every method is called on it. {@link DataPathHandlers} drives it; it is public
 * for the JMH benchmarks, which drive it without a transport.
 */
public final class ProduceHandler implements AppendCompletionHandler
{
    /** {@link #onRequest} result: the request is being handled. */
    public static final int ACCEPTED = 0;
    /** {@link #onRequest} result: the body does not decode; the connection should be closed, as Kafka does. */
    public static final int MALFORMED = -1;

    public static final int MIN_ACKS_ALL_TIMEOUT_MS = 100;
    static final long RETRY_BACK_PRESSURED_NS = TimeUnit.MICROSECONDS.toNanos(200);
    static final int COMPLETION_POLL_LIMIT = 4096;

    private static final String CONSUMER_OFFSETS_TOPIC = "__consumer_offsets";
    private static final String TRANSACTION_STATE_TOPIC = "__transaction_state";

    private final TopicLookup topics;
    private final AppendProxy appendProxy;
    private final AppendCompletionAdapter completions;
    private final ProduceResponder responder;
    private final ProduceRequestDecoder decoder = new ProduceRequestDecoder();
    private final ProduceValidator validator = new ProduceValidator();
    private final Long2ObjectHashMap<ProduceRequestState> byRequestId =
        new Long2ObjectHashMap<>(64, 0.65f, true);
    private final ArrayDeque<ProduceRequestState> backlog = new ArrayDeque<>(64);
    private ProduceRequestState[] pool = new ProduceRequestState[16];
    private int poolCount;
    private ProduceRequestState[] live = new ProduceRequestState[16];
    private int liveCount;
    private long nextTimeoutNs = Long.MAX_VALUE;
    private long nowNs;

    public ProduceHandler(final TopicLookup topics, final Caller caller, final ProduceResponder responder)
    {
        this.topics = topics;
        this.appendProxy = caller.appendProxy();
        this.completions = caller.completionAdapter();
        this.responder = responder;
    }

    /**
     * One Produce request; its bytes are valid only during the call.
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
        this.nowNs = nowNs;
        final ProduceRequestDecoder decoder = this.decoder;
        if (WireError.NONE != decoder.wrap(buffer, bodyOffset, limit, version) ||
            decoder.totalPartitionCount() >= ProduceRequestState.MAX_PARTITIONS)
        {
            return MALFORMED;
        }
        final short acks = decoder.acks();
        final boolean validAcks = 0 == acks || 1 == acks || -1 == acks;
        final ProduceRequestState state = acquire();
        state.reset(requestId, connectionId, version, correlationId, acks, decoder.timeoutMs(),
            decoder.topicCount(), decoder.totalPartitionCount());
        final boolean queueBehind = !backlog.isEmpty();
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
                final int index = decoder.partitionIndex();
                final int p = state.addPartition(index);
                if (!validAcks)
                {
                    state.fail(p, DataErrors.INVALID_REQUIRED_ACKS);
                    continue;
                }
                final Partition partition = byId ?
                    topics.partition(idMsb, idLsb, index) : topics.partition(buffer, nameOffset, nameLength, index);
                final short lookupError = lookupError(partition, byId, buffer, nameOffset, nameLength, idMsb, idLsb);
                if (DataErrors.NONE != lookupError)
                {
                    state.fail(p, lookupError);
                    continue;
                }
                final int recordsOffset = decoder.recordsOffset();
                final int recordsLength = decoder.recordsLength();
                final short error = validator.validate(buffer, recordsOffset, recordsLength, partition.config());
                if (DataErrors.NONE != error)
                {
                    state.fail(p, error);
                }
                else if (queueBehind || state.stashedCount > 0)
                {
                    state.stash(p, partition, buffer, recordsOffset, recordsLength);
                }
                else
                {
                    offer(state, p, partition, buffer, recordsOffset, recordsLength);
                }
            }
        }
        appendProxy.wakeWriters();

        if (state.stashedCount > 0)
        {
            backlog.addLast(state);
        }
        else
        {
            armTimeout(state);
        }
        if (state.isComplete())
        {
            finish(state);
        }
        else
        {
            addLive(state);
        }
        return ACCEPTED;
    }

    /** Completions, stashed batches, acks=all timeouts. */
    public int doWork(final long nowNs)
    {
        this.nowNs = nowNs;
        int workCount = completions.poll(this, COMPLETION_POLL_LIMIT);
        if (!backlog.isEmpty())
        {
            workCount += retryBacklog();
        }
        if (nowNs - nextTimeoutNs >= 0)
        {
            workCount += expireAcks(nowNs);
        }
        return workCount;
    }

    /** Soon while batches wait for ring space; else the earliest acks=all timeout. */
    public long nextDeadlineNs()
    {
        return backlog.isEmpty() ? nextTimeoutNs : Math.min(nextTimeoutNs, nowNs + RETRY_BACK_PRESSURED_NS);
    }

    /** Drops the requests of a closed connection; completions still due for them are ignored when they arrive. */
    public void onConnectionClosed(final long connectionId)
    {
        for (int i = liveCount - 1; i >= 0; i--)
        {
            final ProduceRequestState state = live[i];
            if (state.connectionId == connectionId)
            {
                if (state.stashedCount > 0)
                {
                    backlog.remove(state);
                }
                removeLive(state);
                release(state);
            }
        }
    }

    /** Requests waiting for completions or ring space. */
    public int liveCount()
    {
        return liveCount;
    }

    public int backlogCount()
    {
        return backlog.size();
    }

    public void onAppendComplete(
        final long correlation,
        final int partitionId,
        final short errorCode,
        final long baseOffset,
        final long logAppendTime,
        final long logStartOffset)
    {
        final ProduceRequestState state = byRequestId.get(ProduceRequestState.correlationKey(correlation));
        if (null == state)
        {
            return;
        }
        final int p = ProduceRequestState.ordinal(correlation);
        if (p >= state.partitionCount)
        {
            return;
        }
        state.completed(p, errorCode, baseOffset, logAppendTime, logStartOffset);
        if (state.isComplete())
        {
            removeLive(state);
            finish(state);
        }
    }

    private short lookupError(
        final Partition partition,
        final boolean byId,
        final DirectBuffer buffer,
        final int nameOffset,
        final int nameLength,
        final long idMsb,
        final long idLsb)
    {
        if (null == partition)
        {
            if (byId)
            {
                return TopicLookup.UNKNOWN_TOPIC == topics.partitionCount(idMsb, idLsb) ?
                    DataErrors.UNKNOWN_TOPIC_ID : DataErrors.UNKNOWN_TOPIC_OR_PARTITION;
            }
            return DataErrors.UNKNOWN_TOPIC_OR_PARTITION;
        }
        if (!partition.isOpen())
        {
            return DataErrors.UNKNOWN_TOPIC_OR_PARTITION;
        }
        final String topic = partition.topic();
        if (CONSUMER_OFFSETS_TOPIC.equals(topic) || TRANSACTION_STATE_TOPIC.equals(topic))
        {
            // Kafka lets only its own coordinators append to internal topics
            return DataErrors.INVALID_TOPIC_EXCEPTION;
        }
        return DataErrors.NONE;
    }

    /** Offers one validated batch; a full ring stashes it. */
    private void offer(
        final ProduceRequestState state,
        final int p,
        final Partition partition,
        final DirectBuffer buffer,
        final int offset,
        final int length)
    {
        final int result = appendProxy.offer(partition.writerIndex(),
            ProduceRequestState.correlation(state.requestId, p), partition.id(), state.acks, buffer, offset, length);
        if (AppendProxy.OFFERED == result)
        {
            if (0 != state.acks)
            {
                state.awaiting(p);
            }
        }
        else if (AppendProxy.TOO_LARGE == result)
        {
            state.fail(p, DataErrors.MESSAGE_TOO_LARGE);
        }
        else
        {
            state.stash(p, partition, buffer, offset, length);
        }
    }

    private int retryBacklog()
    {
        int offered = 0;
        ProduceRequestState state;
        while (null != (state = backlog.peekFirst()))
        {
            final int count = state.partitionCount;
            int p = state.nextStashed;
            for (; p < count; p++)
            {
                if (ProduceRequestState.STASHED != state.state[p])
                {
                    continue;
                }
                final Partition partition = state.partition[p];
                final int result = appendProxy.offer(partition.writerIndex(),
                    ProduceRequestState.correlation(state.requestId, p), partition.id(), state.acks,
                    state.stash, state.stashOffset[p], state.stashLength[p]);
                if (AppendProxy.BACK_PRESSURED == result)
                {
                    break;
                }
                offered++;
                state.stashedCount--;
                if (AppendProxy.TOO_LARGE == result)
                {
                    state.fail(p, DataErrors.MESSAGE_TOO_LARGE);
                }
                else if (0 != state.acks)
                {
                    state.awaiting(p);
                }
                else
                {
                    state.state[p] = ProduceRequestState.DONE;
                }
            }
            state.nextStashed = p;
            if (state.stashedCount > 0)
            {
                break;
            }
            backlog.pollFirst();
            armTimeout(state);
            if (state.isComplete())
            {
                removeLive(state);
                finish(state);
            }
        }
        appendProxy.wakeWriters();
        return offered;
    }

    private void armTimeout(final ProduceRequestState state)
    {
        if (-1 == state.acks && state.awaitingCount > 0)
        {
            final long deadline = nowNs + TimeUnit.MILLISECONDS.toNanos(
                Math.max(MIN_ACKS_ALL_TIMEOUT_MS, state.timeoutMs));
            state.deadlineNs = deadline;
            if (deadline - nextTimeoutNs < 0)
            {
                nextTimeoutNs = deadline;
            }
        }
    }

    private int expireAcks(final long nowNs)
    {
        int expired = 0;
        long next = Long.MAX_VALUE;
        for (int i = liveCount - 1; i >= 0; i--)
        {
            final ProduceRequestState state = live[i];
            if (Long.MAX_VALUE == state.deadlineNs)
            {
                continue;
            }
            if (nowNs - state.deadlineNs >= 0)
            {
                for (int p = 0, count = state.partitionCount; p < count; p++)
                {
                    if (ProduceRequestState.AWAITING == state.state[p])
                    {
                        state.fail(p, DataErrors.REQUEST_TIMED_OUT);
                    }
                }
                state.awaitingCount = 0;
                removeLive(state);
                finish(state);
                expired++;
            }
            else if (state.deadlineNs - next < 0)
            {
                next = state.deadlineNs;
            }
        }
        nextTimeoutNs = next;
        return expired;
    }

    private void finish(final ProduceRequestState state)
    {
        try
        {
            if (0 == state.acks)
            {
                responder.completeWithoutResponse(state);
            }
            else
            {
                responder.respond(state);
            }
        }
        finally
        {
            release(state);
        }
    }

    private ProduceRequestState acquire()
    {
        return poolCount > 0 ? pool[--poolCount] : new ProduceRequestState();
    }

    private void release(final ProduceRequestState state)
    {
        state.clear();
        if (poolCount == pool.length)
        {
            pool = Arrays.copyOf(pool, poolCount << 1);
        }
        pool[poolCount++] = state;
    }

    private void addLive(final ProduceRequestState state)
    {
        if (liveCount == live.length)
        {
            live = Arrays.copyOf(live, liveCount << 1);
        }
        state.liveIndex = liveCount;
        live[liveCount++] = state;
        byRequestId.put(ProduceRequestState.key(state.requestId), state);
    }

    private void removeLive(final ProduceRequestState state)
    {
        final int index = state.liveIndex;
        if (index < 0)
        {
            return;
        }
        final ProduceRequestState last = live[--liveCount];
        live[index] = last;
        last.liveIndex = index;
        live[liveCount] = null;
        state.liveIndex = -1;
        byRequestId.remove(ProduceRequestState.key(state.requestId));
    }
}
