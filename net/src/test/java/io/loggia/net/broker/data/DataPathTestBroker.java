package io.loggia.net.broker.data;

import io.loggia.codec.wire.ApiKeys;
import io.loggia.codec.wire.RequestHeader;
import io.loggia.codec.wire.ResponseHeader;
import io.loggia.codec.wire.WireError;
import io.loggia.engine.Engine;
import io.loggia.engine.EngineConfig;
import io.loggia.engine.EngineListener;
import io.loggia.engine.EngineThreads;
import io.loggia.engine.agent.ParkingIdleStrategy;
import io.loggia.engine.log.LogConfig;
import io.loggia.engine.log.LogConfigParser;
import io.loggia.engine.partition.Partition;
import io.loggia.engine.writer.Caller;
import io.loggia.net.transport.InFlightRequest;
import io.loggia.net.transport.NetworkAgent;
import io.loggia.net.transport.NetworkServer;
import io.loggia.net.transport.RequestHandler;
import io.loggia.net.transport.ResponseWriter;
import io.loggia.net.transport.TransportConfig;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SystemEpochClock;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Message;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A minimal broker around the data path for its tests: a real {@link Engine} with writers and housekeeper on
 * their own threads, a real {@link NetworkServer}, and a request handler that dispatches Produce, Fetch,
 * ListOffsets and OffsetForLeaderEpoch to {@link DataPathHandlers} and answers what real clients need besides
 * (ApiVersions, Metadata, InitProducerId) with kafka-clients' message classes. Topics are created directly in
 * the engine.
 */
final class DataPathTestBroker implements AutoCloseable
{
    static final int NODE_ID = 0;
    static final String CLUSTER_ID = "loggia-data-path-test";

    final Path logDir;
    final Engine engine;
    final EngineThreads threads;
    private AgentRunner housekeeperRunner;
    final TestTopics topics = new TestTopics();
    final NetworkServer server;
    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    final List<DataPathHandlers> handlers = new CopyOnWriteArrayList<>();
    final List<Caller> callers = new CopyOnWriteArrayList<>();
    /** Copies of Produce frames (size prefix included) that this predicate accepts. */
    final List<byte[]> tappedProduceFrames = new CopyOnWriteArrayList<>();
    volatile Predicate<byte[]> produceTap;
    private final AtomicLong nextProducerId = new AtomicLong(System.currentTimeMillis() * 1000);

    DataPathTestBroker(final Path logDir) throws IOException
    {
        this(logDir, 1, Map.of(), false);
    }

    /**
     * @param manualWriters true: the writers run only when the test calls {@link #runWriters()} (on the test
     *                      thread, which must also {@link #close()} the broker); the housekeeper runs on its thread.
     */
    DataPathTestBroker(
        final Path logDir,
        final int networkThreads,
        final Map<String, String> engineProperties,
        final boolean manualWriters) throws IOException
    {
        this.logDir = logDir;
        final java.util.HashMap<String, String> properties = new java.util.HashMap<>(engineProperties);
        properties.put(EngineConfig.LOG_DIR, logDir.toString());
        properties.putIfAbsent(EngineConfig.HOUSEKEEPER_NATIVE, "false");
        properties.putIfAbsent(EngineConfig.SEGMENT_PREPARE_BYTES, "0");
        this.engine = Engine.open(EngineConfig.from(properties), errors::add, EngineListener.LOGGING,
            SystemEpochClock.INSTANCE);
        if (manualWriters)
        {
            this.threads = null;
            final ParkingIdleStrategy idle = new ParkingIdleStrategy(10, 1_000_000);
            engine.housekeeperWakeSignal(idle);
            housekeeperRunner = new AgentRunner(idle, errors::add, null, engine.housekeeper());
            AgentRunner.startOnThread(housekeeperRunner);
        }
        else
        {
            this.threads = EngineThreads.start(engine, errors::add);
        }
        final DataPathConfig config = new DataPathConfig().nodeId(NODE_ID);
        this.server = new NetworkServer(
            new TransportConfig().host("127.0.0.1").port(0).numNetworkThreads(networkThreads),
            agent -> new Dispatcher(agent, config));
        server.start();
    }

    /** Creates a topic of {@code partitions} partitions with the given topic-level configs. */
    UUID createTopic(final String name, final int partitions, final Map<String, String> configs)
    {
        final LogConfigParser.Result parsed = LogConfigParser.parseTopic(configs, engine.config().logDefaults());
        if (!parsed.isValid())
        {
            throw new IllegalArgumentException(parsed.error());
        }
        final LogConfig logConfig = parsed.config();
        final UUID id = UUID.randomUUID();
        final Partition[] created = new Partition[partitions];
        for (int i = 0; i < partitions; i++)
        {
            final Engine.Created result = engine.createPartition(name, id, i, logConfig);
            if (!result.isOk())
            {
                throw new IllegalStateException("create " + name + "-" + i + ": " + result.message());
            }
            created[i] = result.partition();
        }
        topics.add(name, id, created);
        return id;
    }

