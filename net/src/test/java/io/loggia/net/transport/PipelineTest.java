package io.loggia.net.transport;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class PipelineTest
{
    @Test
    void echoesOnEveryNetworkThread() throws Exception
    {
        final ScriptedHandler.Shared shared = new ScriptedHandler.Shared();
        try (NetworkServer server = TestServers.start(TestServers.config().numNetworkThreads(3), shared))
        {
            final List<TestClient> clients = new ArrayList<>();
            try
            {
                for (int i = 0; i < 6; i++)
                {
                    clients.add(TestClient.connect(server.localAddress()));
                }
                for (int round = 0; round < 3; round++)
                {
                    for (int i = 0; i < clients.size(); i++)
                    {
                        final byte[] request = TestServers.command('E', i * 100 + round, 100 + i);
                        clients.get(i).send(request);
                        assertThat(clients.get(i).receive()).isEqualTo(request);
                    }
                }
                for (int i = 0; i < server.agentCount(); i++)
                {
                    final NetworkCounters counters = server.agent(i).counters();
                    TestServers.await(() -> counters.get(NetworkCounters.RESPONSES) == 6, "6 responses counted");
                    assertThat(counters.get(NetworkCounters.CONNECTIONS_OPENED)).isEqualTo(2);
                }
            }
            finally
            {
                for (final TestClient client : clients)
                {
                    client.close();
                }
            }
        }
    }

    @Test
    void emptyFrameGetsEmptyResponse() throws Exception
    {
        try (NetworkServer server = TestServers.start(TestServers.config(), new ScriptedHandler.Shared());
            TestClient client = TestClient.connect(server.localAddress()))
        {
            client.send(new byte[0]);
            assertThat(client.receive()).isEmpty();
        }
    }

    @Test
    void answersInRequestOrderWhenCompletedInReverse() throws Exception
    {
        try (NetworkServer server = TestServers.start(TestServers.config(), new ScriptedHandler.Shared());
            TestClient client = TestClient.connect(server.localAddress()))
        {
            final List<byte[]> requests = new ArrayList<>();
            for (int i = 0; i < 4; i++)
            {
                final byte[] request = TestServers.command('R', i, 10 + i * 1000);
                request[1] = 4;
                requests.add(request);
            }
            final ByteBuffer pipelined = ByteBuffer.allocate(8192);
            for (final byte[] request : requests)
            {
                pipelined.put(TestClient.frame(request));
            }
            client.sendRaw(pipelined.array(), 0, pipelined.position());
            for (final byte[] request : requests)
            {
                assertThat(client.receive()).isEqualTo(request);
            }
        }
    }

    @Test
    void noResponseCompletionFreesItsSlotInOrder() throws Exception
    {
        try (NetworkServer server = TestServers.start(TestServers.config(), new ScriptedHandler.Shared());
            TestClient client = TestClient.connect(server.localAddress()))
        {
            final byte[] first = TestServers.command('R', 1, 50);
            final byte[] second = TestServers.command('R', 2, 60);
            final byte[] third = TestServers.command('R', 3, 70);
            first[1] = 3;
            second[1] = 3;
            third[1] = 3;
            client.send(first);
            client.send(TestServers.command('N', 9, 20));
            client.send(second);
            client.send(TestServers.command('N', 10, 20));
            client.send(third);
            assertThat(client.receive()).isEqualTo(first);
            assertThat(client.receive()).isEqualTo(second);
            assertThat(client.receive()).isEqualTo(third);
            client.send(TestServers.command('E', 4, 30));
            assertThat(client.receive()).isEqualTo(TestServers.command('E', 4, 30));
            final NetworkCounters counters = server.agent(0).counters();
            TestServers.await(() -> counters.get(NetworkCounters.RESPONSES) == 4, "4 responses counted");
            assertThat(counters.get(NetworkCounters.NO_RESPONSES)).isEqualTo(2);
        }
    }

    @Test
    void boundsInFlightRequestsAndAnswersRandomCompletionsInOrder() throws Exception
    {
        final ScriptedHandler.Shared shared = new ScriptedHandler.Shared();
        final TransportConfig config = TestServers.config().socketSendBufferBytes(16 * 1024);
        final int requests = 400;
        final Random random = new Random(17);
        final List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < requests; i++)
        {
            final int size = random.nextInt(8) == 0 ? 20_000 + random.nextInt(120_000) : 5 + random.nextInt(2000);
            sent.add(TestServers.command('P', i, size));
        }
        final ExecutorService executor = Executors.newFixedThreadPool(2);
        try (NetworkServer server = TestServers.start(config, shared);
            TestClient client = TestClient.connect(server.localAddress()))
        {
            final ScriptedHandler handler = shared.handlers.get(0);
            final Future<?> writer = executor.submit(() ->
            {
                for (final byte[] request : sent)
                {
                    client.send(request);
                }
                return null;
            });
            final Future<List<byte[]>> reader = executor.submit(() ->
            {
                final List<byte[]> received = new ArrayList<>();
                for (int i = 0; i < requests; i++)
                {
                    received.add(client.receive());
                }
                return received;
            });

            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            final List<Long> batch = new ArrayList<>();
            int completed = 0;
            while (completed < requests)
            {
                if (System.nanoTime() - deadlineNs > 0)
                {
                    throw new AssertionError("completed only " + completed + " of " + requests);
                }
                Long id;
                while (null != (id = shared.parkedIds.poll()))
                {
                    batch.add(id);
                }
                if (batch.isEmpty())
                {
                    Thread.onSpinWait();
                    continue;
                }
                Collections.shuffle(batch, random);
                for (final long parkedId : batch)
                {
                    handler.completeLater(parkedId);
                }
                completed += batch.size();
                batch.clear();
            }
            writer.get(30, TimeUnit.SECONDS);
            final List<byte[]> received = reader.get(30, TimeUnit.SECONDS);
            for (int i = 0; i < requests; i++)
            {
                assertThat(received.get(i)).as("response %d", i).isEqualTo(sent.get(i));
            }
            assertThat(shared.maxPending.get()).isEqualTo(config.maxInFlightRequestsPerConnection());
            assertThat(server.agent(0).counters().get(NetworkCounters.READ_PAUSES_PIPELINE)).isPositive();
            assertThat(server.agent(0).counters().get(NetworkCounters.SEND_WAITS)).isPositive();
        }
        finally
        {
            executor.shutdownNow();
        }
    }

    @Test
    void completionFromAnotherThreadWakesTheBlockedNetworkThread() throws Exception
    {
        final ScriptedHandler.Shared shared = new ScriptedHandler.Shared();
        // Nothing but the wake can end the select early: no spins, a minute of blocking, timers far away.
        final TransportConfig config = TestServers.config()
            .idleSpins(0)
            .idleMaxBlockMs(60_000)
            .bufferReleaseMs(120_000)
            .requestReceiveTimeoutMs(120_000);
        try (NetworkServer server = TestServers.start(config, shared);
            TestClient client = TestClient.connect(server.localAddress()))
        {
            final ScriptedHandler handler = shared.handlers.get(0);
            for (int i = 0; i < 3; i++)
            {
                final byte[] request = TestServers.command('P', i, 64);
                client.send(request);
                TestServers.await(() -> !shared.parkedIds.isEmpty(), "the request to be parked");
                final long id = shared.parkedIds.poll();
                final Thread completer = new Thread(() -> handler.completeLater(id), "completer");
                completer.start();
                completer.join(TestServers.DEADLINE_MS);
                assertThat(client.receive()).isEqualTo(request);
            }
        }
    }
}
