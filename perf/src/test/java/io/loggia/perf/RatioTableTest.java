package io.loggia.perf;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RatioTableTest
{
    @Test
    void medianOfOddAndEvenCounts()
    {
        assertThat(RatioTable.median(new double[] { 3, 1, 2 })).isEqualTo(2.0);
        assertThat(RatioTable.median(new double[] { 4, 1, 2, 3 })).isEqualTo(2.5);
        assertThat(RatioTable.median(new double[0])).isNaN();
    }

    @Test
    void ratioOfMediansPerFigure()
    {
        final List<Map<String, Object>> loggia = List.of(
            SampleResults.result("loggia", 100, 10_000.0), SampleResults.result("loggia", 120, 10_010.0));
        final List<Map<String, Object>> kafka = List.of(SampleResults.result("kafka", 600, 9_990.0));

        final String table = RatioTable.format("loggia", loggia, "kafka", kafka);

        assertThat(table).contains("loggia (A, 2 run(s)) vs kafka (B, 1 run(s))");
        assertThat(table).containsPattern("publish msg/s\\s+10005 \\(10000-10010\\)\\s+9990\\s+1\\.002\\s+higher");
        assertThat(table).containsPattern("e2e p50 ms\\s+0\\.1\\d\\d \\(0\\.1\\d\\d-0\\.1\\d\\d\\)\\s+0\\.6\\d\\d\\s+0\\.2\\d\\d\\s+lower");
        assertThat(table).containsPattern("broker cpu s\\s+12\\.34 \\(12\\.34-12\\.34\\)\\s+12\\.34\\s+1\\.000\\s+lower");
        assertThat(table).doesNotContain("WARNING");
    }
}
