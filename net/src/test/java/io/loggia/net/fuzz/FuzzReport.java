package io.loggia.net.fuzz;

import org.apache.kafka.common.protocol.ApiKeys;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * Counts of a fuzz run (inputs by origin, outcomes, verdicts, per API) and the first findings of each kind, with
 * enough to replay them: the input's description and bytes.
 */
final class FuzzReport
{
    /** Findings kept per verdict; the rest are only counted. */
    static final int KEPT_PER_VERDICT = 5;

    /**
     * One finding.
     *
     * @param verdict what is wrong ({@link Verdict}).
     * @param input   the input, described.
     * @param hex     its frame, hex.
     * @param detail  what the oracle saw.
     */
    record Finding(int verdict, String input, String hex, String detail)
    {
        public String toString()
        {
            return Verdict.name(verdict) + ": " + input + "\n    " + detail + "\n    frame " +
                (hex.length() > 400 ? hex.substring(0, 400) + "..." : hex);
        }
    }

    private final long[] outcomes = new long[Outcome.COUNT];
    private final long[] verdicts = new long[Verdict.COUNT];
    private final long[] origins = new long[3];
    private final TreeMap<String, long[]> byApi = new TreeMap<>();
    private final List<Finding> findings = new ArrayList<>();
    private long inputs;
    private long sentinels;

    synchronized void record(final FuzzInput input, final int outcome, final int verdict, final String detail)
    {
        inputs++;
        outcomes[outcome]++;
        verdicts[verdict]++;
        origins[input.origin]++;
        final String api = input.seedApiKey >= 0 && ApiKeys.hasId(input.seedApiKey) ?
            ApiKeys.forId(input.seedApiKey).name : "random";
        byApi.computeIfAbsent(api, key -> new long[Outcome.COUNT])[outcome]++;
        if (verdict != Verdict.OK && countKept(verdict) < KEPT_PER_VERDICT)
        {
            findings.add(new Finding(verdict, input.toString(), input.hex(), detail));
        }
    }

    synchronized void sentinel()
    {
        sentinels++;
    }

    synchronized long inputs()
    {
        return inputs;
    }

    /** Findings that are failures: every verdict but OK and the known differences. */
    synchronized long findingCount()
    {
        long count = 0;
        for (int v = 1; v < Verdict.COUNT; v++)
        {
            count += Verdict.isKnownDifference(v) ? 0 : verdicts[v];
        }
        return count;
    }

    synchronized long verdicts(final int verdict)
    {
        return verdicts[verdict];
    }

    synchronized long outcomes(final int outcome)
    {
        return outcomes[outcome];
    }

    synchronized List<Finding> findings()
    {
        return List.copyOf(findings);
    }

    synchronized void add(final FuzzReport other)
    {
        inputs += other.inputs;
        sentinels += other.sentinels;
        for (int i = 0; i < Outcome.COUNT; i++)
        {
            outcomes[i] += other.outcomes[i];
        }
        for (int i = 0; i < Verdict.COUNT; i++)
        {
            verdicts[i] += other.verdicts[i];
        }
        for (int i = 0; i < origins.length; i++)
        {
            origins[i] += other.origins[i];
        }
        other.byApi.forEach((api, counts) ->
        {
            final long[] mine = byApi.computeIfAbsent(api, key -> new long[Outcome.COUNT]);
            for (int i = 0; i < counts.length; i++)
            {
                mine[i] += counts[i];
            }
        });
        for (final Finding finding : other.findings)
        {
            if (countKept(finding.verdict()) < KEPT_PER_VERDICT)
            {
                findings.add(finding);
            }
        }
    }

    private int countKept(final int verdict)
    {
        int count = 0;
        for (final Finding finding : findings)
        {
            if (finding.verdict() == verdict)
            {
                count++;
            }
        }
        return count;
    }

    public synchronized String toString()
    {
        final StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "inputs %,d (mutated %,d, valid %,d, random %,d), sentinels %,d%n",
            inputs, origins[FuzzInput.MUTATED], origins[FuzzInput.VALID], origins[FuzzInput.RANDOM], sentinels));
        out.append("outcomes:");
        for (int i = 0; i < Outcome.COUNT; i++)
        {
            out.append(String.format(Locale.ROOT, " %s %,d", Outcome.name(i), outcomes[i]));
        }
        out.append(String.format("%nverdicts:"));
        for (int i = 0; i < Verdict.COUNT; i++)
        {
            out.append(String.format(Locale.ROOT, " %s %,d", Verdict.name(i), verdicts[i]));
        }
        out.append(String.format("%nper API (answered/no-response/closed/abandoned/timed-out):%n"));
        byApi.forEach((api, counts) -> out.append(String.format(Locale.ROOT, "  %-26s %,d/%,d/%,d/%,d/%,d%n",
            api, counts[0], counts[1], counts[2], counts[3], counts[4])));
        for (final Finding finding : findings)
        {
            out.append(finding).append(String.format("%n"));
        }
        return out.toString();
    }
}
