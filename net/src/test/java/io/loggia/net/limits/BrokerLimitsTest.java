package io.loggia.net.limits;

import io.loggia.codec.wire.ApiKeys;
import io.loggia.net.broker.BrokerProcess;
import io.loggia.net.broker.WireClient;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static io.loggia.net.limits.ProcessMemory.MIB;
import static io.loggia.net.limits.ProcessMemory.mib;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each resource limit of the transport, shown to hold on a real broker process with real kafka-clients clients
 * beside the raw sockets that push against it. Memory is the broker process's RssAnon from /proc: heap, direct
 * buffers and stacks, not the mapped log. Each test prints one line with what it measured, for
 * docs/reliability.md. Deadlines are generous (the suite runs on two loaded cores); nothing asserts a duration
 * beyond them, except that a timeout does not fire early.
 */
class BrokerLimitsTest
{
    private static final int ANSWER_MS = 10_000;
    private static final long DEADLINE_MS = 30_000;

    @TempDir
    Path dir;

    @Test
    void maxConnectionsRefusesTheNextSocketWhileAConnectedProducerKeepsProducing() throws Exception
    {
        final int limit = 8;
        try (BrokerProcess broker = BrokerProcess.start(dir, Map.of("max.connections", Integer.toString(limit)));
            KafkaProducer<byte[], byte[]> producer = producer(broker))
        {
            produce(producer, "max-connections", 1_000, 100);
            final int producerConnections = (int)metric(producer.metrics(), "producer-metrics", "connection-count");
            final InetSocketAddress address = address(broker);
            final List<RawConnection> raw = new ArrayList<>();
            try
            {
                fillUntilRefused(address, null, raw, limit);
                assertThat(raw.size() + producerConnections).as("raw sockets + producer connections")
                    .isEqualTo(limit);
                assertRefused(address, null);

                final long acked = produce(producer, "max-connections", 5_000, 100);

                raw.remove(0).close();
                raw.remove(0).close();
                final long reopenStartNs = System.nanoTime();
                acceptAgain(address, null, raw, 2);
                final long reopenMs = elapsedMs(reopenStartNs);
                assertRefused(address, null);
                assertThat(raw.size() + producerConnections).isEqualTo(limit);

                report("max.connections=%d: %d raw sockets + %d producer connections accepted, socket %d closed by " +
                    "the broker; producer acked %,d more records meanwhile; after closing 2 raw sockets 2 new ones " +
                    "accepted within %d ms, the next refused again",
                    limit, limit - producerConnections, producerConnections, limit + 1, acked, reopenMs);
            }
            finally
            {
                closeAll(raw);
            }
        }
    }

    @Test
    void maxConnectionsPerIpRefusesOneAddressWhileAnotherIsAccepted() throws Exception
    {
        final int limit = 5;
        final InetAddress first = InetAddress.getByName("127.0.0.1");
        final InetAddress second = InetAddress.getByName("127.0.0.2");
        try (BrokerProcess broker = BrokerProcess.start(dir,
            Map.of("max.connections.per.ip", Integer.toString(limit)));
            KafkaProducer<byte[], byte[]> producer = producer(broker))
        {
            produce(producer, "per-ip", 1_000, 100);
            final int producerConnections = (int)metric(producer.metrics(), "producer-metrics", "connection-count");
            final InetSocketAddress address = address(broker);
            final List<RawConnection> fromFirst = new ArrayList<>();
            final List<RawConnection> fromSecond = new ArrayList<>();
            try
            {
                fillUntilRefused(address, first, fromFirst, limit);
                assertThat(fromFirst.size() + producerConnections).as("127.0.0.1: raw sockets + producer")
                    .isEqualTo(limit);

                fillUntilRefused(address, second, fromSecond, limit);
                assertThat(fromSecond).as("127.0.0.2 has a quota of its own").hasSize(limit);
                assertRefused(address, first);

                final long acked = produce(producer, "per-ip", 5_000, 100);

                fromFirst.remove(0).close();
                acceptAgain(address, first, fromFirst, 1);
                assertRefused(address, first);
                assertRefused(address, second);

                report("max.connections.per.ip=%d: 127.0.0.1 held %d raw + %d producer connections and had the " +
                    "next refused, 127.0.0.2 still got %d accepted (then refused); producer acked %,d more " +
                    "records meanwhile; a closed 127.0.0.1 socket made room for one new one",
                    limit, limit - producerConnections, producerConnections, limit, acked);
            }
            finally
            {
                closeAll(fromFirst);
                closeAll(fromSecond);
            }
        }
    }

