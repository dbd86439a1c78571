package io.loggia.net.broker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BrokerConfigTest
{
    private static BrokerConfig parse(final String... pairs)
    {
        final Map<String, String> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2)
        {
            map.put(pairs[i], pairs[i + 1]);
        }
        return BrokerConfig.parse(map);
    }

    @Test
    void embeddedDefaultsServeLocalhostAsNodeOneFromData()
    {
        final BrokerConfig config = parse();
        assertThat(config.listener()).isEqualTo(new Listener("PLAINTEXT", "127.0.0.1", 9092));
        assertThat(config.advertisedListener()).isEqualTo(config.listener());
        assertThat(config.logDir()).isEqualTo(Path.of("./data"));
        assertThat(config.nodeId()).isEqualTo(1);
        assertThat(config.numPartitions()).isEqualTo(1);
        assertThat(config.autoCreateTopics()).isTrue();
        assertThat(config.threadingMode()).isEqualTo(BrokerConfig.ThreadingMode.SHARED);
        assertThat(config.transportConfig().numNetworkThreads()).isEqualTo(1);
        assertThat(config.transportConfig().host()).isEqualTo("127.0.0.1");
        assertThat(config.warnings()).isEmpty();
        assertThat(parse("loggia.threading.mode", "dedicated").transportConfig().numNetworkThreads()).isEqualTo(3);
    }

    @Test
    void aStockKafkaServerPropertiesStartsWithoutWarnings(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("server.properties");
        Files.writeString(file, String.join("\n",
            "process.roles=broker,controller",
            "node.id=1",
            "controller.quorum.bootstrap.servers=localhost:9093",
            "listeners=PLAINTEXT://:9092,CONTROLLER://:9093",
            "inter.broker.listener.name=PLAINTEXT",
            "advertised.listeners=PLAINTEXT://localhost:9092,CONTROLLER://localhost:9093",
            "controller.listener.names=CONTROLLER",
            "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SSL:SSL",
            "num.network.threads=3",
            "num.io.threads=8",
            "socket.send.buffer.bytes=102400",
            "socket.receive.buffer.bytes=102400",
            "socket.request.max.bytes=104857600",
            "log.dirs=" + dir.resolve("kraft-combined-logs"),
            "num.partitions=1",
            "num.recovery.threads.per.data.dir=1",
            "offsets.topic.replication.factor=1",
            "share.coordinator.state.topic.replication.factor=1",
            "share.coordinator.state.topic.min.isr=1",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "log.retention.hours=168",
            "log.segment.bytes=1073741824",
            "log.retention.check.interval.ms=300000",
            ""));
        final BrokerConfig config = BrokerConfig.parse(BrokerArgs.parse(new String[]{file.toString(),
            "--override", "num.partitions=4", "--override=made.up.key=1"}).settings());
        assertThat(config.warnings())
            .containsExactly("The configuration 'made.up.key' was supplied but isn't a known config.");
        assertThat(config.listener()).isEqualTo(new Listener("PLAINTEXT", "", 9092));
        assertThat(config.transportConfig().host()).isEqualTo("0.0.0.0");
        assertThat(config.advertisedListener()).isEqualTo(new Listener("PLAINTEXT", "localhost", 9092));
        assertThat(config.transportConfig().numNetworkThreads()).isEqualTo(3);
        assertThat(config.transportConfig().socketSendBufferBytes()).isEqualTo(102400);
        assertThat(config.numPartitions()).isEqualTo(4);
        assertThat(config.logDir()).isEqualTo(dir.resolve("kraft-combined-logs"));
        assertThat(config.isExplicit("log.retention.hours")).isTrue();
        assertThat(config.isExplicit("log.cleanup.policy")).isFalse();
    }

    @Test
    void everyBadValueIsOneLineNamingItsKey()
    {
        final String[][] bad = {
            {"num.partitions", "many", "num.partitions"},
            {"num.partitions", "0", "num.partitions"},
            {"node.id", "-3", "node.id"},
            {"auto.create.topics.enable", "maybe", "auto.create.topics.enable"},
            {"default.replication.factor", "3", "default.replication.factor"},
            {"log.segment.bytes", "1", "log.segment.bytes"},
            {"log.retention.ms", "1h", "log.retention.ms"},
            {"num.network.threads", "0", "num.network.threads"},
            {"num.network.threads", "64", "num.network.threads"},
            {"socket.request.max.bytes", "x", "socket.request.max.bytes"},
            {"queued.max.request.bytes", "1000", "queued.max.request.bytes"},
            {"num.writer.threads", "0", "num.writer.threads"},
            {"log.dirs", "/a,/b", "log.dirs"},
            {"group.min.session.timeout.ms", "x", "group.min.session.timeout.ms"},
            {"offsets.topic.num.partitions", "0", "offsets.topic.num.partitions"},
            {"loggia.threading.mode", "turbo", "loggia.threading.mode"},
            {"listeners", "PLAINTEXT://localhost", "listeners"},
            {"listeners", "SSL://localhost:9093", "listeners"},
            {"listeners", "PLAINTEXT://a:1,OTHER://b:2", "listeners"},
            {"listeners", "PLAINTEXT://0.0.0.0:9092", "advertised.listeners"},
            {"log.message.timestamp.type", "Whenever", "log.message.timestamp.type"},
            {"message.max.bytes", "200000000", "message.max.bytes"},
        };
        for (final String[] entry : bad)
        {
            assertThatThrownBy(() -> parse(entry[0], entry[1]))
                .as("%s=%s", entry[0], entry[1])
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(entry[2])
                .satisfies(ex -> assertThat(ex.getMessage()).doesNotContain("\n"));
        }
    }

    @Test
    void listenersParseLikeKafkas()
    {
        assertThat(parse("listeners", "PLAINTEXT://[::1]:0").listener()).isEqualTo(new Listener("PLAINTEXT", "::1", 0));
        assertThat(parse("listeners", "INTERNAL://127.0.0.1:9000",
            "listener.security.protocol.map", "INTERNAL:PLAINTEXT").listener().name()).isEqualTo("INTERNAL");
        assertThat(parse("listeners", "PLAINTEXT://0.0.0.0:9092",
            "advertised.listeners", "PLAINTEXT://broker.example:19092").advertisedListener())
            .isEqualTo(new Listener("PLAINTEXT", "broker.example", 19092));
        assertThat(parse("broker.id", "5").nodeId()).isEqualTo(5);
        assertThatThrownBy(() -> parse("node.id", "5", "broker.id", "6")).hasMessageContaining("broker.id");
    }

    @Test
    void argumentsAreKafkasShape()
    {
        final BrokerArgs args = BrokerArgs.parse(new String[]{"--override", "a=b", "x.properties", "--override=c=d=e"});
        assertThat(args.file()).isEqualTo(Path.of("x.properties"));
        assertThat(args.overrides()).containsEntry("a", "b").containsEntry("c", "d=e");
        assertThatThrownBy(() -> BrokerArgs.parse(new String[]{"--override"})).hasMessageContaining("key=value");
        assertThatThrownBy(() -> BrokerArgs.parse(new String[]{"--override", "novalue"}))
            .hasMessageContaining("novalue");
        assertThatThrownBy(() -> BrokerArgs.parse(new String[]{"a", "b"})).hasMessageContaining("one properties file");
        assertThatThrownBy(() -> BrokerArgs.parse(new String[]{"--frobnicate"})).hasMessageContaining("--frobnicate");
        assertThat(BrokerArgs.parse(new String[]{"--help"}).help()).isTrue();
    }
}
