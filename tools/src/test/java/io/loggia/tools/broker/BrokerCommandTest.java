package io.loggia.tools.broker;

import io.loggia.tools.CommandRun;
import io.loggia.tools.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code loggia broker} through the command line. Runs that start a broker block until a signal, so they are
 * tested as processes in net ({@code BrokerProcessTest}); here the command's place in {@code loggia} and the runs
 * that end at once.
 */
class BrokerCommandTest
{
    @TempDir
    Path dir;

    @Test
    void isListedAndHasHelp()
    {
        final CommandRun help = CommandRun.of("help");
        assertThat(help.exitCode).isEqualTo(ExitCodes.OK);
        assertThat(help.out).anyMatch(line -> line.startsWith("  broker "));
        final CommandRun brokerHelp = CommandRun.of("broker", "--help");
        assertThat(brokerHelp.exitCode).isEqualTo(ExitCodes.OK);
        assertThat(brokerHelp.outText()).contains("usage: loggia broker [server.properties] [--override key=value]...");
    }

    @Test
    void aBadSettingIsOneLineNamingItsKey() throws Exception
    {
        final Path file = dir.resolve("server.properties");
        Files.writeString(file, "log.dirs=" + dir.resolve("data") + "\nlog.retention.hours=a week\n");
        final CommandRun run = CommandRun.of("broker", file.toString());
        assertThat(run.exitCode).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err).hasSize(1);
        assertThat(run.err.get(0)).contains("log.retention.hours").contains("a week");
        assertThat(run.out).isEmpty();
        assertThat(Files.exists(dir.resolve("data"))).isFalse();

        final CommandRun override = CommandRun.of("broker", "--override", "node.id");
        assertThat(override.exitCode).isEqualTo(ExitCodes.USAGE);
        assertThat(override.err).hasSize(1);
    }

    @Test
    void aBrokerThatCannotStartIsOneLineAndExitThree() throws Exception
    {
        final Path notADirectory = dir.resolve("file");
        Files.writeString(notADirectory, "not a log dir");
        final CommandRun run = CommandRun.of("broker", "--override", "log.dirs=" + notADirectory,
            "--override", "listeners=PLAINTEXT://127.0.0.1:0", "--override", "loggia.housekeeper.native=false");
        assertThat(run.exitCode).isEqualTo(ExitCodes.IO_ERROR);
        assertThat(run.err).hasSize(1);
        assertThat(run.err.get(0)).startsWith("loggia broker: cannot start: ").contains(notADirectory.toString());
        assertThat(run.out).isEmpty();
    }
}
