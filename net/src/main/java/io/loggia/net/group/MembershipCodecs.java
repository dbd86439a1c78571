package io.loggia.net.group;

import io.loggia.engine.group.GroupErrors;
import io.loggia.engine.group.HeartbeatOp;
import io.loggia.engine.group.JoinGroupOp;
import io.loggia.engine.group.LeaveGroupOp;
import io.loggia.engine.group.SyncGroupOp;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;

import java.util.ArrayList;
import java.util.List;

/**
 * JoinGroup v0-v9, SyncGroup v0-v5, Heartbeat v0-v4 and LeaveGroup v0-v5: kafka-clients' request messages to
 * the coordinator's ops and the answered ops back to response messages, field by field as each version has
 * them. Fields a version lacks keep their defaults (a non-ignorable field set at a version without it would
 * make kafka-clients refuse to write the message).
 */
final class MembershipCodecs
{
    private MembershipCodecs()
    {
    }

    static JoinGroupOp joinGroup(final JoinGroupRequestData request, final short version, final RequestContext context)
    {
        final JoinGroupOp op = new JoinGroupOp();
        op.groupId = request.groupId();
        op.memberId = nonNull(request.memberId());
        op.groupInstanceId = version >= 5 ? request.groupInstanceId() : null;
        op.clientId = nonNull(context.clientId());
        op.clientHost = nonNull(context.clientHost());
        op.sessionTimeoutMs = request.sessionTimeoutMs();
        // v0 has no rebalance timeout: Kafka uses the session timeout
        op.rebalanceTimeoutMs = version >= 1 ? request.rebalanceTimeoutMs() : request.sessionTimeoutMs();
        op.protocolType = nonNull(request.protocolType());
        final int count = request.protocols().size();
        op.protocolNames = new String[count];
        op.protocolMetadata = new byte[count][];
        int i = 0;
        for (final JoinGroupRequestData.JoinGroupRequestProtocol protocol : request.protocols())
        {
            op.protocolNames[i] = protocol.name();
            op.protocolMetadata[i] = null == protocol.metadata() ? new byte[0] : protocol.metadata();
            i++;
        }
        op.reason = version >= 8 ? request.reason() : null;
        op.requireKnownMemberId = version >= 4;
        op.supportsSkipAssignment = version >= 9;
        return op;
    }

    static JoinGroupResponseData joinGroupResponse(final JoinGroupOp op, final short version)
    {
        final List<JoinGroupResponseData.JoinGroupResponseMember> members = new ArrayList<>(op.members.size());
        for (final JoinGroupOp.Member member : op.members)
        {
            members.add(new JoinGroupResponseData.JoinGroupResponseMember()
                .setMemberId(member.memberId())
                .setGroupInstanceId(member.groupInstanceId())
                .setMetadata(member.metadata()));
        }
        return new JoinGroupResponseData()
            .setThrottleTimeMs(0)
            .setErrorCode(op.errorCode)
            .setGenerationId(op.generationId)
            .setProtocolType(op.responseProtocolType)
            // nullable from v7 (KIP-559); before, "" stands for none
            .setProtocolName(null == op.protocolName && version < 7 ? "" : op.protocolName)
            .setLeader(nonNull(op.leaderId))
            .setSkipAssignment(version >= 9 && op.skipAssignment)
            .setMemberId(nonNull(op.responseMemberId))
            .setMembers(members);
    }

    static SyncGroupOp syncGroup(final SyncGroupRequestData request, final short version)
    {
        final SyncGroupOp op = new SyncGroupOp();
        op.groupId = request.groupId();
        op.generationId = request.generationId();
        op.memberId = nonNull(request.memberId());
        op.groupInstanceId = version >= 3 ? request.groupInstanceId() : null;
        op.protocolType = version >= 5 ? request.protocolType() : null;
        op.protocolName = version >= 5 ? request.protocolName() : null;
        final int count = request.assignments().size();
        op.assignmentMemberIds = new String[count];
        op.assignments = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            final SyncGroupRequestData.SyncGroupRequestAssignment assignment = request.assignments().get(i);
            op.assignmentMemberIds[i] = assignment.memberId();
            op.assignments[i] = null == assignment.assignment() ? new byte[0] : assignment.assignment();
        }
        return op;
    }

    static SyncGroupResponseData syncGroupResponse(final SyncGroupOp op)
    {
        return new SyncGroupResponseData()
            .setThrottleTimeMs(0)
            .setErrorCode(op.errorCode)
            .setProtocolType(op.responseProtocolType)
            .setProtocolName(op.responseProtocolName)
            .setAssignment(op.assignment);
    }

    static HeartbeatOp heartbeat(final HeartbeatRequestData request, final short version)
    {
        final HeartbeatOp op = new HeartbeatOp();
        op.groupId = request.groupId();
        op.generationId = request.generationId();
        op.memberId = nonNull(request.memberId());
        op.groupInstanceId = version >= 3 ? request.groupInstanceId() : null;
        return op;
    }

    static HeartbeatResponseData heartbeatResponse(final HeartbeatOp op)
    {
        return new HeartbeatResponseData().setThrottleTimeMs(0).setErrorCode(op.errorCode);
    }

    static LeaveGroupOp leaveGroup(final LeaveGroupRequestData request, final short version)
    {
        final LeaveGroupOp op = new LeaveGroupOp();
        op.groupId = request.groupId();
        if (version < 3)
        {
            op.members.add(new LeaveGroupOp.Member(nonNull(request.memberId()), null));
            return op;
        }
        for (final LeaveGroupRequestData.MemberIdentity identity : request.members())
        {
            final LeaveGroupOp.Member member = new LeaveGroupOp.Member(nonNull(identity.memberId()),
                identity.groupInstanceId());
            member.reason = version >= 5 ? identity.reason() : null;
            op.members.add(member);
        }
        return op;
    }

    static LeaveGroupResponseData leaveGroupResponse(final LeaveGroupOp op, final short version)
    {
        final LeaveGroupResponseData response = new LeaveGroupResponseData().setThrottleTimeMs(0);
        if (version < 3)
        {
            // one member, one error: the group's if any, else the member's
            short error = op.errorCode;
            if (error == GroupErrors.NONE && !op.members.isEmpty())
            {
                error = op.members.get(0).errorCode;
            }
            return response.setErrorCode(error);
        }
        response.setErrorCode(op.errorCode);
        if (op.errorCode == GroupErrors.NONE)
        {
            final List<LeaveGroupResponseData.MemberResponse> members = new ArrayList<>(op.members.size());
            for (final LeaveGroupOp.Member member : op.members)
            {
                members.add(new LeaveGroupResponseData.MemberResponse()
                    .setMemberId(member.memberId)
                    .setGroupInstanceId(member.groupInstanceId)
                    .setErrorCode(member.errorCode));
            }
            response.setMembers(members);
        }
        return response;
    }

    static String nonNull(final String value)
    {
        return null == value ? "" : value;
    }
}
