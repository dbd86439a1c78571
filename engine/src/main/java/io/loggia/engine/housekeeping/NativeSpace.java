package io.loggia.engine.housekeeping;

import net.openhft.posix.PosixAPI;
import org.agrona.BufferUtil;

import java.nio.ByteBuffer;

/**
 * The system calls the housekeeper needs, through OpenHFT posix (JNR): {@code open} for a descriptor,
 * {@code fallocate} to reserve disk blocks (so a full disk is an error code here, never a SIGBUS in the
 * writer's mapping), {@code lseek} and {@code write} to put the reserved range in the page cache as zeros, and
 * {@code madvise} to fault the pages in ahead of the writer ({@code MADV_POPULATE_WRITE}) and to keep faults from
 * reading around ({@code MADV_RANDOM}).
 * <p>
 * Loading JNR takes about 240 ms, so {@link #load()} runs on the housekeeper's thread after start. It returns
 * null wherever the calls are not available: not Linux, JNR missing or failing to link (posix then hands out a
 * no-op implementation, which is refused here), or any other {@link Throwable}.
 * <p>
 * Used by the housekeeper thread only.
 */
final class NativeSpace
{
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
    static final int EIO = 5;
    static final int SEEK_SET = 0;
    /**
     * The size of each write of {@link #writeZeros}. The page cache takes a write this size as one folio of order 3,
     * the largest order the kernel keeps per-CPU free lists for; larger folios are cut from the buddy allocator's
     * high-order blocks, the ones this VM hands back to the host when they are free, and the first touch of those
     * costs several times as much. Measured on 2026-11-27: a C test putting 1 GiB in the page cache took 0.49 s
     * written in 32 KiB pieces, 0.62 in 16 KiB, 1.8 in 64 KiB, 2.9 populated with read-around; the broker at max
     * rate on 16 partitions spent 1.96-2.21 cpu-s per GiB with 32 KiB, 2.14-2.30 with 16 KiB, 2.12-2.13 with
     * 64 KiB, 2.96-3.30 populating with read-around (docs/benchmarks.md).
     */
    static final int ZERO_WRITE_BYTES = 32 * 1024;

    private final ByteBuffer zeros = BufferUtil.allocateDirectAligned(ZERO_WRITE_BYTES, ZERO_WRITE_BYTES);
    private final long zerosAddress = BufferUtil.address(zeros);

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
     * Write zeros over {@code [offset, end)} of the file behind {@code fd}, in pieces that end on
     * {@link #ZERO_WRITE_BYTES} boundaries, so the range is in the page cache before it is populated. The caller
     * owns the descriptor's file offset.
     *
     * @return 0 or the errno.
     */
    int writeZeros(final int fd, final long offset, final long end)
    {
        if (offset >= end)
        {
            return 0;
        }
        if (posix.lseek(fd, offset, SEEK_SET) < 0)
        {
            return Math.max(1, posix.lastError());
        }
        long position = offset;
        while (position < end)
        {
            final long pieceEnd = Math.min(end, (position + ZERO_WRITE_BYTES) & ~(ZERO_WRITE_BYTES - 1L));
            final long written = posix.write(fd, zerosAddress, pieceEnd - position);
            if (written <= 0)
            {
                return written < 0 ? Math.max(1, posix.lastError()) : EIO;
            }
            position += written;
        }
        return 0;
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
     * Turn read-around off ({@code MADV_RANDOM}) for faults in {@code [address, address + length)} of a mapping. A
     * fault in a file mapping otherwise reads the device's whole read-ahead window around the page (8 MiB on the
     * reference VM's disk), and over the holes of a new segment file that means zeroing 8 MiB of fresh page cache
     * in one call, as large folios, which cost 3-6 times as much per byte as the order-3 folios of
     * {@link #writeZeros} on this VM. Readers are not affected: fetches read the file through sendfile, which has
     * its own read-ahead, and the recovery scan maps the file again.
     *
     * @param address page aligned.
     * @return 0 or the errno.
     */
    int noReadAround(final long address, final long length)
    {
        return 0 == posix.madvise(address, length, MADV_RANDOM) ? 0 : Math.max(1, posix.lastError());
    }

    static boolean isOutOfSpace(final int errno)
    {
        return ENOSPC == errno || EDQUOT == errno;
    }
}
