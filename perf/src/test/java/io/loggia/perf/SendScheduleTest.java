package io.loggia.perf;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SendScheduleTest
{
    @Test
    void intendedTimesAreStartPlusIndexTimesInterval()
    {
        final SendSchedule schedule = new SendSchedule(1_000, 10_000);
        for (int i = 0; i < 1000; i++)
        {
            assertThat(schedule.next()).isEqualTo(1_000 + i * 100_000L);
        }
        assertThat(schedule.count()).isEqualTo(1000);
        assertThat(schedule.intervalNs()).isEqualTo(100_000.0);
    }

    @Test
    void fractionalIntervalDoesNotDrift()
    {
        final SendSchedule schedule = new SendSchedule(0, 3);
        long last = 0;
        for (int i = 0; i <= 3_000_000; i++)
        {
            last = schedule.next();
        }
        // Three million messages at 3/s: exactly one million seconds, with no accumulated rounding.
        assertThat(last).isEqualTo(1_000_000_000_000_000L);
    }

    @Test
    void rejectsRatesThatAreNotPositive()
    {
        assertThatThrownBy(() -> new SendSchedule(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SendSchedule(0, -5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SendSchedule(0, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