    UUID createTopic(final String name, final int partitions)
    {
        return createTopic(name, partitions, Map.of());
    }

    Partition partition(final String topic, final int index)
    {
        return topics.topic(topic).partitions()[index];
    }

    InetSocketAddress address()
    {
        return server.localAddress();
    }

    String bootstrap()
    {
        return "127.0.0.1:" + address().getPort();
    }

    /** Manual writers: one duty cycle of each writer on the calling thread. */
    int runWriters()
    {
        int workCount = 0;
        for (int i = 0; i < engine.writerCount(); i++)
        {
            workCount += engine.writer(i).doWork();
        }
        return workCount;
    }

    public void close()
    {
        server.close();
        for (final Caller caller : callers)
        {
            engine.unregisterCaller(caller);
        }
        if (null != threads)
        {
            threads.close();
        }
        else
        {
            engine.close();
            housekeeperRunner.close();
        }
    }

    /** The test broker's request handler: the data path plus what a client needs to get there. */
    private final class Dispatcher implements RequestHandler
    {
        private final NetworkAgent agent;
        private final DataPathHandlers dataPath;
        private final RequestHeader header = new RequestHeader();

        Dispatcher(final NetworkAgent agent, final DataPathConfig config)
        {
            this.agent = agent;
            final Caller caller = engine.registerCaller(agent.wakeSignal());
            callers.add(caller);
            this.dataPath = new DataPathHandlers(agent, topics, caller, config);
            handlers.add(dataPath);
        }

        public void onRequest(
            final DirectBuffer buffer, final int offset, final int length, final InFlightRequest request)
        {
            final int limit = offset + length;
            final int headerCode = header.wrap(buffer, offset, limit);
            if (WireError.NONE != headerCode)
            {
                request.closeConnection();
                return;
            }
            final int bodyOffset = header.bodyOffset();
            switch (header.apiKey())
            {
                case ApiKeys.PRODUCE:
                    tap(buffer, offset, length);
                    dataPath.onProduce(header, buffer, bodyOffset, limit, request);
                    break;
                case ApiKeys.FETCH:
                    dataPath.onFetch(header, buffer, bodyOffset, limit, request);
                    break;
                case ApiKeys.LIST_OFFSETS:
                    dataPath.onListOffsets(header, buffer, bodyOffset, limit, request);
                    break;
                case ApiKeys.OFFSET_FOR_LEADER_EPOCH:
                    dataPath.onOffsetForLeaderEpoch(header, buffer, bodyOffset, limit, request);
                    break;
                case ApiKeys.API_VERSIONS:
                    apiVersions(body(buffer, bodyOffset, limit), request);
                    break;
                case ApiKeys.METADATA:
                    metadata(body(buffer, bodyOffset, limit), request);
                    break;
                case ApiKeys.INIT_PRODUCER_ID:
                    initProducerId(body(buffer, bodyOffset, limit), request);
                    break;
                default:
                    request.closeConnection();
            }
        }

        public int doWork(final long nowNs)
        {
            return dataPath.doWork(nowNs);
        }

        public long nextDeadlineNs()
        {
            return dataPath.nextDeadlineNs();
        }

        public void onConnectionClosed(final long connectionId)
        {
            dataPath.onConnectionClosed(connectionId);
        }

        private void tap(final DirectBuffer buffer, final int offset, final int length)
        {
            final Predicate<byte[]> produceTap = DataPathTestBroker.this.produceTap;
            if (null == produceTap)
            {
                return;
            }
            final byte[] frame = new byte[4 + length];
            ByteBuffer.wrap(frame).putInt(length);
            buffer.getBytes(offset, frame, 4, length);
            if (produceTap.test(frame))
            {
                tappedProduceFrames.add(frame);
            }
        }

