package io.loggia.tools.groups;

/**
 * Durations as operators read them, most significant units first and at most two of them:
 * {@code 850ms}, {@code 12.345s}, {@code 12m05s}, {@code 5h07m}, {@code 3d04h}.
 */
final class DurationText
{
    private static final long SECOND = 1_000;
    private static final long MINUTE = 60 * SECOND;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;

    private DurationText()
    {
    }

    static String format(final long ms)
    {
        if (ms < SECOND)
        {
            return Math.max(0, ms) + "ms";
        }
        if (ms < MINUTE)
        {
            return String.format("%d.%03ds", ms / SECOND, ms % SECOND);
        }
        if (ms < HOUR)
        {
            return String.format("%dm%02ds", ms / MINUTE, (ms % MINUTE) / SECOND);
        }
        if (ms < DAY)
        {
            return String.format("%dh%02dm", ms / HOUR, (ms % HOUR) / MINUTE);
        }
        return String.format("%dd%02dh", ms / DAY, (ms % DAY) / HOUR);
    }
}
