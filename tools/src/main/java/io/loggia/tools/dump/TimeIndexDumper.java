package io.loggia.tools.dump;

import io.loggia.index.TimeIndex;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Dumps and verifies a time index ({@code .timeindex}) against the {@code .log} beside it: one line
 * {@code timestamp: T offset: O} per entry. An entry says that the batch whose <b>last</b> offset is O holds
 * the segment's largest timestamp so far, T; so each entry is checked for: a batch ending exactly at O, whose
 * max timestamp is T; timestamps and offsets strictly increasing. A bad entry's line ends with
 * {@code mismatch: <why>}; {@code --verify-index-only} prints only those lines.
 * <p>
 * Entries are checked in one forward pass over the batch headers (offsets increase), restarting from the
 * log's start only after an entry whose offset went backwards. A never-trimmed index ends in zero entries; the
 * dump stops there. {@code --index-sanity-check} runs {@link TimeIndex#sanityCheck(long)} against the offset
 * after the log's last whole batch.
 */
final class TimeIndexDumper
{
    private TimeIndexDumper()
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
        try (TimeIndex index = TimeIndex.open(indexFile, baseOffset, TimeIndex.ENTRY_SIZE, false))
        {
            if (options.indexSanityCheck())
            {
                OffsetIndexDumper.sanityCheck(indexFile, index.sanityCheck(headers.nextOffset()), out, findings);
                return;
            }
            final int entries = index.entries();
            if (0 == entries)
            {
                out.println(indexFile + " has no entries");
            }

            int mismatches = 0;
            long previousTimestamp = TimeIndex.NO_TIMESTAMP;
            long previousOffset = -1;
            int scanPosition = 0;
            for (int slot = 0; slot < entries; slot++)
            {
                final long timestamp = index.timestampAt(slot);
                final long offset = index.offsetAt(slot);
                if (isZero(index, baseOffset, slot) && restIsZero(index, baseOffset, slot, entries))
                {
                    out.println("Zero tail: " + (entries - slot) + " empty entries from slot " + slot +
                        " (preallocated, not trimmed)");
                    break;
                }
                if (offset <= previousOffset)
                {
                    scanPosition = 0;
                }
                scanPosition = findBatchEndingAtOrAfter(headers, offset, scanPosition);

                String mismatch = null;
                if (slot > 0 && timestamp <= previousTimestamp)
                {
                    mismatch = "timestamp not above the previous entry's " + previousTimestamp;
                }
                else if (slot > 0 && offset <= previousOffset)
                {
                    mismatch = "offset not above the previous entry's " + previousOffset;
                }
                else if (scanPosition < 0)
                {
                    mismatch = "no batch in the log holds this offset";
                }
                else if (headers.lastOffsetAt(scanPosition) != offset)
                {
                    mismatch = "the batch holding this offset ends at offset " + headers.lastOffsetAt(scanPosition);
                }
                else if (headers.maxTimestampAt(scanPosition) != timestamp)
                {
                    mismatch = "the batch ending at this offset has max timestamp " +
                        headers.maxTimestampAt(scanPosition);
                }

                if (null != mismatch)
                {
                    mismatches++;
                    out.println("timestamp: " + timestamp + " offset: " + offset + " mismatch: " + mismatch);
                }
                else if (!options.verifyIndexOnly())
                {
                    out.println("timestamp: " + timestamp + " offset: " + offset);
                }
                if (scanPosition < 0)
                {
                    scanPosition = 0;
                }
                previousTimestamp = timestamp;
                previousOffset = offset;
            }

            findings.add(mismatches, "time index entry that does not match the log",
                "time index entries that do not match the log");
            final long partial = fileLength % TimeIndex.ENTRY_SIZE;
            if (0 != partial)
            {
                out.println("Partial entry: the file ends with " + partial + " bytes that are not a whole entry");
                findings.add("a partial entry at the end");
            }
        }
    }

    /** Position of the first whole batch from {@code from} whose last offset is at least {@code offset}, or -1. */
    private static int findBatchEndingAtOrAfter(final LogHeaders headers, final long offset, final int from)
    {
        int position = from;
        int size;
        while ((size = headers.batchSizeAt(position)) > 0)
        {
            if (headers.lastOffsetAt(position) >= offset)
            {
                return position;
            }
            position += size;
        }
        return -1;
    }

    private static boolean isZero(final TimeIndex index, final long baseOffset, final int slot)
    {
        return 0 == index.timestampAt(slot) && baseOffset == index.offsetAt(slot);
    }

    private static boolean restIsZero(final TimeIndex index, final long baseOffset, final int from, final int entries)
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
