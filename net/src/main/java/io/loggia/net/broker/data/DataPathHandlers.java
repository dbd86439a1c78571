package io.loggia.net.broker.data;

import io.loggia.codec.wire.ApiKeys;
import io.loggia.codec.wire.FetchResponseEncoder;
import io.loggia.codec.wire.Frame;
import io.loggia.codec.wire.ProduceResponseEncoder;
import io.loggia.codec.wire.RequestHeader;
import io.loggia.engine.writer.Caller;
import io.loggia.net.transport.InFlightRequest;
import io.loggia.net.transport.NetworkAgent;
import io.loggia.net.transport.ResponseWriter;
import org.agrona.DirectBuffer;
import org.apache.kafka.common.protocol.Message;

/**
 * The data path of one network agent: Produce, Fetch, ListOffsets and OffsetForLeaderEpoch. The broker's
 * request dispatcher (one per agent) decodes the request header, checks the API version against the ranges
 * below, and hands the body here; the agent's duty cycle calls {@link #doWork(long)} and reads
 * {@link #nextDeadlineNs()}.
 * <pre>
 *   dispatcher.onRequest(buffer, offset, length, request):
 *     header.wrap(buffer, offset, offset + length)
 *     PRODUCE                 ─► onProduce(header, buffer, header.bodyOffset(), offset + length, request)
 *     FETCH                   ─► onFetch(...)
 *     LIST_OFFSETS            ─► onListOffsets(...)
 *     OFFSET_FOR_LEADER_EPOCH ─► onOffsetForLeaderEpoch(...)
 *   dispatcher.doWork(nowNs)          ─► workCount += dataPath.doWork(nowNs)
 *   dispatcher.nextDeadlineNs()       ─► min(..., dataPath.nextDeadlineNs())
 *   dispatcher.onConnectionClosed(id) ─► dataPath.onConnectionClosed(id)
 * </pre>
 * Each {@code on*} method completes the request, now or later from {@link #doWork(long)}, exactly once; a body
 * that does not decode closes the connection, as Kafka does.
 * <p>
 * <b>Assumptions and Guarantees</b>
 * <ul>
 *     <li>One instance per {@link NetworkAgent}, built by the agent's handler factory on the constructing thread;
 *     every method is then called on the agent's thread only.</li>
 *     <li>{@code caller} is this agent's own {@link Caller}, from {@code Engine.registerCaller(agent.wakeSignal())}:
 *     its completion ring and data signal are drained only here. The broker unregisters it after the agent
 *     closed.</li>
 *     <li>{@code topics} is called from this thread concurrently with other agents (see {@link TopicLookup}).</li>
 * </ul>
 */
public final class DataPathHandlers
{
    public static final short PRODUCE_MIN_VERSION = 3;
    public static final short PRODUCE_MAX_VERSION = 13;
    public static final short FETCH_MIN_VERSION = 4;
    public static final short FETCH_MAX_VERSION = 18;
    public static final short LIST_OFFSETS_MIN_VERSION = 1;
    public static final short LIST_OFFSETS_MAX_VERSION = 11;
    public static final short OFFSET_FOR_LEADER_EPOCH_MIN_VERSION = 2;
    public static final short OFFSET_FOR_LEADER_EPOCH_MAX_VERSION = 4;

    static final int INITIAL_FETCH_REGIONS = 64;

    private final NetworkAgent agent;
    private final TopicLookup topics;
    private final Caller caller;
    private final DataPathConfig config;
    private final ProduceHandler produce;
    private final FetchHandler fetch;
    private final ListOffsetsHandler listOffsets;
    private final OffsetForLeaderEpochHandler offsetForLeaderEpoch;
    private FetchResponseEncoder fetchEncoder = new FetchResponseEncoder(INITIAL_FETCH_REGIONS);
    private final ProduceResponseEncoder produceEncoder = new ProduceResponseEncoder();
    private final ProduceResponder produceResponder = new ProduceResponder()
    {
        public void respond(final ProduceRequestState state)
        {
            respondToProduce(state);
        }

        public void completeWithoutResponse(final ProduceRequestState state)
        {
            final InFlightRequest request = agent.inFlight(state.requestId);
            if (null != request)
            {
                request.completeWithoutResponse();
            }
        }
    };

    /**
     * @param agent  the network agent this instance serves; its {@link NetworkAgent#inFlight(long)} finds requests
     *               answered later.
     * @param topics the broker's topic registry.
     * @param caller this agent's engine caller.
     * @param config broker settings.
     */
    public DataPathHandlers(
        final NetworkAgent agent, final TopicLookup topics, final Caller caller, final DataPathConfig config)
    {
        this.agent = agent;
        this.topics = topics;
        this.caller = caller;
        this.config = config;
        this.produce = new ProduceHandler(topics, caller, produceResponder);
        this.fetch = new FetchHandler(topics, caller, this::respondToFetch);
        this.listOffsets = new ListOffsetsHandler(topics);
        this.offsetForLeaderEpoch = new OffsetForLeaderEpochHandler(topics);
    }

    /** Produce v3..v13. */
    public void onProduce(
        final RequestHeader header,
        final DirectBuffer buffer,
        final int bodyOffset,
        final int limit,
        final InFlightRequest request)
    {
        final int result = produce.onRequest(buffer, bodyOffset, limit, header.apiVersion(), header.correlationId(),
            request.id(), request.connectionId(), agent.nowNs());
        if (ProduceHandler.MALFORMED == result)
        {
            request.closeConnection();
        }
    }

