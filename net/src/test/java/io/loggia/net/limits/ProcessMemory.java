package io.loggia.net.limits;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the kernel says about a broker process and its sockets: anonymous resident memory from
 * {@code /proc/<pid>/status} (heap, direct buffers, thread stacks; not the mapped log files), and the bytes queued
 * on a loopback TCP socket from {@code /proc/net/tcp}.
 */
final class ProcessMemory
{
    static final long MIB = 1024 * 1024;

    private ProcessMemory()
    {
    }

    /** RssAnon of the process in bytes. */
    static long rssAnon(final long pid)
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")))
            {
                if (line.startsWith("RssAnon:"))
                {
                    final String kib = line.substring("RssAnon:".length()).replace("kB", "").trim();
                    return Long.parseLong(kib) * 1024;
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        throw new IllegalStateException("no RssAnon in /proc/" + pid + "/status");
    }

    static String mib(final long bytes)
    {
        return (bytes + MIB / 2) / MIB + " MiB";
    }

    /**
     * The send queue (or receive queue), in bytes, of the TCP socket whose local port is {@code localPort} and whose
     * remote port is {@code remotePort} and which is established, or -1 if there is none. A line of {@code /proc/net/tcp} (and of
     * {@code tcp6}, where Java's dual-stack sockets are listed) reads
     * {@code sl local_address rem_address st tx_queue:rx_queue ...} with addresses as {@code HEXIP:HEXPORT}.
     */
    static long queuedBytes(final int localPort, final int remotePort, final boolean sendQueue)
    {
        final List<String> lines = new ArrayList<>();
        for (final String table : new String[]{ "/proc/net/tcp", "/proc/net/tcp6" })
        {
            try
            {
                lines.addAll(Files.readAllLines(Path.of(table)));
            }
            catch (final NoSuchFileException ex)
            {
                // no IPv6 on this host
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }
        for (final String line : lines)
        {
            final String[] fields = line.trim().split("\\s+");
            if (fields.length < 5 || fields[1].indexOf(':') < 0)
            {
                continue;
            }
            // state 01: established, not an earlier connection between the same ports in TIME_WAIT
            if ("01".equals(fields[3]) && port(fields[1]) == localPort && port(fields[2]) == remotePort)
            {
                final String[] queues = fields[4].split(":");
                return Long.parseLong(queues[sendQueue ? 0 : 1], 16);
            }
        }
        return -1;
    }

    private static int port(final String address)
    {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1), 16);
    }
}
