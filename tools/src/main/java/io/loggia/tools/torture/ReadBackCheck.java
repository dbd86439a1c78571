package io.loggia.tools.torture;

import org.agrona.collections.LongHashSet;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Compares a partition read back from its log start with the {@link AckLog}, one record at a time, in offset
 * order:
 * <ul>
 *     <li><b>lost</b>: an acknowledged sequence that is not in the log;</li>
 *     <li><b>misplaced</b>: an acknowledged sequence found at another offset than the one acknowledged;</li>
 *     <li><b>duplicated</b>: a sequence stored twice (acknowledged or not: the idempotent producer's retries must
 *     never be stored twice);</li>
 *     <li><b>corrupt</b>: a record whose key or value differs in any byte from what was sent;</li>
 *     <li><b>out of order</b>: a sequence stored after a higher one of the same partition;</li>
 *     <li><b>gaps</b>: offsets that do not run contiguously from the log start to the end (Loggia stores every
 *     offset: no compaction), or a read that ended before the log end.</li>
 * </ul>
 * Unacknowledged records may be present or not; present ones are counted but are not violations. Counts of one
 * check are in the fields named after them; the distinct records that ever failed a check are kept across
 * checks, so a record lost at one check and still lost at the next counts once in the run's totals.
 * <p>
 * Used by the harness's main thread only.
 */
final class ReadBackCheck
{
    private static final int MAX_EXAMPLES = 20;

    private final AckLog ackLog;
    private final Payloads payloads;
    private final BitSet[] everLost;
    private final BitSet[] everDuplicated;
    private final BitSet[] everMisplaced;
    private final BitSet[] everOutOfOrder;
    private final LongHashSet everCorrupt = new LongHashSet();
    private final List<String> examples = new ArrayList<>();

    long records;
    long unacknowledgedPresent;
    long lost;
    long misplaced;
    long duplicated;
    long corrupt;
    long outOfOrder;
    long gaps;

    private int partition;
    private BitSet seen;
    private long lastSequence;
    private long expectedOffset;

    ReadBackCheck(final AckLog ackLog, final Payloads payloads)
    {
        this.ackLog = ackLog;
        this.payloads = payloads;
        final int partitions = ackLog.partitions();
        everLost = bitSets(partitions);
        everDuplicated = bitSets(partitions);
        everMisplaced = bitSets(partitions);
        everOutOfOrder = bitSets(partitions);
    }

    /** Start a check of the whole log: the counts of the previous check are cleared. */
    void begin()
    {
        records = 0;
        unacknowledgedPresent = 0;
        lost = 0;
        misplaced = 0;
        duplicated = 0;
        corrupt = 0;
        outOfOrder = 0;
        gaps = 0;
        examples.clear();
    }

    void beginPartition(final int partition, final long logStartOffset)
    {
        this.partition = partition;
        seen = new BitSet();
        lastSequence = -1;
        expectedOffset = logStartOffset;
        if (0 != logStartOffset)
        {
            gaps++;
            example("partition " + partition + " starts at offset " + logStartOffset + ", not 0 (nothing deletes data)");
        }
    }

    void onRecord(final long offset, final byte[] key, final byte[] value)
    {
        records++;
        if (offset != expectedOffset)
        {
            gaps++;
            example("partition " + partition + ": offset " + offset + " follows offset " + (expectedOffset - 1));
        }
        expectedOffset = offset + 1;

        final long sequence = payloads.sequenceOf(partition, key, value);
        if (Payloads.NOT_A_PAYLOAD == sequence || sequence >= ackLog.sent(partition))
        {
            corrupt++;
            everCorrupt.add(((long)partition << 48) | offset);
            example("partition " + partition + " offset " + offset + ": corrupt record (key " + length(key) +
                " bytes, value " + length(value) + " bytes, not what was sent)");
            return;
        }
        if (seen.get((int)sequence))
        {
            duplicated++;
            everDuplicated[partition].set((int)sequence);
            example("partition " + partition + " offset " + offset + ": sequence " + sequence + " stored again");
            return;
        }
        seen.set((int)sequence);
        if (sequence < lastSequence)
        {
            outOfOrder++;
            everOutOfOrder[partition].set((int)sequence);
            example("partition " + partition + " offset " + offset + ": sequence " + sequence + " after sequence " +
                lastSequence);
        }
        lastSequence = Math.max(lastSequence, sequence);

        final long acknowledgedOffset = ackLog.offsetOf(partition, sequence);
        if (acknowledgedOffset >= 0 && acknowledgedOffset != offset)
        {
            misplaced++;
            everMisplaced[partition].set((int)sequence);
            example("partition " + partition + ": sequence " + sequence + " acknowledged at offset " +
                acknowledgedOffset + " is at offset " + offset);
        }
        else if (acknowledgedOffset < 0)
        {
            unacknowledgedPresent++;
        }
    }

    /**
     * @param logEndOffset where the read was meant to end; a read that stopped short counts as a gap.
     */
    void endPartition(final long logEndOffset)
    {
        if (expectedOffset != logEndOffset)
        {
            gaps++;
            example("partition " + partition + ": read ended at offset " + expectedOffset + ", log end is " +
                logEndOffset);
        }
        final long sent = ackLog.sent(partition);
        for (long sequence = 0; sequence < sent; sequence++)
        {
            final long acknowledgedOffset = ackLog.offsetOf(partition, sequence);
            if (acknowledgedOffset >= 0 && !seen.get((int)sequence))
            {
                lost++;
                everLost[partition].set((int)sequence);
                example("partition " + partition + ": sequence " + sequence + " acknowledged at offset " +
                    acknowledgedOffset + " is gone");
            }
        }
        seen = null;
    }

    /** Violations found by the last check. */
    long violations()
    {
        return lost + misplaced + duplicated + corrupt + outOfOrder + gaps;
    }

    /** Up to {@value #MAX_EXAMPLES} lines describing the last check's violations. */
    List<String> examples()
    {
        return examples;
    }

    long everLost()
    {
        return cardinality(everLost);
    }

    long everDuplicated()
    {
        return cardinality(everDuplicated);
    }

    long everMisplaced()
    {
        return cardinality(everMisplaced);
    }

    long everOutOfOrder()
    {
        return cardinality(everOutOfOrder);
    }

    long everCorrupt()
    {
        return everCorrupt.size();
    }

    private void example(final String line)
    {
        if (examples.size() < MAX_EXAMPLES)
        {
            examples.add(line);
        }
    }

    private static int length(final byte[] bytes)
    {
        return null == bytes ? -1 : bytes.length;
    }

    private static BitSet[] bitSets(final int count)
    {
        final BitSet[] sets = new BitSet[count];
        for (int i = 0; i < count; i++)
        {
            sets[i] = new BitSet();
        }
        return sets;
    }

    private static long cardinality(final BitSet[] sets)
    {
        long total = 0;
        for (final BitSet set : sets)
        {
            total += set.cardinality();
        }
        return total;
    }
}
