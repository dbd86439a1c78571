package io.loggia.perf;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTest
{
    @Test
    void writesAndParsesNestedDocuments()
    {
        final Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("p99", 412L);
        inner.put("mean", 12.5);
        inner.put("missing", Double.NaN);
        inner.put("distribution", List.of(List.of(50.0, 100L), List.of(99.9, 2000L)));
        final Map<String, Object> root = new LinkedHashMap<>();
        root.put("label", "kafka \"4.4\"\n\ttab\\ \u0001");
        root.put("ok", true);
        root.put("none", null);
        root.put("empty", new LinkedHashMap<>());
        root.put("list", new ArrayList<>());
        root.put("latency", inner);
        root.put("big", 1L << 53);
        root.put("small", 1.0e-7);

        final Object parsed = Json.parse(Json.write(root));

        assertThat(Json.string(parsed, "label")).isEqualTo("kafka \"4.4\"\n\ttab\\ \u0001");
        assertThat(Json.get(parsed, "ok")).isEqualTo(Boolean.TRUE);
        assertThat(Json.get(parsed, "none")).isNull();
        assertThat((Map<?, ?>)Json.get(parsed, "empty")).isEmpty();
        assertThat((List<?>)Json.get(parsed, "list")).isEmpty();
        assertThat(Json.number(parsed, "latency", "p99")).isEqualTo(412.0);
        assertThat(Json.number(parsed, "latency", "mean")).isEqualTo(12.5);
        assertThat(Json.get(parsed, "latency", "missing")).isNull();
        assertThat(Json.number(parsed, "latency", "missing")).isNaN();
        assertThat(Json.number(parsed, "big")).isEqualTo(9.007199254740992E15);
        assertThat(Json.number(parsed, "small")).isEqualTo(1.0e-7);
        assertThat(Json.get(parsed, "latency", "distribution")).isEqualTo(
            List.of(List.of(50.0, 100.0), List.of(99.9, 2000.0)));
        assertThat(Json.get(parsed, "no", "such", "path")).isNull();
    }

    @Test
    void parsesStandardJsonFromElsewhere()
    {
        final Object parsed = Json.parse(" {\"a\" : [1, -2.5e3, \"\\u00e9\\/\"], \"b\":{\"c\":false}} ");
        assertThat(Json.get(parsed, "a")).isEqualTo(List.of(1.0, -2500.0, "\u00e9/"));
        assertThat(Json.get(parsed, "b", "c")).isEqualTo(Boolean.FALSE);
    }

    @Test
    void rejectsMalformedText()
    {
        for (final String bad : new String[] { "", "{", "{\"a\" 1}", "[1,]", "{\"a\":1} x", "\"open", "tru", "-" })
        {
            assertThatThrownBy(() -> Json.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
