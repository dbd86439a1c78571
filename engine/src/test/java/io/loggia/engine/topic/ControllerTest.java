package io.loggia.engine.topic;

import io.loggia.engine.group.GroupConfig;
import io.loggia.engine.log.CleanupPolicy;
import io.loggia.engine.log.LogConfig;
import io.loggia.engine.partition.Partition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Topic administration on a real engine: every change is checked in the registry, in the engine and on disk,
 * and again after the engine restarts.
 */
class ControllerTest
{
    @TempDir
    Path dir;

    private ControllerHarness harness;

    private ControllerHarness open() throws Exception
    {
        harness = new ControllerHarness(dir).open();
        return harness;
    }

    @AfterEach
    void close()
    {
        ControllerHarness.closeClean(harness);
    }

    @Test
    void createsTopicsWithIdsConfigsAndPartitionMetadata() throws Exception
    {
        final ControllerHarness h = open();
        final CreateTopicsOp.Entry entry = h.create("orders", 3, Map.of("retention.ms", "1000",
            "min.insync.replicas", "1"));
        assertThat(entry.errorCode).isEqualTo(TopicErrors.NONE);
        assertThat(entry.resultPartitions).isEqualTo(3);
        assertThat(entry.resultReplicationFactor).isEqualTo((short)1);

        final Topic topic = h.registry.topic("orders");
        assertThat(topic.id()).isEqualTo(entry.topicId);
        assertThat(topic.partitionCount()).isEqualTo(3);
        assertThat(topic.overrides()).containsEntry("retention.ms", "1000").containsEntry("min.insync.replicas", "1");
        assertThat(topic.config().retentionMs()).isEqualTo(1000);
        for (int i = 0; i < 3; i++)
        {
            final Partition partition = topic.partition(i);
            assertThat(h.engine.partition("orders", i)).isSameAs(partition);
            assertThat(partition.topicId()).isEqualTo(entry.topicId);
            assertThat(PartitionMetadataFile.read(partition.log().dir())).isEqualTo(entry.topicId);
            assertThat(partition.log().config().retentionMs()).isEqualTo(1000);
        }
        assertThat(Files.readString(dir.resolve("orders-0").resolve(PartitionMetadataFile.FILE_NAME)))
            .isEqualTo("version: 0\ntopic_id: " + TopicIds.toString(entry.topicId) + "\n");
        assertThat(h.store.loadAll()).containsEntry("orders", Map.of("retention.ms", "1000",
            "min.insync.replicas", "1"));

        final CreateTopicsOp.Entry defaults = h.create("events", -1, Map.of());
        assertThat(defaults.resultPartitions).isEqualTo(ControllerHarness.DEFAULT_PARTITIONS);
        assertThat(h.registry.topic("events").overrides()).isEmpty();
        assertThat(h.store.loadAll()).doesNotContainKey("events");
    }

