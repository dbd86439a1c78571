package io.loggia.engine.topic;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.concurrent.TimeUnit;

/**
 * Whether the process can open the files of more partitions: every segment holds its log file open (the channel
 * fetches send from), so a broker of tens of thousands of partitions meets the process's open-file limit, and
 * then every part of it that opens a file (accepting a connection, rolling a segment, deleting a directory)
 * fails. A creation that would leave fewer than {@link #reserve} files free is refused instead, before anything
 * is created.
 * <pre>
 *   open files (the OS count and limit, re-read at most every 100 ms) + files of partitions created since
 *     + files of the new partitions + reserve  <=  the open-file limit
 * </pre>
 * Controller thread only.
 */
final class OpenFileBudget
{
    /** Files a new partition opens and keeps: its active segment's log file. */
    static final int FILES_PER_PARTITION = 1;
    static final long REFRESH_NS = TimeUnit.MILLISECONDS.toNanos(100);
    static final long MIN_RESERVE = 1024;

    private final com.sun.management.UnixOperatingSystemMXBean os;
    private long limit;
    private long reserve;
    private long lastCheckNs;
    private long open;
    private long createdSince;
    private boolean checked;

    OpenFileBudget()
    {
        final OperatingSystemMXBean bean = ManagementFactory.getOperatingSystemMXBean();
        this.os = bean instanceof com.sun.management.UnixOperatingSystemMXBean ?
            (com.sun.management.UnixOperatingSystemMXBean)bean : null;
    }

    /** @return null if {@code partitions} more fit, else why not (one line). */
    String check(final long partitions, final long nowNs)
    {
        if (null == os)
        {
            return null;
        }
        if (!checked || nowNs - lastCheckNs > REFRESH_NS)
        {
            // the limit too: an operator may raise it on the running process (prlimit)
            limit = os.getMaxFileDescriptorCount();
            reserve = Math.max(MIN_RESERVE, limit / 10);
            open = os.getOpenFileDescriptorCount();
            createdSince = 0;
            lastCheckNs = nowNs;
            checked = true;
        }
        final long needed = partitions * FILES_PER_PARTITION;
        if (open + createdSince + needed + reserve <= limit)
        {
            return null;
        }
        return "The broker cannot keep the files of " + partitions + " more partition(s) open: " +
            (open + createdSince) + " of its " + limit + " open files are in use and " + reserve +
            " are kept free; raise the open-file limit (ulimit -n) or delete topics.";
    }

    /** Count partitions created since the last refresh. */
    void created(final int partitions)
    {
        createdSince += (long)partitions * FILES_PER_PARTITION;
    }
}
