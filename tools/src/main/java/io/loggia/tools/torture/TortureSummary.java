package io.loggia.tools.torture;

import org.agrona.collections.LongArrayList;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The totals of a run and the summary printed at its end. Every field that counts a violation must be 0 for the
 * run to pass; {@link #violations()} adds them up.
 * <p>
 * Used by the harness's main thread only.
 */
final class TortureSummary
{
    private static final int MAX_VIOLATION_LINES = 60;

    long seed;
    long startMillis = System.currentTimeMillis();
    int iterationsPlanned;
    int iterations;
    int killsUnderLoad;
    int killsDuringRecovery;
    int cleanStops;
    int tornWriteIterations;
    long recordsSent;
    long recordsAcknowledged;
    long recordsFailed;
    long recordsInLog;
    long unacknowledgedPresent;
    long lost;
    long duplicated;
    long misplaced;
    long corrupt;
    long corruptDelivered;
    long outOfOrder;
    long gaps;
    long commitsAcknowledged;
    long commitsLost;
    long commitsMovedBackwards;
    long commitsBeyondEnd;
    long consumerRepositions;
    long consumerErrors;
    long filesChecked;
    long dumpFailures;
    long dumpFailuresActiveIndexOnly;
    long dumpRetriedAndPassed;
    long dumpRuns;
    long brokerFailures;
    long stalls;
    long skippedTornWrites;
    long recoveryReports;
    long recoveryCuts;
    String tornWriteKinds = "";
    long logDamages;
    long indexDamages;
    long snapshotDamages;
    boolean finalCleanRestartChecked;
    final LongArrayList readyMillis = new LongArrayList();
    final LongArrayList reportedStartMillis = new LongArrayList();
    final LongArrayList scanMillis = new LongArrayList();
    final List<String> violationLines = new ArrayList<>();

    void violation(final String line)
    {
        if (violationLines.size() < MAX_VIOLATION_LINES)
        {
            violationLines.add(line);
        }
    }

    /** Everything that must be 0. */
    long violations()
    {
        return lost + duplicated + misplaced + corrupt + corruptDelivered + outOfOrder + gaps + commitsLost +
            commitsMovedBackwards + commitsBeyondEnd + dumpFailures + brokerFailures + stalls + recordsFailed;
    }

    void print(final PrintStream out)
    {
        final long seconds = (System.currentTimeMillis() - startMillis) / 1000;
        out.println("loggia torture: " + iterations + " of " + iterationsPlanned + " iterations in " + seconds +
            " s, seed " + seed);
        out.println("  kills (SIGKILL)          " + (killsUnderLoad + killsDuringRecovery) + " (" + killsUnderLoad +
            " under load, " + killsDuringRecovery + " during recovery), clean stops " + cleanStops);
        out.println("  records sent             " + recordsSent);
        out.println("  records acknowledged     " + recordsAcknowledged);
        out.println("  records in the log       " + recordsInLog + " (unacknowledged among them: " +
            unacknowledgedPresent + ")");
        out.println("  lost                     " + lost + "   (acknowledged, not in the log: must be 0)");
        out.println("  duplicated               " + duplicated + "   (stored twice: must be 0)");
        out.println("  misplaced                " + misplaced + "   (not at the acknowledged offset: must be 0)");
        out.println("  corrupt                  " + (corrupt + corruptDelivered) + "   (read back " + corrupt +
            ", served to the group " + corruptDelivered + ": must be 0)");
        out.println("  out of order, gaps       " + outOfOrder + ", " + gaps + "   (must be 0)");
        out.println("  failed sends             " + recordsFailed + "   (the idempotent producer gave up: must be 0)");
        out.println("  committed offsets        " + commitsAcknowledged + " commits acknowledged; lost " + commitsLost +
            ", moved backwards " + commitsMovedBackwards + ", past the log end " + commitsBeyondEnd +
            " (must be 0); members repositioned " + consumerRepositions + ", client errors " + consumerErrors);
        out.println("  torn writes              " + tornWriteIterations + " iterations, " + logDamages +
            " log damages (" + tornWriteKinds + "), " + indexDamages + " index damages, " + snapshotDamages +
            " producer snapshot damages; skipped " + skippedTornWrites);
        out.println("  loggia dump              " + filesChecked + " file checks in " + dumpRuns + " runs, failed " +
            dumpFailures + " (must be 0; " + dumpFailuresActiveIndexOnly + " of them only in active-segment indexes)," +
            " passed on the second run " + dumpRetriedAndPassed);
        out.println("  recovery, fork to ready  " + percentiles(readyMillis) + " (n=" + readyMillis.size() + ")");
        out.println("  broker's 'started in'    " + percentiles(reportedStartMillis));
        out.println("  recovery scans           " + percentiles(scanMillis) + "; " + recoveryReports +
            " partition recoveries, " + recoveryCuts + " cut more than a zero tail");
        out.println("  broker failures, stalls  " + brokerFailures + ", " + stalls + "   (must be 0)");
        if (finalCleanRestartChecked)
        {
            out.println("  final clean restart      checked");
        }
        out.println("  violations               " + violations());
        for (final String line : violationLines)
        {
            out.println("    " + line);
        }
        out.flush();
    }

    static String percentiles(final LongArrayList values)
    {
        if (values.isEmpty())
        {
            return "-";
        }
        final long[] sorted = values.toLongArray();
        Arrays.sort(sorted);
        return "p50 " + percentile(sorted, 0.50) + " ms, p90 " + percentile(sorted, 0.90) + " ms, p99 " +
            percentile(sorted, 0.99) + " ms, max " + sorted[sorted.length - 1] + " ms";
    }

    static long percentile(final long[] sorted, final double fraction)
    {
        final int index = (int)Math.ceil(fraction * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
