package io.loggia.net.broker;

import io.loggia.codec.wire.ApiKeys;
import io.loggia.codec.wire.RequestHeader;
import io.loggia.codec.wire.WireError;
import io.loggia.engine.group.GroupCoordinatorProxy;
import io.loggia.engine.topic.ControllerProxy;
import io.loggia.net.broker.admin.AdminApis;
import io.loggia.net.broker.admin.AdminContext;
import io.loggia.net.broker.admin.AdminVersions;
import io.loggia.net.broker.data.DataPathHandlers;
import io.loggia.net.group.CoordinatorNode;
import io.loggia.net.group.GroupApis;
import io.loggia.net.group.InFlightResponseSink;
import io.loggia.net.group.RequestContext;
import io.loggia.net.transport.InFlightRequest;
import io.loggia.net.transport.NetworkAgent;
import io.loggia.net.transport.RequestHandler;
import org.agrona.DirectBuffer;

import java.nio.ByteBuffer;

/**
 * The broker's request dispatcher, one per network agent: decodes the request header and hands the request to
 * the data path, the admin APIs or the group APIs; refuses what Kafka refuses.
 * <pre>
 *   onRequest(frame):
 *     header.wrap ── malformed or unknown API key ──────────────────────────► close the connection, one log line
 *     ApiVersions (any version) ──────────────────────────────────────────► pre-encoded answer (v0 + 35 if unknown)
 *     Produce, Fetch, ListOffsets, OffsetForLeaderEpoch, version in range ──► DataPathHandlers.on*
 *     Metadata, CreateTopics, ..., InitProducerId, version in range ───────► AdminApis.handle (maybe via controller)
 *     FindCoordinator, JoinGroup, ..., OffsetDelete, version in range ──────► GroupApis.handle (maybe via coordinator)
 *     anything else (an API or version not served) ─────────────────────────► close the connection, one log line
 *   doWork(nowNs):  data path completions and timers, controller answers, coordinator answers
 * </pre>
 * A version outside the advertised range or an API not advertised means the client ignored ApiVersions; Kafka
 * closes such connections, and so does Loggia. A body that does not decode closes the connection too.
 * <p>
 * The admin and group handlers load kafka-clients' message classes, so they are built on the first request that
 * needs them: none of those classes loads while the broker starts.
 * <p>
 * <b>Assumptions and Guarantees</b>: made by the broker's handler factory on the thread that builds the network
 * server; then every method runs on the agent's thread only.
 */
final class KafkaRequestHandler implements RequestHandler
{
    private static final System.Logger LOG = System.getLogger(KafkaRequestHandler.class.getName());
    /** Refusals logged per window at most; the rest are counted and summed up in the next line. */
    private static final int LOG_BURST = 10;
    private static final long LOG_WINDOW_NS = 10_000_000_000L;

    private final NetworkAgent agent;
    private final DataPathHandlers dataPath;
    private final AdminContext adminContext;
    private final ControllerProxy controller;
    private final GroupCoordinatorProxy coordinator;
    private final RegistryTopicLookup groupTopics;
    private final RequestHeader header = new RequestHeader();
    private AdminApis admin;
    private GroupApis groups;
    private long logWindowStartNs;
    private int logged;
    private long suppressed;

    KafkaRequestHandler(
        final NetworkAgent agent,
        final DataPathHandlers dataPath,
        final AdminContext adminContext,
        final ControllerProxy controller,
        final GroupCoordinatorProxy coordinator,
        final RegistryTopicLookup groupTopics)
    {
        this.agent = agent;
        this.dataPath = dataPath;
        this.adminContext = adminContext;
        this.controller = controller;
        this.coordinator = coordinator;
        this.groupTopics = groupTopics;
    }

