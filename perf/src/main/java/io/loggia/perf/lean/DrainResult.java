package io.loggia.perf.lean;

import io.loggia.perf.ProcStat;

import java.util.Locale;

/**
 * What one drain received and what it cost.
 * <p>
 * Immutable; safe on any thread.
 */
public final class DrainResult
{
    /** CPU figure of a process that was not watched or could not be read. */
    public static final long NO_TICKS = -1;

    private final long recordBytes;
    private final long wholeBatchBytes;
    private final long partialBytes;
    private final long frameBytes;
    private final long fetches;
    private final long wallNs;
    private final long brokerTicks;
    private final long clientTicks;

    /**
     * @param recordBytes     bytes of the records fields received, whole and partial batches.
     * @param wholeBatchBytes bytes of whole batches received.
     * @param partialBytes    bytes of trailing batches cut short by the size limits.
     * @param frameBytes      bytes of all response frames.
     * @param fetches         responses read.
     * @param wallNs          from the first request to the end of the last response.
     * @param brokerTicks     broker CPU in clock ticks, or {@link #NO_TICKS}.
     * @param clientTicks     this process's CPU in clock ticks, or {@link #NO_TICKS}.
     */
    public DrainResult(
        final long recordBytes,
        final long wholeBatchBytes,
        final long partialBytes,
        final long frameBytes,
        final long fetches,
        final long wallNs,
        final long brokerTicks,
        final long clientTicks)
    {
        this.recordBytes = recordBytes;
        this.wholeBatchBytes = wholeBatchBytes;
        this.partialBytes = partialBytes;
        this.frameBytes = frameBytes;
        this.fetches = fetches;
        this.wallNs = wallNs;
        this.brokerTicks = brokerTicks;
        this.clientTicks = clientTicks;
    }

    public long recordBytes()
    {
        return recordBytes;
    }

    public long wholeBatchBytes()
    {
        return wholeBatchBytes;
    }

    public long partialBytes()
    {
        return partialBytes;
    }

    public long frameBytes()
    {
        return frameBytes;
    }

    public long fetches()
    {
        return fetches;
    }

    public long wallNs()
    {
        return wallNs;
    }

    /**
     * Whole-batch bytes (the backlog delivered, the same for every broker) per second, in units of 1e9; partial
     * batches a broker sent and sends again later do not count.
     *
     * @return the drain rate.
     */
    public double gigabytesPerSecond()
    {
        return wallNs == 0 ? 0 : (double)wholeBatchBytes / wallNs;
    }

    public boolean hasBrokerCpu()
    {
        return brokerTicks != NO_TICKS;
    }

    public double brokerCpuSeconds()
    {
        return ProcStat.seconds(brokerTicks);
    }

    /** @return broker CPU seconds per 1e9 whole-batch bytes, NaN when nothing was read. */
    public double brokerSecondsPerGigabyte()
    {
        return wholeBatchBytes == 0 ? Double.NaN : brokerCpuSeconds() * 1e9 / wholeBatchBytes;
    }

    /** @return the one summary line, in a stable format; its bytes are whole-batch bytes. */
    public String summary()
    {
        final StringBuilder line = new StringBuilder(160);
        line.append(String.format(Locale.ROOT, "drain: %,d B in %.3f s = %.3f GB/s, %,d fetches",
            wholeBatchBytes, wallNs / 1e9, gigabytesPerSecond(), fetches));
        if (hasBrokerCpu())
        {
            line.append(String.format(Locale.ROOT, ", broker cpu %.2f s = %.2f s/GB",
                brokerCpuSeconds(), brokerSecondsPerGigabyte()));
        }
        if (clientTicks != NO_TICKS)
        {
            line.append(String.format(Locale.ROOT, ", client cpu %.2f s", ProcStat.seconds(clientTicks)));
        }
        if (partialBytes > 0)
        {
            line.append(String.format(Locale.ROOT, ", partial batches %,d B", partialBytes));
        }
        return line.toString();
    }
}
