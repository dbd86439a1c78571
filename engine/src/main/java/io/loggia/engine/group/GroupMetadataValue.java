package io.loggia.engine.group;

import java.util.ArrayList;
import java.util.List;

/**
 * A group as it is stored after a rebalance: Kafka's GroupMetadataValue, decoded or to be encoded by
 * {@link GroupRecords}. A plain value object; control plane only.
 */
public final class GroupMetadataValue
{
    /** One member as stored: its metadata for the chosen protocol and its assignment. */
    public record Member(
        String memberId,
        String groupInstanceId,
        String clientId,
        String clientHost,
        int rebalanceTimeoutMs,
        int sessionTimeoutMs,
        byte[] subscription,
        byte[] assignment)
    {
    }

    /** "" for a group without protocol type (only offsets were committed). */
    public String protocolType = "";
    public int generation;
    /** The chosen protocol, null while the group is empty. */
    public String protocol;
    /** Null while the group is empty. */
    public String leader;
    /** When the group entered its current state; -1 in versions before 2. */
    public long currentStateTimestamp = -1;
    public final List<Member> members = new ArrayList<>();

    public String toString()
    {
        return "GroupMetadataValue{protocolType=" + protocolType + ", generation=" + generation + ", protocol=" +
            protocol + ", leader=" + leader + ", currentStateTimestamp=" + currentStateTimestamp + ", members=" +
            members.size() + '}';
    }
}
