package io.loggia.net.transport;

import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Test configurations and condition waits with deadlines. */
final class TestServers
{
    static final long DEADLINE_MS = 10_000;

    private TestServers()
    {
    }

    /** One network thread on 127.0.0.1, an ephemeral port, otherwise the defaults. */
    static TransportConfig config()
    {
        return new TransportConfig().host("127.0.0.1").port(0).numNetworkThreads(1);
    }

    static NetworkServer start(final TransportConfig config, final ScriptedHandler.Shared shared) throws Exception
    {
        return new NetworkServer(config, ScriptedHandler.factory(shared)).start();
    }

    /** Polls {@code condition} until true; fails after {@link #DEADLINE_MS}. */
    static void await(final BooleanSupplier condition, final String what)
    {
        final long deadlineNs = System.nanoTime() + DEADLINE_MS * 1_000_000L;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                throw new AssertionError("timed out waiting for " + what);
            }
            LockSupport.parkNanos(100_000);
        }
    }

    static byte[] command(final char command, final int index, final int length)
    {
        final ByteBuffer bytes = ByteBuffer.allocate(Math.max(length, 5));
        bytes.put((byte)command).putInt(index);
        for (int i = 5; i < bytes.capacity(); i++)
        {
            bytes.put((byte)(index * 31 + i));
        }
        return bytes.array();
    }
}
