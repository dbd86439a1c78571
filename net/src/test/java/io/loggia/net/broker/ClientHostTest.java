package io.loggia.net.broker;

import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Group members carry the address they connected from, as Kafka reports it: DescribeGroups (the AdminClient's
 * describeConsumerGroups) shows each member's host as {@code "/127.0.0.1"}.
 */
class ClientHostTest
{
    @TempDir
    Path dir;

    @Test
    void describeConsumerGroupsShowsTheMembersHost() throws Exception
    {
        try (BrokerFixture broker = BrokerFixture.start(dir))
        {
            broker.admin().createTopics(List.of(new NewTopic("hosts", 1, (short)1))).all().get(30, TimeUnit.SECONDS);
            final Properties properties = broker.clientProperties();
            properties.put(ConsumerConfig.GROUP_ID_CONFIG, "hosts-group");
            properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "hosts-client");
            properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties))
            {
                consumer.subscribe(List.of("hosts"));
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (consumer.assignment().isEmpty())
                {
                    assertThat(System.nanoTime() - deadline).as("assigned within 30 s").isNegative();
                    consumer.poll(Duration.ofMillis(100));
                }

                final ConsumerGroupDescription description = broker.admin()
                    .describeConsumerGroups(List.of("hosts-group")).describedGroups().get("hosts-group")
                    .get(30, TimeUnit.SECONDS);
                assertThat(description.members()).hasSize(1);
                final MemberDescription member = description.members().iterator().next();
                assertThat(member.clientId()).isEqualTo("hosts-client");
                assertThat(member.host()).isEqualTo("/127.0.0.1");
            }
        }
    }
}