    @Test
    void refusesWhatKafkaRefuses() throws Exception
    {
        final ControllerHarness h = open();
        h.create("a.b", 1, Map.of());
        final CreateTopicsOp op = new CreateTopicsOp();
        op.add("a.b");
        op.add("a_b");
        op.add("bad name");
        op.add(GroupConfig.OFFSETS_TOPIC);
        op.add("zero").numPartitions = 0;
        op.add("rf3").replicationFactor = 3;
        op.add("rf0").replicationFactor = 0;
        op.add("cfg").configs.put("retention.ms", "soon");
        op.add("unknown-cfg").configs.put("no.such.config", "1");
        final CreateTopicsOp.Entry assigned = op.add("assigned");
        assigned.assignments.add(new int[]{ControllerHarness.NODE_ID});
        assigned.assignments.add(new int[]{ControllerHarness.NODE_ID, 2});
        final CreateTopicsOp.Entry both = op.add("both");
        both.assignments.add(new int[]{ControllerHarness.NODE_ID});
        both.numPartitions = 1;
        final CreateTopicsOp.Entry fine = op.add("manual");
        fine.assignments.add(new int[]{ControllerHarness.NODE_ID});
        fine.assignments.add(new int[]{ControllerHarness.NODE_ID});
        h.call(op);

        final List<CreateTopicsOp.Entry> t = op.topics;
        assertThat(t.get(0).errorCode).isEqualTo(TopicErrors.TOPIC_ALREADY_EXISTS);
        assertThat(t.get(1).errorCode).isEqualTo(TopicErrors.INVALID_TOPIC_EXCEPTION);
        assertThat(t.get(1).errorMessage).contains("collides with existing topic: a.b");
        assertThat(t.get(2).errorCode).isEqualTo(TopicErrors.INVALID_TOPIC_EXCEPTION);
        assertThat(t.get(3).errorCode).isEqualTo(TopicErrors.INVALID_REQUEST);
        assertThat(t.get(4).errorCode).isEqualTo(TopicErrors.INVALID_PARTITIONS);
        assertThat(t.get(5).errorCode).isEqualTo(TopicErrors.INVALID_REPLICATION_FACTOR);
        assertThat(t.get(6).errorCode).isEqualTo(TopicErrors.INVALID_REPLICATION_FACTOR);
        assertThat(t.get(7).errorCode).isEqualTo(TopicErrors.INVALID_CONFIG);
        assertThat(t.get(7).errorMessage).contains("retention.ms");
        assertThat(t.get(8).errorCode).isEqualTo(TopicErrors.INVALID_CONFIG);
        assertThat(t.get(9).errorCode).isEqualTo(TopicErrors.INVALID_REPLICA_ASSIGNMENT);
        assertThat(t.get(10).errorCode).isEqualTo(TopicErrors.INVALID_REQUEST);
        assertThat(t.get(11).errorCode).isEqualTo(TopicErrors.NONE);
        assertThat(h.registry.topic("manual").partitionCount()).isEqualTo(2);
        assertThat(h.registry.topics()).extracting(Topic::name).containsExactly("a.b", "manual");
    }

    @Test
    void validateOnlyCreatesNothing() throws Exception
    {
        final ControllerHarness h = open();
        final CreateTopicsOp op = new CreateTopicsOp();
        op.validateOnly = true;
        op.add("dry").configs.put("cleanup.policy", "compact");
        h.call(op);
        assertThat(op.topics.get(0).errorCode).isEqualTo(TopicErrors.NONE);
        assertThat(op.topics.get(0).resultConfig.cleanupPolicy()).isEqualTo(CleanupPolicy.COMPACT);
        assertThat(op.topics.get(0).topicId).isNull();
        assertThat(h.registry.size()).isZero();
        assertThat(h.engine.partitions().list()).isEmpty();
        assertThat(Files.exists(dir.resolve("dry-0"))).isFalse();
    }

    @Test
    void aLargeTopicIsCreatedInStepsAndAppearsWhole() throws Exception
    {
        final ControllerHarness h = open();
        final CreateTopicsOp op = new CreateTopicsOp();
        op.add("wide").numPartitions = 100;
        assertThat(h.proxy.offer(op)).isTrue();
        int steps = 0;
        while (!h.answers.contains(op))
        {
            h.work();
            steps++;
            final Topic topic = h.registry.topic("wide");
            assertThat(null == topic || 100 == topic.partitionCount()).isTrue();
        }
        // a partition costs files and fsyncs, far more than a fiftieth of the step budget
        assertThat(steps).isGreaterThan(1);
        assertThat(h.registry.topic("wide").partitionCount()).isEqualTo(100);
    }

    @Test
    void deleteRemovesTheTopicAtOnceAndItsFilesSoonAfter() throws Exception
    {
        final ControllerHarness h = open();
        h.create("gone", 3, Map.of("retention.ms", "5"));
        final UUID id = h.registry.topic("gone").id();
        final DeleteTopicsOp.Entry deleted = h.delete("gone");
        assertThat(deleted.errorCode).isEqualTo(TopicErrors.NONE);
        assertThat(deleted.resultTopicId).isEqualTo(id);
        assertThat(h.registry.topic("gone")).isNull();
        assertThat(h.registry.topic(id)).isNull();
        h.settle();
        assertThat(Files.exists(dir.resolve("gone-0"))).isFalse();
        assertThat(h.store.loadAll()).doesNotContainKey("gone");

        assertThat(h.delete("gone").errorCode).isEqualTo(TopicErrors.UNKNOWN_TOPIC_OR_PARTITION);
        final DeleteTopicsOp byId = new DeleteTopicsOp();
        byId.add(null, id);
        assertThat(h.call(byId).topics.get(0).errorCode).isEqualTo(TopicErrors.UNKNOWN_TOPIC_ID);
    }

