package io.loggia.engine.group;

/**
 * What every thread may learn about the coordinator without asking it: whether {@code __consumer_offsets}
 * exists and is loaded, and the request to create it.
 * <p>
 * <b>Assumptions and Guarantees</b>: {@link #state} is written by the coordinator thread only, read by any
 * thread (volatile). {@link #requestOffsetsTopic()} may be called from any thread; the coordinator reads and
 * clears the request (volatile).
 */
final class CoordinatorStatus
{
    /** {@code __consumer_offsets} does not exist and nobody asked for it yet. */
    static final int OFFSETS_TOPIC_MISSING = 0;
    /** Creation was asked of the broker; waiting for the topic to appear. */
    static final int OFFSETS_TOPIC_CREATING = 1;
    /** Partitions are being read; groups of loaded partitions are served. */
    static final int LOADING = 2;
    static final int ACTIVE = 3;
    static final int CLOSED = 4;

    private volatile int state = OFFSETS_TOPIC_MISSING;
    private volatile boolean offsetsTopicWanted;

    int state()
    {
        return state;
    }

    void state(final int state)
    {
        this.state = state;
    }

    void requestOffsetsTopic()
    {
        if (!offsetsTopicWanted)
        {
            offsetsTopicWanted = true;
        }
    }

    boolean offsetsTopicWanted()
    {
        return offsetsTopicWanted;
    }

    static String describe(final int state)
    {
        switch (state)
        {
            case OFFSETS_TOPIC_MISSING: return "offsets topic missing";
            case OFFSETS_TOPIC_CREATING: return "creating offsets topic";
            case LOADING: return "loading";
            case ACTIVE: return "active";
            case CLOSED: return "closed";
            default: return "unknown state " + state;
        }
    }
}
