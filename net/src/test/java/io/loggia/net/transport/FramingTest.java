package io.loggia.net.transport;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class FramingTest
{
    private static final int MAX_FRAME = 1024 * 1024;

    @Test
    void oversizeNegativeAndRandomPrefixesCloseOnlyTheirConnection() throws Exception
    {
        final byte[] random = randomBytesWithInvalidPrefix();
        final byte[][] attacks =
        {
            ByteBuffer.allocate(8).putInt(MAX_FRAME + 1).putInt(42).array(),
            ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array(),
            ByteBuffer.allocate(8).putInt(-1).putInt(0).array(),
            ByteBuffer.allocate(4).putInt(Integer.MIN_VALUE).array(),
            random,
        };
        try (NetworkServer server = TestServers.start(
            TestServers.config().socketRequestMaxBytes(MAX_FRAME), new ScriptedHandler.Shared());
            TestClient bystander = TestClient.connect(server.localAddress()))
        {
            final NetworkCounters counters = server.agent(0).counters();
            for (int i = 0; i < attacks.length; i++)
            {
                try (TestClient attacker = TestClient.connect(server.localAddress()))
                {
                    attacker.sendRaw(attacks[i]);
                    attacker.awaitClosed(TestServers.DEADLINE_MS);
                }
                final long expected = i + 1;
                TestServers.await(() -> counters.closes(CloseReason.INVALID_FRAME) == expected, "close " + expected);
                assertBystanderServed(bystander, i);
            }
            final byte[] largest = new byte[MAX_FRAME];
            largest[0] = 'E';
            bystander.send(largest);
            assertThat(bystander.receive()).isEqualTo(largest);
        }
    }

    @Test
    void truncatedFrameThenCloseReleasesTheConnection() throws Exception
    {
        final ScriptedHandler.Shared shared = new ScriptedHandler.Shared();
        try (NetworkServer server = TestServers.start(TestServers.config(), shared);
            TestClient bystander = TestClient.connect(server.localAddress()))
        {
            final NetworkCounters counters = server.agent(0).counters();
            try (TestClient client = TestClient.connect(server.localAddress()))
            {
                final byte[] frame = TestClient.frame(TestServers.command('E', 1, 100_000));
                client.sendRaw(frame, 0, 70_000);
                TestServers.await(() -> counters.get(NetworkCounters.BYTES_IN) == 70_000, "the partial frame read");
            }
            TestServers.await(() -> counters.closes(CloseReason.PEER_CLOSED) == 1, "the peer close");
            assertThat(server.quota().connections()).isEqualTo(1);
            assertThat(shared.closedConnections.get()).isEqualTo(1);
            assertBystanderServed(bystander, 1);
        }
    }

    @Test
    void handlerExceptionClosesOnlyItsConnection() throws Exception
    {
        try (NetworkServer server = TestServers.start(TestServers.config(), new ScriptedHandler.Shared());
            TestClient bystander = TestClient.connect(server.localAddress()))
        {
            final NetworkCounters counters = server.agent(0).counters();
            try (TestClient client = TestClient.connect(server.localAddress()))
            {
                client.send(TestServers.command('E', 1, 10));
                client.receive();
                client.send(TestServers.command('X', 2, 10));
                client.awaitClosed(TestServers.DEADLINE_MS);
            }
            TestServers.await(() -> counters.closes(CloseReason.HANDLER_ERROR) == 1, "the handler-error close");
            assertThat(counters.get(NetworkCounters.HANDLER_ERRORS)).isEqualTo(1);
            assertBystanderServed(bystander, 3);
            try (TestClient next = TestClient.connect(server.localAddress()))
            {
                assertBystanderServed(next, 4);
            }
        }
    }

    @Test
    void closeAfterResponseSendsTheResponseThenCloses() throws Exception
    {
        try (NetworkServer server = TestServers.start(TestServers.config(), new ScriptedHandler.Shared());
            TestClient client = TestClient.connect(server.localAddress()))
        {
            final byte[] request = TestServers.command('C', 1, 5000);
            client.send(request);
            client.send(TestServers.command('E', 2, 10));
            assertThat(client.receive()).isEqualTo(request);
            assertThat(client.awaitClosed(TestServers.DEADLINE_MS)).isZero();
            final NetworkCounters counters = server.agent(0).counters();
            TestServers.await(() -> counters.closes(CloseReason.HANDLER_REQUEST) == 1, "the requested close");
        }
    }

    @Test
    void shutdownClosesEveryConnection() throws Exception
    {
        final NetworkServer server = TestServers.start(TestServers.config().numNetworkThreads(2),
            new ScriptedHandler.Shared());
        try (TestClient first = TestClient.connect(server.localAddress());
            TestClient second = TestClient.connect(server.localAddress()))
        {
            assertBystanderServed(first, 1);
            assertBystanderServed(second, 2);
            server.close();
            first.awaitClosed(TestServers.DEADLINE_MS);
            second.awaitClosed(TestServers.DEADLINE_MS);
            assertThat(server.quota().connections()).isZero();
            assertThat(server.agent(0).counters().closes(CloseReason.SHUTDOWN) +
                server.agent(1).counters().closes(CloseReason.SHUTDOWN)).isEqualTo(2);
        }
        finally
        {
            server.close();
        }
    }

    static void assertBystanderServed(final TestClient client, final int index) throws Exception
    {
        final byte[] request = TestServers.command('E', index, 64 + index);
        client.send(request);
        assertThat(client.receive()).isEqualTo(request);
    }

    private static byte[] randomBytesWithInvalidPrefix()
    {
        final Random random = new Random(11);
        final byte[] bytes = new byte[4096];
        do
        {
            random.nextBytes(bytes);
        }
        while (isLegalSize(ByteBuffer.wrap(bytes).getInt()));
        return bytes;
    }

    private static boolean isLegalSize(final int size)
    {
        return size >= 0 && size <= MAX_FRAME;
    }
}
