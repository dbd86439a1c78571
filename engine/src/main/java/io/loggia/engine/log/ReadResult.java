package io.loggia.engine.log;

import java.nio.channels.FileChannel;

/**
 * What {@link PartitionLog#read} found: a region of whole batches in one segment file, ready for
 * {@code FileChannel.transferTo(position, length, socket)}, and the partition's offsets as the read saw them.
 * Owned by the calling thread and reused across reads; public fields, no allocation.
 */
public final class ReadResult
{
    /**
     * The segment the region lies in; its channel stays open until the segment's delayed delete. Its mapping may be
     * read after {@link PartitionLog#read} returned only on the partition's writer thread (which alone unmaps it):
     * other threads send the region through {@link #channel}.
     */
    public LogSegment segment;
    public FileChannel channel;
    /** Byte position of the first batch in the segment file. */
    public long position;
    /** Bytes of whole batches from {@link #position}; 0 unless the read returned {@link LogCodes#OK}. */
    public int length;
    /** Base offset of the first batch; may be below the fetch offset, which it holds. */
    public long firstOffset = -1;
    /** Last offset of the last batch in the region. */
    public long lastOffset = -1;
    public long logStartOffset = -1;
    public long logEndOffset = -1;
    public long highWatermark = -1;

    /** Offset a consumer fetches next after taking this region. */
    public long nextFetchOffset()
    {
        return lastOffset + 1;
    }

    void reset()
    {
        segment = null;
        channel = null;
        position = 0;
        length = 0;
        firstOffset = -1;
        lastOffset = -1;
    }

    void segment(
        final LogSegment segment, final int position, final int length, final long firstOffset, final long lastOffset)
    {
        this.segment = segment;
        this.channel = segment.channel();
        this.position = position;
        this.length = length;
        this.firstOffset = firstOffset;
        this.lastOffset = lastOffset;
    }

    public String toString()
    {
        return "ReadResult{position=" + position + ", length=" + length + ", firstOffset=" + firstOffset +
            ", lastOffset=" + lastOffset + ", logStartOffset=" + logStartOffset + ", logEndOffset=" + logEndOffset +
            ", highWatermark=" + highWatermark + '}';
    }
}
