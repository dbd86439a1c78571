package io.loggia.perf;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LatencyMetricTest
{
    @Test
    void recordsMicrosecondsAndKeepsWarmupOutOfTheMeasuredHistogram()
    {
        final LatencyMetric metric = new LatencyMetric("e2e", "test");
        metric.recordNanos(5_000_000, false);
        metric.recordNanos(412_999, true);
        metric.recordNanos(1_000, true);

        final Histogram interval = metric.sampleInterval();
        assertThat(interval.getTotalCount()).isEqualTo(3);
        assertThat(metric.all().getTotalCount()).isEqualTo(3);
        assertThat(metric.measured().getTotalCount()).isEqualTo(2);
        assertThat(metric.measured().getMaxValue()).isEqualTo(metric.measured().highestEquivalentValue(412));
        assertThat(metric.measured().getMinValue()).isEqualTo(1);

        metric.recordNanos(2_000, true);
        final Histogram next = metric.sampleInterval();
        assertThat(next.getTotalCount()).isEqualTo(1);
        assertThat(metric.lastInterval()).isSameAs(next);
        assertThat(metric.measured().getTotalCount()).isEqualTo(3);
        assertThat(metric.all().getTotalCount()).isEqualTo(4);
    }

    @Test
    void clampsToTheTrackableRange()
    {
        assertThat(LatencyMetric.toMicros(-5)).isZero();
        assertThat(LatencyMetric.toMicros(999)).isZero();
        assertThat(LatencyMetric.toMicros(1_999)).isEqualTo(1);
        assertThat(LatencyMetric.toMicros(Long.MAX_VALUE)).isEqualTo(LatencyMetric.HIGHEST_TRACKABLE_MICROS);

        final LatencyMetric metric = new LatencyMetric("x", "x");
        metric.recordNanos(Long.MAX_VALUE, true);
        metric.sampleInterval();
        assertThat(metric.measured().getMaxValue())
            .isEqualTo(metric.measured().highestEquivalentValue(LatencyMetric.HIGHEST_TRACKABLE_MICROS));
    }

    @Test
    void intervalsCarryTimeStampsForTheIntervalLog()
    {
        final LatencyMetric metric = new LatencyMetric("x", "x");
        final long beforeMs = System.currentTimeMillis();
        metric.sampleInterval();
        metric.recordNanos(10_000, true);
        final Histogram interval = metric.sampleInterval();
        assertThat(interval.getStartTimeStamp()).isGreaterThanOrEqualTo(beforeMs);
        assertThat(interval.getEndTimeStamp()).isGreaterThanOrEqualTo(interval.getStartTimeStamp());
    }
}
