package io.loggia.tools.torture;

import java.util.ArrayList;
import java.util.List;

/**
 * The group's committed offsets, as the consumers had them acknowledged and as the harness later read them from
 * the broker. After every restart the broker's committed offset of each partition must be at least the highest
 * one it acknowledged ({@code lost}), at least the one the harness read before ({@code moved backwards}: the
 * consumers only ever commit forward), and no more than the log end ({@code beyond the end}).
 * <p>
 * <b>Assumptions and Guarantees.</b> Consumer threads call {@link #acknowledged}; the harness's main thread calls
 * the rest. Every method is synchronized.
 */
final class CommitLog
{
    private static final int MAX_EXAMPLES = 20;

    private final long[] maxAcknowledged;
    private final long[] lastRead;
    private final List<String> examples = new ArrayList<>();
    private long commitsAcknowledged;
    private long lost;
    private long movedBackwards;
    private long beyondEnd;

    CommitLog(final int partitions)
    {
        maxAcknowledged = new long[partitions];
        lastRead = new long[partitions];
        java.util.Arrays.fill(maxAcknowledged, -1);
        java.util.Arrays.fill(lastRead, -1);
    }

    /** A consumer's commit of this offset was acknowledged by the broker. */
    synchronized void acknowledged(final int partition, final long offset)
    {
        commitsAcknowledged++;
        maxAcknowledged[partition] = Math.max(maxAcknowledged[partition], offset);
    }

    /**
     * Check what the broker holds now.
     *
     * @param committed    the committed offset of each partition, -1 where there is none.
     * @param logEndOffset the log end offset of each partition.
     * @return violations found by this check.
     */
    synchronized int check(final long[] committed, final long[] logEndOffset)
    {
        examples.clear();
        int violations = 0;
        for (int p = 0; p < committed.length; p++)
        {
            final long offset = committed[p];
            if (offset < maxAcknowledged[p])
            {
                lost++;
                violations++;
                example("partition " + p + ": committed offset " + offset + ", but " + maxAcknowledged[p] +
                    " was acknowledged");
            }
            if (offset < lastRead[p])
            {
                movedBackwards++;
                violations++;
                example("partition " + p + ": committed offset moved back from " + lastRead[p] + " to " + offset);
            }
            if (offset > logEndOffset[p])
            {
                beyondEnd++;
                violations++;
                example("partition " + p + ": committed offset " + offset + " is past the log end " +
                    logEndOffset[p]);
            }
            lastRead[p] = Math.max(lastRead[p], offset);
        }
        return violations;
    }

    synchronized long commitsAcknowledged()
    {
        return commitsAcknowledged;
    }

    synchronized long lost()
    {
        return lost;
    }

    synchronized long movedBackwards()
    {
        return movedBackwards;
    }

    synchronized long beyondEnd()
    {
        return beyondEnd;
    }

    /** The highest committed offset the harness has read for the partition, -1 if none yet. */
    synchronized long lastRead(final int partition)
    {
        return lastRead[partition];
    }

    synchronized List<String> examples()
    {
        return new ArrayList<>(examples);
    }

    private void example(final String line)
    {
        if (examples.size() < MAX_EXAMPLES)
        {
            examples.add(line);
        }
    }
}