    /** Fetch v4..v18. */
    public void onFetch(
        final RequestHeader header,
        final DirectBuffer buffer,
        final int bodyOffset,
        final int limit,
        final InFlightRequest request)
    {
        final int result = fetch.onRequest(buffer, bodyOffset, limit, header.apiVersion(), header.correlationId(),
            request.id(), request.connectionId(), agent.nowNs());
        if (FetchHandler.MALFORMED == result)
        {
            request.closeConnection();
        }
    }

    /** ListOffsets v1..v11; answered at once. A body that does not decode throws, which closes the connection. */
    public void onListOffsets(
        final RequestHeader header,
        final DirectBuffer buffer,
        final int bodyOffset,
        final int limit,
        final InFlightRequest request)
    {
        final short version = header.apiVersion();
        final Message response = listOffsets.handle(ControlResponses.body(buffer, bodyOffset, limit), version);
        ControlResponses.send(request, ApiKeys.LIST_OFFSETS, header.correlationId(), response, version);
    }

    /**
     * OffsetForLeaderEpoch v2..v4; answered at once. A body that does not decode throws, which closes the
     * connection.
     */
    public void onOffsetForLeaderEpoch(
        final RequestHeader header,
        final DirectBuffer buffer,
        final int bodyOffset,
        final int limit,
        final InFlightRequest request)
    {
        final short version = header.apiVersion();
        final Message response = offsetForLeaderEpoch.handle(ControlResponses.body(buffer, bodyOffset, limit), version);
        ControlResponses.send(request, ApiKeys.OFFSET_FOR_LEADER_EPOCH, header.correlationId(), response, version);
    }

    /**
     * Append completions, stashed batches, acks=all timeouts, parked fetches whose data arrived or whose wait
     * ended. Called once per duty cycle of the agent.
     *
     * @return work done, 0 if none.
     */
    public int doWork(final long nowNs)
    {
        return produce.doWork(nowNs) + fetch.doWork(nowNs);
    }

    /** The earliest {@link System#nanoTime()} at which {@link #doWork(long)} must run although nothing woke it. */
    public long nextDeadlineNs()
    {
        return Math.min(produce.nextDeadlineNs(), fetch.nextDeadlineNs());
    }

    /** Forget the parked and pending requests of a closed connection. */
    public void onConnectionClosed(final long connectionId)
    {
        produce.onConnectionClosed(connectionId);
        fetch.onConnectionClosed(connectionId);
    }

    /** The agent is closing. */
    public void onClose()
    {
    }

    /** Fetches parked until data arrives or their wait ends; from another thread a plain, possibly stale read. */
    public int parkedFetchCount()
    {
        return fetch.parkedCount();
    }

    /** Produce requests waiting for completions or ring space; from another thread a plain, possibly stale read. */
    public int pendingProduceCount()
    {
        return produce.liveCount();
    }

    /** Produce requests holding batches that wait for ring space; from another thread a plain, possibly stale read. */
    public int backPressuredProduceCount()
    {
        return produce.backlogCount();
    }

    public TopicLookup topics()
    {
        return topics;
    }

    public Caller caller()
    {
        return caller;
    }

    public DataPathConfig config()
    {
        return config;
    }

    private void respondToProduce(final ProduceRequestState state)
    {
        final InFlightRequest request = agent.inFlight(state.requestId);
        if (null == request)
        {
            return;
        }
        final ResponseWriter writer = request.responseWriter();
        writer.ensureCapacity(ProduceResponses.maxFrameLength(state));
        final int frameOffset = writer.offset() - Frame.SIZE_FIELD_LENGTH;
        final int frameLength = ProduceResponses.encode(
            state, produceEncoder, writer.buffer(), frameOffset, writer.buffer().capacity());
        if (frameLength < 0)
        {
            throw new IllegalStateException("produce response encoding failed: " + frameLength);
        }
        writer.position(frameOffset + frameLength);
        request.complete();
    }

    private void respondToFetch(final FetchRequestState state)
    {
        final InFlightRequest request = agent.inFlight(state.requestId);
        if (null == request)
        {
            return;
        }
        if (state.partitionCount > fetchEncoder.maxFileRegions())
        {
            fetchEncoder = new FetchResponseEncoder(Math.max(state.partitionCount, fetchEncoder.maxFileRegions() << 1));
        }
        final FetchResponseEncoder encoder = fetchEncoder;
        final ResponseWriter writer = request.responseWriter();
        writer.ensureCapacity(FetchResponses.maxBufferLength(state));
        final int frameOffset = writer.offset() - Frame.SIZE_FIELD_LENGTH;
        final int frameLength = FetchResponses.encode(
            state, encoder, writer.buffer(), frameOffset, writer.buffer().capacity());
        if (frameLength < 0)
        {
            throw new IllegalStateException("fetch response encoding failed: " + frameLength);
        }
        writer.position(encoder.bufferLimit());
        int region = 0;
        for (int p = 0, count = state.partitionCount; p < count; p++)
        {
            final int length = state.length[p];
            if (length > 0 && DataErrors.NONE == state.errorCode[p])
            {
                writer.addFileRegion(
                    encoder.fileRegionPosition(region), state.channel[p], state.filePosition[p], length);
                region++;
            }
        }
        request.complete();
    }
}
