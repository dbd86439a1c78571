package io.loggia.tools.dump;

import io.loggia.index.IndexCheck;
import io.loggia.index.OffsetIndex;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Dumps and verifies an offset index ({@code .index}) against the {@code .log} beside it: one line
 * {@code offset: X position: Y} per entry. By Kafka's convention an entry's offset is the <b>last</b> offset of
 * the batch that starts at its position, so each entry is checked for: a whole batch at the position, ending at
 * the offset; offsets strictly increasing; positions never decreasing. A bad entry's line ends with
 * {@code mismatch: <why>}; {@code --verify-index-only} prints only those lines.
 * <p>
 * A preallocated index that was never trimmed (an active segment) ends in zero entries; the dump stops there.
 * {@code --index-sanity-check} instead runs {@link OffsetIndex#sanityCheck(long)}, the check the broker's loader
 * runs before it trusts an index, against the size of the log's whole batches.
 */
final class OffsetIndexDumper
{
    private OffsetIndexDumper()
    {
    }

    static void dump(
        final Path indexFile,
        final MappedFile log,
        final DumpOptions options,
        final PrintStream out,
        final Findings findings) throws IOException
    {
        final long baseOffset = DumpOptions.baseOffsetOf(indexFile);
        final LogHeaders headers = new LogHeaders(log.buffer(), log.length(), baseOffset);
        final long fileLength = Files.size(indexFile);
        try (OffsetIndex index = OffsetIndex.open(indexFile, baseOffset, OffsetIndex.ENTRY_SIZE, false))
        {
            if (options.indexSanityCheck())
            {
                sanityCheck(indexFile, index.sanityCheck(headers.walkEnd()), out, findings);
                return;
            }
            final int entries = index.entries();
            if (0 == entries)
            {
                out.println(indexFile + " has no entries");
            }

            int mismatches = 0;
            long previousOffset = -1;
            int previousPosition = 0;
            for (int slot = 0; slot < entries; slot++)
            {
                final long offset = index.offsetAt(slot);
                final int position = index.positionAt(slot);
                if (isZero(index, baseOffset, slot) && restIsZero(index, baseOffset, slot, entries))
                {
                    out.println("Zero tail: " + (entries - slot) + " empty entries from slot " + slot +
                        " (preallocated, not trimmed)");
                    break;
                }
                final String mismatch = check(headers, offset, position, slot, previousOffset, previousPosition);
                if (null != mismatch)
                {
                    mismatches++;
                    out.println("offset: " + offset + " position: " + position + " mismatch: " + mismatch);
                }
                else if (!options.verifyIndexOnly())
                {
                    out.println("offset: " + offset + " position: " + position);
                }
                previousOffset = offset;
                previousPosition = position;
            }

            findings.add(mismatches, "index entry that does not match the log",
                "index entries that do not match the log");
            final long partial = fileLength % OffsetIndex.ENTRY_SIZE;
            if (0 != partial)
            {
                out.println("Partial entry: the file ends with " + partial + " bytes that are not a whole entry");
                findings.add("a partial entry at the end");
            }
        }
    }

    static void sanityCheck(final Path indexFile, final int code, final PrintStream out, final Findings findings)
    {
        if (IndexCheck.OK == code)
        {
            out.println(indexFile + " passed the sanity check");
        }
        else
        {
            out.println(indexFile + " failed the sanity check: " + IndexCheck.describe(code));
            findings.add("a failed sanity check (" + IndexCheck.describe(code) + ")");
        }
    }

    private static String check(
        final LogHeaders headers,
        final long offset,
        final int position,
        final int slot,
        final long previousOffset,
        final int previousPosition)
    {
        if (slot > 0 && offset <= previousOffset)
        {
            return "offset not above the previous entry's " + previousOffset;
        }
        if (position < previousPosition)
        {
            return "position below the previous entry's " + previousPosition;
        }
        if (position >= headers.limit())
        {
            return "position at or past the end of the log (" + headers.limit() + " bytes)";
        }
        if (headers.batchSizeAt(position) < 0)
        {
            return "no whole batch starts at this position";
        }
        final long logOffset = headers.lastOffsetAt(position);
        if (logOffset != offset)
        {
            return "the batch at this position ends at offset " + logOffset;
        }
        return null;
    }

    private static boolean isZero(final OffsetIndex index, final long baseOffset, final int slot)
    {
        return baseOffset == index.offsetAt(slot) && 0 == index.positionAt(slot);
    }

    private static boolean restIsZero(final OffsetIndex index, final long baseOffset, final int from, final int entries)
    {
        for (int slot = from + 1; slot < entries; slot++)
        {
            if (!isZero(index, baseOffset, slot))
            {
                return false;
            }
        }
        return true;
    }
}
