package io.loggia.perf;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SummaryTableTest
{
    @Test
    void formatsLatencyInMillisecondsToTheMicrosecond()
    {
        assertThat(SummaryTable.millis(412L)).isEqualTo("0.412");
        assertThat(SummaryTable.millis(1_234_567L)).isEqualTo("1234.567");
        assertThat(SummaryTable.millis(0L)).isEqualTo("0.000");
        assertThat(SummaryTable.millis(412.0)).isEqualTo("0.412");
        assertThat(SummaryTable.millis(null)).isEqualTo("-");
        assertThat(SummaryTable.millis(Double.NaN)).isEqualTo("-");
        assertThat(SummaryTable.count(1_234_567.4)).isEqualTo("1,234,567");
        assertThat(SummaryTable.count(Double.NaN)).isEqualTo("-");
        assertThat(SummaryTable.fixed(0.95367, 3)).isEqualTo("0.954");
    }

    @Test
    void summaryListsEveryPercentileAndCost()
    {
        final String text = SummaryTable.format(SampleResults.result("loggia", 400, 10_000.0));

        assertThat(text).contains("== loggia perf: loggia @ 127.0.0.1:9092, workload e2e-10k-100b ==");
        assertThat(text).containsPattern("latency \\(ms\\)\\s+count\\s+p50\\s+p90\\s+p99\\s+p99.9\\s+p99.99\\s+max");
        assertThat(text).containsPattern("e2e\\s+100,000\\s+0\\.4\\d\\d\\s+0\\.4\\d\\d\\s+0\\.4\\d\\d\\s+2\\.0\\d\\d\\s+20\\.0\\d\\d");
        assertThat(text).containsPattern("publish\\s+600,000\\s+10000\\.0\\s+0\\.954");
        assertThat(text).contains("lost 0, duplicates 0");
        assertThat(text).contains("cpu 12.34 s (17.2% of one core), 94.600 cpu-s per GiB moved");
        assertThat(text).contains("RssAnon max 390.6 MiB, end 380.9 MiB");
        assertThat(text).contains("RssFile (mapped/page cache) max 19.5 MiB");
        assertThat(text).contains("broker 12.3, harness 27.0, other 0.7, steal 0.0");
        assertThat(text).doesNotContain("SHARED THE MACHINE");
        assertThat(text).contains("warning   a <warning> & more");
    }

    @Test
    void summaryOfTheParsedJsonFileEqualsTheSummaryOfTheFreshResult()
    {
        final Map<String, Object> result = SampleResults.result("kafka", 650, 9_999.5);
        @SuppressWarnings("unchecked")
        final Map<String, Object> parsed = (Map<String, Object>)Json.parse(Json.write(result));

        assertThat(SummaryTable.format(parsed)).isEqualTo(SummaryTable.format(result));
        assertThat(Json.number(parsed, "latencyMicros", "e2e", "p999"))
            .isEqualTo(((Number)Json.get(result, "latencyMicros", "e2e", "p999")).doubleValue());
    }

    @Test
    @SuppressWarnings("unchecked")
    void flagsAMachineSharedWithAnotherLoad()
    {
        final Map<String, Object> result = SampleResults.result("kafka", 650, 10_000.0);
        ((Map<String, Object>)result.get("machine")).put("sharedMachineSuspected", true);
        assertThat(SummaryTable.format(result)).contains("ANOTHER LOAD SHARED THE MACHINE");
    }
}
