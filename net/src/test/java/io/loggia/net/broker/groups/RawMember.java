package io.loggia.net.broker.groups;

import io.loggia.codec.wire.ApiKeys;
import io.loggia.net.broker.WireClient;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.utils.Utils;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A group member speaking the classic protocol by hand over a {@link WireClient}: it joins (answering
 * MEMBER_ID_REQUIRED), syncs as a follower, and then does only what the test says, so it can fall silent like a
 * crashed process without a LeaveGroup.
 */
final class RawMember implements AutoCloseable
{
    static final short JOIN_VERSION = 9;
    static final short SYNC_VERSION = 5;
    static final short HEARTBEAT_VERSION = 4;

    private final WireClient client;
    private final String groupId;
    private String memberId = "";
    private int generation = -1;
    private String leader;

    RawMember(final String bootstrap, final String groupId) throws IOException
    {
        this.client = new WireClient(address(bootstrap));
        this.groupId = groupId;
    }

    static InetSocketAddress address(final String bootstrap)
    {
        final int colon = bootstrap.lastIndexOf(':');
        return new InetSocketAddress(bootstrap.substring(0, colon), Integer.parseInt(bootstrap.substring(colon + 1)));
    }

    /** FindCoordinator until the broker names itself (the first one has {@code __consumer_offsets} created). */
    static void awaitCoordinator(final WireClient client, final String groupId) throws IOException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(GroupClients.DEADLINE_MS);
        while (true)
        {
            final FindCoordinatorResponseData response = client.call(ApiKeys.FIND_COORDINATOR, (short)4,
                new FindCoordinatorRequestData().setKeyType((byte)0).setCoordinatorKeys(List.of(groupId)),
                FindCoordinatorResponseData::new);
            final Errors error = Errors.forCode(response.coordinators().get(0).errorCode());
            if (error == Errors.NONE)
            {
                return;
            }
            if (error != Errors.COORDINATOR_NOT_AVAILABLE || System.nanoTime() - deadlineNs > 0)
            {
                throw new IllegalStateException("FindCoordinator: " + error);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    String memberId()
    {
        return memberId;
    }

    int generation()
    {
        return generation;
    }

    String leader()
    {
        return leader;
    }

    /**
     * JoinGroup with a "consumer" subscription to {@code topic} under the range protocol, first without a member
     * id (MEMBER_ID_REQUIRED), then with the id given; returns when the rebalance completes.
     */
    JoinGroupResponseData join(final String topic, final int sessionTimeoutMs, final int rebalanceTimeoutMs)
        throws IOException
    {
        final byte[] subscription = Utils.toArray(ConsumerProtocol.serializeSubscription(
            new ConsumerPartitionAssignor.Subscription(List.of(topic))));
        JoinGroupResponseData response = sendJoin(subscription, sessionTimeoutMs, rebalanceTimeoutMs);
        if (response.errorCode() == Errors.MEMBER_ID_REQUIRED.code())
        {
            memberId = response.memberId();
            response = sendJoin(subscription, sessionTimeoutMs, rebalanceTimeoutMs);
        }
        if (response.errorCode() == Errors.NONE.code())
        {
            memberId = response.memberId();
            generation = response.generationId();
            leader = response.leader();
        }
        return response;
    }

    /** SyncGroup as a follower; returns the partitions the leader assigned. */
    List<TopicPartition> syncAsFollower() throws IOException
    {
        return sync(List.of());
    }

    /** SyncGroup as the leader, assigning {@code partitions} to itself; returns what it got back. */
    List<TopicPartition> syncAsLeader(final List<TopicPartition> partitions) throws IOException
    {
        final byte[] assignment = Utils.toArray(ConsumerProtocol.serializeAssignment(
            new ConsumerPartitionAssignor.Assignment(partitions)));
        return sync(List.of(new SyncGroupRequestData.SyncGroupRequestAssignment()
            .setMemberId(memberId)
            .setAssignment(assignment)));
    }

    private List<TopicPartition> sync(final List<SyncGroupRequestData.SyncGroupRequestAssignment> assignments)
        throws IOException
    {
        final SyncGroupResponseData response = client.call(ApiKeys.SYNC_GROUP, SYNC_VERSION,
            new SyncGroupRequestData()
                .setGroupId(groupId)
                .setGenerationId(generation)
                .setMemberId(memberId)
                .setProtocolType("consumer")
                .setProtocolName("range")
                .setAssignments(assignments),
            SyncGroupResponseData::new);
        if (response.errorCode() != Errors.NONE.code())
        {
            throw new IllegalStateException("SyncGroup failed: " + Errors.forCode(response.errorCode()));
        }
        return ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(response.assignment())).partitions();
    }

    /** The connection, for requests the test builds itself. */
    WireClient client()
    {
        return client;
    }

    /** One Heartbeat; its error. */
    Errors heartbeat() throws IOException
    {
        final HeartbeatResponseData response = client.call(ApiKeys.HEARTBEAT, HEARTBEAT_VERSION,
            new HeartbeatRequestData().setGroupId(groupId).setGenerationId(generation).setMemberId(memberId),
            HeartbeatResponseData::new);
        return Errors.forCode(response.errorCode());
    }

    private JoinGroupResponseData sendJoin(
        final byte[] subscription, final int sessionTimeoutMs, final int rebalanceTimeoutMs) throws IOException
    {
        final JoinGroupRequestData.JoinGroupRequestProtocolCollection protocols =
            new JoinGroupRequestData.JoinGroupRequestProtocolCollection();
        protocols.add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(subscription));
        return client.call(ApiKeys.JOIN_GROUP, JOIN_VERSION,
            new JoinGroupRequestData()
                .setGroupId(groupId)
                .setSessionTimeoutMs(sessionTimeoutMs)
                .setRebalanceTimeoutMs(rebalanceTimeoutMs)
                .setMemberId(memberId)
                .setProtocolType("consumer")
                .setProtocols(protocols)
                .setReason("raw member"),
            JoinGroupResponseData::new);
    }

    public void close() throws IOException
    {
        client.close();
    }
}