    @Test
    void oversizeFrameHeaderClosesOnlyItsConnection() throws Exception
    {
        final int limit = 1024 * 1024;
        try (BrokerProcess broker = BrokerProcess.start(dir,
            Map.of("socket.request.max.bytes", Integer.toString(limit), "message.max.bytes", "1000000"));
            KafkaProducer<byte[], byte[]> producer = producer(broker);
            KafkaConsumer<byte[], byte[]> consumer = consumer(broker))
        {
            final TopicPartition partition = new TopicPartition("oversize", 0);
            produce(producer, partition.topic(), 1_000, 100);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            consume(consumer, 1_000);
            final double connectionsMade = metric(consumer.metrics(), "consumer-metrics", "connection-creation-total");

            final int[] announced = { limit + 1, 64 * limit, Integer.MAX_VALUE, -1 };
            long slowestCloseMs = 0;
            for (final int size : announced)
            {
                try (RawConnection raw = RawConnection.open(address(broker)))
                {
                    final long startNs = System.nanoTime();
                    raw.write(ByteBuffer.allocate(16).putInt(size).putShort((short)ApiKeys.PRODUCE).array());
                    assertThat(raw.awaitClosedByBroker(DEADLINE_MS)).as("closed after announcing %d", size).isTrue();
                    slowestCloseMs = Math.max(slowestCloseMs, elapsedMs(startNs));
                }
            }

            produce(producer, partition.topic(), 1_000, 100);
            consume(consumer, 1_000);
            assertThat(metric(consumer.metrics(), "consumer-metrics", "connection-creation-total"))
                .as("the consumer kept its connections").isEqualTo(connectionsMade);

            report("socket.request.max.bytes=%s: %d frame headers announcing %s+1 B, 64 MiB, 2 GiB and -1 each closed " +
                "within %d ms; a consumer read 2,000 records around them on its unchanged connection",
                mib(limit), announced.length, mib(limit), slowestCloseMs);
        }
    }

