package io.loggia.net.broker.admin;

import io.loggia.engine.topic.InitProducerIdOp;
import io.loggia.engine.topic.TopicErrors;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;

/**
 * DescribeCluster v0..v2 (this node is the cluster and its controller) and InitProducerId v0..v5.
 */
final class ClusterCodecs
{
    static final byte BROKERS = 1;
    /** DescribeCluster of a broker asked for controllers (KIP-919). */
    static final short MISMATCHED_ENDPOINT_TYPE = 114;

    private ClusterCodecs()
    {
    }

    static DescribeClusterResponseData describeCluster(
        final DescribeClusterRequestData request, final short version, final AdminContext context)
    {
        final DescribeClusterResponseData response = new DescribeClusterResponseData()
            .setThrottleTimeMs(0)
            .setClusterId(context.clusterId())
            .setControllerId(context.nodeId())
            .setClusterAuthorizedOperations(request.includeClusterAuthorizedOperations() ?
                AuthorizedOperations.CLUSTER : AuthorizedOperations.NOT_REQUESTED);
        if (version >= 1)
        {
            response.setEndpointType(BROKERS);
            if (BROKERS != request.endpointType())
            {
                return response.setErrorCode(MISMATCHED_ENDPOINT_TYPE)
                    .setErrorMessage("The request was sent to an endpoint of type BROKER, but we wanted an " +
                        "endpoint of type " + (2 == request.endpointType() ? "CONTROLLER" : request.endpointType()));
            }
        }
        response.brokers().add(new DescribeClusterResponseData.DescribeClusterBroker()
            .setBrokerId(context.nodeId())
            .setHost(context.host())
            .setPort(context.port())
            .setRack(null));
        return response;
    }

    static InitProducerIdOp initProducerId(final InitProducerIdRequestData request)
    {
        final InitProducerIdOp op = new InitProducerIdOp();
        op.transactionalId = request.transactionalId();
        return op;
    }

    static InitProducerIdResponseData initProducerIdResponse(final InitProducerIdOp op)
    {
        return new InitProducerIdResponseData()
            .setThrottleTimeMs(0)
            .setErrorCode(op.errorCode)
            .setProducerId(TopicErrors.NONE == op.errorCode ? op.producerId : -1)
            .setProducerEpoch(TopicErrors.NONE == op.errorCode ? op.producerEpoch : -1);
    }
}
