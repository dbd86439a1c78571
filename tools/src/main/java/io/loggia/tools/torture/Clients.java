package io.loggia.tools.torture;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

import java.util.Map;

/**
 * What the harness reads from Kafka clients' metrics.
 */
final class Clients
{
    private static final String CONNECTION_COUNT = "connection-count";
    private static final String SELECT_TOTAL = "select-total";

    private Clients()
    {
    }

    /**
     * Connections a client holds open: the sum of its {@code connection-count} gauges. Once this is 0 after a
     * kill, no answer of the dead broker can still reach the client.
     */
    static int connectionCount(final Map<MetricName, ? extends Metric> metrics)
    {
        return (int)sum(metrics, CONNECTION_COUNT);
    }

    /**
     * Times the client's I/O layer has selected: {@code select-total}. A client runs the callbacks of the
     * answers one select read before its next select, so two more selects after the connection count fell to 0
     * mean every answer of the dead broker has been handed to the application.
     */
    static long selectCount(final Map<MetricName, ? extends Metric> metrics)
    {
        return (long)sum(metrics, SELECT_TOTAL);
    }

    private static double sum(final Map<MetricName, ? extends Metric> metrics, final String name)
    {
        double total = 0;
        for (final Map.Entry<MetricName, ? extends Metric> entry : metrics.entrySet())
        {
            if (name.equals(entry.getKey().name()))
            {
                final Object value = entry.getValue().metricValue();
                if (value instanceof Number)
                {
                    total += ((Number)value).doubleValue();
                }
            }
        }
        return total;
    }
}