    @Test
    void deleteByIdAndRecreateAtOnceGetsAFreshTopic() throws Exception
    {
        final ControllerHarness h = open();
        h.create("again", 4, Map.of());
        final Topic old = h.registry.topic("again");
        final DeleteTopicsOp delete = new DeleteTopicsOp();
        delete.add(null, old.id());
        final CreateTopicsOp create = new CreateTopicsOp();
        create.add("again").numPartitions = 2;
        // pipelined: the create is queued behind the delete and waits for the old directories to go
        assertThat(h.proxy.offer(delete)).isTrue();
        assertThat(h.proxy.offer(create)).isTrue();
        while (!h.answers.contains(create))
        {
            h.work();
        }
        assertThat(delete.topics.get(0).resultName).isEqualTo("again");
        assertThat(create.topics.get(0).errorCode).isEqualTo(TopicErrors.NONE);
        final Topic fresh = h.registry.topic("again");
        assertThat(fresh.id()).isNotEqualTo(old.id());
        assertThat(fresh.partitionCount()).isEqualTo(2);
        assertThat(fresh.partition(0).log().logEndOffset()).isZero();
        h.settle();
        assertThat(Files.exists(dir.resolve("again-3"))).isFalse();
        assertThat(PartitionMetadataFile.read(dir.resolve("again-0"))).isEqualTo(fresh.id());
    }

    @Test
    void theInternalTopicIsCreatedOnRequestAndCannotBeDeleted() throws Exception
    {
        final ControllerHarness h = open();
        h.controller.requestTopic(GroupConfig.OFFSETS_TOPIC, 3, GroupConfig.DEFAULTS.offsetsTopicConfig());
        h.controller.requestTopic(GroupConfig.OFFSETS_TOPIC, 3, GroupConfig.DEFAULTS.offsetsTopicConfig());
        h.settle();
        final Topic offsets = h.registry.topic(GroupConfig.OFFSETS_TOPIC);
        assertThat(offsets.partitionCount()).isEqualTo(3);
        assertThat(offsets.isInternal()).isTrue();
        assertThat(offsets.config().cleanupPolicy()).isEqualTo(CleanupPolicy.COMPACT);
        assertThat(h.delete(GroupConfig.OFFSETS_TOPIC).errorCode).isEqualTo(TopicErrors.INVALID_REQUEST);
        final CreatePartitionsOp more = new CreatePartitionsOp();
        more.add(GroupConfig.OFFSETS_TOPIC, 5);
        assertThat(h.call(more).topics.get(0).errorCode).isEqualTo(TopicErrors.INVALID_REQUEST);
    }

    @Test
    void createPartitionsOnlyGrows() throws Exception
    {
        final ControllerHarness h = open();
        h.create("grow", 2, Map.of("segment.ms", "60000"));
        final UUID id = h.registry.topic("grow").id();
        final CreatePartitionsOp op = new CreatePartitionsOp();
        op.add("grow", 5);
        op.add("grow-less", 1);
        op.add("missing", 3);
        h.call(op);
        assertThat(op.topics.get(0).errorCode).isEqualTo(TopicErrors.NONE);
        assertThat(op.topics.get(2).errorCode).isEqualTo(TopicErrors.UNKNOWN_TOPIC_OR_PARTITION);
        final Topic grown = h.registry.topic("grow");
        assertThat(grown.partitionCount()).isEqualTo(5);
        assertThat(grown.id()).isEqualTo(id);
        assertThat(grown.partition(4).topicId()).isEqualTo(id);
        assertThat(grown.partition(4).log().config().segmentMs()).isEqualTo(60000);
        assertThat(PartitionMetadataFile.read(grown.partition(4).log().dir())).isEqualTo(id);

        final CreatePartitionsOp again = new CreatePartitionsOp();
        again.add("grow", 5);
        again.add("grow", 4);
        final CreatePartitionsOp.Entry badAssignment = again.add("grow", 7);
        badAssignment.assignments = List.of(new int[]{ControllerHarness.NODE_ID});
        h.call(again);
        assertThat(again.topics.get(0).errorCode).isEqualTo(TopicErrors.INVALID_PARTITIONS);
        assertThat(again.topics.get(0).errorMessage).isEqualTo("Topic already has 5 partitions.");
        assertThat(again.topics.get(1).errorCode).isEqualTo(TopicErrors.INVALID_PARTITIONS);
        assertThat(again.topics.get(2).errorCode).isEqualTo(TopicErrors.INVALID_REPLICA_ASSIGNMENT);
    }