    @Test
    void queuedMaxRequestBytesBoundsWhatPartialFramesHold() throws Exception
    {
        final long budget = 16 * MIB;
        final int connections = 200;
        final int announced = (int)(3 * MIB);
        final int sent = (int)(2 * MIB);
        try (BrokerProcess broker = BrokerProcess.start(dir, Map.of(
            "queued.max.request.bytes", Long.toString(budget),
            "socket.request.max.bytes", Long.toString(4 * MIB)));
            KafkaProducer<byte[], byte[]> producer = producer(broker))
        {
            produce(producer, "budget", 1_000, 100);
            final long baseline = ProcessMemory.rssAnon(broker.pid());

            final byte[] partial = new byte[sent];
            ByteBuffer.wrap(partial).putInt(announced).putShort((short)ApiKeys.PRODUCE).putShort((short)9);
            final List<SocketChannel> channels = new ArrayList<>();
            long peak = baseline;
            long written = 0;
            final long meanwhileMs;
            try
            {
                for (int i = 0; i < connections; i++)
                {
                    final SocketChannel channel = SocketChannel.open(address(broker));
                    channels.add(channel);
                    channel.configureBlocking(false);
                }
                final long[] offsets = new long[connections];
                final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                long lastProgressNs = System.nanoTime();
                while (written < (long)connections * sent && System.nanoTime() - deadlineNs < 0 &&
                    System.nanoTime() - lastProgressNs < TimeUnit.SECONDS.toNanos(2))
                {
                    for (int i = 0; i < connections; i++)
                    {
                        if (offsets[i] < sent)
                        {
                            final int n = channels.get(i).write(
                                ByteBuffer.wrap(partial, (int)offsets[i], sent - (int)offsets[i]));
                            if (n > 0)
                            {
                                offsets[i] += n;
                                written += n;
                                lastProgressNs = System.nanoTime();
                            }
                        }
                    }
                    peak = Math.max(peak, ProcessMemory.rssAnon(broker.pid()));
                    LockSupport.parkNanos(1_000_000);
                }
                // the broker reads what it can while we watch its memory for a moment
                final long watchUntilNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_500);
                while (System.nanoTime() - watchUntilNs < 0)
                {
                    peak = Math.max(peak, ProcessMemory.rssAnon(broker.pid()));
                    LockSupport.parkNanos(20_000_000);
                }
                // Measured, not asserted: the budget pauses a connection that cannot get a buffer (never fails
                // it), and a new connection's first buffer waits in line with the partial frames' larger ones.
                meanwhileMs = answerMs(address(broker), 2_000);
            }
            finally
            {
                for (final SocketChannel channel : channels)
                {
                    channel.close();
                }
            }
            final long growth = peak - baseline;
            assertThat(written).as("bytes of partial frames the kernel took").isGreaterThan(4 * budget);
            assertThat(growth).as("RssAnon growth with %s of partial frames in flight", mib(written))
                .isLessThan(budget + 48 * MIB);

            final long startNs = System.nanoTime();
            final long acked = produce(producer, "budget", 5_000, 100);
            final long servedMs = elapsedMs(startNs);
            final long after = ProcessMemory.rssAnon(broker.pid());

            report("queued.max.request.bytes=%s: %d connections sent %s of partial %s frames (%s of buffers " +
                    "asked for); broker RssAnon %s -> peak %s (+%s); a new connection's ApiVersions meanwhile: %s; " +
                    "once they closed, the producer acked %,d records in %d ms; RssAnon %s",
                mib(budget), connections, mib(written), mib(announced), mib((long)connections * 4 * MIB),
                mib(baseline), mib(peak), mib(growth),
                meanwhileMs < 0 ? "not answered within 2 s" : "answered in " + meanwhileMs + " ms",
                acked, servedMs, mib(after));
        }
    }

    @Test
    void idleConnectionIsClosedWhileAnActiveConsumerIsNot() throws Exception
    {
        // 1 s rather than less: a consumer on two loaded cores may see a pause of a few hundred ms between fetches
        final long idleMs = 1_000;
        try (BrokerProcess broker = BrokerProcess.start(dir,
            Map.of("connections.max.idle.ms", Long.toString(idleMs)));
            KafkaProducer<byte[], byte[]> producer = producer(broker);
            KafkaConsumer<byte[], byte[]> consumer = consumer(broker))
        {
            final TopicPartition partition = new TopicPartition("idle", 0);
            produce(producer, partition.topic(), 100, 100);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            consume(consumer, 100);
            final double connectionsMade = metric(consumer.metrics(), "consumer-metrics", "connection-creation-total");

            // the consumer polls all along: a consumer that stops polling stops fetching, and is idle
            final AtomicLong produced = new AtomicLong();
            final long activeMs = 4 * idleMs;
            final CompletableFuture<Void> producing = CompletableFuture.runAsync(() ->
            {
                final long untilNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(activeMs);
                while (System.nanoTime() - untilNs < 0)
                {
                    produced.addAndGet(produce(producer, partition.topic(), 10, 100));
                }
            });
            final CompletableFuture<Long> idleProbe = CompletableFuture.supplyAsync(() ->
            {
                try (RawConnection idle = RawConnection.open(address(broker)))
                {
                    final long startNs = System.nanoTime();
                    assertThat(idle.answersApiVersions(ANSWER_MS)).isTrue();
                    assertThat(idle.awaitClosedByBroker(DEADLINE_MS)).as("idle connection closed").isTrue();
                    return elapsedMs(startNs);
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
            });
            long consumed = 100;
            final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
            while (!producing.isDone() || !idleProbe.isDone() || consumed < 100 + produced.get())
            {
                assertThat(System.nanoTime() - deadlineNs).as("consumer caught up").isNegative();
                consumed += consumer.poll(Duration.ofMillis(50)).count();
            }
            producing.join();
            final long closedAfterMs = idleProbe.join();
            assertThat(closedAfterMs).as("not closed before the limit").isGreaterThanOrEqualTo(idleMs - 50);
            assertThat(consumed).isEqualTo(100 + produced.get());
            assertThat(metric(consumer.metrics(), "consumer-metrics", "connection-creation-total"))
                .as("the active consumer was never disconnected").isEqualTo(connectionsMade);

            report("connections.max.idle.ms=%d: an idle raw connection was closed %d ms after its last request; a " +
                "consumer kept its connection through %d ms (%d idle periods) of steady traffic and read %,d records",
                idleMs, closedAfterMs, activeMs, activeMs / idleMs, consumed);
        }
    }

    @Test
    void frameTrickledSlowerThanTheReceiveTimeoutIsClosedAndItsMemoryReleased() throws Exception
    {
        final long timeoutMs = 500;
        final int connections = 16;
        final int announced = (int)(4 * MIB) - 4;
        try (BrokerProcess broker = BrokerProcess.start(dir,
            Map.of("loggia.request.receive.timeout.ms", Long.toString(timeoutMs)));
            KafkaProducer<byte[], byte[]> producer = producer(broker);
            Selector selector = Selector.open())
        {
            produce(producer, "trickle", 1_000, 100);
            final long baseline = ProcessMemory.rssAnon(broker.pid());

            final List<SocketChannel> channels = new ArrayList<>();
            final long[] closedAfterMs = new long[connections];
            int open = 0;
            long peak = baseline;
            long bytesTrickled = 0;
            try
            {
                final long startNs = System.nanoTime();
                for (int i = 0; i < connections; i++)
                {
                    final SocketChannel channel = SocketChannel.open(address(broker));
                    channels.add(channel);
                    channel.write(ByteBuffer.allocate(4).putInt(0, announced));
                    channel.configureBlocking(false);
                    channel.register(selector, SelectionKey.OP_READ, i);
                    open++;
                }
                // one byte per connection every 100 ms: the frame moves, but never by the progress step
                final long tickNs = TimeUnit.MILLISECONDS.toNanos(100);
                final ByteBuffer sink = ByteBuffer.allocate(1024);
                final ByteBuffer oneByte = ByteBuffer.allocate(1);
                final long deadlineNs = startNs + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
                long nextTickNs = startNs + tickNs;
                while (open > 0)
                {
                    assertThat(System.nanoTime() - deadlineNs).as("%d trickling connections still open", open)
                        .isNegative();
                    selector.select(Math.max(1, (nextTickNs - System.nanoTime()) / 1_000_000));
                    for (final SelectionKey key : selector.selectedKeys())
                    {
                        final SocketChannel channel = (SocketChannel)key.channel();
                        int read;
                        try
                        {
                            sink.clear();
                            read = channel.read(sink);
                        }
                        catch (final IOException ex)
                        {
                            read = -1;
                        }
                        if (read < 0)
                        {
                            closedAfterMs[(Integer)key.attachment()] = elapsedMs(startNs);
                            key.cancel();
                            channel.close();
                            open--;
                        }
                    }
                    selector.selectedKeys().clear();
                    if (System.nanoTime() - nextTickNs >= 0)
                    {
                        nextTickNs += tickNs;
                        for (final SocketChannel channel : channels)
                        {
                            if (channel.isOpen())
                            {
                                try
                                {
                                    bytesTrickled += channel.write(oneByte.clear());
                                }
                                catch (final IOException ex)
                                {
                                    // reset by the broker: the read side reports the close
                                }
                            }
                        }
                        peak = Math.max(peak, ProcessMemory.rssAnon(broker.pid()));
                    }
                }
            }
            finally
            {
                for (final SocketChannel channel : channels)
                {
                    channel.close();
                }
            }
            long firstClose = Long.MAX_VALUE;
            long lastClose = 0;
            for (final long closedMs : closedAfterMs)
            {
                firstClose = Math.min(firstClose, closedMs);
                lastClose = Math.max(lastClose, closedMs);
            }
            assertThat(firstClose).as("not closed before the timeout").isGreaterThanOrEqualTo(timeoutMs - 50);

            final long bound = baseline + 16 * MIB;
            final long releasedStartNs = System.nanoTime();
            long after = ProcessMemory.rssAnon(broker.pid());
            while (after > bound)
            {
                assertThat(elapsedMs(releasedStartNs)).as("RssAnon %s back under %s", mib(after), mib(bound))
                    .isLessThan(DEADLINE_MS);
                LockSupport.parkNanos(20_000_000);
                after = ProcessMemory.rssAnon(broker.pid());
            }
            final long acked = produce(producer, "trickle", 1_000, 100);

            report("loggia.request.receive.timeout.ms=%d: %d connections trickling 1 B per 100 ms into %s frames " +
                    "(%d B in all) closed %d..%d ms after their first byte; broker RssAnon %s -> peak %s -> %s " +
                    "after; producer acked %,d records after",
                timeoutMs, connections, mib(announced + 4), bytesTrickled, firstClose, lastClose, mib(baseline),
                mib(peak), mib(after), acked);
        }
    }

    @Test
    void stuckConsumersDoNotHoldBackProducersOrOtherConsumers() throws Exception
    {
        final int backlogRecords = 8 * 1024;
        final int liveRecords = 50_000;
        try (BrokerProcess broker = BrokerProcess.start(dir, Map.of());
            KafkaProducer<byte[], byte[]> producer = producer(broker);
            KafkaConsumer<byte[], byte[]> consumer = consumer(broker))
        {
            produce(producer, "backlog", backlogRecords, 1024);
            final TopicPartition live = new TopicPartition("live", 0);
            produce(producer, live.topic(), 1, 100);
            consumer.assign(List.of(live));
            consumer.seekToEnd(List.of(live));
            final long startOffset = consumer.position(live);

            final InetSocketAddress address = address(broker);
            final List<RawConnection> stuck = new ArrayList<>();
            try
            {
                for (int i = 0; i < 2; i++)
                {
                    final RawConnection connection = RawConnection.open(address, null, 8 * 1024);
                    stuck.add(connection);
                    for (int request = 1; request <= 4; request++)
                    {
                        connection.write(fetchFrame("backlog", request));
                    }
                }
                final int brokerPort = address.getPort();
                final long[] queued = new long[stuck.size()];
                for (int i = 0; i < stuck.size(); i++)
                {
                    final int clientPort = stuck.get(i).localPort();
                    final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
                    while ((queued[i] = ProcessMemory.queuedBytes(brokerPort, clientPort, true)) <= 0)
                    {
                        assertThat(System.nanoTime() - deadlineNs).as("stuck consumer %d's socket fills", i)
                            .isNegative();
                        LockSupport.parkNanos(10_000_000);
                    }
                }

                final long startNs = System.nanoTime();
                final AtomicLong acked = new AtomicLong();
                final CompletableFuture<Void> producing = CompletableFuture.runAsync(() ->
                    acked.set(produce(producer, live.topic(), liveRecords, 100)));
                final long consumed = consume(consumer, liveRecords);
                producing.get(DEADLINE_MS, TimeUnit.MILLISECONDS);
                final long elapsedMs = elapsedMs(startNs);
                assertThat(acked.get()).isEqualTo(liveRecords);
                assertThat(consumed).isEqualTo(liveRecords);
                assertThat(consumer.position(live)).isEqualTo(startOffset + liveRecords);
                for (int i = 0; i < stuck.size(); i++)
                {
                    assertThat(ProcessMemory.queuedBytes(brokerPort, stuck.get(i).localPort(), true))
                        .as("stuck consumer %d still stuck", i).isPositive();
                }
                final long rss = ProcessMemory.rssAnon(broker.pid());

                report("stuck consumers: 2 raw consumers each fetched 4 x %s of backlog and stopped reading (%s " +
                        "and %s queued on their sockets); meanwhile a producer acked %,d records (acks=1) and " +
                        "another consumer read %,d in %.1f s; broker RssAnon %s",
                    mib((long)backlogRecords * 1024), kib(queued[0]), kib(queued[1]), acked.get(), consumed,
                    elapsedMs / 1000.0, mib(rss));
            }
            finally
            {
                closeAll(stuck);
            }
        }
    }

    private static byte[] fetchFrame(final String topic, final int correlationId)
    {
        final FetchRequestData fetch = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(1)
            .setMaxBytes(64 << 20).setSessionId(0).setSessionEpoch(-1);
        fetch.topics().add(new FetchRequestData.FetchTopic().setTopic(topic).setPartitions(List.of(
            new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(0).setPartitionMaxBytes(64 << 20))));
        return WireClient.frame(ApiKeys.FETCH, 12, correlationId, fetch);
    }

    /** Milliseconds a new connection waits for its ApiVersions answer, or -1 if none came within the timeout. */
    private static long answerMs(final InetSocketAddress address, final int timeoutMs) throws IOException
    {
        try (RawConnection connection = RawConnection.open(address))
        {
            final long startNs = System.nanoTime();
            assertThat(connection.answersApiVersions(timeoutMs)).as("not refused").isTrue();
            return elapsedMs(startNs);
        }
        catch (final SocketTimeoutException ex)
        {
            return -1;
        }
    }

    /** Opens connections that ApiVersions answers until one is refused; more than {@code limit} fails. */
    private static void fillUntilRefused(
        final InetSocketAddress address, final InetAddress local, final List<RawConnection> accepted, final int limit)
        throws IOException
    {
        while (true)
        {
            final RawConnection connection = RawConnection.open(address, local);
            if (!connection.answersApiVersions(ANSWER_MS))
            {
                connection.close();
                return;
            }
            accepted.add(connection);
            assertThat(accepted.size()).as("accepted connections from %s", local).isLessThanOrEqualTo(limit);
        }
    }

    private static void assertRefused(final InetSocketAddress address, final InetAddress local) throws IOException
    {
        try (RawConnection connection = RawConnection.open(address, local))
        {
            assertThat(connection.answersApiVersions(ANSWER_MS)).as("a connection from %s is refused", local).isFalse();
        }
    }

    /** The broker releases a closed connection's quota when it reads the close: retry until it has. */
    private static void acceptAgain(
        final InetSocketAddress address, final InetAddress local, final List<RawConnection> accepted, final int count)
        throws IOException
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
        int reopened = 0;
        while (reopened < count)
        {
            assertThat(System.nanoTime() - deadlineNs).as("room for %d new connections", count).isNegative();
            final RawConnection connection = RawConnection.open(address, local);
            if (connection.answersApiVersions(ANSWER_MS))
            {
                accepted.add(connection);
                reopened++;
            }
            else
            {
                connection.close();
                LockSupport.parkNanos(5_000_000);
            }
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(final BrokerProcess broker)
    {
        final Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        properties.put(ProducerConfig.ACKS_CONFIG, "1");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "20000");
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(properties);
    }

    private static KafkaConsumer<byte[], byte[]> consumer(final BrokerProcess broker)
    {
        final Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        properties.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "20000");
        properties.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return new KafkaConsumer<>(properties);
    }

    /** Sends {@code count} records and waits for them all; fails on the first error. Returns the number acked. */
    private static long produce(
        final KafkaProducer<byte[], byte[]> producer, final String topic, final int count, final int valueBytes)
    {
        final AtomicLong acked = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final Exception[] firstError = new Exception[1];
        final Callback callback = (metadata, ex) ->
        {
            if (null == ex)
            {
                acked.incrementAndGet();
            }
            else
            {
                synchronized (firstError)
                {
                    if (null == firstError[0])
                    {
                        firstError[0] = ex;
                    }
                }
                failed.incrementAndGet();
            }
        };
        final byte[] value = new byte[valueBytes];
        for (int i = 0; i < count; i++)
        {
            producer.send(new ProducerRecord<>(topic, 0, null, value), callback);
        }
        producer.flush();
        synchronized (firstError)
        {
            assertThat(firstError[0]).as("produce errors (%d failed)", failed.get()).isNull();
        }
        assertThat(acked.get()).isEqualTo(count);
        return acked.get();
    }

    /** Polls until {@code count} records came, within the deadline. */
    private static long consume(final KafkaConsumer<byte[], byte[]> consumer, final long count)
    {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS);
        long consumed = 0;
        while (consumed < count)
        {
            assertThat(System.nanoTime() - deadlineNs).as("consumed %d of %d", consumed, count).isNegative();
            final ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
            consumed += records.count();
        }
        return consumed;
    }

    private static double metric(
        final Map<MetricName, ? extends Metric> metrics, final String group, final String name)
    {
        for (final Map.Entry<MetricName, ? extends Metric> entry : metrics.entrySet())
        {
            if (entry.getKey().group().equals(group) && entry.getKey().name().equals(name))
            {
                return ((Number)entry.getValue().metricValue()).doubleValue();
            }
        }
        throw new IllegalStateException("no metric " + group + '/' + name);
    }

    private static InetSocketAddress address(final BrokerProcess broker)
    {
        final String bootstrap = broker.bootstrapServers();
        final int colon = bootstrap.lastIndexOf(':');
        return new InetSocketAddress(bootstrap.substring(0, colon), Integer.parseInt(bootstrap.substring(colon + 1)));
    }

    private static void closeAll(final List<RawConnection> connections) throws IOException
    {
        for (final RawConnection connection : connections)
        {
            connection.close();
        }
    }

    private static long elapsedMs(final long startNs)
    {
        return (System.nanoTime() - startNs) / 1_000_000;
    }

    private static String kib(final long bytes)
    {
        return (bytes + 512) / 1024 + " KiB";
    }

    private static void report(final String format, final Object... args)
    {
        System.out.println(String.format(Locale.ROOT, format, args));
    }
}
