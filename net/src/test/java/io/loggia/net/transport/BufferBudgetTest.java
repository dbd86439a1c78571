package io.loggia.net.transport;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class BufferBudgetTest
{
    private static final int KIB = 1024;
    private static final int MIB = 1024 * KIB;

    @Test
    void exhaustedBudgetPausesOnlyTheGrowingConnectionUntilMemoryIsFreed() throws Exception
    {
        // Two 1 MiB receive buffers fit the budget, a third does not; small buffers still do.
        final TransportConfig config = TestServers.config()
            .socketRequestMaxBytes(MIB - 4)
            .queuedMaxRequestBytes(2 * MIB + 256 * KIB);
        final int clients = 3;
        final List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < clients; i++)
        {
            frames.add(TestClient.frame(TestServers.command('E', i, MIB - 4)));
        }
        final ExecutorService executor = Executors.newFixedThreadPool(clients);
        try (NetworkServer server = TestServers.start(config, new ScriptedHandler.Shared());
            TestClient bystander = TestClient.connect(server.localAddress()))
        {
            final NetworkCounters counters = server.agent(0).counters();
            final List<TestClient> senders = new ArrayList<>();
            try
            {
                for (int i = 0; i < clients; i++)
                {
                    final TestClient sender = TestClient.connect(server.localAddress());
                    senders.add(sender);
                    sender.sendRaw(frames.get(i), 0, 100 * KIB);
                }
                TestServers.await(() -> counters.get(NetworkCounters.READ_PAUSES_MEMORY) > 0,
                    "a connection to wait for memory");

                FramingTest.assertBystanderServed(bystander, 7);

                final List<Future<byte[]>> echoes = new ArrayList<>();
                for (int i = 0; i < clients; i++)
                {
                    final TestClient sender = senders.get(i);
                    final byte[] frame = frames.get(i);
                    echoes.add(executor.submit(() ->
                    {
                        sender.sendRaw(frame, 100 * KIB, frame.length - 100 * KIB);
                        return sender.receive();
                    }));
                }
                for (int i = 0; i < clients; i++)
                {
                    assertThat(echoes.get(i).get(30, TimeUnit.SECONDS))
                        .isEqualTo(TestServers.command('E', i, MIB - 4));
                }
                FramingTest.assertBystanderServed(bystander, 8);
                assertThat(counters.get(NetworkCounters.CONNECTIONS_ACTIVE)).isEqualTo(clients + 1);
            }
            finally
            {
                for (final TestClient sender : senders)
                {
                    sender.close();
                }
            }
        }
        finally
        {
            executor.shutdownNow();
        }
    }

    @Test
    void idleConnectionsGiveTheirBuffersBack() throws Exception
    {
        final TransportConfig config = TestServers.config().bufferReleaseMs(50);
        try (NetworkServer server = TestServers.start(config, new ScriptedHandler.Shared());
            TestClient client = TestClient.connect(server.localAddress()))
        {
            final NetworkCounters counters = server.agent(0).counters();
            final byte[] large = TestServers.command('E', 1, 3 * MIB);
            client.send(large);
            assertThat(client.receive()).isEqualTo(large);
            assertThat(counters.get(NetworkCounters.BUFFER_BYTES)).isGreaterThan(3 * MIB);
            TestServers.await(() -> counters.get(NetworkCounters.BUFFER_BYTES) == 0, "buffers to be freed");
            FramingTest.assertBystanderServed(client, 2);
        }
    }
}
