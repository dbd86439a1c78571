package io.loggia.net.broker.data;

import java.util.Map;

/**
 * Broker settings the data path reads. Built once at startup, before the network agents; immutable once handed
 * to {@link DataPathHandlers}.
 */
public final class DataPathConfig
{
    public static final String NODE_ID = "node.id";
    public static final String BROKER_ID = "broker.id";

    private int nodeId;

    /** Reads {@code node.id} (or {@code broker.id}); other keys are ignored. */
    public static DataPathConfig from(final Map<String, String> properties)
    {
        final DataPathConfig config = new DataPathConfig();
        final String nodeId = properties.getOrDefault(NODE_ID, properties.get(BROKER_ID));
        if (null != nodeId)
        {
            try
            {
                config.nodeId(Integer.parseInt(nodeId.trim()));
            }
            catch (final NumberFormatException ex)
            {
                throw new IllegalArgumentException(NODE_ID + ": '" + nodeId + "' is not a 32-bit integer");
            }
        }
        return config;
    }

    /** This broker's id: the leader of every partition it hosts. */
    public DataPathConfig nodeId(final int nodeId)
    {
        this.nodeId = nodeId;
        return this;
    }

    public int nodeId()
    {
        return nodeId;
    }

    public String toString()
    {
        return "DataPathConfig{nodeId=" + nodeId + '}';
    }
}
