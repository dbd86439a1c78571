package io.loggia.net.broker.data;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import java.util.Arrays;

/**
 * The topics of a Produce or Fetch request as the response must echo them, in request order, kept after the
 * request's bytes are gone: each topic's name (copied into {@link #names}) or, from v13, its id, and how many
 * partitions of the request follow it. Pooled with its request state; grows to the largest request seen.
 * <p>
 * Owned by one network thread.
 */
final class RequestTopics
{
    /** {@link #nameLength} of a topic named by id. */
    static final int BY_ID = -1;

    int count;
    int[] partitionCount = new int[4];
    int[] nameOffset = new int[4];
    int[] nameLength = new int[4];
    long[] idMsb = new long[4];
    long[] idLsb = new long[4];
    final ExpandableArrayBuffer names = new ExpandableArrayBuffer(256);
    int namesLength;

    void reset(final int capacity)
    {
        count = 0;
        namesLength = 0;
        if (capacity > partitionCount.length)
        {
            final int length = Math.max(capacity, partitionCount.length << 1);
            partitionCount = Arrays.copyOf(partitionCount, length);
            nameOffset = Arrays.copyOf(nameOffset, length);
            nameLength = Arrays.copyOf(nameLength, length);
            idMsb = Arrays.copyOf(idMsb, length);
            idLsb = Arrays.copyOf(idLsb, length);
        }
    }

    void addName(final DirectBuffer buffer, final int offset, final int length, final int partitions)
    {
        final int t = count++;
        names.putBytes(namesLength, buffer, offset, length);
        nameOffset[t] = namesLength;
        nameLength[t] = length;
        idMsb[t] = 0;
        idLsb[t] = 0;
        partitionCount[t] = partitions;
        namesLength += length;
    }

    void addId(final long msb, final long lsb, final int partitions)
    {
        final int t = count++;
        nameOffset[t] = 0;
        nameLength[t] = BY_ID;
        idMsb[t] = msb;
        idLsb[t] = lsb;
        partitionCount[t] = partitions;
    }

    boolean isById(final int t)
    {
        return BY_ID == nameLength[t];
    }
}