        private void apiVersions(final ByteBufferAccessor body, final InFlightRequest request)
        {
            final short version = header.apiVersion();
            new ApiVersionsRequestData(body, version);
            final ApiVersionsResponseData response = new ApiVersionsResponseData().setErrorCode((short)0);
            addVersion(response, ApiKeys.PRODUCE, DataPathHandlers.PRODUCE_MIN_VERSION,
                DataPathHandlers.PRODUCE_MAX_VERSION);
            addVersion(response, ApiKeys.FETCH, DataPathHandlers.FETCH_MIN_VERSION, DataPathHandlers.FETCH_MAX_VERSION);
            addVersion(response, ApiKeys.LIST_OFFSETS, DataPathHandlers.LIST_OFFSETS_MIN_VERSION,
                DataPathHandlers.LIST_OFFSETS_MAX_VERSION);
            addVersion(response, ApiKeys.METADATA, 0, ApiKeys.latestVersion(ApiKeys.METADATA));
            addVersion(response, ApiKeys.API_VERSIONS, 0, ApiKeys.latestVersion(ApiKeys.API_VERSIONS));
            addVersion(response, ApiKeys.INIT_PRODUCER_ID, 0, ApiKeys.latestVersion(ApiKeys.INIT_PRODUCER_ID));
            addVersion(response, ApiKeys.OFFSET_FOR_LEADER_EPOCH, DataPathHandlers.OFFSET_FOR_LEADER_EPOCH_MIN_VERSION,
                DataPathHandlers.OFFSET_FOR_LEADER_EPOCH_MAX_VERSION);
            send(request, response, version, 0);
        }

        private void metadata(final ByteBufferAccessor body, final InFlightRequest request)
        {
            final short version = header.apiVersion();
            final MetadataRequestData metadataRequest = new MetadataRequestData(body, version);
            final MetadataResponseData response = new MetadataResponseData()
                .setClusterId(CLUSTER_ID)
                .setControllerId(NODE_ID);
            response.brokers().add(new MetadataResponseData.MetadataResponseBroker()
                .setNodeId(NODE_ID).setHost("127.0.0.1").setPort(address().getPort()));
            final List<String> names = new ArrayList<>();
            if (null == metadataRequest.topics())
            {
                for (final TestTopics.Topic topic : topics.all())
                {
                    names.add(topic.name());
                }
            }
            else
            {
                for (final MetadataRequestData.MetadataRequestTopic topic : metadataRequest.topics())
                {
                    names.add(topic.name());
                }
            }
            for (final String name : names)
            {
                final TestTopics.Topic topic = topics.topic(name);
                final MetadataResponseData.MetadataResponseTopic entry =
                    new MetadataResponseData.MetadataResponseTopic().setName(name);
                if (null == topic)
                {
                    entry.setErrorCode(DataErrors.UNKNOWN_TOPIC_OR_PARTITION);
                }
                else
                {
                    entry.setTopicId(new Uuid(topic.id().getMostSignificantBits(),
                        topic.id().getLeastSignificantBits()));
                    for (int i = 0; i < topic.partitions().length; i++)
                    {
                        entry.partitions().add(new MetadataResponseData.MetadataResponsePartition()
                            .setPartitionIndex(i)
                            .setLeaderId(NODE_ID)
                            .setLeaderEpoch(0)
                            .setReplicaNodes(List.of(NODE_ID))
                            .setIsrNodes(List.of(NODE_ID)));
                    }
                }
                response.topics().add(entry);
            }
            send(request, response, version, ApiKeys.responseHeaderVersion(ApiKeys.METADATA, version));
        }

        private void initProducerId(final ByteBufferAccessor body, final InFlightRequest request)
        {
            final short version = header.apiVersion();
            new InitProducerIdRequestData(body, version);
            final InitProducerIdResponseData response = new InitProducerIdResponseData()
                .setProducerId(nextProducerId.getAndIncrement())
                .setProducerEpoch((short)0);
            send(request, response, version, ApiKeys.responseHeaderVersion(ApiKeys.INIT_PRODUCER_ID, version));
        }

        private void send(
            final InFlightRequest request, final Message body, final short version, final int headerVersion)
        {
            final ObjectSerializationCache cache = new ObjectSerializationCache();
            final int size = body.size(cache, version);
            final ByteBuffer bytes = ByteBuffer.allocate(size);
            body.write(new ByteBufferAccessor(bytes), cache, version);
            final int headerLength = ResponseHeader.length(headerVersion);
            final ResponseWriter writer = request.responseWriter();
            final int index = writer.claim(headerLength + size);
            ResponseHeader.write(writer.buffer(), index, header.correlationId(), headerVersion);
            writer.buffer().putBytes(index + headerLength, bytes.array(), 0, size);
            request.complete();
        }
    }

    private static void addVersion(
        final ApiVersionsResponseData response, final int apiKey, final int min, final int max)
    {
        response.apiKeys().add(new ApiVersionsResponseData.ApiVersion()
            .setApiKey((short)apiKey).setMinVersion((short)min).setMaxVersion((short)max));
    }

    private static ByteBufferAccessor body(final DirectBuffer buffer, final int bodyOffset, final int limit)
    {
        final byte[] bytes = new byte[limit - bodyOffset];
        buffer.getBytes(bodyOffset, bytes);
        return new ByteBufferAccessor(ByteBuffer.wrap(bytes));
    }
}
