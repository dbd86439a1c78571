package io.loggia.net.transport;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionLimitsTest
{
    @Test
    void closesIdleConnections() throws Exception
    {
        final TransportConfig config = TestServers.config().connectionsMaxIdleMs(300);
        try (NetworkServer server = TestServers.start(config, new ScriptedHandler.Shared());
            TestClient client = TestClient.connect(server.localAddress()))
        {
            FramingTest.assertBystanderServed(client, 1);
            client.awaitClosed(TestServers.DEADLINE_MS);
            final NetworkCounters counters = server.agent(0).counters();
            TestServers.await(() -> counters.closes(CloseReason.IDLE_TIMEOUT) == 1, "the idle close");
            assertThat(server.quota().connections()).isZero();
        }
    }

    @Test
    void refusesConnectionsBeyondMaxConnections() throws Exception
    {
        final TransportConfig config = TestServers.config().numNetworkThreads(2).maxConnections(2);
        try (NetworkServer server = TestServers.start(config, new ScriptedHandler.Shared());
            TestClient first = TestClient.connect(server.localAddress());
            TestClient second = TestClient.connect(server.localAddress()))
        {
            FramingTest.assertBystanderServed(first, 1);
            FramingTest.assertBystanderServed(second, 2);
            try (TestClient third = TestClient.connect(server.localAddress()))
            {
                third.awaitClosed(TestServers.DEADLINE_MS);
            }
            assertThat(server.agent(0).counters().closes(CloseReason.REFUSED_MAX_CONNECTIONS)).isEqualTo(1);

            first.close();
            TestServers.await(() -> server.quota().connections() == 1, "the closed connection to be uncounted");
            try (TestClient fourth = TestClient.connect(server.localAddress()))
            {
                FramingTest.assertBystanderServed(fourth, 4);
            }
            FramingTest.assertBystanderServed(second, 5);
        }
    }

    @Test
    void refusesConnectionsBeyondMaxConnectionsPerIp() throws Exception
    {
        final TransportConfig config = TestServers.config().host("0.0.0.0").maxConnectionsPerIp(2);
        final InetAddress local = InetAddress.getByName("127.0.0.1");
        final InetAddress other = InetAddress.getByName("127.0.0.2");
        try (NetworkServer server = TestServers.start(config, new ScriptedHandler.Shared());
            TestClient first = TestClient.connect(server.localAddress(), local, -1);
            TestClient second = TestClient.connect(server.localAddress(), local, -1))
        {
            FramingTest.assertBystanderServed(first, 1);
            FramingTest.assertBystanderServed(second, 2);
            try (TestClient third = TestClient.connect(server.localAddress(), local, -1))
            {
                third.awaitClosed(TestServers.DEADLINE_MS);
            }
            assertThat(server.agent(0).counters().closes(CloseReason.REFUSED_MAX_CONNECTIONS_PER_IP)).isEqualTo(1);
            try (TestClient fromOtherAddress = TestClient.connect(server.localAddress(), other, -1))
            {
                FramingTest.assertBystanderServed(fromOtherAddress, 3);
                assertThat(server.quota().connections(other)).isEqualTo(1);
            }
            assertThat(server.quota().connections(local)).isEqualTo(2);
        }
    }

    @Test
    void closesAConnectionTricklingAFrameByteByByte() throws Exception
    {
        final TransportConfig config = TestServers.config().requestReceiveTimeoutMs(300);
        try (NetworkServer server = TestServers.start(config, new ScriptedHandler.Shared());
            TestClient bystander = TestClient.connect(server.localAddress());
            TestClient loris = TestClient.connect(server.localAddress()))
        {
            loris.sendRaw(ByteBuffer.allocate(4).putInt(500_000).array());
            final long deadlineNs = System.nanoTime() + TestServers.DEADLINE_MS * 1_000_000L;
            int trickled = 0;
            while (true)
            {
                if (System.nanoTime() - deadlineNs > 0)
                {
                    throw new AssertionError("still open after trickling " + trickled + " bytes");
                }
                final int polled = loris.poll(20);
                if (polled < 0)
                {
                    break;
                }
                try
                {
                    loris.sendRaw(new byte[]{ 'E' });
                    trickled++;
                }
                catch (final java.io.IOException ex)
                {
                    break;
                }
            }
            final NetworkCounters counters = server.agent(0).counters();
            TestServers.await(() -> counters.closes(CloseReason.RECEIVE_TIMEOUT) == 1, "the receive-timeout close");
            assertThat(trickled).isPositive();
            FramingTest.assertBystanderServed(bystander, 1);
            assertThat(counters.closes(CloseReason.RECEIVE_TIMEOUT)).isEqualTo(1);
        }
    }
}
