package io.loggia.perf;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HistogramLogsTest
{
    @TempDir
    Path dir;

    @Test
    void writesOneTaggedIntervalLogPerMetricThatHdrHistogramReadsBack() throws Exception
    {
        final LatencyMetrics metrics = new LatencyMetrics();
        final long baseMs = System.currentTimeMillis();
        try (HistogramLogs logs = new HistogramLogs(dir, metrics.list(), baseMs))
        {
            metrics.endToEnd.recordNanos(250_000, false);
            for (final LatencyMetric metric : metrics.list())
            {
                metric.sampleInterval();
            }
            logs.writeIntervals("warmup");
            metrics.endToEnd.recordNanos(400_000, true);
            metrics.endToEnd.recordNanos(900_000, true);
            for (final LatencyMetric metric : metrics.list())
            {
                metric.sampleInterval();
            }
            logs.writeIntervals("test");
        }

        for (final LatencyMetric metric : metrics.list())
        {
            assertThat(dir.resolve(metric.name() + ".hlog")).exists();
        }
        final List<String> lines = Files.readAllLines(dir.resolve("e2e.hlog"));
        assertThat(lines.get(0)).contains("end-to-end, intended send to consume");
        assertThat(lines).anyMatch(line -> line.startsWith("Tag=warmup,"));
        assertThat(lines).anyMatch(line -> line.startsWith("Tag=test,"));

        final HistogramLogReader reader = new HistogramLogReader(dir.resolve("e2e.hlog").toFile());
        final Histogram warmup = (Histogram)reader.nextIntervalHistogram();
        final Histogram test = (Histogram)reader.nextIntervalHistogram();
        assertThat(reader.nextIntervalHistogram()).isNull();
        assertThat(warmup.getTag()).isEqualTo("warmup");
        assertThat(warmup.getTotalCount()).isEqualTo(1);
        assertThat(test.getTag()).isEqualTo("test");
        assertThat(test.getTotalCount()).isEqualTo(2);
        assertThat(test.getMaxValue()).isEqualTo(test.highestEquivalentValue(900));
        assertThat(test.getStartTimeStamp()).isGreaterThanOrEqualTo(baseMs);
    }
}
