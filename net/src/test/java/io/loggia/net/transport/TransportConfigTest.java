package io.loggia.net.transport;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransportConfigTest
{
    @Test
    void defaultsAreValid()
    {
        final TransportConfig config = new TransportConfig().validate();
        assertThat(config.socketRequestMaxBytes()).isEqualTo(104_857_600);
        assertThat(config.queuedMaxRequestBytes()).isEqualTo(256L * 1024 * 1024);
        assertThat(config.connectionsMaxIdleNs()).isEqualTo(600_000_000_000L);
        assertThat(config.maxInFlightRequestsPerConnection()).isEqualTo(16);
        assertThat(config.maxReceiveBufferCapacity()).isEqualTo(104_857_600 + 65_536);
    }

    @Test
    void readsKafkaAndLoggiaKeys()
    {
        final TransportConfig config = TransportConfig.from(Map.of(
            "num.network.threads", "2",
            "socket.request.max.bytes", "1048576",
            "queued.max.request.bytes", "-1",
            "connections.max.idle.ms", "1000",
            "max.connections", "10",
            "max.connections.per.ip", "3",
            "loggia.request.receive.timeout.ms", "500",
            "loggia.network.max.in.flight.requests.per.connection", "5",
            "unrelated.key", "ignored")).validate();
        assertThat(config.numNetworkThreads()).isEqualTo(2);
        assertThat(config.socketRequestMaxBytes()).isEqualTo(1 << 20);
        assertThat(config.bufferBudgetBytes()).isEqualTo(Long.MAX_VALUE);
        assertThat(config.connectionsMaxIdleNs()).isEqualTo(1_000_000_000L);
        assertThat(config.maxConnections()).isEqualTo(10);
        assertThat(config.maxConnectionsPerIp()).isEqualTo(3);
        assertThat(config.requestReceiveTimeoutNs()).isEqualTo(500_000_000L);
        assertThat(config.maxInFlightRequestsPerConnection()).isEqualTo(5);
    }

    @Test
    void receiveBufferCapacityIsAPowerOfTwoUnlessAnAlignedFitIsSmaller()
    {
        assertThat(new TransportConfig().socketRequestMaxBytes(100).maxReceiveBufferCapacity()).isEqualTo(65_536);
        assertThat(new TransportConfig().socketRequestMaxBytes((1 << 20) - 4).maxReceiveBufferCapacity())
            .isEqualTo(1 << 20);
        assertThat(new TransportConfig().socketRequestMaxBytes(600 * 1024).maxReceiveBufferCapacity())
            .isEqualTo(640 * 1024);
    }

    @Test
    void rejectsABudgetThatCannotHoldTheLargestFrame()
    {
        assertThatThrownBy(() -> new TransportConfig().queuedMaxRequestBytes(64L * 1024 * 1024).validate())
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("queued.max.request.bytes");
        assertThatThrownBy(() -> new TransportConfig().receiveBufferInitialBytes(1000).validate())
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TransportConfig().maxConnectionsPerIp(0).validate())
            .isInstanceOf(IllegalArgumentException.class);
    }
}
