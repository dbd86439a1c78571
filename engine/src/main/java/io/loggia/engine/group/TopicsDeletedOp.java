package io.loggia.engine.group;

import java.util.ArrayList;
import java.util.List;

/**
 * Not a Kafka API: the broker's controller tells the coordinator that topics were deleted, and every group's
 * committed offsets of those topics go (with their tombstones), as Kafka does, so a topic created again under
 * the same name does not inherit offsets. Answered once the tombstones are written.
 */
public final class TopicsDeletedOp extends GroupOp
{
    public final List<String> topics = new ArrayList<>();

    /** Result: how many committed offsets were removed. */
    public int offsetsRemoved;

    public TopicsDeletedOp()
    {
        super(TOPICS_DELETED);
    }

    public void fail(final short error)
    {
        errorCode = error;
    }

    public String toString()
    {
        return "TopicsDeleted{topics=" + topics + ", offsetsRemoved=" + offsetsRemoved + ", error=" +
            GroupErrors.name(errorCode) + '}';
    }
}
