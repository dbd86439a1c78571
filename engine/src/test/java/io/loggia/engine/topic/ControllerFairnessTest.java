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
        if (null != harness)
        {
            harness.close();
            assertThat(harness.errors).isEmpty();
        }
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
    void opsOnTheSameTopicKeepTheirOrder() throws Exception
    {
        final ControllerHarness h = open();
        final CreateTopicsOp create = new CreateTopicsOp();
        create.add("same").numPartitions = 200;
        final DeleteTopicsOp delete = new DeleteTopicsOp();
        delete.add("same", null);
        final CreateTopicsOp other = new CreateTopicsOp();
        other.add("other").numPartitions = 1;
        assertThat(h.proxy.offer(create)).isTrue();
        assertThat(h.proxy.offer(delete)).isTrue();
        assertThat(h.proxy.offer(other)).isTrue();
        for (int i = 0; i < 100_000 && !h.answers.contains(delete); i++)
        {
            h.work();
            if (!h.answers.contains(create))
            {
                assertThat(h.answers).doesNotContain(delete);
            }
        }
        assertThat(h.answers.indexOf(other)).isLessThan(h.answers.indexOf(create));
        assertThat(h.answers.indexOf(create)).isLessThan(h.answers.indexOf(delete));
        assertThat(create.topics.get(0).errorCode).isEqualTo(TopicErrors.NONE);
        assertThat(delete.topics.get(0).errorCode).isEqualTo(TopicErrors.NONE);
        assertThat(h.registry.topic("same")).isNull();
        h.settle();
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
        final CreateTopicsOp create = new CreateTopicsOp();
        create.add("kept").numPartitions = 100;
        final DeleteTopicsOp delete = new DeleteTopicsOp();
        delete.timeoutMs = 0;
        delete.add("kept", null);
        assertThat(h.proxy.offer(create)).isTrue();
        assertThat(h.proxy.offer(delete)).isTrue();
        for (int i = 0; i < 100 && !h.answers.contains(delete); i++)
        {
            h.work();
        }
        assertThat(h.answers).containsExactly(delete);
        assertThat(delete.topics.get(0).errorCode).isEqualTo(TopicErrors.REQUEST_TIMED_OUT);
        h.settle();
        assertThat(h.answers).containsExactly(delete, create);
        assertThat(h.registry.topic("kept").partitionCount()).isEqualTo(100);
    }
}
