package io.loggia.tools.torture;

import io.loggia.codec.record.BatchValidator;
import io.loggia.codec.record.RecordBatch;
import org.agrona.IoUtil;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The valid prefix of one segment file, found as the broker's recovery finds it: whole batches that pass
 * {@link BatchValidator} (length, magic, record count, CRC-32C), each starting at the previous one's next offset,
 * the first at the base offset in the file's name. Read-only; the file is mapped for the walk and unmapped after.
 */
final class SegmentWalk
{
    final Path file;
    final long baseOffset;
    final long fileLength;
    /** Byte position after the last valid batch. */
    final int validEnd;
    /** The offset after the last valid batch. */
    final long nextOffset;
    private final LongArrayList batchEnds = new LongArrayList();
    private final LongArrayList batchLastOffsets = new LongArrayList();

    private SegmentWalk(final Path file, final long baseOffset, final long fileLength)
        throws IOException
    {
        this.file = file;
        this.baseOffset = baseOffset;
        this.fileLength = fileLength;
        int position = 0;
        long expected = baseOffset;
        if (fileLength > 0)
        {
            try (FileChannel channel = FileChannel.open(file))
            {
                final int length = (int)Math.min(fileLength, Integer.MAX_VALUE);
                final MappedByteBuffer mapping = channel.map(FileChannel.MapMode.READ_ONLY, 0, length);
                try
                {
                    final UnsafeBuffer buffer = new UnsafeBuffer(mapping);
                    final BatchValidator validator = new BatchValidator();
                    final RecordBatch batch = new RecordBatch();
                    while (length - position >= RecordBatch.HEADER_LENGTH &&
                        BatchValidator.VALID == validator.validate(buffer, position, length - position, length))
                    {
                        batch.wrap(buffer, position);
                        if (batch.baseOffset() != expected)
                        {
                            break;
                        }
                        position += batch.sizeInBytes();
                        expected = batch.nextOffset();
                        batchEnds.addLong(position);
                        batchLastOffsets.addLong(batch.lastOffset());
                    }
                }
                finally
                {
                    IoUtil.unmap(mapping);
                }
            }
        }
        this.validEnd = position;
        this.nextOffset = expected;
    }

    static SegmentWalk of(final Path file, final long baseOffset) throws IOException
    {
        return new SegmentWalk(file, baseOffset, Files.size(file));
    }

    /**
     * @return the byte position just after the valid batch holding {@code offset}, or -1 if no valid batch of
     * this segment holds it.
     */
    int endOfBatchHolding(final long offset)
    {
        for (int i = 0; i < batchLastOffsets.size(); i++)
        {
            if (batchLastOffsets.getLong(i) >= offset)
            {
                final long firstOfBatch = 0 == i ? baseOffset : batchLastOffsets.getLong(i - 1) + 1;
                return firstOfBatch <= offset ? (int)batchEnds.getLong(i) : -1;
            }
        }
        return -1;
    }
}
