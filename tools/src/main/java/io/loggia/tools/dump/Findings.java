package io.loggia.tools.dump;

import java.util.ArrayList;
import java.util.List;

/**
 * What the verification of one file found wrong, counted by kind, for the one summary line the dump prints on
 * standard error per failing file: {@code Found 2 invalid batches, 1 offset gap in /data/orders-0/00...0.log}.
 */
final class Findings
{
    private final List<String> parts = new ArrayList<>();

    /** Count {@code count} problems of one kind; zero adds nothing. */
    void add(final long count, final String singular, final String plural)
    {
        if (count > 0)
        {
            parts.add(count + " " + (1 == count ? singular : plural));
        }
    }

    /** A problem that is not counted, e.g. a failed sanity check. */
    void add(final String problem)
    {
        parts.add(problem);
    }

    boolean isEmpty()
    {
        return parts.isEmpty();
    }

    String summary(final Object file)
    {
        return "Found " + String.join(", ", parts) + " in " + file;
    }
}
