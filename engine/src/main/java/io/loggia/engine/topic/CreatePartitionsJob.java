package io.loggia.engine.topic;

import io.loggia.engine.Engine;
import io.loggia.engine.partition.Partition;

import java.util.List;
import java.util.Set;

/**
 * Raises the partition counts of a {@link CreatePartitionsOp}'s topics, as many new partitions per step as fit in
 * {@link #STEP_BUDGET_NS} (at least one), with the topic's id and config; a request whose timeout passes first is
 * answered REQUEST_TIMED_OUT for the topics not yet done while the job goes on ({@link #detach()}). The topic is republished with its longer partition array
 * once all new partitions exist. Kafka's rules: the count only grows, and on one node every replica assignment
 * is this node alone. {@code __consumer_offsets} keeps its count: groups are placed by a hash modulo it.
 */
final class CreatePartitionsJob extends ControllerJob
{
    private static final System.Logger LOG = System.getLogger(CreatePartitionsJob.class.getName());

    private final ControllerState state;
    private CreatePartitionsOp partitionsOp;
    private int entryIndex;
    private Topic topic;
    private Partition[] partitions;
    private int nextPartition;
    private long waitingSinceNs = Long.MIN_VALUE;
    private boolean sizeChecked;

    CreatePartitionsJob(final ControllerState state, final CreatePartitionsOp op)
    {
        super(op);
        this.state = state;
        this.partitionsOp = op;
    }

