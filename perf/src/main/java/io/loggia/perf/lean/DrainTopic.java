package io.loggia.perf.lean;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The topic a drain reads: its name and id, its partitions in index order with their leader, and the earliest
 * and latest offsets of each, filled from Metadata and ListOffsets before any fetch.
 * <p>
 * Filled by the main thread before the drain threads start (Thread.start publishes it) and only read after.
 */
public final class DrainTopic
{
    private final String name;
    private final UnsafeBuffer nameBuffer;
    private long idMostSignificantBits;
    private long idLeastSignificantBits;
    private int count;
    private int[] partitions = new int[0];
    private int[] leaders = new int[0];
    private long[] earliest = new long[0];
    private long[] latest = new long[0];

    /**
     * @param name the topic name.
     */
    public DrainTopic(final String name)
    {
        this.name = name;
        this.nameBuffer = new UnsafeBuffer(name.getBytes(StandardCharsets.UTF_8));
    }

    public String name()
    {
        return name;
    }

    /** The name's UTF-8 bytes, the whole buffer. */
    public UnsafeBuffer nameBuffer()
    {
        return nameBuffer;
    }

    public long idMostSignificantBits()
    {
        return idMostSignificantBits;
    }

    public long idLeastSignificantBits()
    {
        return idLeastSignificantBits;
    }

    /** @return true when the broker gave the topic an id (Fetch v13 can name it). */
    public boolean hasId()
    {
        return idMostSignificantBits != 0 || idLeastSignificantBits != 0;
    }

    public int partitionCount()
    {
        return count;
    }

    /** @return the partition index in slot {@code slot}; slots are in index order after {@link #sort()}. */
    public int partition(final int slot)
    {
        return partitions[slot];
    }

    public int leader(final int slot)
    {
        return leaders[slot];
    }

    public long earliest(final int slot)
    {
        return earliest[slot];
    }

    public long latest(final int slot)
    {
        return latest[slot];
    }

    /** @return the sum over partitions of latest - earliest. */
    public long offsetSpan()
    {
        long span = 0;
        for (int i = 0; i < count; i++)
        {
            span += Math.max(0, latest[i] - earliest[i]);
        }
        return span;
    }

    /**
     * @param index a partition index.
     * @return its slot, or -1.
     */
    public int slotOf(final int index)
    {
        for (int i = 0; i < count; i++)
        {
            if (partitions[i] == index)
            {
                return i;
            }
        }
        return -1;
    }

    void reset(final long idHigh, final long idLow, final int capacity)
    {
        idMostSignificantBits = idHigh;
        idLeastSignificantBits = idLow;
        count = 0;
        partitions = new int[capacity];
        leaders = new int[capacity];
        earliest = new long[capacity];
        latest = new long[capacity];
    }

    boolean addPartition(final int index, final int leader)
    {
        if (count == partitions.length || slotOf(index) >= 0)
        {
            return false;
        }
        partitions[count] = index;
        leaders[count] = leader;
        count++;
        return true;
    }

    void offset(final int slot, final boolean isEarliest, final long offset)
    {
        if (isEarliest)
        {
            earliest[slot] = offset;
        }
        else
        {
            latest[slot] = offset;
        }
    }

    /** Put the partitions in index order; offsets are filled after this. */
    void sort()
    {
        final long[] keyed = new long[count];
        for (int i = 0; i < count; i++)
        {
            keyed[i] = ((long)partitions[i] << 32) | (leaders[i] & 0xFFFF_FFFFL);
        }
        Arrays.sort(keyed);
        for (int i = 0; i < count; i++)
        {
            partitions[i] = (int)(keyed[i] >>> 32);
            leaders[i] = (int)keyed[i];
        }
    }
}
