package io.loggia.perf;

/**
 * What a producer that speaks the protocol itself needs to know about a topic: its id (Produce v13 names topics
 * by id) and the one broker that leads all its partitions.
 * <p>
 * Immutable; safe on any thread.
 */
public final class TopicLayout
{
    private final String name;
    private final long idMostSignificantBits;
    private final long idLeastSignificantBits;
    private final int partitions;
    private final int leaderId;
    private final String leaderHost;
    private final int leaderPort;

    /**
     * @param name                   the topic name.
     * @param idMostSignificantBits  topic id, high half (0 with the low half when the broker has no ids).
     * @param idLeastSignificantBits topic id, low half.
     * @param partitions             partition count.
     * @param leaderId               node id of the leader of every partition.
     * @param leaderHost             its host.
     * @param leaderPort             its port.
     */
    public TopicLayout(
        final String name,
        final long idMostSignificantBits,
        final long idLeastSignificantBits,
        final int partitions,
        final int leaderId,
        final String leaderHost,
        final int leaderPort)
    {
        this.name = name;
        this.idMostSignificantBits = idMostSignificantBits;
        this.idLeastSignificantBits = idLeastSignificantBits;
        this.partitions = partitions;
        this.leaderId = leaderId;
        this.leaderHost = leaderHost;
        this.leaderPort = leaderPort;
    }

    public String name()
    {
        return name;
    }

    public long idMostSignificantBits()
    {
        return idMostSignificantBits;
    }

    public long idLeastSignificantBits()
    {
        return idLeastSignificantBits;
    }

    /** @return true when the broker gave the topic an id. */
    public boolean hasId()
    {
        return idMostSignificantBits != 0 || idLeastSignificantBits != 0;
    }

    public int partitions()
    {
        return partitions;
    }

    public int leaderId()
    {
        return leaderId;
    }

    public String leaderHost()
    {
        return leaderHost;
    }

    public int leaderPort()
    {
        return leaderPort;
    }
}
