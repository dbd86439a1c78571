package io.loggia.net.group;

import io.loggia.engine.group.GroupCoordinatorProxy;
import io.loggia.engine.group.GroupErrors;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;

import java.util.ArrayList;
import java.util.List;

/**
 * FindCoordinator v0-v6, answered on the network thread: this broker coordinates every group once
 * {@code __consumer_offsets} exists. The first request for a group while it does not exist asks the coordinator
 * to have it created and answers COORDINATOR_NOT_AVAILABLE, which clients retry, as Kafka does. Transaction and
 * share-group coordinators do not exist here: COORDINATOR_NOT_AVAILABLE with a message saying so.
 * <pre>
 *   v0-v3: one key (v0: groups only; v1+ key type)        v4+: many keys of one type (KIP-699)
 *   response: error, message (v1+), node id, host, port   response: per key: node id, host, port, error, message
 * </pre>
 */
final class FindCoordinatorAnswer
{
    static final byte GROUP = 0;
    static final byte TRANSACTION = 1;
    static final byte SHARE = 2;

    private FindCoordinatorAnswer()
    {
    }

    static FindCoordinatorResponseData answer(
        final FindCoordinatorRequestData request,
        final short version,
        final CoordinatorNode node,
        final GroupCoordinatorProxy coordinator)
    {
        final byte keyType = version >= 1 ? request.keyType() : GROUP;
        final short error;
        final String message;
        switch (keyType)
        {
            case GROUP:
                if (coordinator.isAvailable())
                {
                    error = GroupErrors.NONE;
                    message = null;
                }
                else
                {
                    coordinator.requestOffsetsTopic();
                    error = GroupErrors.COORDINATOR_NOT_AVAILABLE;
                    message = "the group coordinator is starting";
                }
                break;
            case TRANSACTION:
                error = GroupErrors.COORDINATOR_NOT_AVAILABLE;
                message = "Loggia does not support transactions";
                break;
            case SHARE:
                error = GroupErrors.COORDINATOR_NOT_AVAILABLE;
                message = "Loggia does not support share groups";
                break;
            default:
                error = GroupErrors.INVALID_REQUEST;
                message = "unknown coordinator key type " + keyType;
                break;
        }

        final FindCoordinatorResponseData response = new FindCoordinatorResponseData().setThrottleTimeMs(0);
        final boolean found = error == GroupErrors.NONE;
        if (version < 4)
        {
            return response
                .setErrorCode(error)
                .setErrorMessage(message)
                .setNodeId(found ? node.nodeId() : -1)
                .setHost(found ? node.host() : "")
                .setPort(found ? node.port() : -1);
        }
        final List<FindCoordinatorResponseData.Coordinator> coordinators =
            new ArrayList<>(request.coordinatorKeys().size());
        for (final String key : request.coordinatorKeys())
        {
            coordinators.add(new FindCoordinatorResponseData.Coordinator()
                .setKey(key)
                .setErrorCode(error)
                .setErrorMessage(message)
                .setNodeId(found ? node.nodeId() : -1)
                .setHost(found ? node.host() : "")
                .setPort(found ? node.port() : -1));
        }
        return response.setCoordinators(coordinators);
    }
}
