package io.loggia.engine.log;

/**
 * What {@link LogLoader#load} found and did to one partition, for the caller to log. Caller-owned, filled by
 * the loader.
 */
public final class RecoveryReport
{
    public TopicPartition topicPartition;
    public boolean cleanShutdown;
    public int segmentsLoaded;
    /** Segments checked batch by batch (CRC included). */
    public int segmentsRecovered;
    public long bytesScanned;
    public long scanNanos;
    public int indexesRebuilt;
    /** {@code .deleted}, {@code .cleaned}, {@code .swap} files and index files without a log, removed. */
    public int leftoverFilesDeleted;
    /** Sealed segments whose file held bytes past their last batch (not yet trimmed) and were cut to it. */
    public int tailsTrimmed;

    /** The log was cut: everything from {@link #truncatedAtOffset} on is gone. */
    public boolean truncated;
    public long truncatedSegmentBaseOffset = -1;
    /** Byte position in that segment's file of the first byte that failed. */
    public int truncatedAtPosition = -1;
    /** Offset the next append gets: the one after the last valid batch. */
    public long truncatedAtOffset = -1;
    /** Bytes after the cut in that segment's file, preallocated space included. */
    public long truncatedBytes;
    /** Why the scan stopped: a {@link io.loggia.codec.record.BatchValidator} code or a {@link RecoveryScan} one. */
    public String truncationReason;
    /**
     * The bytes right after the cut are zeros: the normal end of a preallocated active segment after a crash,
     * not a sign that data was lost.
     */
    public boolean truncatedAtZeroTail;
    /** Whole segments removed because an earlier segment was cut (or the log start offset passed the end). */
    public int segmentsDeleted;
    public long bytesDeleted;

    public long logStartOffset = -1;
    public long logEndOffset = -1;

    void reset(final TopicPartition topicPartition, final boolean cleanShutdown)
    {
        this.topicPartition = topicPartition;
        this.cleanShutdown = cleanShutdown;
        segmentsLoaded = 0;
        segmentsRecovered = 0;
        bytesScanned = 0;
        scanNanos = 0;
        indexesRebuilt = 0;
        leftoverFilesDeleted = 0;
        tailsTrimmed = 0;
        truncated = false;
        truncatedSegmentBaseOffset = -1;
        truncatedAtPosition = -1;
        truncatedAtOffset = -1;
        truncatedBytes = 0;
        truncationReason = null;
        truncatedAtZeroTail = false;
        segmentsDeleted = 0;
        bytesDeleted = 0;
        logStartOffset = -1;
        logEndOffset = -1;
    }

    /** True if data that had been written may have been lost: a cut at anything but a zero tail, or deletions. */
    public boolean lostData()
    {
        return (truncated && !truncatedAtZeroTail) || segmentsDeleted > 0;
    }

    public String toString()
    {
        final StringBuilder builder = new StringBuilder(256)
            .append(topicPartition)
            .append(cleanShutdown ? ": clean shutdown" : ": recovered")
            .append(", segments=").append(segmentsLoaded)
            .append(", scanned=").append(segmentsRecovered).append(" segments/").append(bytesScanned).append(" bytes in ")
            .append(scanNanos / 1_000_000).append(" ms")
            .append(", indexesRebuilt=").append(indexesRebuilt)
            .append(", leftoversDeleted=").append(leftoverFilesDeleted)
            .append(", tailsTrimmed=").append(tailsTrimmed);
        if (truncated)
        {
            builder.append(", cut segment ").append(truncatedSegmentBaseOffset)
                .append(" at position ").append(truncatedAtPosition)
                .append(" (offset ").append(truncatedAtOffset).append("), ")
                .append(truncatedBytes).append(" bytes after it")
                .append(truncatedAtZeroTail ? " (zero tail)" : "")
                .append(": ").append(truncationReason);
        }
        if (segmentsDeleted > 0)
        {
            builder.append(", deleted ").append(segmentsDeleted).append(" later segments (")
                .append(bytesDeleted).append(" bytes)");
        }
        return builder.append(", logStartOffset=").append(logStartOffset)
            .append(", logEndOffset=").append(logEndOffset).toString();
    }
}
