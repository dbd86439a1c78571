package io.loggia.net.broker;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.ArrayList;
import java.util.List;

/**
 * SIGTERM and SIGINT (Ctrl-C) as requests for a clean shutdown, so that the broker closes on its main thread and
 * the process exits 0. The JVM's default handling would run the shutdown hooks and exit 143 (or 130). With
 * {@code sun.misc.Signal} (module jdk.unsupported, always present in the JDK) the handler only asks; every signal
 * after the first asks again, which changes nothing. {@link #close()} puts the previous handlers back, so a
 * broker run in-process (the {@code loggia} command in tests) leaves the JVM's signals as it found them.
 */
final class ShutdownSignals implements AutoCloseable
{
    private final List<Signal> signals = new ArrayList<>(2);
    private final List<SignalHandler> previous = new ArrayList<>(2);

    private ShutdownSignals()
    {
    }

    /** Route TERM and INT to {@code onSignal}; where a signal cannot be handled, the JVM's default remains. */
    static ShutdownSignals install(final Runnable onSignal)
    {
        final ShutdownSignals installed = new ShutdownSignals();
        for (final String name : new String[]{"TERM", "INT"})
        {
            try
            {
                final Signal signal = new Signal(name);
                final SignalHandler old = Signal.handle(signal, caught -> onSignal.run());
                installed.signals.add(signal);
                installed.previous.add(old);
            }
            catch (final IllegalArgumentException ex)
            {
                // the JVM reserves this signal here (-Xrs): the shutdown hook still closes the broker
            }
        }
        return installed;
    }

    /** Put the previous handlers back. */
    public void close()
    {
        for (int i = 0; i < signals.size(); i++)
        {
            Signal.handle(signals.get(i), previous.get(i));
        }
        signals.clear();
        previous.clear();
    }
}
