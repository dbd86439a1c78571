package io.loggia.perf;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LatencyPlotTest
{
    @Test
    void overlaysSeveralRunsInWellFormedSvg() throws Exception
    {
        final List<LatencyPlot.Series> series = new ArrayList<>();
        series.add(LatencyPlot.Series.fromDistribution("loggia <fast> & \"lean\"",
            LatencySummary.distribution(SampleResults.histogram(80))));
        series.add(LatencyPlot.Series.fromDistribution("kafka-4.4",
            LatencySummary.distribution(SampleResults.histogram(650))));

        for (final boolean logY : new boolean[] { false, true })
        {
            final Document svg = parse(LatencyPlot.svg("e2e-10k-100b: loggia vs kafka", series, logY));

            assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");
            final NodeList polylines = svg.getElementsByTagName("polyline");
            assertThat(polylines.getLength()).isEqualTo(2);
            for (int i = 0; i < polylines.getLength(); i++)
            {
                final String[] points = ((Element)polylines.item(i)).getAttribute("points").split(" ");
                assertThat(points.length).isGreaterThan(10);
                double lastX = -1;
                for (final String point : points)
                {
                    final double x = Double.parseDouble(point.split(",")[0]);
                    final double y = Double.parseDouble(point.split(",")[1]);
                    assertThat(x).isGreaterThanOrEqualTo(lastX).isBetween(LatencyPlot.x(50.0), LatencyPlot.x(99.999));
                    assertThat(y).isBetween(0.0, 560.0);
                    lastX = x;
                }
            }
            final StringBuilder text = new StringBuilder();
            final NodeList texts = svg.getElementsByTagName("text");
            for (int i = 0; i < texts.getLength(); i++)
            {
                text.append(texts.item(i).getTextContent()).append('|');
            }
            assertThat(text).contains("loggia <fast> & \"lean\"|", "kafka-4.4|", "99.999%|", "50%|", "99.9%|");
        }
    }

    @Test
    void percentileAxisIsLogarithmicInTheDistanceTo100()
    {
        final double step = LatencyPlot.x(99.0) - LatencyPlot.x(90.0);
        assertThat(LatencyPlot.x(99.9) - LatencyPlot.x(99.0)).isCloseTo(step, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(LatencyPlot.x(99.99) - LatencyPlot.x(99.9)).isCloseTo(step, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(LatencyPlot.x(50.0)).isLessThan(LatencyPlot.x(90.0));
    }

    @Test
    void emptySeriesStillMakeAValidDocument() throws Exception
    {
        final Document svg = parse(LatencyPlot.svg("nothing", List.of(
            LatencyPlot.Series.fromDistribution("empty", List.of())), false));
        assertThat(svg.getElementsByTagName("polyline").getLength()).isZero();
    }

    @Test
    void runPlotDrawsEachLatencyOfTheResult() throws Exception
    {
        final Document svg = parse(RunOutput.plot(SampleResults.result("loggia", 100, 10_000.0)));
        assertThat(svg.getElementsByTagName("polyline").getLength()).isEqualTo(4);
    }

    static Document parse(final String svg) throws Exception
    {
        final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }
}
