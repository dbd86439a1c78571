package io.loggia.engine.topic;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A large partition creation on a real engine must neither hold the controller's thread nor keep unrelated ops
 * waiting (protocol fuzz soak: InitProducerId and admin ops on other topics waited minutes behind creations of
 * thousands of partitions, and a step of 32 partitions held the shared thread for up to a second).
 */
class ControllerFairnessTest
{
    private static final int BIG = 600;

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
    void initProducerIdAndOtherTopicsAreAnsweredLongBeforeABigCreationEnds() throws Exception
    {
        final ControllerHarness h = open();
        assertThat(h.create("big", 1, Map.of()).errorCode).isEqualTo(TopicErrors.NONE);
        final CreatePartitionsOp big = new CreatePartitionsOp();
        big.add("big", BIG);
        final InitProducerIdOp init = new InitProducerIdOp();
        final CreateTopicsOp small = new CreateTopicsOp();
        small.add("small").numPartitions = 1;
        assertThat(h.proxy.offer(big)).isTrue();
        assertThat(h.proxy.offer(init)).isTrue();
        assertThat(h.proxy.offer(small)).isTrue();

        int cycles = 0;
        while (!(h.answers.contains(init) && h.answers.contains(small)))
        {
            assertThat(cycles++).isLessThan(100);
            h.work();
        }
        assertThat(h.answers).doesNotContain(big);
        assertThat(init.errorCode).isEqualTo(TopicErrors.NONE);
        assertThat(init.producerId).isNotNegative();
        assertThat(small.topics.get(0).errorCode).isEqualTo(TopicErrors.NONE);
        assertThat(h.registry.topic("small").partitionCount()).isEqualTo(1);
        assertThat(h.registry.topic("big").partitionCount()).isEqualTo(1);

        // the rest of the big job: many duty cycles, none creating more than its time budget allows
        int bigCycles = 0;
        int maxPerCycle = 0;
        long controllerNs = 0;
        int before = h.engine.partitions().size();
        final int start = before;
        while (!h.answers.contains(big))
        {
            final long t0 = System.nanoTime();
            h.controller.doWork();
            controllerNs += System.nanoTime() - t0;
            final int after = h.engine.partitions().size();
            maxPerCycle = Math.max(maxPerCycle, after - before);
            before = after;
            h.work();
            before = h.engine.partitions().size();
            bigCycles++;
        }
        assertThat(big.topics.get(0).errorCode).isEqualTo(TopicErrors.NONE);
        assertThat(h.registry.topic("big").partitionCount()).isEqualTo(BIG);
        final int createdHere = h.engine.partitions().size() - start;
        final long averageNs = controllerNs / Math.max(1, createdHere);
        // a cycle stops once the budget is spent: it can only hold a few partitions beyond what fits in it
        assertThat(maxPerCycle).isLessThanOrEqualTo(2 + (int)(4 * ControllerJob.STEP_BUDGET_NS / averageNs));
        assertThat(maxPerCycle).isLessThan(32);
        assertThat(bigCycles).isGreaterThanOrEqualTo(10);
    }

    @Test
    void opsOnTheSameTopicWaitForAnEarlierChangeAndKeepTheirOrder() throws Exception
    {
        final ControllerHarness h = open();
        assertThat(h.create("same", 1, Map.of()).errorCode).isEqualTo(TopicErrors.NONE);
        final CreatePartitionsOp grow = new CreatePartitionsOp();
        grow.add("same", 200);
        final DeleteTopicsOp delete = new DeleteTopicsOp();
        delete.add("same", null);
        final CreateTopicsOp other = new CreateTopicsOp();
        other.add("other").numPartitions = 1;
        assertThat(h.proxy.offer(grow)).isTrue();
        assertThat(h.proxy.offer(delete)).isTrue();
        assertThat(h.proxy.offer(other)).isTrue();
        for (int i = 0; i < 100_000 && !h.answers.contains(delete); i++)
        {
            h.work();
            if (!h.answers.contains(grow))
            {
                assertThat(h.answers).doesNotContain(delete);
            }
        }
        assertThat(h.answers.indexOf(other)).isLessThan(h.answers.indexOf(grow));
        assertThat(h.answers.indexOf(grow)).isLessThan(h.answers.indexOf(delete));
        assertThat(grow.topics.get(0).errorCode).isEqualTo(TopicErrors.NONE);
        assertThat(delete.topics.get(0).errorCode).isEqualTo(TopicErrors.NONE);
        assertThat(h.registry.topic("same")).isNull();
        h.settle();
    }