    @Test
    void alterConfigsSetsDeletesAppendsAndReachesTheWriters() throws Exception
    {
        final ControllerHarness h = open();
        h.create("conf", 2, Map.of("retention.ms", "1000"));
        final AlterConfigsOp op = new AlterConfigsOp();
        final AlterConfigsOp.Entry entry = op.add("conf");
        entry.changes.add(new AlterConfigsOp.Change("retention.ms", AlterConfigsOp.DELETE, null));
        entry.changes.add(new AlterConfigsOp.Change("segment.bytes", AlterConfigsOp.SET, "2097152"));
        entry.changes.add(new AlterConfigsOp.Change("cleanup.policy", AlterConfigsOp.APPEND, "compact"));
        h.call(op);
        assertThat(entry.errorCode).isEqualTo(TopicErrors.NONE);
        final Topic topic = h.registry.topic("conf");
        assertThat(topic.overrides()).isEqualTo(Map.of("segment.bytes", "2097152", "cleanup.policy", "delete,compact"));
        assertThat(topic.config().retentionMs()).isEqualTo(LogConfig.DEFAULT_RETENTION_MS);
        h.settle();
        assertThat(topic.partition(1).config().segmentBytes()).isEqualTo(2097152);
        assertThat(topic.partition(1).config().cleanupPolicy()).isEqualTo(CleanupPolicy.COMPACT_DELETE);

        final AlterConfigsOp bad = new AlterConfigsOp();
        bad.add("conf").changes.add(new AlterConfigsOp.Change("retention.ms", AlterConfigsOp.APPEND, "1"));
        bad.add("conf").changes.add(new AlterConfigsOp.Change("segment.bytes", AlterConfigsOp.SET, "1"));
        bad.add("nope").changes.add(new AlterConfigsOp.Change("segment.bytes", AlterConfigsOp.SET, "2097152"));
        final AlterConfigsOp.Entry twice = bad.add("conf");
        twice.changes.add(new AlterConfigsOp.Change("flush.ms", AlterConfigsOp.SET, "1"));
        twice.changes.add(new AlterConfigsOp.Change("flush.ms", AlterConfigsOp.SET, "2"));
        h.call(bad);
        assertThat(bad.topics).extracting(e -> e.errorCode).containsExactly(TopicErrors.INVALID_CONFIG,
            TopicErrors.INVALID_CONFIG, TopicErrors.UNKNOWN_TOPIC_OR_PARTITION, TopicErrors.INVALID_REQUEST);
        assertThat(h.registry.topic("conf").overrides()).isEqualTo(topic.overrides());

        final AlterConfigsOp replace = new AlterConfigsOp();
        replace.replace = true;
        replace.add("conf").changes.add(new AlterConfigsOp.Change("flush.messages", AlterConfigsOp.SET, "10"));
        h.call(replace);
        assertThat(h.registry.topic("conf").overrides()).isEqualTo(Map.of("flush.messages", "10"));
        assertThat(h.store.loadAll()).containsEntry("conf", Map.of("flush.messages", "10"));
    }

    @Test
    void idsAndConfigsSurviveARestartAndOverridesReachTheLoadedPartitions() throws Exception
    {
        ControllerHarness h = open();
        h.create("keep", 3, Map.of("segment.ms", "12345", "compression.type", "lz4"));
        h.create("plain", 1, Map.of());
        final UUID keep = h.registry.topic("keep").id();
        final UUID plain = h.registry.topic("plain").id();
        h.shutdown();

        h = new ControllerHarness(dir).open();
        harness = h;
        assertThat(h.loaded).isEqualTo(2);
        assertThat(h.registry.topic("keep").id()).isEqualTo(keep);
        assertThat(h.registry.topic("plain").id()).isEqualTo(plain);
        assertThat(h.registry.topic("keep").overrides()).containsEntry("compression.type", "lz4");
        // loaded with the broker defaults, then given the topic's overrides by its writer before the broker opens
        assertThat(h.controller.isReady()).isFalse();
        h.settle();
        assertThat(h.controller.isReady()).isTrue();
        assertThat(h.registry.topic("keep").partition(2).config().segmentMs()).isEqualTo(12345);
    }

