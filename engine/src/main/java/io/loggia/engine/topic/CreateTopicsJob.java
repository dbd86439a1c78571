package io.loggia.engine.topic;

import io.loggia.engine.Engine;
import io.loggia.engine.log.LogConfig;
import io.loggia.engine.partition.Partition;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Creates the topics of a {@link CreateTopicsOp}, one after the other, as many partitions per step as fit in
 * {@link #STEP_BUDGET_NS} (at least one). A topic is published in the registry only once all its partitions
 * exist, so a reader never sees part of it. When the request's timeout passes first, the caller is answered
 * REQUEST_TIMED_OUT for the topics not yet created and the job goes on with a copy of them ({@link #detach()}), as
 * Kafka's controller goes on with a creation whose request timed out.
 * <pre>
 *   per topic:  wait while a deleted topic of that name is still on disk
 *               ──► check name, partitions, replication factor, assignment, configs
 *               ──► validate_only: answer
 *               ──► write the config overrides (if any) ──► create partitions 0..n-1 (engine + partition.metadata)
 *               ──► publish the topic ──► answer
 *   on failure: delete the partitions created so far and the overrides; answer the error
 * </pre>
 * On disk the overrides come first, so a crash never leaves a partition without its topic's settings; a crash
 * part way leaves a topic with fewer partitions, which the next start serves as it finds it.
 */
final class CreateTopicsJob extends ControllerJob
{
    /** Longest wait for the previous topic of the same name to leave the disk. */
    static final long DELETE_WAIT_NS = TimeUnit.SECONDS.toNanos(30);
    /**
     * Most new partitions one client request may ask for, all topics together (Kafka's limit, KAFKA-17870): each
     * partition costs files, mappings and a slot in the arrays the job sizes from the request, so a single request
     * for two billion partitions must be refused before anything is sized from it.
     */
    static final int MAX_PARTITIONS_PER_REQUEST = 10_000;
    static final String TOO_MANY_PARTITIONS = "Excessively large number of partitions per request.";

    private static final System.Logger LOG = System.getLogger(CreateTopicsJob.class.getName());

    private final ControllerState state;
    private CreateTopicsOp createOp;
    private int entryIndex;
    private long waitingSinceNs = Long.MIN_VALUE;
    private Partition[] created;
    private int nextPartition;
    private boolean sizeChecked;

    CreateTopicsJob(final ControllerState state, final CreateTopicsOp op)
    {
        super(op);
        this.state = state;
        this.createOp = op;
    }

    int step(final long nowNs, final long stopNs)
    {
        if (!sizeChecked)
        {
            sizeChecked = true;
            refuseIfTooLarge();
        }
        int workCount = 0;
        final List<CreateTopicsOp.Entry> topics = createOp.topics;
        while (entryIndex < topics.size() && (0 == workCount || System.nanoTime() - stopNs < 0))
        {
            final CreateTopicsOp.Entry entry = topics.get(entryIndex);
            if (null == created)
            {
                if (TopicErrors.NONE != entry.errorCode)
                {
                    entryIndex++;
                    continue;
                }
                if (state.backlog.isDeleting(entry.name) && null == state.registry.topic(entry.name))
                {
                    if (Long.MIN_VALUE == waitingSinceNs)
                    {
                        waitingSinceNs = nowNs;
                    }
                    if (nowNs - waitingSinceNs < DELETE_WAIT_NS)
                    {
                        return workCount;
                    }
                    entry.fail(TopicErrors.REQUEST_TIMED_OUT,
                        "The previous topic '" + entry.name + "' is still being deleted.");
                    waitingSinceNs = Long.MIN_VALUE;
                    entryIndex++;
                    continue;
                }
                waitingSinceNs = Long.MIN_VALUE;
                workCount++;
                if (!validate(entry) || createOp.validateOnly || !begin(entry))
                {
                    entryIndex++;
                    continue;
                }
            }
            while (nextPartition < created.length && (0 == workCount || System.nanoTime() - stopNs < 0))
            {
                workCount++;
                final Engine.Created result = state.createPartition(
                    entry.name, entry.topicId, nextPartition, entry.resultConfig);
                if (!result.isOk())
                {
                    rollBack(entry);
                    entry.fail(result.errorCode(), result.message());
                    break;
                }
                created[nextPartition++] = result.partition();
                createdAdmitted();
            }
            if (null != created && nextPartition == created.length)
            {
                final Topic topic = new Topic(entry.name, entry.topicId, created, entry.resultOverrides,
                    entry.resultConfig);
                state.registry.put(topic);
                state.creating.remove(entry.name);
                LOG.log(System.Logger.Level.INFO, "created topic {0} with {1} partitions, id {2}{3}",
                    entry.name, created.length, TopicIds.toString(entry.topicId),
                    entry.resultOverrides.isEmpty() ? "" : ", configs " + entry.resultOverrides);
                created = null;
            }
            if (null == created)
            {
                entryIndex++;
            }
        }
        if (entryIndex == topics.size())
        {
            done();
        }
        return workCount;
    }

    boolean names(final Set<String> names)
    {
        for (final CreateTopicsOp.Entry entry : createOp.topics)
        {
            names.add(entry.name);
        }
        return true;
    }

    ControllerOp detach()
    {
        final CreateTopicsOp caller = createOp;
        final CreateTopicsOp rest = new CreateTopicsOp();
        rest.internal = caller.internal;
        rest.validateOnly = caller.validateOnly;
        for (int i = entryIndex; i < caller.topics.size(); i++)
        {
            final CreateTopicsOp.Entry entry = caller.topics.get(i);
            if (TopicErrors.NONE != entry.errorCode)
            {
                continue;
            }
            final CreateTopicsOp.Entry copy = rest.add(entry.name);
            copy.numPartitions = entry.numPartitions;
            copy.replicationFactor = entry.replicationFactor;
            copy.assignments.addAll(entry.assignments);
            copy.configs.putAll(entry.configs);
            copy.topicId = entry.topicId;
            copy.resultPartitions = entry.resultPartitions;
            copy.resultReplicationFactor = entry.resultReplicationFactor;
            copy.resultOverrides = entry.resultOverrides;
            copy.resultConfig = entry.resultConfig;
            entry.topicId = null;
            entry.fail(TopicErrors.REQUEST_TIMED_OUT, "The topic '" + entry.name + "' was not created within " +
                "the request's timeout; its creation goes on.");
        }
        createOp = rest;
        op = rest;
        entryIndex = 0;
        return caller;
    }

    void abandon(final short errorCode, final String message)
    {
        if (null != created && entryIndex < createOp.topics.size())
        {
            rollBack(createOp.topics.get(entryIndex));
        }
        super.abandon(errorCode, message);
    }

    /**
     * Kafka's rule: a client request for more than 10,000 partitions in all fails every topic of it; and one whose
     * partitions the process could not hold ({@link PartitionBudget}: open files, mappings, heap) fails the same way.
     */
    private void refuseIfTooLarge()
    {
        if (createOp.internal)
        {
            return;
        }
        long total = 0;
        for (final CreateTopicsOp.Entry entry : createOp.topics)
        {
            if (TopicErrors.NONE == entry.errorCode)
            {
                total += !entry.assignments.isEmpty() ? entry.assignments.size() :
                    -1 == entry.numPartitions ? state.defaultPartitions : Math.max(0, entry.numPartitions);
            }
        }
        final String refusal = total > MAX_PARTITIONS_PER_REQUEST ? TOO_MANY_PARTITIONS :
            admit(state.budget, total, state.engine.partitions().size(), System.nanoTime());
        if (null != refusal)
        {
            for (final CreateTopicsOp.Entry entry : createOp.topics)
            {
                if (TopicErrors.NONE == entry.errorCode)
                {
                    entry.fail(TopicErrors.POLICY_VIOLATION, refusal);
                }
            }
        }
    }

    /** Fills the entry's results, or its error. */
    private boolean validate(final CreateTopicsOp.Entry entry)
    {
        final TopicNaming.Failure naming = TopicNaming.check(entry.name, createOp.internal, state.registry);
        if (null != naming)
        {
            entry.fail(naming.errorCode(), naming.message());
            return false;
        }
        if (state.creating.contains(entry.name))
        {
            entry.fail(TopicErrors.TOPIC_ALREADY_EXISTS, "Topic '" + entry.name + "' is being created.");
            return false;
        }
        final int partitions;
        if (!entry.assignments.isEmpty())
        {
            if (-1 != entry.numPartitions || -1 != entry.replicationFactor)
            {
                entry.fail(TopicErrors.INVALID_REQUEST, "Both numPartitions or replicationFactor and " +
                    "replicasAssignments were set. Both cannot be used at the same time.");
                return false;
            }
            final String error = checkAssignments(entry.assignments, state.nodeId);
            if (null != error)
            {
                entry.fail(TopicErrors.INVALID_REPLICA_ASSIGNMENT, error);
                return false;
            }
            partitions = entry.assignments.size();
        }
        else
        {
            if (-1 == entry.numPartitions)
            {
                partitions = state.defaultPartitions;
            }
            else if (entry.numPartitions <= 0)
            {
                entry.fail(TopicErrors.INVALID_PARTITIONS,
                    "Number of partitions was set to an invalid non-positive value.");
                return false;
            }
            else
            {
                partitions = entry.numPartitions;
            }
            final String error = checkReplicationFactor(entry.replicationFactor);
            if (null != error)
            {
                entry.fail(TopicErrors.INVALID_REPLICATION_FACTOR, error);
                return false;
            }
        }
        final Map<String, String> overrides = new LinkedHashMap<>();
        for (final Map.Entry<String, String> config : entry.configs.entrySet())
        {
            if (null != config.getValue())
            {
                overrides.put(config.getKey(), config.getValue());
            }
        }
        final TopicConfigCatalog.Resolved resolved = TopicConfigCatalog.resolve(overrides, state.brokerDefaults);
        if (!resolved.isValid())
        {
            entry.fail(TopicErrors.INVALID_CONFIG, resolved.error());
            return false;
        }
        entry.resultPartitions = partitions;
        entry.resultReplicationFactor = 1;
        entry.resultOverrides = overrides;
        entry.resultConfig = resolved.config();
        return true;
    }

    /** Writes the overrides and prepares the partition array. */
    private boolean begin(final CreateTopicsOp.Entry entry)
    {
        try
        {
            state.configStore.write(entry.name, entry.resultOverrides);
        }
        catch (final IOException ex)
        {
            state.errorHandler.onError(ex);
            entry.fail(TopicErrors.KAFKA_STORAGE_ERROR, "writing the configs of " + entry.name + ": " + ex);
            return false;
        }
        final UUID id = state.newTopicId();
        entry.topicId = id;
        state.creating.add(entry.name);
        created = new Partition[entry.resultPartitions];
        nextPartition = 0;
        return true;
    }

    private void rollBack(final CreateTopicsOp.Entry entry)
    {
        for (int i = 0; i < nextPartition; i++)
        {
            state.backlog.delete(created[i]);
        }
        try
        {
            state.configStore.delete(entry.name);
        }
        catch (final IOException ex)
        {
            state.errorHandler.onError(ex);
        }
        entry.topicId = null;
        created = null;
        state.creating.remove(entry.name);
    }

    /** Kafka's check of a replication factor against a cluster of one broker. */
    static String checkReplicationFactor(final short replicationFactor)
    {
        if (-1 == replicationFactor || 1 == replicationFactor)
        {
            return null;
        }
        if (replicationFactor <= 0)
        {
            return "Replication factor must be larger than 0, or -1 to use the default value.";
        }
        return "Unable to replicate the partition " + replicationFactor + " time(s): The target replication factor " +
            "of " + replicationFactor + " cannot be reached because only 1 broker(s) are registered.";
    }

    /** Every partition must be on this node alone. */
    static String checkAssignments(final List<int[]> assignments, final int nodeId)
    {
        for (int i = 0; i < assignments.size(); i++)
        {
            final int[] brokers = assignments.get(i);
            if (null == brokers || 1 != brokers.length || nodeId != brokers[0])
            {
                return "The manual partition assignment of partition " + i + " must be exactly [" + nodeId +
                    "]: this cluster has one broker, node " + nodeId + '.';
            }
        }
        return null;
    }
}
