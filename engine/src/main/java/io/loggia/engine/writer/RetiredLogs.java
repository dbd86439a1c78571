package io.loggia.engine.writer;

import io.loggia.engine.log.PartitionLog;

import java.util.ArrayList;

/**
 * Logs a writer closed or abandoned whose segments are still mapped because a thread was inside a read when they
 * were taken away ({@link PartitionLog#releaseRetired()}). The writer retries them every duty cycle; the wait is
 * as long as one read, so the list is almost always empty.
 * <p>
 * Owned by the writer thread. Control plane: allocates freely.
 */
final class RetiredLogs
{
    private final ArrayList<PartitionLog> logs = new ArrayList<>();

    /** A log just closed or abandoned: kept only if its segments could not be released yet. */
    void add(final PartitionLog log)
    {
        if (!log.releaseRetired())
        {
            logs.add(log);
        }
    }

    boolean isEmpty()
    {
        return logs.isEmpty();
    }

    int size()
    {
        return logs.size();
    }

    /** @return logs released now. */
    int release()
    {
        int released = 0;
        for (int i = logs.size() - 1; i >= 0; i--)
        {
            if (logs.get(i).releaseRetired())
            {
                logs.remove(i);
                released++;
            }
        }
        return released;
    }

    /** Forget them: a forced shutdown leaves their mappings to be unmapped when collected, never while read. */
    void abandon()
    {
        logs.clear();
    }
}
