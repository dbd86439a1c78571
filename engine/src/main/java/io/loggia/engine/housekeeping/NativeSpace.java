package io.loggia.engine.housekeeping;

import net.openhft.posix.PosixAPI;

/**
 * The three system calls the housekeeper needs, through OpenHFT posix (JNR): {@code open} for a descriptor,
 * {@code fallocate} to reserve disk blocks (so a full disk is an error code here, never a SIGBUS in the
 * writer's mapping) and {@code madvise(MADV_POPULATE_WRITE)} to fault the pages in ahead of the writer.
 * <p>
 * Loading JNR takes about 240 ms, so {@link #load()} runs on the housekeeper's thread after start. It returns
 * null wherever the calls are not available: not Linux, JNR missing or failing to link (posix then hands out a
 * no-op implementation, which is refused here), or any other {@link Throwable}.
 * <p>
 * Used by the housekeeper thread only.
 */
final class NativeSpace
{
    /** Linux {@code MADV_NORMAL}: the default read-around. */
    static final int MADV_NORMAL = 0;
    /** Linux {@code MADV_RANDOM}: no read-around when a page of the mapping faults. */
    static final int MADV_RANDOM = 1;
    /** Linux {@code MADV_POPULATE_WRITE} (5.14+): populate page tables writable, faulting pages in. */
    static final int MADV_POPULATE_WRITE = 23;
    /** {@code FALLOC_FL_KEEP_SIZE}: allocate without changing the file size (the file is already preallocated). */
    static final int FALLOC_FL_KEEP_SIZE = 1;
    static final int O_RDWR = 2;
    static final int ENOSPC = 28;
    static final int EDQUOT = 122;
    static final int EINVAL = 22;
    static final int EOPNOTSUPP = 95;

    private final PosixAPI posix;

    private NativeSpace(final PosixAPI posix)
    {
        this.posix = posix;
    }

    /** @return the calls, or null if this platform cannot make them. */
    static NativeSpace load()
    {
        try
        {
            if (!System.getProperty("os.name", "").startsWith("Linux"))
            {
                return null;
            }
            final PosixAPI posix = PosixAPI.posix();
            if (posix.getClass().getName().contains("NoOp"))
            {
                return null;
            }
            return new NativeSpace(posix);
        }
        catch (final Throwable ex)
        {
            return null;
        }
    }

    /** @return a read-write descriptor, or {@code -errno}. */
    int open(final String path)
    {
        final int fd = posix.open(path, O_RDWR, 0);
        return fd >= 0 ? fd : -Math.max(1, posix.lastError());
    }

    void close(final int fd)
    {
        posix.close(fd);
    }

    /**
     * Reserve disk blocks for {@code [offset, offset + length)} without changing the file size.
     *
     * @return 0 or the errno ({@link #ENOSPC}, {@link #EDQUOT} on a full disk).
     */
    int fallocate(final int fd, final long offset, final long length)
    {
        // KEEP_SIZE also keeps posix from "emulating" a failed call at offset 0 with ftruncate, which would hide
        // ENOSPC
        return 0 == posix.fallocate(fd, FALLOC_FL_KEEP_SIZE, offset, length) ? 0 : Math.max(1, posix.lastError());
    }

    /**
     * Fault in {@code [address, address + length)} of a shared file mapping, writable, without changing a byte.
     *
     * @param address page aligned.
     * @return 0 or the errno ({@link #EINVAL} on kernels without MADV_POPULATE_WRITE).
     */
    int populate(final long address, final long length)
    {
        return 0 == posix.madvise(address, length, MADV_POPULATE_WRITE) ? 0 : Math.max(1, posix.lastError());
    }

    /**
     * Turn read-around on ({@code MADV_NORMAL}) or off ({@code MADV_RANDOM}) for faults in {@code [address, address + length)} of a
     * mapping. A fault in a file mapping reads the device's whole read-ahead window around the page (8 MiB on the
     * reference VM's disk), and over the holes of a new segment file that means zeroing 8 MiB of fresh page cache:
     * 2.3 ms and 8 MiB of memory for the first write into a new partition, where the housekeeper meant to prepare
     * 64 KiB. Once a partition is busy, read-around is what makes populating fast: it brings the window in as
     * large folios (populating 16 MiB ran at 1.1-1.4 GB/s with it, 0.65 without, in a C test on this VM).
     * Readers are not affected: fetches read the file through sendfile, which has its own read-ahead, and the
     * recovery scan maps the file again.
     *
     * @param address page aligned.
     * @return 0 or the errno.
     */
    int readAround(final long address, final long length, final boolean on)
    {
        return 0 == posix.madvise(address, length, on ? MADV_NORMAL : MADV_RANDOM) ? 0 :
            Math.max(1, posix.lastError());
    }

    static boolean isOutOfSpace(final int errno)
    {
        return ENOSPC == errno || EDQUOT == errno;
    }
}
