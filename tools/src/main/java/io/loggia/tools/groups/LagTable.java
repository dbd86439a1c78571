package io.loggia.tools.groups;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The table of {@code loggia groups --describe}: Kafka's {@code kafka-consumer-groups --describe} columns, with
 * LAG-TIME after LAG. Columns are left-aligned, as wide as their widest cell, one space apart; a missing value is
 * {@code -}.
 * <pre>
 * GROUP  TOPIC  PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG LAG-TIME CONSUMER-ID      HOST       CLIENT-ID
 * orders events 0         1200           1450           250 4.210s   consumer-1-5f3...  /10.0.0.7  consumer-1
 * </pre>
 */
final class LagTable
{
    static final String[] HEADER = {
        "GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "LAG-TIME", "CONSUMER-ID", "HOST",
        "CLIENT-ID"};
    static final String MISSING = "-";

    private LagTable()
    {
    }

    static void print(final List<PartitionLag> rows, final PrintStream out)
    {
        final List<String[]> cells = new ArrayList<>(rows.size() + 1);
        cells.add(HEADER);
        for (final PartitionLag row : rows)
        {
            cells.add(cells(row));
        }
        final int[] widths = new int[HEADER.length];
        for (final String[] line : cells)
        {
            for (int i = 0; i < line.length; i++)
            {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        final StringBuilder text = new StringBuilder(128);
        for (final String[] line : cells)
        {
            text.setLength(0);
            for (int i = 0; i < line.length; i++)
            {
                text.append(line[i]);
                if (i < line.length - 1)
                {
                    for (int pad = line[i].length(); pad <= widths[i]; pad++)
                    {
                        text.append(' ');
                    }
                }
            }
            out.println(text);
        }
    }

    static String[] cells(final PartitionLag row)
    {
        final boolean hasLag = row.hasLag();
        return new String[]{
            row.group(),
            row.topic(),
            Integer.toString(row.partition()),
            row.committed() == PartitionLag.UNKNOWN ? MISSING : Long.toString(row.committed()),
            row.logEnd() == PartitionLag.UNKNOWN ? MISSING : Long.toString(row.logEnd()),
            hasLag ? Long.toString(row.lag()) : MISSING,
            lagTime(row),
            orMissing(row.consumerId()),
            orMissing(row.host()),
            orMissing(row.clientId())};
    }

    /** "-" without lag; "?" with lag whose oldest record could not be read or has no timestamp. */
    private static String lagTime(final PartitionLag row)
    {
        if (!row.hasLag() || row.lag() <= 0)
        {
            return MISSING;
        }
        return row.lagTimeMs() == PartitionLag.UNKNOWN ? "?" : DurationText.format(row.lagTimeMs());
    }

    private static String orMissing(final String value)
    {
        return null == value || value.isEmpty() ? MISSING : value;
    }
}
