package io.loggia.net.broker;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A real broker in this JVM for tests: listens on an ephemeral loopback port, keeps its data in the given
 * directory, and can be restarted on the same directory. Test-friendly defaults (no native housekeeper calls,
 * small preparation windows, three {@code __consumer_offsets} partitions, no initial rebalance delay) can be
 * overridden.
 * <pre>
 *   try (BrokerFixture broker = BrokerFixture.start(dir, Map.of("num.partitions", "3")))
 *   {
 *       Admin admin = broker.admin();                 // closed with the fixture
 *       Properties clients = broker.clientProperties(); // bootstrap.servers
 *       broker.restart();                              // clean shutdown, then a start on the same data
 *   }
 * </pre>
 * Exported in net's test-jar for the tools and perf tests.
 */
public final class BrokerFixture implements AutoCloseable
{
    /** Defaults for tests; anything given to {@link #start(Path, Map)} wins. */
    public static final Map<String, String> TEST_DEFAULTS = Map.of(
        "listeners", "PLAINTEXT://127.0.0.1:0",
        "loggia.housekeeper.native", "false",
        "loggia.segment.prepare.bytes", Integer.toString(1024 * 1024),
        "loggia.writer.ring.bytes", Integer.toString(16 * 1024 * 1024),
        "offsets.topic.num.partitions", "3",
        "group.initial.rebalance.delay.ms", "0",
        "queued.max.request.bytes", "-1");

    private final Path dataDir;
    private final Map<String, String> settings;
    private Broker broker;
    private Admin admin;

    private BrokerFixture(final Path dataDir, final Map<String, String> overrides)
    {
        this.dataDir = dataDir;
        final Map<String, String> settings = new LinkedHashMap<>(TEST_DEFAULTS);
        settings.put("log.dirs", dataDir.toString());
        settings.putAll(overrides);
        this.settings = settings;
    }

    public static BrokerFixture start(final Path dataDir) throws IOException
    {
        return start(dataDir, Map.of());
    }

    /** Start a broker with the test defaults and these settings on top. */
    public static BrokerFixture start(final Path dataDir, final Map<String, String> overrides) throws IOException
    {
        final BrokerFixture fixture = new BrokerFixture(dataDir, overrides);
        fixture.broker = Broker.start(BrokerConfig.parse(fixture.settings));
        return fixture;
    }

    public Broker broker()
    {
        return broker;
    }

    public Path dataDir()
    {
        return dataDir;
    }

    /** The settings the broker was started with. */
    public Map<String, String> settings()
    {
        return settings;
    }

    public String bootstrapServers()
    {
        return broker.bootstrapServers();
    }

    /** {@code bootstrap.servers} and nothing else, for any kafka-clients client. */
    public Properties clientProperties()
    {
        final Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return properties;
    }

    /** An admin client for this broker, made once, closed with the fixture or at {@link #restart()}. */
    public Admin admin()
    {
        if (null == admin)
        {
            final Properties properties = clientProperties();
            properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "20000");
            properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
            admin = Admin.create(properties);
        }
        return admin;
    }

    /** Clean shutdown, then a new broker on the same data dir and settings (a new ephemeral port). */
    public BrokerFixture restart() throws IOException
    {
        closeAdmin();
        broker.close();
        broker = Broker.start(BrokerConfig.parse(settings));
        return this;
    }

    public void close()
    {
        closeAdmin();
        if (null != broker)
        {
            broker.close();
        }
    }

    private void closeAdmin()
    {
        if (null != admin)
        {
            admin.close(java.time.Duration.ofSeconds(5));
            admin = null;
        }
    }
}
