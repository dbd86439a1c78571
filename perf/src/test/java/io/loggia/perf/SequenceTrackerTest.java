package io.loggia.perf;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CyclicBarrier;

import static org.assertj.core.api.Assertions.assertThat;

class SequenceTrackerTest
{
    @Test
    void countsNewDuplicateAndOutOfRangeSequences()
    {
        final SequenceTracker tracker = new SequenceTracker();
        assertThat(tracker.onReceive(0)).isEqualTo(SequenceTracker.NEW);
        assertThat(tracker.onReceive(63)).isEqualTo(SequenceTracker.NEW);
        assertThat(tracker.onReceive(64)).isEqualTo(SequenceTracker.NEW);
        assertThat(tracker.onReceive(SequenceTracker.CHUNK_SEQUENCES + 5L)).isEqualTo(SequenceTracker.NEW);
        assertThat(tracker.onReceive(63)).isEqualTo(SequenceTracker.DUPLICATE);
        assertThat(tracker.onReceive(-1)).isEqualTo(SequenceTracker.OUT_OF_RANGE);
        assertThat(tracker.onReceive((long)SequenceTracker.MAX_CHUNKS << SequenceTracker.CHUNK_SHIFT))
            .isEqualTo(SequenceTracker.OUT_OF_RANGE);
        assertThat(tracker.distinct()).isEqualTo(4);
        assertThat(tracker.duplicates()).isEqualTo(1);
    }

    @Test
    void concurrentConsumersSeeEachSequenceAsNewExactlyOnce() throws Exception
    {
        final SequenceTracker tracker = new SequenceTracker();
        final int sequences = 200_000;
        final CyclicBarrier barrier = new CyclicBarrier(2);
        final Runnable receiveAll = () ->
        {
            try
            {
                barrier.await();
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
            for (long s = 0; s < sequences; s++)
            {
                tracker.onReceive(s);
            }
        };
        final Thread a = new Thread(receiveAll);
        final Thread b = new Thread(receiveAll);
        a.start();
        b.start();
        a.join();
        b.join();

        assertThat(tracker.distinct()).isEqualTo(sequences);
        assertThat(tracker.duplicates()).isEqualTo(sequences);
    }
}
