package io.loggia.net.broker.admin;

import io.loggia.net.broker.BrokerFixture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The real kafka-clients AdminClient against a real broker on a loopback port. */
class AdminClientTest
{
    @TempDir
    static Path dir;

    private static BrokerFixture broker;
    private static Admin admin;

    @BeforeAll
    static void start() throws Exception
    {
        broker = BrokerFixture.start(dir, Map.of("node.id", "4", "log.retention.hours", "100"));
        admin = broker.admin();
    }

    @AfterAll
    static void stop()
    {
        broker.close();
        assertThat(broker.broker().errorCount()).isZero();
    }

    private static <T> T get(final org.apache.kafka.common.KafkaFuture<T> future) throws Exception
    {
        return future.get(30, TimeUnit.SECONDS);
    }

    private static Throwable cause(final org.apache.kafka.common.KafkaFuture<?> future)
    {
        try
        {
            future.get(30, TimeUnit.SECONDS);
            return null;
        }
        catch (final ExecutionException ex)
        {
            return ex.getCause();
        }
        catch (final Exception ex)
        {
            throw new AssertionError(ex);
        }
    }

    @Test
    void createsDescribesAndDeletesTopics() throws Exception
    {
        final CreateTopicsResult created = admin.createTopics(List.of(
            new NewTopic("orders", 3, (short)1).configs(Map.of("retention.ms", "60000")),
            new NewTopic("defaults", Optional.empty(), Optional.empty())));
        get(created.all());
        final Uuid ordersId = get(created.topicId("orders"));
        assertThat(get(created.numPartitions("orders"))).isEqualTo(3);
        assertThat(get(created.replicationFactor("orders"))).isEqualTo(1);
        assertThat(get(created.config("orders")).get("retention.ms").value()).isEqualTo("60000");
        assertThat(get(created.config("orders")).get("retention.ms").source())
            .isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(get(created.numPartitions("defaults"))).isEqualTo(1);

        assertThat(get(admin.listTopics().names())).contains("orders", "defaults");
        final TopicDescription description =
            get(admin.describeTopics(List.of("orders")).topicNameValues().get("orders"));
        assertThat(description.topicId()).isEqualTo(ordersId);
        assertThat(description.partitions()).hasSize(3);
        assertThat(description.partitions().get(2).leader().id()).isEqualTo(4);
        assertThat(description.partitions().get(2).isr()).extracting(Node::id).containsExactly(4);
        assertThat(description.isInternal()).isFalse();
        final TopicDescription byId = get(admin.describeTopics(TopicCollection.ofTopicIds(List.of(ordersId)))
            .topicIdValues().get(ordersId));
        assertThat(byId.name()).isEqualTo("orders");

        assertThat(cause(admin.createTopics(List.of(new NewTopic("orders", 1, (short)1))).all()))
            .isInstanceOf(TopicExistsException.class);
        assertThat(cause(admin.createTopics(List.of(new NewTopic("rf2", 1, (short)2))).all()))
            .isInstanceOf(InvalidReplicationFactorException.class);
        assertThat(cause(admin.createTopics(List.of(new NewTopic("bad name!", 1, (short)1))).all()))
            .isInstanceOf(InvalidTopicException.class);
        assertThat(cause(admin.createTopics(List.of(new NewTopic("cfg", 1, (short)1)
            .configs(Map.of("cleanup.policy", "shred")))).all())).isInstanceOf(InvalidConfigurationException.class);
        assertThat(cause(admin.createTopics(List.of(new NewTopic("assigned", Map.of(0, List.of(4), 1, List.of(5)))))
            .all())).isInstanceOf(org.apache.kafka.common.errors.InvalidReplicaAssignmentException.class);
        get(admin.createTopics(List.of(new NewTopic("dry", 2, (short)1)),
            new CreateTopicsOptions().validateOnly(true)).all());
        assertThat(get(admin.listTopics().names())).doesNotContain("dry");

        get(admin.deleteTopics(List.of("defaults")).all());
        assertThat(get(admin.listTopics().names())).doesNotContain("defaults");
        get(admin.deleteTopics(TopicCollection.ofTopicIds(List.of(ordersId))).all());
        assertThat(get(admin.listTopics().names())).doesNotContain("orders");
        assertThat(cause(admin.deleteTopics(List.of("orders")).all()))
            .isInstanceOf(UnknownTopicOrPartitionException.class);
        assertThat(cause(admin.deleteTopics(TopicCollection.ofTopicIds(List.of(ordersId))).all()))
            .isInstanceOf(UnknownTopicIdException.class);
        // at once again, with a fresh id: the old directories are gone first
        get(admin.createTopics(List.of(new NewTopic("orders", 2, (short)1))).all());
        assertThat(get(admin.describeTopics(List.of("orders")).topicNameValues().get("orders")).topicId())
            .isNotEqualTo(ordersId);
        assertThat(Files.exists(dir.resolve("orders-2"))).isFalse();
    }

