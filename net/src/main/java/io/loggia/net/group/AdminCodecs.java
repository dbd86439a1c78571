package io.loggia.net.group;

import io.loggia.engine.group.DeleteGroupsOp;
import io.loggia.engine.group.DescribeGroupsOp;
import io.loggia.engine.group.ListGroupsOp;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;

import java.util.ArrayList;
import java.util.List;

/** ListGroups v0-v5, DescribeGroups v0-v6 and DeleteGroups v0-v3 between kafka-clients' messages and the ops. */
final class AdminCodecs
{
    /**
     * What DescribeGroups v3+ reports a client may do with a group when it asks: everything Kafka defines for
     * groups (READ, DESCRIBE, DELETE), since Loggia has no authorizer (Kafka answers the same without one).
     */
    static final int GROUP_OPERATIONS = (1 << AclOperation.READ.code()) | (1 << AclOperation.DESCRIBE.code()) |
        (1 << AclOperation.DELETE.code());
    /** "Not asked for": Kafka's default of the field. */
    static final int AUTHORIZED_OPERATIONS_OMITTED = Integer.MIN_VALUE;

    private AdminCodecs()
    {
    }

    static ListGroupsOp listGroups(final ListGroupsRequestData request, final short version)
    {
        final ListGroupsOp op = new ListGroupsOp();
        if (version >= 4)
        {
            op.statesFilter.addAll(request.statesFilter());
        }
        if (version >= 5)
        {
            op.typesFilter.addAll(request.typesFilter());
        }
        return op;
    }

    static ListGroupsResponseData listGroupsResponse(final ListGroupsOp op)
    {
        final List<ListGroupsResponseData.ListedGroup> groups = new ArrayList<>(op.groups.size());
        for (final ListGroupsOp.Group group : op.groups)
        {
            groups.add(new ListGroupsResponseData.ListedGroup()
                .setGroupId(group.groupId())
                .setProtocolType(group.protocolType())
                .setGroupState(group.state())
                .setGroupType(group.type()));
        }
        return new ListGroupsResponseData().setThrottleTimeMs(0).setErrorCode(op.errorCode).setGroups(groups);
    }

    static DescribeGroupsOp describeGroups(final DescribeGroupsRequestData request)
    {
        final DescribeGroupsOp op = new DescribeGroupsOp();
        for (final String groupId : request.groups())
        {
            op.groups.add(new DescribeGroupsOp.Group(groupId));
        }
        return op;
    }

    static DescribeGroupsResponseData describeGroupsResponse(
        final DescribeGroupsOp op, final DescribeGroupsRequestData request, final short version)
    {
        final boolean withOperations = version >= 3 && request.includeAuthorizedOperations();
        final List<DescribeGroupsResponseData.DescribedGroup> groups = new ArrayList<>(op.groups.size());
        for (final DescribeGroupsOp.Group group : op.groups)
        {
            final List<DescribeGroupsResponseData.DescribedGroupMember> members = new ArrayList<>(group.members.size());
            for (final DescribeGroupsOp.Member member : group.members)
            {
                members.add(new DescribeGroupsResponseData.DescribedGroupMember()
                    .setMemberId(member.memberId())
                    .setGroupInstanceId(member.groupInstanceId())
                    .setClientId(member.clientId())
                    .setClientHost(member.clientHost())
                    .setMemberMetadata(member.metadata())
                    .setMemberAssignment(member.assignment()));
            }
            groups.add(new DescribeGroupsResponseData.DescribedGroup()
                .setErrorCode(group.errorCode)
                .setErrorMessage(version >= 6 ? group.errorMessage : null)
                .setGroupId(group.groupId)
                .setGroupState(group.state)
                .setProtocolType(group.protocolType)
                .setProtocolData(group.protocolData)
                .setMembers(members)
                .setAuthorizedOperations(withOperations ? GROUP_OPERATIONS : AUTHORIZED_OPERATIONS_OMITTED));
        }
        return new DescribeGroupsResponseData().setThrottleTimeMs(0).setGroups(groups);
    }

    static DeleteGroupsOp deleteGroups(final DeleteGroupsRequestData request)
    {
        final DeleteGroupsOp op = new DeleteGroupsOp();
        for (final String groupId : request.groupsNames())
        {
            op.groups.add(new DeleteGroupsOp.Group(groupId));
        }
        return op;
    }

    static DeleteGroupsResponseData deleteGroupsResponse(final DeleteGroupsOp op)
    {
        final DeleteGroupsResponseData.DeletableGroupResultCollection results =
            new DeleteGroupsResponseData.DeletableGroupResultCollection(op.groups.size());
        for (final DeleteGroupsOp.Group group : op.groups)
        {
            results.add(new DeleteGroupsResponseData.DeletableGroupResult()
                .setGroupId(group.groupId)
                .setErrorCode(group.errorCode));
        }
        return new DeleteGroupsResponseData().setThrottleTimeMs(0).setResults(results);
    }
}
