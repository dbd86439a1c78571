package io.loggia.net.transport;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Handlers learn who sent a request: {@link InFlightRequest#remoteHost()} in Kafka's spelling of a client host
 * and {@link InFlightRequest#remoteAddress()}, the same for every request of a connection.
 */
class RemoteAddressTest
{
    @Test
    void everyRequestCarriesItsConnectionsPeer() throws Exception
    {
        try (NetworkServer server = TestServers.start(TestServers.config(), new ScriptedHandler.Shared());
            TestClient first = TestClient.connect(server.localAddress(), InetAddress.getByName("127.0.0.1"), -1);
            TestClient second = TestClient.connect(server.localAddress(), InetAddress.getByName("127.0.0.2"), -1))
        {
            for (int i = 0; i < 3; i++)
            {
                first.send(new byte[]{ 'A' });
                second.send(new byte[]{ 'A' });
                assertThat(new String(first.receive(), StandardCharsets.UTF_8))
                    .isEqualTo("/127.0.0.1 " + first.localPort());
                assertThat(new String(second.receive(), StandardCharsets.UTF_8))
                    .isEqualTo("/127.0.0.2 " + second.localPort());
            }
        }
    }
}
