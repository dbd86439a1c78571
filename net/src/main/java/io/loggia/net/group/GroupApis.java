package io.loggia.net.group;

import io.loggia.codec.wire.ApiKeys;
import io.loggia.engine.group.DeleteGroupsOp;
import io.loggia.engine.group.DescribeGroupsOp;
import io.loggia.engine.group.GroupCoordinatorProxy;
import io.loggia.engine.group.GroupErrors;
import io.loggia.engine.group.GroupOp;
import io.loggia.engine.group.GroupResponseHandler;
import io.loggia.engine.group.HeartbeatOp;
import io.loggia.engine.group.JoinGroupOp;
import io.loggia.engine.group.LeaveGroupOp;
import io.loggia.engine.group.ListGroupsOp;
import io.loggia.engine.group.OffsetCommitOp;
import io.loggia.engine.group.OffsetDeleteOp;
import io.loggia.engine.group.OffsetFetchOp;
import io.loggia.engine.group.SyncGroupOp;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Message;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The Kafka-facing side of consumer groups for one network thread: decodes FindCoordinator, JoinGroup,
 * SyncGroup, Heartbeat, LeaveGroup, OffsetCommit, OffsetFetch, ListGroups, DescribeGroups, DeleteGroups and
 * OffsetDelete with kafka-clients' message classes, hands them to the {@link io.loggia.engine.group.GroupCoordinator}
 * as ops through this thread's {@link GroupCoordinatorProxy}, and writes each response through the request's
 * {@link ResponseSink} when the op comes back.
 * <pre>
 *   network thread                                         coordinator thread
 *   handle(apiKey, version, body, context, sink)
 *     decode *RequestData ─► op (+ sink) ─ proxy.offer ───► command queue ─► groups, timers, __consumer_offsets
 *   doWork()  ◄─ wake ◄── this thread's response queue ◄─── answered op
 *     op ─► *ResponseData ─► sink.send(body, version)
 * </pre>
 * FindCoordinator is answered at once, without the coordinator's queue. A full command queue answers at once
 * with COORDINATOR_NOT_AVAILABLE (clients retry).
 * <p>
 * <b>Assumptions and Guarantees</b>: one instance per network thread; {@link #handle} and {@link #doWork()} are
 * called only on that thread (the proxy's response queue has this thread as its single consumer). The
 * coordinator wakes the thread (the proxy's caller wake signal) after answering; the thread's request handler
 * calls {@link #doWork()} in its duty cycle.
 */
public final class GroupApis implements GroupResponseHandler
{
    private static final int RESPONSE_LIMIT = 256;
    /** Key, min, max of every API handled here, in key order. */
    private static final short[][] VERSIONS = {
        {ApiKeys.OFFSET_COMMIT, 2, 10},
        {ApiKeys.OFFSET_FETCH, 1, 10},
        {ApiKeys.FIND_COORDINATOR, 0, 6},
        {ApiKeys.JOIN_GROUP, 0, 9},
        {ApiKeys.HEARTBEAT, 0, 4},
        {ApiKeys.LEAVE_GROUP, 0, 5},
        {ApiKeys.SYNC_GROUP, 0, 5},
        {ApiKeys.DESCRIBE_GROUPS, 0, 6},
        {ApiKeys.LIST_GROUPS, 0, 5},
        {ApiKeys.DELETE_GROUPS, 0, 3},
        {ApiKeys.OFFSET_DELETE, 0, 0},
    };

    /** What travels with an op: where its answer goes and the request it came from. */
    private record Pending(ResponseSink sink, Message request)
    {
    }

    private final GroupCoordinatorProxy coordinator;
    private final CoordinatorNode node;
    private final TopicLookup topics;

    /**
     * @param coordinator this network thread's proxy ({@code GroupCoordinator.newProxy(agent.wakeSignal())}).
     * @param node        the broker FindCoordinator names.
     * @param topics      the broker's topic registry.
     */
    public GroupApis(final GroupCoordinatorProxy coordinator, final CoordinatorNode node, final TopicLookup topics)
    {
        this.coordinator = coordinator;
        this.node = node;
        this.topics = topics;
    }

    /** The API versions handled here, for the broker's ApiVersions response. */
    public static List<ApiVersionsResponseData.ApiVersion> supportedVersions()
    {
        final List<ApiVersionsResponseData.ApiVersion> versions = new ArrayList<>(VERSIONS.length);
        for (final short[] range : VERSIONS)
        {
            versions.add(new ApiVersionsResponseData.ApiVersion()
                .setApiKey(range[0])
                .setMinVersion(range[1])
                .setMaxVersion(range[2]));
        }
        return versions;
    }

    /** Whether {@code apiKey} is one of the group APIs. */
    public static boolean isGroupApi(final int apiKey)
    {
        return null != range(apiKey);
    }

    /** Whether {@link #handle} takes this API at this version. */
    public static boolean isSupported(final int apiKey, final short version)
    {
        final short[] range = range(apiKey);
        return null != range && version >= range[1] && version <= range[2];
    }

    /**
     * Handles one request. The body is decoded before this returns, so {@code body} may be a view of the
     * receive buffer. The response is sent through {@code sink} exactly once: inside this call
     * (FindCoordinator, a full command queue) or later from {@link #doWork()}.
     *
     * @param apiKey  the request header's API key.
     * @param version the request header's API version.
     * @param body    the request body (after the header), big-endian, position at its first byte.
     * @param context the client's id and address.
     * @param sink    where the response goes.
     * @return false, having done nothing, if the key is not a group API or the version is not supported
     * ({@link #isSupported}); the dispatcher answers those.
     * @throws RuntimeException from kafka-clients if the body does not decode; the transport then closes the
     *                          connection, as Kafka does for a malformed request.
     */
    public boolean handle(
        final int apiKey, final short version, final ByteBuffer body, final RequestContext context,
        final ResponseSink sink)
    {
        if (!isSupported(apiKey, version))
        {
            return false;
        }
        final ByteBufferAccessor accessor = new ByteBufferAccessor(body);
        switch (apiKey)
        {
            case ApiKeys.FIND_COORDINATOR:
                sink.send(FindCoordinatorAnswer.answer(
                    new FindCoordinatorRequestData(accessor, version), version, node, coordinator), version);
                break;
            case ApiKeys.JOIN_GROUP:
            {
                final JoinGroupRequestData request = new JoinGroupRequestData(accessor, version);
                submit(MembershipCodecs.joinGroup(request, version, context), request, version, sink);
                break;
            }
            case ApiKeys.SYNC_GROUP:
            {
                final SyncGroupRequestData request = new SyncGroupRequestData(accessor, version);
                submit(MembershipCodecs.syncGroup(request, version), request, version, sink);
                break;
            }
            case ApiKeys.HEARTBEAT:
            {
                final HeartbeatRequestData request = new HeartbeatRequestData(accessor, version);
                submit(MembershipCodecs.heartbeat(request, version), request, version, sink);
                break;
            }
            case ApiKeys.LEAVE_GROUP:
            {
                final LeaveGroupRequestData request = new LeaveGroupRequestData(accessor, version);
                submit(MembershipCodecs.leaveGroup(request, version), request, version, sink);
                break;
            }
            case ApiKeys.OFFSET_COMMIT:
            {
                final OffsetCommitRequestData request = new OffsetCommitRequestData(accessor, version);
                submit(OffsetCodecs.offsetCommit(request, version, topics), request, version, sink);
                break;
            }
            case ApiKeys.OFFSET_FETCH:
            {
                final OffsetFetchRequestData request = new OffsetFetchRequestData(accessor, version);
                submit(OffsetCodecs.offsetFetch(request, version, topics), request, version, sink);
                break;
            }
            case ApiKeys.OFFSET_DELETE:
            {
                final OffsetDeleteRequestData request = new OffsetDeleteRequestData(accessor, version);
                submit(OffsetCodecs.offsetDelete(request, topics), request, version, sink);
                break;
            }
            case ApiKeys.LIST_GROUPS:
            {
                final ListGroupsRequestData request = new ListGroupsRequestData(accessor, version);
                submit(AdminCodecs.listGroups(request, version), request, version, sink);
                break;
            }
            case ApiKeys.DESCRIBE_GROUPS:
            {
                final DescribeGroupsRequestData request = new DescribeGroupsRequestData(accessor, version);
                submit(AdminCodecs.describeGroups(request), request, version, sink);
                break;
            }
            default:
            {
                final DeleteGroupsRequestData request = new DeleteGroupsRequestData(accessor, version);
                submit(AdminCodecs.deleteGroups(request), request, version, sink);
                break;
            }
        }
        return true;
    }

    /**
     * Sends the responses of ops the coordinator answered. Called in the network thread's duty cycle.
     *
     * @return how many.
     */
    public int doWork()
    {
        return coordinator.poll(this, RESPONSE_LIMIT);
    }

    public void onResponse(final GroupOp op)
    {
        final Pending pending = (Pending)op.attachment;
        op.attachment = null;
        pending.sink().send(encode(op, pending.request()), op.apiVersion);
    }

    private void submit(final GroupOp op, final Message request, final short version, final ResponseSink sink)
    {
        op.apiVersion = version;
        op.attachment = new Pending(sink, request);
        if (!coordinator.offer(op))
        {
            op.fail(GroupErrors.COORDINATOR_NOT_AVAILABLE);
            onResponse(op);
        }
    }

    private Message encode(final GroupOp op, final Message request)
    {
        final short version = op.apiVersion;
        switch (op.kind())
        {
            case GroupOp.JOIN_GROUP:
                return MembershipCodecs.joinGroupResponse((JoinGroupOp)op, version);
            case GroupOp.SYNC_GROUP:
                return MembershipCodecs.syncGroupResponse((SyncGroupOp)op);
            case GroupOp.HEARTBEAT:
                return MembershipCodecs.heartbeatResponse((HeartbeatOp)op);
            case GroupOp.LEAVE_GROUP:
                return MembershipCodecs.leaveGroupResponse((LeaveGroupOp)op, version);
            case GroupOp.OFFSET_COMMIT:
                return OffsetCodecs.offsetCommitResponse((OffsetCommitOp)op, (OffsetCommitRequestData)request, version);
            case GroupOp.OFFSET_FETCH:
                return OffsetCodecs.offsetFetchResponse(
                    (OffsetFetchOp)op, (OffsetFetchRequestData)request, version, topics);
            case GroupOp.OFFSET_DELETE:
                return OffsetCodecs.offsetDeleteResponse((OffsetDeleteOp)op, (OffsetDeleteRequestData)request);
            case GroupOp.LIST_GROUPS:
                return AdminCodecs.listGroupsResponse((ListGroupsOp)op);
            case GroupOp.DESCRIBE_GROUPS:
                return AdminCodecs.describeGroupsResponse(
                    (DescribeGroupsOp)op, (DescribeGroupsRequestData)request, version);
            default:
                return AdminCodecs.deleteGroupsResponse((DeleteGroupsOp)op);
        }
    }

    private static short[] range(final int apiKey)
    {
        for (final short[] range : VERSIONS)
        {
            if (range[0] == apiKey)
            {
                return range;
            }
        }
        return null;
    }
}
