package io.loggia.engine.topic;

import io.loggia.engine.log.LogConfig;
import io.loggia.engine.partition.Partition;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopicRegistryTest
{
    private static Topic topic(final String name)
    {
        return new Topic(name, TopicIds.random(), new Partition[0], Map.of(), LogConfig.DEFAULTS);
    }

    private static UnsafeBuffer inBuffer(final String name, final int at)
    {
        final byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(at + bytes.length + 8));
        buffer.putBytes(at, bytes);
        return buffer;
    }

    @Test
    void findsTopicsByNameBytesNameAndIdAgainstAModel()
    {
        final TopicRegistry registry = new TopicRegistry();
        final Map<String, Topic> model = new HashMap<>();
        final Random random = new Random(42);
        final List<String> names = new ArrayList<>();
        for (int i = 0; i < 300; i++)
        {
            names.add("topic-" + i + (i % 3 == 0 ? ".x" : "_y"));
        }
        for (int step = 0; step < 2000; step++)
        {
            final String name = names.get(random.nextInt(names.size()));
            if (random.nextInt(3) == 0)
            {
                final Topic removed = registry.remove(name);
                assertThat(removed).isSameAs(model.remove(name));
            }
            else if (!model.containsKey(name))
            {
                final Topic topic = topic(name);
                registry.put(topic);
                model.put(name, topic);
            }
            final String probe = names.get(random.nextInt(names.size()));
            final Topic expected = model.get(probe);
            assertThat(registry.topic(probe)).isSameAs(expected);
            final UnsafeBuffer buffer = inBuffer(probe, 5);
            assertThat(registry.topic(buffer, 5, probe.length())).isSameAs(expected);
            if (null != expected)
            {
                assertThat(registry.topic(expected.id())).isSameAs(expected);
                assertThat(registry.topic(expected.idMsb(), expected.idLsb())).isSameAs(expected);
                assertThat(registry.partitionCount(probe)).isZero();
            }
            else
            {
                assertThat(registry.partitionCount(buffer, 5, probe.length())).isEqualTo(TopicRegistry.UNKNOWN_TOPIC);
            }
        }
        assertThat(registry.size()).isEqualTo(model.size());
        assertThat(registry.topics()).extracting(Topic::name).isSorted().hasSize(model.size());
    }

    @Test
    void namesThatCannotBeTopicsAreNotFound()
    {
        final TopicRegistry registry = new TopicRegistry();
        registry.put(topic("a"));
        assertThat(registry.topic("é")).isNull();
        assertThat(registry.topic("")).isNull();
        assertThat(registry.topic(UUID.randomUUID())).isNull();
        final UnsafeBuffer buffer = inBuffer("ab", 0);
        assertThat(registry.topic(buffer, 0, 2)).isNull();
        assertThat(registry.topic(buffer, 0, 1)).isNotNull();
    }

    @Test
    void replacingATopicKeepsItsIdAndClashesAreRefused()
    {
        final TopicRegistry registry = new TopicRegistry();
        final Topic topic = topic("t");
        registry.put(topic);
        final int version = registry.version();
        final Topic changed = topic.withConfig(Map.of("retention.ms", "1"), LogConfig.DEFAULTS);
        registry.put(changed);
        assertThat(registry.version()).isGreaterThan(version);
        assertThat(registry.topic("t")).isSameAs(changed);
        assertThat(registry.topic(topic.id())).isSameAs(changed);
        assertThatThrownBy(() -> registry.put(topic("t"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() ->
            registry.put(new Topic("u", topic.id(), new Partition[0], Map.of(), LogConfig.DEFAULTS)))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void lookupsAllocateNothing(@TempDir final Path dir) throws Exception
    {
        try (ControllerHarness h = new ControllerHarness(dir).open())
        {
            h.create("orders", 4, Map.of());
            for (int i = 0; i < 50; i++)
            {
                h.create("t" + i, 1, Map.of());
            }
            final TopicRegistry registry = h.registry;
            final Topic orders = registry.topic("orders");
            final UnsafeBuffer buffer = inBuffer("orders", 3);
            final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
            long found = 0;
            for (int round = 0; round < 2; round++)
            {
                final long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 100_000; i++)
                {
                    found += null == registry.partition(buffer, 3, 6, i & 3) ? 0 : 1;
                    found += null == registry.partition(orders.idMsb(), orders.idLsb(), i & 7) ? 0 : 1;
                    found += registry.partitionCount(buffer, 3, 5);
                    found += null == registry.topic("orders") ? 0 : 1;
                }
                final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                if (1 == round)
                {
                    assertThat(allocated).isLessThan(1024);
                }
            }
            // per iteration: a partition by name (1), half the ids' partitions exist (0.5), "order" is unknown (-1),
            // "orders" is known (1)
            assertThat(found).isEqualTo(2 * 150_000L);
        }
    }
}
