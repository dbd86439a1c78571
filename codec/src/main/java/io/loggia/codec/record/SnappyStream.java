package io.loggia.codec.record;

import org.agrona.ExpandableDirectByteBuffer;
import org.xerial.snappy.Snappy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static io.loggia.codec.record.BufferViews.ensureCapacity;
import static io.loggia.codec.record.BufferViews.view;

/**
 * The snappy-java (xerial) stream format that Kafka's SnappyOutputStream writes: a 16-byte header, then
 * chunks of raw snappy, each compressing at most 32 KiB.
 * <pre>
 *  +------+-----+-----+-----+-----+-----+-----+-----+--------------------+--------------------+
 *  | 0x82 | 'S' | 'N' | 'A' | 'P' | 'P' | 'Y' | 0x00| version (int32 BE) | compatible (int32) |
 *  +------+-----+-----+-----+-----+-----+-----+-----+--------------------+--------------------+
 *  | chunk length (int32 BE) | raw snappy block (chunk length bytes)                           |
 *  +-------------------------+-----------------------------------------------------------------+
 *  | ... more chunks, or a repeated header where two streams were concatenated                  |
 * </pre>
 * As snappy-java's reader does, input that does not start with the header is taken as one raw snappy block.
 * Not thread safe.
 */
final class SnappyStream
{
    static final int HEADER_LENGTH = 16;
    static final int BLOCK_SIZE = 32 * 1024;
    private static final int VERSION = 1;
    private static final int COMPATIBLE_VERSION = 1;
    private static final byte[] MAGIC = { (byte)0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0 };
    private static final int CHUNK_LENGTH_SIZE = 4;

    /**
     * Decompresses {@code in[0, inLength)} into {@code out} from index 0.
     *
     * @return the decompressed length, {@link BatchDecompressor#CORRUPT} or {@link BatchDecompressor#TOO_LARGE}.
     */
    int decompress(
        final ExpandableDirectByteBuffer in,
        final int inLength,
        final ExpandableDirectByteBuffer out,
        final int maxSize)
    {
        if (!isHeaderAt(in, 0, inLength))
        {
            return decompressBlock(in, 0, inLength, out, 0, maxSize);
        }
        int position = 0;
        int outLength = 0;
        while (position < inLength)
        {
            if (isHeaderAt(in, position, inLength))
            {
                if (in.getInt(position + MAGIC.length + 4, ByteOrder.BIG_ENDIAN) > COMPATIBLE_VERSION)
                {
                    return BatchDecompressor.CORRUPT;
                }
                position += HEADER_LENGTH;
                continue;
            }
            if (inLength - position < CHUNK_LENGTH_SIZE)
            {
                return BatchDecompressor.CORRUPT;
            }
            final int chunkLength = in.getInt(position, ByteOrder.BIG_ENDIAN);
            position += CHUNK_LENGTH_SIZE;
            if (chunkLength <= 0 || chunkLength > inLength - position)
            {
                return BatchDecompressor.CORRUPT;
            }
            final int produced = decompressBlock(in, position, chunkLength, out, outLength, maxSize);
            if (produced < 0)
            {
                return produced;
            }
            outLength += produced;
            position += chunkLength;
        }
        return outLength;
    }

    /**
     * Writes the stream header and {@code in[0, inLength)} in 32 KiB chunks into {@code out} from index 0.
     *
     * @return the compressed length.
     */
    int compress(final ExpandableDirectByteBuffer in, final int inLength, final ExpandableDirectByteBuffer out)
    {
        ensureCapacity(out, HEADER_LENGTH);
        out.putBytes(0, MAGIC);
        out.putInt(MAGIC.length, VERSION, ByteOrder.BIG_ENDIAN);
        out.putInt(MAGIC.length + 4, COMPATIBLE_VERSION, ByteOrder.BIG_ENDIAN);
        int outLength = HEADER_LENGTH;
        try
        {
            for (int offset = 0; offset < inLength; offset += BLOCK_SIZE)
            {
                final int blockLength = Math.min(BLOCK_SIZE, inLength - offset);
                ensureCapacity(out, outLength + CHUNK_LENGTH_SIZE + Snappy.maxCompressedLength(blockLength));
                final ByteBuffer src = view(in, offset, offset + blockLength);
                final ByteBuffer dst = view(out, outLength + CHUNK_LENGTH_SIZE, out.capacity());
                final int compressed = Snappy.compress(src, dst);
                out.putInt(outLength, compressed, ByteOrder.BIG_ENDIAN);
                outLength += CHUNK_LENGTH_SIZE + compressed;
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return outLength;
    }

    private static int decompressBlock(
        final ExpandableDirectByteBuffer in,
        final int offset,
        final int length,
        final ExpandableDirectByteBuffer out,
        final int outOffset,
        final int maxSize)
    {
        try
        {
            final int uncompressedLength = Snappy.uncompressedLength(view(in, offset, offset + length));
            if (uncompressedLength < 0)
            {
                return BatchDecompressor.CORRUPT;
            }
            if (uncompressedLength > maxSize - outOffset)
            {
                return BatchDecompressor.TOO_LARGE;
            }
            // snappy writes as many bytes as the block's preamble announces, so room for that many is enough.
            ensureCapacity(out, outOffset + uncompressedLength);
            final ByteBuffer src = view(in, offset, offset + length);
            final int produced = Snappy.uncompress(src, view(out, outOffset, out.capacity()));
            return produced == uncompressedLength ? produced : BatchDecompressor.CORRUPT;
        }
        catch (final IOException ex)
        {
            return BatchDecompressor.CORRUPT;
        }
    }

    private static boolean isHeaderAt(final ExpandableDirectByteBuffer in, final int offset, final int limit)
    {
        if (limit - offset < HEADER_LENGTH)
        {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++)
        {
            if (in.getByte(offset + i) != MAGIC[i])
            {
                return false;
            }
        }
        return true;
    }
}
