package io.loggia.net.transport;

import org.agrona.BufferUtil;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The direct buffers of one network agent and the budget they are drawn from ({@code queued.max.request.bytes}
 * per agent). Buffers come in power-of-two sizes; a released one is kept on a free stack of its size and
 * handed out again, so steady traffic allocates nothing. Pooled bytes count against the budget too, and are
 * freed when a new buffer would not fit otherwise, or by {@link #trim()} when their size went unused for a
 * whole release period.
 * <p>
 * Receive buffers use {@link #acquire(int)}, which fails rather than exceed the budget: the connection then
 * stops reading until {@link #takeReleased()} says memory came back. Send buffers use
 * {@link #acquireOverBudget(int)}: a response in progress is never failed for lack of memory, and the
 * overdraft holds back reads until the response has been sent.
 * <p>
 * Owned by one network agent; not thread safe.
 */
final class BufferPool
{
    private static final int MAX_SHIFT = 30;
    private static final int MAX_RETAINED_BYTES = 64 * 1024 * 1024;

    private final long budgetBytes;
    private final long retainBytes;
    private final NetworkCounters counters;
    private final ByteBuffer[][] stacks = new ByteBuffer[MAX_SHIFT + 1][];
    private final int[] depths = new int[MAX_SHIFT + 1];
    private final boolean[] usedSinceTrim = new boolean[MAX_SHIFT + 1];
    private long allocatedBytes;
    private long pooledBytes;
    private boolean released;

    BufferPool(final long budgetBytes, final NetworkCounters counters)
    {
        this.budgetBytes = budgetBytes;
        this.retainBytes = Math.min(budgetBytes / 4, MAX_RETAINED_BYTES);
        this.counters = counters;
    }

    /** A buffer of exactly {@code capacity} bytes within the budget, or null when the budget is exhausted. */
    ByteBuffer acquire(final int capacity)
    {
        final ByteBuffer pooled = pop(capacity);
        if (null != pooled)
        {
            return pooled;
        }
        if (!makeRoom(capacity))
        {
            return null;
        }
        return allocate(capacity);
    }

    /** A buffer of exactly {@code capacity} bytes, beyond the budget if need be. */
    ByteBuffer acquireOverBudget(final int capacity)
    {
        final ByteBuffer pooled = pop(capacity);
        if (null != pooled)
        {
            return pooled;
        }
        makeRoom(capacity);
        return allocate(capacity);
    }

    void release(final ByteBuffer buffer)
    {
        released = true;
        final int capacity = buffer.capacity();
        if (isPoolable(capacity) && pooledBytes + capacity <= retainBytes && allocatedBytes <= budgetBytes)
        {
            push(buffer);
        }
        else
        {
            free(buffer);
        }
    }

    /** True once after any release: the moment to retry connections waiting for memory. */
    boolean takeReleased()
    {
        final boolean result = released;
        released = false;
        return result;
    }

    long allocatedBytes()
    {
        return allocatedBytes;
    }

    long pooledBytes()
    {
        return pooledBytes;
    }

    long budgetBytes()
    {
        return budgetBytes;
    }

    /**
     * Frees the pooled buffers of every size nobody took since the previous trim, so memory that served a
     * burst goes back to the system once the burst is over. Called once per buffer release period.
     */
    void trim()
    {
        for (int shift = 0; shift <= MAX_SHIFT; shift++)
        {
            if (!usedSinceTrim[shift])
            {
                while (depths[shift] > 0)
                {
                    free(popShift(shift));
                }
            }
            usedSinceTrim[shift] = false;
        }
    }

    /** Frees the pooled buffers; buffers in use are freed by their owners' release. */
    void close()
    {
        for (int shift = 0; shift <= MAX_SHIFT; shift++)
        {
            while (depths[shift] > 0)
            {
                free(popShift(shift));
            }
        }
    }

    private boolean makeRoom(final int capacity)
    {
        for (int shift = MAX_SHIFT; shift >= 0 && allocatedBytes + capacity > budgetBytes; shift--)
        {
            while (depths[shift] > 0 && allocatedBytes + capacity > budgetBytes)
            {
                free(popShift(shift));
            }
        }
        return allocatedBytes + capacity <= budgetBytes;
    }

    private ByteBuffer allocate(final int capacity)
    {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(capacity);
        allocatedBytes += capacity;
        counters.set(NetworkCounters.BUFFER_BYTES, allocatedBytes);
        return buffer;
    }

    private void free(final ByteBuffer buffer)
    {
        allocatedBytes -= buffer.capacity();
        counters.set(NetworkCounters.BUFFER_BYTES, allocatedBytes);
        BufferUtil.free(buffer);
    }

    private ByteBuffer pop(final int capacity)
    {
        if (!isPoolable(capacity))
        {
            return null;
        }
        final int shift = Integer.numberOfTrailingZeros(capacity);
        usedSinceTrim[shift] = true;
        return depths[shift] > 0 ? popShift(shift) : null;
    }

    private ByteBuffer popShift(final int shift)
    {
        final ByteBuffer[] stack = stacks[shift];
        final int depth = --depths[shift];
        final ByteBuffer buffer = stack[depth];
        stack[depth] = null;
        pooledBytes -= buffer.capacity();
        buffer.clear();
        return buffer;
    }

    private void push(final ByteBuffer buffer)
    {
        final int shift = Integer.numberOfTrailingZeros(buffer.capacity());
        ByteBuffer[] stack = stacks[shift];
        if (null == stack)
        {
            stack = new ByteBuffer[8];
            stacks[shift] = stack;
        }
        else if (depths[shift] == stack.length)
        {
            stack = Arrays.copyOf(stack, stack.length * 2);
            stacks[shift] = stack;
        }
        stack[depths[shift]++] = buffer;
        pooledBytes += buffer.capacity();
    }

    private static boolean isPoolable(final int capacity)
    {
        return capacity > 0 && Integer.bitCount(capacity) == 1 && capacity <= (1 << MAX_SHIFT);
    }
}
