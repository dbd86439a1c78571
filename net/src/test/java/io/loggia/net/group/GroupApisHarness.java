package io.loggia.net.group;

import io.loggia.engine.agent.WakeSignal;
import io.loggia.engine.group.GroupConfig;
import io.loggia.engine.group.GroupCoordinator;
import io.loggia.engine.group.GroupCoordinatorProxy;
import io.loggia.engine.group.OffsetsLogFixture;
import org.agrona.concurrent.CachedEpochClock;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Message;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.protocol.Readable;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link GroupApis} with a real {@link GroupCoordinator} on real {@code __consumer_offsets} logs, the test thread
 * playing network thread, coordinator and writer. Requests are written with kafka-clients' request classes at a
 * version, and every response is written at that version with kafka-clients and parsed back, as a client
 * would see it.
 */
final class GroupApisHarness implements AutoCloseable
{
    static final CoordinatorNode NODE = new CoordinatorNode(7, "broker.example", 9092);
    static final long T0 = 1_700_000_000_000L;

    final CachedEpochClock clock = new CachedEpochClock();
    final List<Throwable> errors = new CopyOnWriteArrayList<>();
    final OffsetsLogFixture log;
    final Topics topics = new Topics();
    final GroupCoordinator coordinator;
    final GroupCoordinatorProxy proxy;
    final GroupApis apis;

    /** A {@link TopicLookup} over a map. */
    static final class Topics implements TopicLookup
    {
        private final Map<String, Integer> partitions = new HashMap<>();
        private final Map<String, Uuid> ids = new HashMap<>();

        Topics add(final String topic, final int partitionCount, final Uuid id)
        {
            partitions.put(topic, partitionCount);
            ids.put(topic, id);
            return this;
        }

        public int partitionCount(final String topic)
        {
            return partitions.getOrDefault(topic, UNKNOWN_TOPIC);
        }

        public String topicName(final Uuid topicId)
        {
            for (final Map.Entry<String, Uuid> entry : ids.entrySet())
            {
                if (entry.getValue().equals(topicId))
                {
                    return entry.getKey();
                }
            }
            return null;
        }

        public Uuid topicId(final String topic)
        {
            return ids.getOrDefault(topic, Uuid.ZERO_UUID);
        }
    }

    GroupApisHarness(final Path dir, final boolean offsetsTopicExists, final int commandQueueCapacity)
    {
        clock.update(T0);
        log = new OffsetsLogFixture(dir);
        if (offsetsTopicExists)
        {
            log.open(3);
        }
        final GroupConfig config = GroupConfig.parse(Map.of(
            GroupConfig.OFFSETS_TOPIC_NUM_PARTITIONS, "3",
            GroupConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, "0")).config();
        coordinator = new GroupCoordinator(config, clock, log, log, WakeSignal.NONE, commandQueueCapacity, errors::add);
        proxy = coordinator.newProxy(WakeSignal.NONE);
        apis = new GroupApis(proxy, NODE, topics);
        coordinator.onStart();
        runUntil(() -> !offsetsTopicExists || coordinator.isActive());
    }

    GroupApisHarness(final Path dir)
    {
        this(dir, true, 1024);
    }

    void cycle()
    {
        coordinator.doWork();
        log.drain(clock.time());
        coordinator.doWork();
        apis.doWork();
    }

    void runUntil(final java.util.function.BooleanSupplier condition)
    {
        for (int i = 0; i < 1000 && !condition.getAsBoolean(); i++)
        {
            cycle();
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }

    static ByteBuffer write(final Message message, final short version)
    {
        final ObjectSerializationCache cache = new ObjectSerializationCache();
        final ByteBuffer buffer = ByteBuffer.allocate(message.size(cache, version));
        message.write(new ByteBufferAccessor(buffer), cache, version);
        return buffer.flip();
    }

    private final RequestContext context = new RequestContext()
    {
        public String clientId()
        {
            return "test-client";
        }

        public String clientHost()
        {
            return "/127.0.0.1";
        }
    };

    /** The answer to one request, once its sink was called. */
    static final class Reply
    {
        Message body;
        int sends;
    }

    /** Hands the request to {@link GroupApis#handle}; the reply fills in when the response is sent. */
    Reply send(final int apiKey, final ApiMessage request, final short version)
    {
        final Reply reply = new Reply();
        final boolean handled = apis.handle(apiKey, version, write(request, version), context, (body, v) ->
        {
            assertThat(v).isEqualTo(version);
            reply.body = body;
            reply.sends++;
        });
        assertThat(handled).isTrue();
        return reply;
    }

    /**
     * One request answered: written at {@code version}, handled, the coordinator run until it answered, the
     * response written at {@code version} by kafka-clients and parsed back with {@code parser}.
     */
    <R> R call(final int apiKey, final ApiMessage request, final short version,
        final BiFunction<Readable, Short, R> parser)
    {
        return response(send(apiKey, request, version), version, parser);
    }

    /** The reply once there (sent exactly once), written and parsed back. */
    <R> R response(final Reply reply, final short version, final BiFunction<Readable, Short, R> parser)
    {
        runUntil(() -> null != reply.body);
        assertThat(reply.sends).isEqualTo(1);
        return parser.apply(new ByteBufferAccessor(write(reply.body, version)), version);
    }

    public void close()
    {
        coordinator.onClose();
        log.close();
        assertThat(errors).isEmpty();
        assertThat(log.errors).isEmpty();
    }
}