    int step(final long nowNs, final long stopNs)
    {
        if (!sizeChecked)
        {
            sizeChecked = true;
            refuseIfTooLarge();
        }
        int workCount = 0;
        final List<CreatePartitionsOp.Entry> topics = partitionsOp.topics;
        while (entryIndex < topics.size() && (0 == workCount || System.nanoTime() - stopNs < 0))
        {
            final CreatePartitionsOp.Entry entry = topics.get(entryIndex);
            if (null == partitions)
            {
                if (TopicErrors.NONE == entry.errorCode && state.backlog.isDeleting(entry.name) &&
                    !partitionsOp.validateOnly)
                {
                    // partitions of an earlier attempt are still being deleted: their directories must go first
                    if (Long.MIN_VALUE == waitingSinceNs)
                    {
                        waitingSinceNs = nowNs;
                    }
                    if (nowNs - waitingSinceNs < CreateTopicsJob.DELETE_WAIT_NS)
                    {
                        return workCount;
                    }
                    entry.fail(TopicErrors.REQUEST_TIMED_OUT,
                        "Partitions of an earlier attempt on '" + entry.name + "' are still being deleted.");
                }
                waitingSinceNs = Long.MIN_VALUE;
                workCount++;
                if (TopicErrors.NONE != entry.errorCode || !validate(entry) || partitionsOp.validateOnly)
                {
                    entryIndex++;
                    continue;
                }
                partitions = new Partition[entry.count];
                for (int i = 0; i < topic.partitionCount(); i++)
                {
                    partitions[i] = topic.partition(i);
                }
                nextPartition = topic.partitionCount();
            }
            while (nextPartition < partitions.length && (0 == workCount || System.nanoTime() - stopNs < 0))
            {
                workCount++;
                final Engine.Created result =
                    state.createPartition(topic.name(), topic.id(), nextPartition, topic.config());
                if (!result.isOk())
                {
                    rollBack();
                    entry.fail(result.errorCode(), result.message());
                    break;
                }
                partitions[nextPartition++] = result.partition();
                createdAdmitted();
            }
            if (null != partitions && nextPartition == partitions.length)
            {
                state.registry.put(topic.withPartitions(partitions));
                LOG.log(System.Logger.Level.INFO, "topic {0} has {1} partitions now, had {2}",
                    topic.name(), partitions.length, topic.partitionCount());
                partitions = null;
                topic = null;
            }
            if (null == partitions)
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
        for (final CreatePartitionsOp.Entry entry : partitionsOp.topics)
        {
            names.add(entry.name);
        }
        return true;
    }

    ControllerOp detach()
    {
        final CreatePartitionsOp caller = partitionsOp;
        final CreatePartitionsOp rest = new CreatePartitionsOp();
        rest.validateOnly = caller.validateOnly;
        for (int i = entryIndex; i < caller.topics.size(); i++)
        {
            final CreatePartitionsOp.Entry entry = caller.topics.get(i);
            if (TopicErrors.NONE != entry.errorCode)
            {
                continue;
            }
            rest.add(entry.name, entry.count).assignments = entry.assignments;
            entry.fail(TopicErrors.REQUEST_TIMED_OUT, "The partitions of '" + entry.name + "' were not created " +
                "within the request's timeout; their creation goes on.");
        }
        partitionsOp = rest;
        op = rest;
        entryIndex = 0;
        return caller;
    }

    void abandon(final short errorCode, final String message)
    {
        if (null != partitions)
        {
            rollBack();
        }
        super.abandon(errorCode, message);
    }

    /**
     * Kafka's rule (KAFKA-19673): a request adding more than {@link CreateTopicsJob#MAX_PARTITIONS_PER_REQUEST}
     * partitions in all fails every topic of it, before any array is sized from a count; so does one whose
     * partitions the process could not hold ({@link PartitionBudget}: open files, mappings, heap).
     */
    private void refuseIfTooLarge()
    {
        long total = 0;
        for (final CreatePartitionsOp.Entry entry : partitionsOp.topics)
        {
            final Topic found = TopicErrors.NONE == entry.errorCode ? state.registry.topic(entry.name) : null;
            if (null != found)
            {
                total += Math.max(0L, (long)entry.count - found.partitionCount());
            }
        }
        final String refusal = total > CreateTopicsJob.MAX_PARTITIONS_PER_REQUEST ?
            CreateTopicsJob.TOO_MANY_PARTITIONS :
            admit(state.budget, total, state.engine.partitions().size(), System.nanoTime());
        if (null != refusal)
        {
            for (final CreatePartitionsOp.Entry entry : partitionsOp.topics)
            {
                if (TopicErrors.NONE == entry.errorCode)
                {
                    entry.fail(TopicErrors.POLICY_VIOLATION, refusal);
                }
            }
        }
    }

    private boolean validate(final CreatePartitionsOp.Entry entry)
    {
        final Topic found = state.registry.topic(entry.name);
        if (null == found)
        {
            entry.fail(TopicErrors.UNKNOWN_TOPIC_OR_PARTITION, "The topic '" + entry.name + "' does not exist.");
            return false;
        }
        if (found.isInternal())
        {
            entry.fail(TopicErrors.INVALID_REQUEST, "The partition count of internal topic " + entry.name +
                " cannot change: groups are placed by a hash modulo it.");
            return false;
        }
        final int current = found.partitionCount();
        if (entry.count < current)
        {
            entry.fail(TopicErrors.INVALID_PARTITIONS, "Topic currently has " + current + " partitions, which is " +
                "higher than the requested " + entry.count + ".");
            return false;
        }
        if (entry.count == current)
        {
            entry.fail(TopicErrors.INVALID_PARTITIONS, "Topic already has " + current + " partitions.");
            return false;
        }
        // the first step's check saw the topics as they were then: one being created (absent then) may have come
        // since, so the count is checked again before any array is sized from it (live soak run 15: an array
        // of 2^31 - 1 partitions ended the shared thread)
        final long added = (long)entry.count - current;
        if (added > CreateTopicsJob.MAX_PARTITIONS_PER_REQUEST)
        {
            entry.fail(TopicErrors.POLICY_VIOLATION, CreateTopicsJob.TOO_MANY_PARTITIONS);
            return false;
        }
        if (added > admitted())
        {
            final String refusal =
                admit(state.budget, added - admitted(), state.engine.partitions().size(), System.nanoTime());
            if (null != refusal)
            {
                entry.fail(TopicErrors.POLICY_VIOLATION, refusal);
                return false;
            }
        }
        if (null != entry.assignments)
        {
            if (entry.assignments.size() != entry.count - current)
            {
                entry.fail(TopicErrors.INVALID_REPLICA_ASSIGNMENT, "Attempted to add " + (entry.count - current) +
                    " additional partition(s), but only " + entry.assignments.size() + " assignment(s) were " +
                    "specified.");
                return false;
            }
            final String error = CreateTopicsJob.checkAssignments(entry.assignments, state.nodeId);
            if (null != error)
            {
                entry.fail(TopicErrors.INVALID_REPLICA_ASSIGNMENT, error);
                return false;
            }
        }
        topic = found;
        return true;
    }

    private void rollBack()
    {
        for (int i = topic.partitionCount(); i < nextPartition; i++)
        {
            state.backlog.delete(partitions[i]);
        }
        partitions = null;
        topic = null;
    }
}
