package io.loggia.perf.lean;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InFlightBatchesTest
{
    @Test
    void slotsCycleWithTheFillingSlotNeverInFlight()
    {
        final InFlightBatches batches = new InFlightBatches(2, 4);
        assertThat(batches.inFlight()).isZero();
        assertThat(batches.hasPublished()).isFalse();

        for (int round = 0; round < 10; round++)
        {
            final int first = batches.writeSlot();
            batches.intendedNs(first)[0] = round;
            batches.publish(100 + round, 1);
            final int second = batches.writeSlot();
            assertThat(second).isNotEqualTo(first);
            batches.publish(200 + round, 3);
            assertThat(batches.inFlight()).isEqualTo(2);
            // The slot the writer fills next is neither of the two in flight.
            assertThat(batches.writeSlot()).isNotIn(first, second);

            assertThat(batches.hasPublished()).isTrue();
            assertThat(batches.readSlot()).isEqualTo(first);
            assertThat(batches.correlationId(first)).isEqualTo(100 + round);
            assertThat(batches.count(first)).isEqualTo(1);
            assertThat(batches.intendedNs(first)[0]).isEqualTo(round);
            batches.complete();
            assertThat(batches.readSlot()).isEqualTo(second);
            assertThat(batches.count(second)).isEqualTo(3);
            batches.complete();
            assertThat(batches.inFlight()).isZero();
            assertThat(batches.hasPublished()).isFalse();
        }
    }
}
