package io.loggia.net.broker;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT (Ctrl-C) as requests for a clean shutdown, so that the broker closes on its main thread and
 * the process exits 0. The JVM's default handling would run the shutdown hooks and exit 143 (or 130). With
 * {@code sun.misc.Signal} (module jdk.unsupported, always present in the JDK) the handler only asks; every signal
 * after the first asks again, which changes nothing.
 */
final class ShutdownSignals
{
    private ShutdownSignals()
    {
    }

    /** Route TERM and INT to {@code onSignal}; where a signal cannot be handled, the JVM's default remains. */
    static void install(final Runnable onSignal)
    {
        for (final String name : new String[]{"TERM", "INT"})
        {
            try
            {
                Signal.handle(new Signal(name), signal -> onSignal.run());
            }
            catch (final IllegalArgumentException ex)
            {
                // the JVM reserves this signal here (-Xrs): the shutdown hook still closes the broker
            }
        }
    }
}
