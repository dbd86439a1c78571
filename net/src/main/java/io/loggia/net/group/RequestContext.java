package io.loggia.net.group;

/**
 * What the group handlers need to know about the client that sent a request. The broker's dispatcher
 * implements it over its connection and request header.
 */
public interface RequestContext
{
    /** The request header's client id, "" when null. */
    String clientId();

    /**
     * The client's address as Kafka reports it in DescribeGroups and stores in group metadata:
     * {@code InetAddress.toString()}, e.g. {@code /10.0.0.3}.
     */
    String clientHost();
}