    /**
     * Live fuzz soak: DeleteTopics, CreatePartitions and AlterConfigs of a name whose creation of thousands of
     * partitions was under way waited in its lane for their whole timeout. The topic is not in the registry until
     * its creation ends, so they are answered at once as for an absent topic; a second create is refused.
     */
    @Test
    void opsOnATopicBeingCreatedAreAnsweredAtOnceAsForAnAbsentTopic() throws Exception
    {
        final ControllerHarness h = open();
        final CreateTopicsOp create = new CreateTopicsOp();
        create.add("growing").numPartitions = BIG;
        final DeleteTopicsOp delete = new DeleteTopicsOp();
        delete.add("growing", null);
        final CreateTopicsOp again = new CreateTopicsOp();
        again.add("growing").numPartitions = 1;
        final CreatePartitionsOp grow = new CreatePartitionsOp();
        grow.add("growing", BIG + 1);
        final AlterConfigsOp alter = new AlterConfigsOp();
        alter.add("growing").changes.add(new AlterConfigsOp.Change("retention.ms", AlterConfigsOp.SET, "1000"));
        assertThat(h.proxy.offer(create)).isTrue();
        h.work();
        for (final ControllerOp op : new ControllerOp[] {delete, again, grow, alter})
        {
            assertThat(h.proxy.offer(op)).isTrue();
        }
        int cycles = 0;
        while (!h.answers.containsAll(java.util.List.of(delete, again, grow, alter)))
        {
            assertThat(cycles++).isLessThan(100);
            h.work();
        }
        assertThat(h.answers).doesNotContain(create);
        assertThat(delete.topics.get(0).errorCode).isEqualTo(TopicErrors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(again.topics.get(0).errorCode).isEqualTo(TopicErrors.TOPIC_ALREADY_EXISTS);
        assertThat(grow.topics.get(0).errorCode).isEqualTo(TopicErrors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(alter.topics.get(0).errorCode).isEqualTo(TopicErrors.UNKNOWN_TOPIC_OR_PARTITION);
        h.settle();
        assertThat(create.topics.get(0).errorCode).isEqualTo(TopicErrors.NONE);
        assertThat(h.registry.topic("growing").partitionCount()).isEqualTo(BIG);
        assertThat(h.registry.topic("growing").overrides()).isEmpty();
    }

    /**
     * Live fuzz soak run 15: a CreatePartitions naming a topic still being created passed the first step's size check
     * (the topic was absent then), and once the creation ended beside it, its count of 2^31 - 1 sized an array:
     * OutOfMemoryError ended the shared thread. The count is checked again when the topic's turn comes.
     */
    @Test
    void aCountCheckedWhileItsTopicWasBeingCreatedIsCheckedAgainBeforeItIsUsed() throws Exception
    {
        final ControllerHarness h = open();
        assertThat(h.create("first", 1, Map.of()).errorCode).isEqualTo(TopicErrors.NONE);
        final CreateTopicsOp create = new CreateTopicsOp();
        create.add("late").numPartitions = BIG;
        final CreatePartitionsOp grow = new CreatePartitionsOp();
        // three times the partitions of "late", so its creation beside this job ends first whatever a step costs
        grow.add("first", 1 + 3 * BIG);
        grow.add("late", Integer.MAX_VALUE);
        assertThat(h.proxy.offer(create)).isTrue();
        h.work();
        assertThat(h.proxy.offer(grow)).isTrue();
        h.settle();

        assertThat(h.answers).contains(create, grow);
        assertThat(create.topics.get(0).errorCode).isEqualTo(TopicErrors.NONE);
        assertThat(grow.topics.get(0).errorCode).isEqualTo(TopicErrors.NONE);
        assertThat(grow.topics.get(1).errorCode).isEqualTo(TopicErrors.POLICY_VIOLATION);
        assertThat(h.registry.topic("first").partitionCount()).isEqualTo(1 + 3 * BIG);
        assertThat(h.registry.topic("late").partitionCount()).isEqualTo(BIG);
        assertThat(h.errors).isEmpty();
    }

    /**
     * Live fuzz soak: the controller stopped reading its command queue at 64 jobs, so InitProducerId waited
     * behind admin ops blocked on one topic. The queue is read to the end every cycle.
     */
    @Test
    void initProducerIdIsAnsweredAtOnceWhateverNumberOfJobsWait() throws Exception
    {
        final ControllerHarness h = open();
        assertThat(h.create("busy", 1, Map.of()).errorCode).isEqualTo(TopicErrors.NONE);
        final CreatePartitionsOp grow = new CreatePartitionsOp();
        grow.add("busy", BIG);
        assertThat(h.proxy.offer(grow)).isTrue();
        h.work();
        for (int i = 0; i < 200; i++)
        {
            final AlterConfigsOp alter = new AlterConfigsOp();
            alter.add("busy").changes.add(new AlterConfigsOp.Change("retention.ms", AlterConfigsOp.SET, "" + i));
            assertThat(h.proxy.offer(alter)).isTrue();
            if (i % 50 == 49)
            {
                h.work(); // the harness's command queue holds 64
            }
        }
        final InitProducerIdOp init = new InitProducerIdOp();
        assertThat(h.proxy.offer(init)).isTrue();
        h.work();
        assertThat(h.answers).contains(init);
        assertThat(init.errorCode).isEqualTo(TopicErrors.NONE);
        assertThat(h.controller.pendingJobs()).isEqualTo(201);
        h.settle();
        assertThat(h.registry.topic("busy").partitionCount()).isEqualTo(BIG);
    }

    @Test
    void aTimedOutCreationIsAnsweredAndStillCompletes() throws Exception
    {
        final ControllerHarness h = open();
        final CreateTopicsOp create = new CreateTopicsOp();
        create.timeoutMs = 0;
        create.add("slow").numPartitions = 100;
        final CreateTopicsOp.Entry second = create.add("later");
        second.numPartitions = 1;
        final CreateTopicsOp done = h.call(create);
        assertThat(done.topics.get(0).errorCode).isEqualTo(TopicErrors.REQUEST_TIMED_OUT);
        assertThat(done.topics.get(0).topicId).isNull();
        assertThat(done.topics.get(1).errorCode).isEqualTo(TopicErrors.REQUEST_TIMED_OUT);
        assertThat(h.registry.topic("slow")).isNull();

        h.create("big", 1, Map.of());
        final CreatePartitionsOp grow = new CreatePartitionsOp();
        grow.timeoutMs = 0;
        grow.add("big", 100);
        assertThat(h.call(grow).topics.get(0).errorCode).isEqualTo(TopicErrors.REQUEST_TIMED_OUT);
        assertThat(h.registry.topic("big").partitionCount()).isEqualTo(1);

        h.settle();
        assertThat(h.registry.topic("slow").partitionCount()).isEqualTo(100);
        assertThat(h.registry.topic("later").partitionCount()).isEqualTo(1);
        assertThat(h.registry.topic("big").partitionCount()).isEqualTo(100);
        assertThat(h.answers).isEmpty();
    }

    @Test
    void anOpStillWaitingWhenItsTimeoutPassesIsNotCarriedOut() throws Exception
    {
        final ControllerHarness h = open();
        assertThat(h.create("kept", 1, Map.of()).errorCode).isEqualTo(TopicErrors.NONE);
        final CreatePartitionsOp grow = new CreatePartitionsOp();
        grow.add("kept", 100);
        final DeleteTopicsOp delete = new DeleteTopicsOp();
        delete.timeoutMs = 0;
        delete.add("kept", null);
        assertThat(h.proxy.offer(grow)).isTrue();
        assertThat(h.proxy.offer(delete)).isTrue();
        for (int i = 0; i < 100 && !h.answers.contains(delete); i++)
        {
            h.work();
        }
        assertThat(h.answers).containsExactly(delete);
        assertThat(delete.topics.get(0).errorCode).isEqualTo(TopicErrors.REQUEST_TIMED_OUT);
        h.settle();
        assertThat(h.answers).containsExactly(delete, grow);
        assertThat(h.registry.topic("kept").partitionCount()).isEqualTo(100);
    }

    @Test
    void anOpWaitsBehindAnotherOnItsTopicForAtMostTheLaneWait() throws Exception
    {
        assertThat(ControllerJob.MAX_LANE_WAIT_NS).isLessThan(ControllerJob.MAX_ANSWER_WAIT_NS);
        final ControllerHarness h = open();
        assertThat(h.create("long", 1, Map.of()).errorCode).isEqualTo(TopicErrors.NONE);
        final CreatePartitionsOp grow = new CreatePartitionsOp();
        grow.add("long", 100);
        final AlterConfigsOp alter = new AlterConfigsOp();
        alter.timeoutMs = 50;
        alter.add("long").changes.add(new AlterConfigsOp.Change("retention.ms", AlterConfigsOp.SET, "1000"));
        assertThat(h.proxy.offer(grow)).isTrue();
        assertThat(h.proxy.offer(alter)).isTrue();
        while (!h.answers.contains(alter))
        {
            h.work();
        }
        assertThat(alter.topics.get(0).errorCode).isEqualTo(TopicErrors.REQUEST_TIMED_OUT);
        h.settle();
        assertThat(h.registry.topic("long").overrides()).isEmpty();
    }
}
