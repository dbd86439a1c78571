package io.loggia.net.group;

/**
 * The broker FindCoordinator names as coordinator of every group: on one node, the broker itself, as it
 * advertises itself in Metadata.
 *
 * @param nodeId the broker's node id.
 * @param host   its advertised host.
 * @param port   its advertised port.
 */
public record CoordinatorNode(int nodeId, String host, int port)
{
}