    @Test
    void describesAndAltersTopicConfigs() throws Exception
    {
        get(admin.createTopics(List.of(new NewTopic("configured", 1, (short)1)
            .configs(Map.of("segment.bytes", "1048576", "min.insync.replicas", "1")))).all());
        final ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "configured");
        Config config = get(admin.describeConfigs(List.of(topic), new DescribeConfigsOptions().includeSynonyms(true))
            .all()).get(topic);
        assertThat(config.get("segment.bytes").value()).isEqualTo("1048576");
        assertThat(config.get("segment.bytes").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        // log.retention.hours=100 in the broker's settings
        assertThat(config.get("retention.ms").value()).isEqualTo(Long.toString(100L * 3_600_000));
        assertThat(config.get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG);
        assertThat(config.get("retention.ms").synonyms()).extracting(ConfigEntry.ConfigSynonym::name)
            .contains("log.retention.hours");
        assertThat(config.get("cleanup.policy").value()).isEqualTo("delete");
        assertThat(config.get("cleanup.policy").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertThat(config.get("compression.type").value()).isEqualTo("producer");
        assertThat(config.entries()).hasSizeGreaterThan(30);

        get(admin.incrementalAlterConfigs(Map.of(topic, List.of(
            new AlterConfigOp(new ConfigEntry("retention.ms", "5000"), AlterConfigOp.OpType.SET),
            new AlterConfigOp(new ConfigEntry("segment.bytes", null), AlterConfigOp.OpType.DELETE),
            new AlterConfigOp(new ConfigEntry("cleanup.policy", "compact"), AlterConfigOp.OpType.APPEND)))).all());
        config = get(admin.describeConfigs(List.of(topic)).all()).get(topic);
        assertThat(config.get("retention.ms").value()).isEqualTo("5000");
        assertThat(config.get("segment.bytes").value()).isEqualTo("1073741824");
        assertThat(config.get("cleanup.policy").value()).isEqualTo("delete,compact");
        assertThat(broker.broker().topics().topic("configured").config().retentionMs()).isEqualTo(5000);

        assertThat(cause(admin.incrementalAlterConfigs(Map.of(topic, List.of(
            new AlterConfigOp(new ConfigEntry("retention.ms", "soon"), AlterConfigOp.OpType.SET)))).all()))
            .isInstanceOf(InvalidConfigurationException.class);
        assertThat(cause(admin.incrementalAlterConfigs(Map.of(topic, List.of(
            new AlterConfigOp(new ConfigEntry("no.such", "1"), AlterConfigOp.OpType.SET)))).all()))
            .isInstanceOf(InvalidConfigurationException.class);
        final ConfigResource missing = new ConfigResource(ConfigResource.Type.TOPIC, "missing");
        assertThat(cause(admin.incrementalAlterConfigs(Map.of(missing, List.of(
            new AlterConfigOp(new ConfigEntry("retention.ms", "1"), AlterConfigOp.OpType.SET)))).all()))
            .isInstanceOf(UnknownTopicOrPartitionException.class);
        assertThat(cause(admin.describeConfigs(List.of(missing)).all()))
            .isInstanceOf(UnknownTopicOrPartitionException.class);
    }

    @Test
    void describesBrokerConfigsReadOnly() throws Exception
    {
        final ConfigResource node = new ConfigResource(ConfigResource.Type.BROKER, "4");
        final Config config = get(admin.describeConfigs(List.of(node)).all()).get(node);
        assertThat(config.get("log.retention.hours").value()).isEqualTo("100");
        assertThat(config.get("log.retention.hours").source()).isEqualTo(ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG);
        assertThat(config.get("num.partitions").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertThat(config.get("num.partitions").isReadOnly()).isTrue();
        assertThat(cause(admin.incrementalAlterConfigs(Map.of(node, List.of(
            new AlterConfigOp(new ConfigEntry("num.partitions", "3"), AlterConfigOp.OpType.SET)))).all()))
            .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void createsPartitions() throws Exception
    {
        get(admin.createTopics(List.of(new NewTopic("growing", 1, (short)1))).all());
        get(admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(4))).all());
        assertThat(get(admin.describeTopics(List.of("growing")).topicNameValues().get("growing")).partitions())
            .hasSize(4);
        assertThat(cause(admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(2))).all()))
            .isInstanceOf(InvalidPartitionsException.class);
        assertThat(cause(admin.createPartitions(Map.of("nope", NewPartitions.increaseTo(2))).all()))
            .isInstanceOf(UnknownTopicOrPartitionException.class);
    }

    @Test
    void describesTheCluster() throws Exception
    {
        final DescribeClusterResult cluster = admin.describeCluster(
            new DescribeClusterOptions().includeAuthorizedOperations(true));
        assertThat(get(cluster.clusterId())).isEqualTo(broker.broker().meta().clusterId());
        final Collection<Node> nodes = get(cluster.nodes());
        assertThat(nodes).hasSize(1);
        final Node node = nodes.iterator().next();
        assertThat(node.id()).isEqualTo(4);
        assertThat(node.host() + ':' + node.port()).isEqualTo(broker.bootstrapServers());
        assertThat(get(cluster.controller()).id()).isEqualTo(4);
        final Set<AclOperation> operations = get(cluster.authorizedOperations());
        assertThat(operations).contains(AclOperation.DESCRIBE, AclOperation.CREATE, AclOperation.IDEMPOTENT_WRITE);
    }
}