    @Test
    void partitionsFoundWithoutMetadataGetTheirTopicsIdAndMissingOnesComeBack() throws Exception
    {
        ControllerHarness h = open();
        h.create("old", 3, Map.of());
        final UUID id = h.registry.topic("old").id();
        h.shutdown();
        Files.delete(dir.resolve("old-0").resolve(PartitionMetadataFile.FILE_NAME));
        try (var files = Files.walk(dir.resolve("old-1")))
        {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        Files.createDirectories(dir.resolve(TopicConfigStore.DIRECTORY_NAME));
        Files.writeString(dir.resolve(TopicConfigStore.DIRECTORY_NAME).resolve("orphan"), "version: 0\nflush.ms=1\n");

        h = new ControllerHarness(dir).open();
        harness = h;
        final Topic old = h.registry.topic("old");
        assertThat(old.id()).isEqualTo(id);
        assertThat(old.partitionCount()).isEqualTo(3);
        assertThat(PartitionMetadataFile.read(dir.resolve("old-0"))).isEqualTo(id);
        assertThat(PartitionMetadataFile.read(dir.resolve("old-1"))).isEqualTo(id);
        assertThat(Files.exists(dir.resolve(TopicConfigStore.DIRECTORY_NAME).resolve("orphan"))).isFalse();
    }

    @Test
    void initProducerIdHandsOutFreshIdsAndRefusesTransactions() throws Exception
    {
        final ControllerHarness h = open();
        final InitProducerIdOp first = h.call(new InitProducerIdOp());
        final InitProducerIdOp second = h.call(new InitProducerIdOp());
        assertThat(first.errorCode).isEqualTo(TopicErrors.NONE);
        assertThat(first.producerEpoch).isZero();
        assertThat(second.producerId).isGreaterThan(first.producerId);
        final InitProducerIdOp transactional = new InitProducerIdOp();
        transactional.transactionalId = "tx";
        h.call(transactional);
        assertThat(transactional.errorCode).isEqualTo(TopicErrors.TRANSACTIONAL_ID_NOT_FOUND);
        assertThat(transactional.producerId).isEqualTo(-1);
        h.shutdown();
        harness = new ControllerHarness(dir).open();
        assertThat(harness.call(new InitProducerIdOp()).producerId).isGreaterThan(second.producerId);
    }

    @Test
    void partitionCommandsReachTheWritersABudgetAtATime() throws Exception
    {
        final ControllerHarness h = open();
        final int partitions = WriterCommandBacklog.BUDGET + 20;
        final CreateTopicsOp create = new CreateTopicsOp();
        create.add("many").numPartitions = partitions;
        h.call(create);
        final DeleteTopicsOp delete = new DeleteTopicsOp();
        delete.add("many", null);
        assertThat(h.proxy.offer(delete)).isTrue();
        // writers stalled: the controller offers a budget of deletes and no more, and never waits for them
        for (int i = 0; i < 10; i++)
        {
            h.controller.doWork();
        }
        h.proxy.poll(h.answers::add, 10);
        assertThat(h.answers).containsExactly(delete);
        assertThat(h.controller.pendingPartitionCommands()).isEqualTo(partitions);
        assertThat(h.engine.partitions().list()).hasSize(partitions - WriterCommandBacklog.BUDGET);
        h.settle();
        assertThat(h.engine.partitions().list()).isEmpty();
        assertThat(h.controller.pendingPartitionCommands()).isZero();
    }

    @Test
    void closingAnswersQueuedOps() throws Exception
    {
        final ControllerHarness h = open();
        final CreateTopicsOp op = new CreateTopicsOp();
        op.add("late").numPartitions = 1;
        assertThat(h.proxy.offer(op)).isTrue();
        h.controller.onClose();
        h.proxy.poll(h.answers::add, 10);
        assertThat(h.answers).containsExactly(op);
        assertThat(op.topics.get(0).errorCode).isEqualTo(TopicErrors.BROKER_NOT_AVAILABLE);
    }
}
