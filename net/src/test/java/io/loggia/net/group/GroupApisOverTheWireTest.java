package io.loggia.net.group;

import io.loggia.codec.wire.ApiKeys;
import io.loggia.codec.wire.RequestHeader;
import io.loggia.engine.agent.ParkingIdleStrategy;
import io.loggia.engine.group.GroupConfig;
import io.loggia.engine.group.GroupCoordinator;
import io.loggia.engine.group.GroupErrors;
import io.loggia.engine.group.OffsetsLogFixture;
import io.loggia.net.transport.InFlightRequest;
import io.loggia.net.transport.NetworkAgent;
import io.loggia.net.transport.NetworkServer;
import io.loggia.net.transport.RequestHandler;
import io.loggia.net.transport.TransportConfig;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SystemEpochClock;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.protocol.Readable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The group APIs over a real socket: the transport's {@link NetworkServer} with a request handler that decodes
 * the header and calls {@link GroupApis} with an {@link InFlightResponseSink}; the coordinator runs on its own
 * thread (with the test's offsets log, drained on that thread) and wakes the network thread when it answers.
 * The client speaks the Kafka protocol with kafka-clients' message classes.
 */
class GroupApisOverTheWireTest
{
    private static final long DEADLINE_NS = TimeUnit.SECONDS.toNanos(10);

    @TempDir
    Path dir;

    private final List<Throwable> errors = new CopyOnWriteArrayList<>();

    /** The broker's dispatcher, reduced to the group APIs. */
    private static final class GroupRequestHandler implements RequestHandler
    {
        private final NetworkAgent agent;
        private final GroupApis apis;
        private final RequestHeader header = new RequestHeader();

        GroupRequestHandler(final NetworkAgent agent, final GroupCoordinator coordinator, final TopicLookup topics)
        {
            this.agent = agent;
            this.apis = new GroupApis(coordinator.newProxy(agent.wakeSignal()),
                new CoordinatorNode(1, "localhost", 9092), topics);
        }

        public void onRequest(final DirectBuffer buffer, final int offset, final int length,
            final InFlightRequest request)
        {
            header.wrap(buffer, offset, offset + length);
            final int bodyLength = offset + length - header.bodyOffset();
            final ByteBuffer body = ByteBuffer.allocate(bodyLength);
            buffer.getBytes(header.bodyOffset(), body, bodyLength);
            body.flip();
            final String clientId = header.clientIdLength() < 0 ? "" :
                buffer.getStringWithoutLengthUtf8(header.clientIdOffset(), header.clientIdLength());
            final InFlightResponseSink sink = new InFlightResponseSink(agent, request.id(), header.correlationId(),
                ApiKeys.responseHeaderVersion(header.apiKey(), header.apiVersion()));
            final RequestContext context = new RequestContext()
            {
                public String clientId()
                {
                    return clientId;
                }

                public String clientHost()
                {
                    return "/127.0.0.1";
                }
            };
            if (!apis.handle(header.apiKey(), header.apiVersion(), body, context, sink))
            {
                request.closeConnection();
            }
        }

        public int doWork(final long nowNs)
        {
            return apis.doWork();
        }
    }

    /** A blocking Kafka-protocol client. */
    private static final class Client implements AutoCloseable
    {
        private final Socket socket;
        private final DataInputStream in;
        private final OutputStream out;
        private int correlationId;

        Client(final InetSocketAddress server) throws IOException
        {
            socket = new Socket();
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getPort()), 10_000);
            socket.setSoTimeout(10_000);
            in = new DataInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        void send(final int apiKey, final ApiMessage body, final short version) throws IOException
        {
            final short headerVersion = (short)ApiKeys.requestHeaderVersion(apiKey, version);
            final RequestHeaderData header = new RequestHeaderData().setRequestApiKey((short)apiKey)
                .setRequestApiVersion(version).setCorrelationId(++correlationId).setClientId("wire-client");
            final ObjectSerializationCache cache = new ObjectSerializationCache();
            final int headerSize = header.size(cache, headerVersion);
            final int bodySize = body.size(cache, version);
            final ByteBuffer frame = ByteBuffer.allocate(4 + headerSize + bodySize).putInt(headerSize + bodySize);
            final ByteBufferAccessor accessor = new ByteBufferAccessor(frame);
            header.write(accessor, cache, headerVersion);
            body.write(accessor, cache, version);
            out.write(frame.array());
            out.flush();
        }

        <R> R receive(final int apiKey, final short version, final int expectedCorrelationId,
            final BiFunction<Readable, Short, R> parser) throws IOException
        {
            final byte[] frame = new byte[in.readInt()];
            in.readFully(frame);
            final ByteBufferAccessor accessor = new ByteBufferAccessor(ByteBuffer.wrap(frame));
            final ResponseHeaderData header =
                new ResponseHeaderData(accessor, (short)ApiKeys.responseHeaderVersion(apiKey, version));
            assertThat(header.correlationId()).isEqualTo(expectedCorrelationId);
            return parser.apply(accessor, version);
        }

        <R> R call(final int apiKey, final ApiMessage body, final short version,
            final BiFunction<Readable, Short, R> parser) throws IOException
        {
            send(apiKey, body, version);
            return receive(apiKey, version, correlationId, parser);
        }

        public void close() throws IOException
        {
            socket.close();
        }
    }

    @Test
    void consumerGroupConversationOverASocket() throws Exception
    {
        final OffsetsLogFixture log = new OffsetsLogFixture(dir).open(3);
        final ParkingIdleStrategy coordinatorIdle = new ParkingIdleStrategy(10, TimeUnit.MILLISECONDS.toNanos(1));
        final GroupCoordinator coordinator = new GroupCoordinator(GroupConfig.parse(Map.of(
            GroupConfig.OFFSETS_TOPIC_NUM_PARTITIONS, "3",
            GroupConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "0")).config(), SystemEpochClock.INSTANCE, log, log,
            coordinatorIdle, 1024, errors::add);
        final Agent coordinatorWithWriter = new Agent()
        {
            public void onStart()
            {
                coordinator.onStart();
            }

            public int doWork()
            {
                return coordinator.doWork() + log.drain(System.currentTimeMillis());
            }

            public void onClose()
            {
                coordinator.onClose();
            }

            public String roleName()
            {
                return "coordinator-and-writer";
            }
        };
        final GroupApisHarness.Topics topics = new GroupApisHarness.Topics().add("orders", 2, Uuid.randomUuid());
        final AgentRunner runner = new AgentRunner(coordinatorIdle, errors::add, null, coordinatorWithWriter);
        AgentRunner.startOnThread(runner);
        final TransportConfig config = new TransportConfig().host("127.0.0.1").port(0).numNetworkThreads(1);
        try (NetworkServer server = new NetworkServer(config,
            agent -> new GroupRequestHandler(agent, coordinator, topics)).start();
            Client client = new Client(server.localAddress()))
        {
            FindCoordinatorResponseData found;
            final long deadline = System.nanoTime() + DEADLINE_NS;
            do
            {
                found = client.call(ApiKeys.FIND_COORDINATOR, new FindCoordinatorRequestData()
                    .setCoordinatorKeys(List.of("wire-group")), (short)6, FindCoordinatorResponseData::new);
                LockSupport.parkNanos(1_000_000);
            }
            while (found.coordinators().get(0).errorCode() != GroupErrors.NONE && System.nanoTime() < deadline);
            assertThat(found.coordinators().get(0).errorCode()).isEqualTo(GroupErrors.NONE);
            assertThat(found.coordinators().get(0).nodeId()).isEqualTo(1);

            final JoinGroupRequestData.JoinGroupRequestProtocolCollection protocols =
                new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
            protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range")
                .setMetadata(new byte[]{0, 0, 0, 0, 0, 0, -1, -1, -1, -1}));
            final JoinGroupRequestData join = new JoinGroupRequestData().setGroupId("wire-group")
                .setSessionTimeoutMs(10_000).setRebalanceTimeoutMs(10_000).setMemberId("")
                .setProtocolType("consumer").setProtocols(protocols);
            final JoinGroupResponseData required =
                client.call(ApiKeys.JOIN_GROUP, join, (short)9, JoinGroupResponseData::new);
            assertThat(required.errorCode()).isEqualTo(GroupErrors.MEMBER_ID_REQUIRED);
            assertThat(required.memberId()).startsWith("wire-client-");
            final JoinGroupResponseData joined = client.call(ApiKeys.JOIN_GROUP,
                join.duplicate().setMemberId(required.memberId()), (short)9, JoinGroupResponseData::new);
            assertThat(joined.errorCode()).isEqualTo(GroupErrors.NONE);
            assertThat(joined.leader()).isEqualTo(required.memberId());

            final SyncGroupResponseData synced = client.call(ApiKeys.SYNC_GROUP, new SyncGroupRequestData()
                .setGroupId("wire-group").setGenerationId(joined.generationId()).setMemberId(joined.memberId())
                .setProtocolType("consumer").setProtocolName("range")
                .setAssignments(List.of(new SyncGroupRequestData.SyncGroupRequestAssignment()
                    .setMemberId(joined.memberId()).setAssignment(new byte[]{4, 2}))), (short)5,
                SyncGroupResponseData::new);
            assertThat(synced.assignment()).containsExactly(4, 2);

            final OffsetCommitResponseData committed = client.call(ApiKeys.OFFSET_COMMIT, new OffsetCommitRequestData()
                .setGroupId("wire-group").setGenerationIdOrMemberEpoch(joined.generationId())
                .setMemberId(joined.memberId()).setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic()
                    .setName("orders").setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                        .setPartitionIndex(1).setCommittedOffset(1234).setCommittedMetadata("wire"))))), (short)9,
                OffsetCommitResponseData::new);
            assertThat(committed.topics().get(0).partitions().get(0).errorCode()).isEqualTo(GroupErrors.NONE);

            // two requests pipelined: answered in order
            client.send(ApiKeys.HEARTBEAT, new HeartbeatRequestData().setGroupId("wire-group")
                .setGenerationId(joined.generationId()).setMemberId(joined.memberId()), (short)4);
            client.send(ApiKeys.OFFSET_FETCH, new OffsetFetchRequestData().setGroups(List.of(
                new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("wire-group").setTopics(null))),
                (short)9);
            assertThat(client.receive(ApiKeys.HEARTBEAT, (short)4, 6, HeartbeatResponseData::new).errorCode())
                .isEqualTo(GroupErrors.NONE);
            final OffsetFetchResponseData fetched =
                client.receive(ApiKeys.OFFSET_FETCH, (short)9, 7, OffsetFetchResponseData::new);
            final OffsetFetchResponseData.OffsetFetchResponsePartitions partition =
                fetched.groups().get(0).topics().get(0).partitions().get(0);
            assertThat(partition.partitionIndex()).isEqualTo(1);
            assertThat(partition.committedOffset()).isEqualTo(1234);
            assertThat(partition.metadata()).isEqualTo("wire");

            final LeaveGroupResponseData left = client.call(ApiKeys.LEAVE_GROUP, new LeaveGroupRequestData()
                .setGroupId("wire-group").setMembers(List.of(new LeaveGroupRequestData.MemberIdentity()
                    .setMemberId(joined.memberId()))), (short)5, LeaveGroupResponseData::new);
            assertThat(left.members().get(0).errorCode()).isEqualTo(GroupErrors.NONE);
        }
        finally
        {
            runner.close();
            log.close();
        }
        assertThat(errors).isEmpty();
        assertThat(log.errors).isEmpty();
    }
}