    public void onRequest(final DirectBuffer buffer, final int offset, final int length, final InFlightRequest request)
    {
        final int limit = offset + length;
        final int error = header.wrap(buffer, offset, limit);
        if (WireError.NONE != error)
        {
            refuse(request, WireError.UNKNOWN_API_KEY == error ?
                "unknown API key " + header.apiKey() : "malformed request header (" + WireError.name(error) + ")");
            return;
        }
        final short apiKey = header.apiKey();
        final short version = header.apiVersion();
        final int bodyOffset = header.bodyOffset();
        try
        {
            switch (apiKey)
            {
                case ApiKeys.PRODUCE:
                    if (inRange(version, DataPathHandlers.PRODUCE_MIN_VERSION, DataPathHandlers.PRODUCE_MAX_VERSION))
                    {
                        dataPath.onProduce(header, buffer, bodyOffset, limit, request);
                        return;
                    }
                    break;
                case ApiKeys.FETCH:
                    if (inRange(version, DataPathHandlers.FETCH_MIN_VERSION, DataPathHandlers.FETCH_MAX_VERSION))
                    {
                        dataPath.onFetch(header, buffer, bodyOffset, limit, request);
                        return;
                    }
                    break;
                case ApiKeys.LIST_OFFSETS:
                    if (inRange(version,
                        DataPathHandlers.LIST_OFFSETS_MIN_VERSION, DataPathHandlers.LIST_OFFSETS_MAX_VERSION))
                    {
                        dataPath.onListOffsets(header, buffer, bodyOffset, limit, request);
                        return;
                    }
                    break;
                case ApiKeys.OFFSET_FOR_LEADER_EPOCH:
                    if (inRange(version, DataPathHandlers.OFFSET_FOR_LEADER_EPOCH_MIN_VERSION,
                        DataPathHandlers.OFFSET_FOR_LEADER_EPOCH_MAX_VERSION))
                    {
                        dataPath.onOffsetForLeaderEpoch(header, buffer, bodyOffset, limit, request);
                        return;
                    }
                    break;
                case ApiKeys.API_VERSIONS:
                    SupportedApis.responder().respond(header.correlationId(), version, request);
                    return;
                default:
                    if (AdminVersions.isSupported(apiKey, version))
                    {
                        admin().handle(apiKey, version, header.correlationId(), body(buffer, bodyOffset, limit),
                            request.id());
                        return;
                    }
                    if (GroupApis.isSupported(apiKey, version))
                    {
                        groups().handle(apiKey, version, body(buffer, bodyOffset, limit), context(request),
                            new InFlightResponseSink(agent, request.id(), header.correlationId(),
                                ApiKeys.responseHeaderVersion(apiKey, version)));
                        return;
                    }
                    break;
            }
        }
        catch (final RuntimeException ex)
        {
            refuse(request, ApiKeys.name(apiKey) + " v" + version + " does not decode: " + ex);
            return;
        }
        refuse(request, (ApiKeys.isKnown(apiKey) ? ApiKeys.name(apiKey) : "API key " + apiKey) + " v" + version +
            " is not supported");
    }

    public int doWork(final long nowNs)
    {
        int workCount = dataPath.doWork(nowNs);
        if (null != admin)
        {
            workCount += admin.doWork();
        }
        if (null != groups)
        {
            workCount += groups.doWork();
        }
        return workCount;
    }

    public long nextDeadlineNs()
    {
        return dataPath.nextDeadlineNs();
    }

    public void onConnectionClosed(final long connectionId)
    {
        dataPath.onConnectionClosed(connectionId);
    }

    public void onClose()
    {
        dataPath.onClose();
    }

    /** The data path of this agent; for tests and metrics. */
    DataPathHandlers dataPath()
    {
        return dataPath;
    }

    private AdminApis admin()
    {
        if (null == admin)
        {
            admin = new AdminApis(agent, adminContext, controller);
        }
        return admin;
    }

    private GroupApis groups()
    {
        if (null == groups)
        {
            groups = new GroupApis(coordinator,
                new CoordinatorNode(adminContext.nodeId(), adminContext.host(), adminContext.port()), groupTopics);
        }
        return groups;
    }

    private RequestContext context(final InFlightRequest request)
    {
        final String clientId = header.clientIdLength() < 0 ?
            "" : header.buffer().getStringWithoutLengthUtf8(header.clientIdOffset(), header.clientIdLength());
        final String clientHost = request.remoteHost();
        return new RequestContext()
        {
            public String clientId()
            {
                return clientId;
            }

            public String clientHost()
            {
                return clientHost;
            }
        };
    }

    private static boolean inRange(final short version, final short min, final short max)
    {
        return version >= min && version <= max;
    }

    /** A heap copy of the body for kafka-clients' decoders, which may keep slices of it. */
    private static ByteBuffer body(final DirectBuffer buffer, final int bodyOffset, final int limit)
    {
        final byte[] bytes = new byte[limit - bodyOffset];
        buffer.getBytes(bodyOffset, bytes);
        return ByteBuffer.wrap(bytes);
    }

    /** Kafka closes the connection of a request it cannot serve; so does Loggia, with one (rate-limited) log line. */
    private void refuse(final InFlightRequest request, final String why)
    {
        final long nowNs = agent.nowNs();
        if (nowNs - logWindowStartNs > LOG_WINDOW_NS)
        {
            if (suppressed > 0)
            {
                LOG.log(System.Logger.Level.WARNING, "{0} more connections closed for bad requests", suppressed);
            }
            logWindowStartNs = nowNs;
            logged = 0;
            suppressed = 0;
        }
        if (logged < LOG_BURST)
        {
            logged++;
            LOG.log(System.Logger.Level.WARNING, "closing connection {0}: {1} (correlation id {2})",
                request.connectionId(), why, header.correlationId());
        }
        else
        {
            suppressed++;
        }
        request.closeConnection();
    }
}
