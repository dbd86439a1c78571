package io.loggia.engine.topic;

import io.loggia.codec.wire.WireStrings;
import org.agrona.BitUtil;
import org.agrona.DirectBuffer;
import org.agrona.collections.Hashing;

/**
 * One immutable state of the {@link TopicRegistry}: the topics sorted by name, and two open-addressing tables
 * (linear probing, at most half full) that find a topic by its name bytes or by its id without allocating.
 * <pre>
 *   sorted:  [ "a" | "b" | "orders" ]                         listing (Metadata for all topics, describe)
 *   byName:  [ null | "orders" | null | "a" | "b" | null ...]  slot = WireStrings.hash(name) & mask, then +1
 *   byId:    [ "b" | null | null | "orders" | "a" | null ...]  slot = Hashing.hash(msb ^ lsb) & mask, then +1
 * </pre>
 * Built whole by the controller and never changed after its release-store publication, so readers need no
 * lock: every field is final and every array is filled before the snapshot is published.
 */
final class TopicSnapshot
{
    static final TopicSnapshot EMPTY = new TopicSnapshot(new Topic[0], 0);

    private final Topic[] sorted;
    private final Topic[] byName;
    private final Topic[] byId;
    private final int mask;
    private final int version;

    /**
     * @param sorted the topics sorted by name, unique names and ids; owned by the snapshot from now on.
     */
    TopicSnapshot(final Topic[] sorted, final int version)
    {
        this.sorted = sorted;
        this.version = version;
        final int capacity = BitUtil.findNextPositivePowerOfTwo(Math.max(8, sorted.length * 2));
        this.mask = capacity - 1;
        this.byName = new Topic[capacity];
        this.byId = new Topic[capacity];
        for (final Topic topic : sorted)
        {
            int slot = topic.nameHash() & mask;
            while (null != byName[slot])
            {
                slot = (slot + 1) & mask;
            }
            byName[slot] = topic;
            slot = idHash(topic.idMsb(), topic.idLsb()) & mask;
            while (null != byId[slot])
            {
                slot = (slot + 1) & mask;
            }
            byId[slot] = topic;
        }
    }

    int version()
    {
        return version;
    }

    int size()
    {
        return sorted.length;
    }

    /** Sorted by name; never modify. */
    Topic[] sorted()
    {
        return sorted;
    }

    Topic byName(final DirectBuffer buffer, final int offset, final int length)
    {
        final Topic[] table = byName;
        final int hash = WireStrings.hash(buffer, offset, length);
        int slot = hash & mask;
        Topic topic;
        while (null != (topic = table[slot]))
        {
            if (topic.nameHash() == hash && topic.nameEquals(buffer, offset, length))
            {
                return topic;
            }
            slot = (slot + 1) & mask;
        }
        return null;
    }

    /**
     * By name as a {@link CharSequence}: valid topic names are ASCII, so the hash is computed on the characters
     * and a name with any other character is not found, without encoding it.
     */
    Topic byName(final CharSequence name)
    {
        int hash = 1;
        final int length = name.length();
        for (int i = 0; i < length; i++)
        {
            final char c = name.charAt(i);
            if (c >= 0x80)
            {
                return null;
            }
            hash = 31 * hash + c;
        }
        final Topic[] table = byName;
        int slot = hash & mask;
        Topic topic;
        while (null != (topic = table[slot]))
        {
            if (topic.nameHash() == hash && topic.name().contentEquals(name))
            {
                return topic;
            }
            slot = (slot + 1) & mask;
        }
        return null;
    }

    Topic byId(final long msb, final long lsb)
    {
        final Topic[] table = byId;
        int slot = idHash(msb, lsb) & mask;
        Topic topic;
        while (null != (topic = table[slot]))
        {
            if (topic.idMsb() == msb && topic.idLsb() == lsb)
            {
                return topic;
            }
            slot = (slot + 1) & mask;
        }
        return null;
    }

    private static int idHash(final long msb, final long lsb)
    {
        return Hashing.hash(msb ^ lsb);
    }
}
