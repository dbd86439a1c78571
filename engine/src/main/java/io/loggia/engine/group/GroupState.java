package io.loggia.engine.group;

/**
 * The states of a classic group, with the names Kafka's DescribeGroups and ListGroups report.
 * <pre>
 *            first join / member change
 *   Empty ───────────────────────────────► PreparingRebalance ◄──────────────┐
 *     ▲  ◄──── join completes, no members ──┘   │                            │ member joins, leaves,
 *     │                                         │ every member rejoined or   │ times out, changes
 *     │                                         │ the rebalance timeout      │ metadata; sync timeout
 *     │                                         ▼                            │
 *     │                               CompletingRebalance ── leader's ──► Stable
 *     │                                (waiting for the     SyncGroup
 *     │                                 leader's SyncGroup)  stored
 *     └── DeleteGroups, offsets expired ──► Dead (from any state; the group is gone)
 * </pre>
 */
public enum GroupState
{
    EMPTY("Empty"),
    PREPARING_REBALANCE("PreparingRebalance"),
    COMPLETING_REBALANCE("CompletingRebalance"),
    STABLE("Stable"),
    DEAD("Dead");

    private final String kafkaName;

    GroupState(final String kafkaName)
    {
        this.kafkaName = kafkaName;
    }

    /** The name on the wire: "Empty", "PreparingRebalance", "CompletingRebalance", "Stable", "Dead". */
    public String kafkaName()
    {
        return kafkaName;
    }

    /** Whether a group may move from {@code previous} to this state. */
    public boolean canFollow(final GroupState previous)
    {
        switch (this)
        {
            case PREPARING_REBALANCE:
                return previous == STABLE || previous == COMPLETING_REBALANCE || previous == EMPTY;
            case COMPLETING_REBALANCE:
                return previous == PREPARING_REBALANCE;
            case STABLE:
                return previous == COMPLETING_REBALANCE;
            case EMPTY:
                return previous == PREPARING_REBALANCE;
            default:
                return true;
        }
    }

    /** The state with this wire name, case-insensitive as Kafka's ListGroups filter; null if none. */
    public static GroupState fromKafkaName(final String name)
    {
        for (final GroupState state : values())
        {
            if (state.kafkaName.equalsIgnoreCase(name))
            {
                return state;
            }
        }
        return null;
    }
}
