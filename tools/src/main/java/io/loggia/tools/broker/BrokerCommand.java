package io.loggia.tools.broker;

import io.loggia.net.broker.BrokerMain;
import io.loggia.tools.Command;
import io.loggia.tools.ExitCodes;
import io.loggia.tools.Terminal;

/**
 * {@code loggia broker [server.properties] [--override key=value]...}: runs a broker until SIGTERM or Ctrl-C, then
 * shuts it down cleanly. The work is {@link BrokerMain}'s; this command only gives it a place in the
 * {@code loggia} command line.
 */
public final class BrokerCommand implements Command
{
    private static final String HELP = String.join(System.lineSeparator(),
        "usage: loggia broker [server.properties] [--override key=value]...",
        "",
        "Runs a Loggia broker until SIGTERM or Ctrl-C, then shuts it down cleanly: connections closed, writers",
        "drained, logs closed and trimmed, checkpoints and the clean-shutdown marker written.",
        "",
        "Settings are Kafka's broker settings (server.properties) plus Loggia's own (loggia.*); overrides win",
        "over the file. Without any: PLAINTEXT://127.0.0.1:9092, node.id 1, data in ./data.",
        "Unknown keys print one warning each; a bad value prints one line naming its key.",
        "",
        "Prints one line when ready (address, data dir, start-up time) and one when stopped.",
        "",
        "exit codes:",
        "  0  stopped cleanly after a signal",
        "  2  bad arguments or settings",
        "  3  the broker could not start (log dir in use or unreadable, address in use, ...)",
        "");

    public String name()
    {
        return "broker";
    }

    public String summary()
    {
        return "run a broker until SIGTERM or Ctrl-C";
    }

    public String help()
    {
        return HELP;
    }

    public int run(final String[] args, final Terminal terminal)
    {
        final int code = BrokerMain.run(args, terminal.out(), terminal.err());
        switch (code)
        {
            case BrokerMain.OK:
                return ExitCodes.OK;
            case BrokerMain.USAGE:
                return ExitCodes.USAGE;
            default:
                return ExitCodes.IO_ERROR;
        }
    }
}
