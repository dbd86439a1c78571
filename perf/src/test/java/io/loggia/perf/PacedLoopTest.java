package io.loggia.perf;

import org.HdrHistogram.Histogram;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.CachedNanoClock;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives the send loop on a simulated clock: waiting jumps the clock to the deadline, and a send advances it by
 * its service time, so a stall in one send delays the ones after it exactly as a blocking send() would.
 */
class PacedLoopTest
{
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long US = TimeUnit.MICROSECONDS.toNanos(1);

    private final CachedNanoClock clock = new CachedNanoClock();
    private final DeadlineWaiter jumpToDeadline = (c, deadlineNs) ->
    {
        if (clock.nanoTime() < deadlineNs)
        {
            clock.update(deadlineNs);
        }
    };

    @Test
    void sendsEveryScheduledMessageWithoutSkippingAfterAStall()
    {
        final LongArrayList intended = new LongArrayList();
        final LongArrayList sent = new LongArrayList();
        final PacedLoop loop = new PacedLoop(clock, jumpToDeadline, new SendSchedule(0, 1000), 200 * MS, Long.MAX_VALUE);

        final long count = loop.run((intendedNs, sendNs) ->
        {
            intended.addLong(intendedNs);
            sent.addLong(sendNs);
            clock.advance(intended.size() == 101 ? 50 * MS : 10 * US);
        });

        assertThat(count).isEqualTo(200);
        for (int i = 0; i < 200; i++)
        {
            assertThat(intended.getLong(i)).isEqualTo(i * MS);
            assertThat(sent.getLong(i)).isGreaterThanOrEqualTo(intended.getLong(i));
        }
        // Message 100 stalled 50 ms: 101 is sent at 150 ms, 49 ms after it was due, and the backlog then drains
        // back to back at 10 us per message until the loop is back on schedule.
        assertThat(sent.getLong(101) - intended.getLong(101)).isEqualTo(49 * MS);
        assertThat(sent.getLong(102) - sent.getLong(101)).isEqualTo(10 * US);
        assertThat(sent.getLong(160)).isEqualTo(intended.getLong(160));
    }

    @Test
    void correctedLatencyMatchesHdrHistogramExpectedIntervalCorrection()
    {
        final Histogram corrected = new Histogram(3_600_000_000L, 3);
        final Histogram uncorrected = new Histogram(3_600_000_000L, 3);
        final Histogram hdrCorrected = new Histogram(3_600_000_000L, 3);
        final long[] sends = { 0 };
        final PacedLoop loop = new PacedLoop(clock, jumpToDeadline, new SendSchedule(0, 1000), 10_000 * MS, Long.MAX_VALUE);

        loop.run((intendedNs, sendNs) ->
        {
            sends[0]++;
            final long serviceNs = sends[0] % 2_000 == 1_000 ? 100 * MS : 20 * US;
            clock.advance(serviceNs);
            final long doneNs = clock.nanoTime();
            corrected.recordValue((doneNs - intendedNs) / 1000);
            uncorrected.recordValue((doneNs - sendNs) / 1000);
            hdrCorrected.recordValueWithExpectedInterval((doneNs - sendNs) / 1000, 1000);
        });

        // Five 100 ms stalls in 10,000 sends: uncorrected, they are 5 samples (0.05%) and p99 looks perfect.
        assertThat(uncorrected.getValueAtPercentile(99.0)).isLessThan(100);
        assertThat(uncorrected.getCountBetweenValues(1000, Long.MAX_VALUE)).isEqualTo(5);
        // From the intended time, each stall also delays the ~100 messages due during it.
        assertThat(corrected.getCountBetweenValues(1000, Long.MAX_VALUE)).isBetween(495L, 515L);
        assertThat(corrected.getValueAtPercentile(99.0)).isGreaterThan(40_000);
        // HdrHistogram's back-filling estimate of the same correction agrees within a few samples.
        assertThat(hdrCorrected.getCountBetweenValues(1000, Long.MAX_VALUE))
            .isCloseTo(corrected.getCountBetweenValues(1000, Long.MAX_VALUE), org.assertj.core.data.Offset.offset(15L));
        assertThat((double)hdrCorrected.getValueAtPercentile(99.0))
            .isCloseTo(corrected.getValueAtPercentile(99.0), org.assertj.core.data.Percentage.withPercentage(5));
    }

    @Test
    void maxRateSendsBackToBackWithIntendedEqualToSendTime()
    {
        final LongArrayList intended = new LongArrayList();
        final PacedLoop loop = new PacedLoop(clock, jumpToDeadline, null, 1 * MS, Long.MAX_VALUE);

        final long count = loop.run((intendedNs, sendNs) ->
        {
            assertThat(sendNs).isEqualTo(intendedNs);
            intended.addLong(intendedNs);
            clock.advance(10 * US);
        });

        assertThat(count).isEqualTo(100);
        assertThat(intended.getLong(99)).isEqualTo(990 * US);
    }

    @Test
    void stopsAtTheMessageLimitOrWhenStopped()
    {
        final PacedLoop limited = new PacedLoop(clock, jumpToDeadline, null, Long.MAX_VALUE, 42);
        assertThat(limited.run((intendedNs, sendNs) -> clock.advance(1))).isEqualTo(42);

        final PacedLoop[] holder = new PacedLoop[1];
        holder[0] = new PacedLoop(clock, jumpToDeadline, new SendSchedule(clock.nanoTime(), 100), Long.MAX_VALUE,
            Long.MAX_VALUE);
        final long[] sends = { 0 };
        final long count = holder[0].run((intendedNs, sendNs) ->
        {
            if (++sends[0] == 7)
            {
                holder[0].stop();
            }
        });
        assertThat(count).isEqualTo(7);
    }

    @Test
    void parkAndSpinReturnAtOrAfterTheDeadline()
    {
        final RunClock runClock = new RunClock();
        for (final IdleMode mode : IdleMode.values())
        {
            final long deadlineNs = runClock.nanoTime() + 2 * MS;
            mode.awaitDeadline(runClock, deadlineNs);
            assertThat(runClock.nanoTime()).isGreaterThanOrEqualTo(deadlineNs);
        }
    }
}
