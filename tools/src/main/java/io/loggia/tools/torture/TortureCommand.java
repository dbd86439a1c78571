package io.loggia.tools.torture;

import io.loggia.tools.Command;
import io.loggia.tools.ExitCodes;
import io.loggia.tools.Terminal;

import java.io.IOException;

/**
 * {@code loggia torture [options]}: the crash-consistency loop. Starts a real broker process in durable mode,
 * drives an idempotent producer and a consumer group against it, kills it with SIGKILL at random moments
 * (optionally damaging what was not yet on disk, as a power cut would), restarts it on the same log dir and
 * port, and after every restart checks that every acknowledged record is there exactly once, in order, byte for
 * byte, that every segment and index passes {@code loggia dump --verify-index-only --deep-iteration}, and that
 * committed group offsets never went backwards. See {@link TortureRun}.
 */
public final class TortureCommand implements Command
{
    private static final String HELP = String.join(System.lineSeparator(),
        "usage: loggia torture [--iterations N] [--partitions N] [--consumers N] [--rate N] [--bursts]",
        "                      [--record-bytes N] [--compression C] [--min-run-ms N] [--max-run-ms N]",
        "                      [--torn-writes P] [--kill-during-recovery P] [--clean-stops P]",
        "                      [--segment-bytes N] [--seed N] [--dir PATH] [--keep-data]",
        "                      [--continue-on-violation] [--quiet] [--broker-override key=value]...",
        "",
        "Crash-consistency loop: a broker process in durable mode (log.flush.interval.messages=1) is killed",
        "with SIGKILL at random moments under an idempotent producer (acks=all) and a consumer group, then",
        "restarted on the same log dir and port. After every restart: every acknowledged record is in the log",
        "exactly once, in order, byte for byte; every segment and index passes 'loggia dump --verify-index-only",
        "--deep-iteration'; committed offsets never went backwards. Recovery time is measured.",
        "",
        "  --iterations N            kills and restarts (default 10)",
        "  --partitions N            partitions of the topic (default 3)",
        "  --consumers N             members of the consumer group (default 2; odd ones static)",
        "  --rate N                  records per second, 0 unthrottled (default 2000)",
        "  --bursts                  send in bursts of up to rate/5 records with pauses of up to 200 ms",
        "  --record-bytes N          largest record value (default 512; sizes vary from 24)",
        "  --compression C           none, gzip, snappy, lz4, zstd (default none)",
        "  --min-run-ms, --max-run-ms  load time before each kill, uniform (default 500 and 3000)",
        "  --torn-writes P           probability of damaging unacknowledged bytes and index files after a",
        "                            kill, as a power cut can (default 0.5; 0 off)",
        "  --kill-during-recovery P  probability of killing the restarted broker before it is ready, once,",
        "                            at a random moment (default 0.1)",
        "  --clean-stops P           probability of SIGTERM instead of SIGKILL (default 0)",
        "  --segment-bytes N         log.segment.bytes and offsets.topic.segment.bytes (default 1048576)",
        "  --seed N                  seed of every random choice (default: the clock); printed in the summary",
        "  --dir PATH                work dir (data/, broker.log, torture.log); default a new temporary dir",
        "  --keep-data               keep the work dir after a passing run (it is always kept after a failure)",
        "  --continue-on-violation   carry on after a violation instead of stopping at the first",
        "  --quiet                   print only violations and the summary, not a line per iteration",
        "  --broker-override k=v     a broker setting on top of the harness's (repeatable)",
        "",
        "exit codes: 0 no violation, 1 violations found (lost, duplicated, corrupt, out-of-order records,",
        "            failed checks, a broker that did not come back), 2 bad usage, 3 the first broker did not",
        "            start, 4 unexpected failure",
        "");

    public String name()
    {
        return "torture";
    }

    public String summary()
    {
        return "crash-consistency loop: kill -9 a broker under load, restart, verify nothing acknowledged is lost";
    }

    public String help()
    {
        return HELP;
    }

    public int run(final String[] args, final Terminal terminal) throws Exception
    {
        final TortureOptions options = TortureOptions.parse(args);
        final TortureRun run = new TortureRun(options, terminal.out());
        try
        {
            return run.run() ? ExitCodes.OK : ExitCodes.INVALID;
        }
        catch (final IOException ex)
        {
            terminal.error("loggia torture: " + ex.getMessage() +
                (null == run.workDir() ? "" : " (work dir " + run.workDir() + ")"), ex);
            return ExitCodes.IO_ERROR;
        }
    }
}
