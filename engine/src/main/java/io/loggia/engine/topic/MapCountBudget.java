package io.loggia.engine.topic;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Whether the process can map the files of more partitions: every segment maps its log, offset index and time
 * index, and Linux caps a process's mappings ({@code vm.max_map_count}, 65,530 by default). At the cap the JVM
 * itself cannot map memory (a thread stack, a heap region) and ends, so a creation that would leave fewer than
 * {@link #reserve} mappings free is refused instead, before anything is created.
 * <pre>
 *   mappings (/proc/self/maps lines, re-read at most every second) + mappings of partitions created since
 *     + mappings of the new partitions + reserve  <=  vm.max_map_count
 * </pre>
 * The kernel formats every mapping as text for that read (tens of thousands here, not timed), hence the
 * slower refresh than {@link OpenFileBudget}'s.
 * Controller thread only; where /proc is not there, no limit.
 */
final class MapCountBudget
{
    /** Mappings a new partition holds: its active segment's log, offset index and time index. */
    static final int MAPS_PER_PARTITION = 3;
    static final long REFRESH_NS = TimeUnit.SECONDS.toNanos(1);
    static final long MIN_RESERVE = 1024;

    private final Path maxMapCount;
    private final Path maps;
    private long limit;
    private long reserve;
    private long lastCheckNs;
    private long mapped;
    private long createdSince;
    private boolean checked;
    private boolean unavailable;

    MapCountBudget()
    {
        this(Path.of("/proc/sys/vm/max_map_count"), Path.of("/proc/self/maps"));
    }

    MapCountBudget(final Path maxMapCount, final Path maps)
    {
        this.maxMapCount = maxMapCount;
        this.maps = maps;
    }

    /** @return null if {@code partitions} more fit, else why not (one line). */
    String check(final long partitions, final long nowNs)
    {
        if (unavailable)
        {
            return null;
        }
        if (!checked || nowNs - lastCheckNs > REFRESH_NS)
        {
            try
            {
                // the limit too: an operator may raise it while the broker runs (sysctl)
                limit = Long.parseLong(firstLine(maxMapCount).trim());
                mapped = countLines(maps);
            }
            catch (final IOException | NumberFormatException ex)
            {
                unavailable = true;
                return null;
            }
            reserve = Math.max(MIN_RESERVE, limit / 10);
            createdSince = 0;
            lastCheckNs = nowNs;
            checked = true;
        }
        final long needed = partitions * MAPS_PER_PARTITION;
        if (mapped + createdSince + needed + reserve <= limit)
        {
            return null;
        }
        return "The broker cannot map the files of " + partitions + " more partition(s): " + (mapped + createdSince) +
            " of its " + limit + " memory mappings are in use and " + reserve + " are kept free; raise " +
            "vm.max_map_count (sysctl) or delete topics.";
    }

    /** Count partitions created since the last refresh. */
    void created(final int partitions)
    {
        createdSince += (long)partitions * MAPS_PER_PARTITION;
    }

    /** Not Files.readString: on Java 17 it reads one byte of a /proc/sys file, whose reported size is 0. */
    private static String firstLine(final Path file) throws IOException
    {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII))
        {
            final String line = reader.readLine();
            if (null == line)
            {
                throw new IOException(file + " is empty");
            }
            return line;
        }
    }

    private static long countLines(final Path file) throws IOException
    {
        long lines = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII))
        {
            while (null != reader.readLine())
            {
                lines++;
            }
        }
        return lines;
    }
}
