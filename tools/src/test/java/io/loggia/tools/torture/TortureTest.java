package io.loggia.tools.torture;

import io.loggia.tools.CommandRun;
import io.loggia.tools.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The crash loop as CI runs it: a few iterations against a real broker process, every kind of fault on (kills
 * under load, torn writes on every kill, kills during recovery, a clean stop now and then). The soak is the same
 * run with more iterations: {@code ./loggia torture --iterations 200} (docs/drafts/operations-torture.md).
 */
class TortureTest
{
    @TempDir
    Path dir;

    @Test
    void aShortCrashLoopLosesNothingAcknowledged() throws Exception
    {
        final long seed = System.nanoTime();
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        final TortureRun run;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8))
        {
            run = new TortureRun(TortureOptions.parse("--iterations", "4", "--partitions", "2", "--consumers", "2",
                "--rate", "1500", "--min-run-ms", "300", "--max-run-ms", "1200", "--torn-writes", "1",
                "--kill-during-recovery", "0.3", "--clean-stops", "0.2", "--segment-bytes", "262144",
                "--seed", Long.toString(seed), "--dir", dir.toString(), "--continue-on-violation"), out);
            run.run();
        }
        final String text = output.toString(StandardCharsets.UTF_8);
        final TortureSummary summary = run.summary();

        assertThat(summary.iterations).as(text).isEqualTo(4);
        assertThat(summary.recordsAcknowledged).as(text).isPositive();
        assertThat(summary.recordsInLog).as(text).isGreaterThanOrEqualTo(summary.recordsAcknowledged);
        assertThat(summary.lost).as(text).isZero();
        assertThat(summary.duplicated).as(text).isZero();
        assertThat(summary.misplaced).as(text).isZero();
        assertThat(summary.corrupt).as(text).isZero();
        assertThat(summary.corruptDelivered).as(text).isZero();
        assertThat(summary.outOfOrder).as(text).isZero();
        assertThat(summary.gaps).as(text).isZero();
        assertThat(summary.recordsFailed).as(text).isZero();
        assertThat(summary.commitsLost + summary.commitsMovedBackwards + summary.commitsBeyondEnd).as(text).isZero();
        assertThat(summary.brokerFailures).as(text).isZero();
        assertThat(summary.stalls).as(text).isZero();
        // finding F1 (docs/reliability.md, fixed): a recovery that cut indexed batches left their old entries in
        // the active segment's untrimmed index files
        assertThat(summary.dumpFailures).as(text).isZero();
        assertThat(summary.readyMillis.size()).as(text).isEqualTo(4);
        assertThat(summary.killsUnderLoad + summary.cleanStops).as(text).isEqualTo(4);
        assertThat(summary.finalCleanRestartChecked).as(text).isTrue();
        assertThat(text).contains("loggia torture: 4 of 4 iterations", "lost                     0");
    }

    @Test
    void theChecksSeeAcknowledgedRecordsThatWereCutAway() throws Exception
    {
        final ByteArrayOutputStream output = new ByteArrayOutputStream();
        final TortureRun run;
        final boolean passed;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8))
        {
            run = new TortureRun(TortureOptions.parse("--iterations", "2", "--partitions", "2", "--consumers", "0",
                "--rate", "2000", "--min-run-ms", "600", "--max-run-ms", "600", "--torn-writes", "1",
                "--kill-during-recovery", "0", "--dir", dir.toString(), "--self-check-damage-acknowledged"), out);
            passed = run.run();
        }
        final String text = output.toString(StandardCharsets.UTF_8);
        assertThat(passed).as(text).isFalse();
        assertThat(run.summary().lost).as(text).isPositive();
        assertThat(run.summary().iterations).as("stops at the first violation: %s", text).isEqualTo(1);
        assertThat(text).contains("acknowledged at offset", "is gone", "loggia torture: FAILED");
    }

    @Test
    void isListedAndHasHelp()
    {
        final CommandRun help = CommandRun.of("help");
        assertThat(help.out).anyMatch(line -> line.startsWith("  torture "));
        final CommandRun tortureHelp = CommandRun.of("torture", "--help");
        assertThat(tortureHelp.exitCode).isEqualTo(ExitCodes.OK);
        assertThat(tortureHelp.outText()).contains("usage: loggia torture", "--torn-writes P");
        final CommandRun bad = CommandRun.of("torture", "--iterations", "none");
        assertThat(bad.exitCode).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err).hasSize(1);
    }
}
