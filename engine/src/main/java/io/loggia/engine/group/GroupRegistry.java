package io.loggia.engine.group;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;

/**
 * Every group the coordinator holds, and which {@code __consumer_offsets} partitions are loaded: a group is
 * served only once the partition holding it has been read. Called only from the coordinator thread.
 */
final class GroupRegistry
{
    static final byte UNLOADED = 0;
    static final byte LOADING = 1;
    static final byte LOADED = 2;

    private final HashMap<String, ClassicGroup> groups = new HashMap<>();
    private byte[] partitionStates = new byte[0];

    /** The offsets topic exists with this many partitions; none is loaded yet. */
    void partitions(final int count)
    {
        partitionStates = new byte[count];
    }

    int partitions()
    {
        return partitionStates.length;
    }

    void partitionState(final int partition, final byte state)
    {
        partitionStates[partition] = state;
    }

    boolean isLoaded(final int partition)
    {
        return partitionStates[partition] == LOADED;
    }

    boolean allLoaded()
    {
        for (final byte state : partitionStates)
        {
            if (state != LOADED)
            {
                return false;
            }
        }
        return partitionStates.length > 0;
    }

    int partitionFor(final String groupId)
    {
        return GroupConfig.partitionFor(groupId, partitionStates.length);
    }

    /**
     * Whether requests for {@code groupId} can be served now.
     *
     * @return NONE, COORDINATOR_LOAD_IN_PROGRESS while its partition loads, COORDINATOR_NOT_AVAILABLE before the
     * offsets topic exists.
     */
    short availability(final String groupId)
    {
        if (0 == partitionStates.length)
        {
            return GroupErrors.COORDINATOR_NOT_AVAILABLE;
        }
        return isLoaded(partitionFor(groupId)) ? GroupErrors.NONE : GroupErrors.COORDINATOR_LOAD_IN_PROGRESS;
    }

    /** Kafka's rule (empty ids only where {@code allowEmpty}) and our length limit. */
    static boolean isValidGroupId(final String groupId, final boolean allowEmpty)
    {
        return null != groupId && (allowEmpty || !groupId.isEmpty()) &&
            groupId.length() <= GroupConfig.MAX_GROUP_ID_LENGTH;
    }

    ClassicGroup get(final String groupId)
    {
        return groups.get(groupId);
    }

    ClassicGroup create(final String groupId, final long nowMs)
    {
        final ClassicGroup group = new ClassicGroup(groupId, partitionFor(groupId), nowMs);
        groups.put(groupId, group);
        return group;
    }

    /** Puts a group rebuilt by the loader in place. */
    void put(final ClassicGroup group)
    {
        groups.put(group.groupId, group);
    }

    void remove(final String groupId)
    {
        groups.remove(groupId);
    }

    Collection<ClassicGroup> all()
    {
        return groups.values();
    }

    /** A copy, for walks that remove groups. */
    List<ClassicGroup> snapshot()
    {
        return new ArrayList<>(groups.values());
    }

    int size()
    {
        return groups.size();
    }
}
