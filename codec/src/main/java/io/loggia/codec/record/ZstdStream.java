package io.loggia.codec.record;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import org.agrona.ExpandableDirectByteBuffer;

import java.nio.ByteBuffer;

import static io.loggia.codec.record.BufferViews.ensureCapacity;
import static io.loggia.codec.record.BufferViews.view;

/**
 * Zstandard frames (RFC 8878), decoded as a stream because Kafka's ZstdOutputStream does not record the
 * content size in the frame header, so the output length is unknown until the frame ends. Concatenated frames
 * are read one after another. Writing uses one-shot compression at Kafka's default level 3.
 * <p>
 * Holds native zstd contexts: {@link #close()} frees them. Not thread safe.
 */
final class ZstdStream implements AutoCloseable
{
    private static final int DEFAULT_LEVEL = 3;
    private static final int MIN_OUTPUT_ROOM = 16 * 1024;

    private ZstdDecompressCtx decompressCtx;
    private ZstdCompressCtx compressCtx;

    /**
     * Decompresses every frame in {@code in[0, inLength)} into {@code out} from index 0.
     *
     * @return the decompressed length, {@link BatchDecompressor#CORRUPT} or {@link BatchDecompressor#TOO_LARGE}.
     */
    int decompress(
        final ExpandableDirectByteBuffer in,
        final int inLength,
        final ExpandableDirectByteBuffer out,
        final int maxSize)
    {
        if (decompressCtx == null)
        {
            decompressCtx = new ZstdDecompressCtx();
        }
        decompressCtx.reset();
        int inPosition = 0;
        int outLength = 0;
        boolean frameDone = false;
        try
        {
            while (inPosition < inLength || !frameDone)
            {
                if (outLength > maxSize)
                {
                    return BatchDecompressor.TOO_LARGE;
                }
                if (out.capacity() - outLength < MIN_OUTPUT_ROOM)
                {
                    ensureCapacity(out, (int)Math.min((long)maxSize + 1, 2L * out.capacity()));
                }
                // One byte beyond the maximum tells an oversize stream from one that ends exactly there.
                final ByteBuffer dst = view(out, outLength, (int)Math.min(out.capacity(), (long)maxSize + 1));
                // The views share no ByteBuffer: out and in are distinct scratch buffers.
                final ByteBuffer src = view(in, inPosition, inLength);
                frameDone = decompressCtx.decompressDirectByteBufferStream(dst, src);
                final boolean progressed = src.position() != inPosition || dst.position() != outLength;
                inPosition = src.position();
                outLength = dst.position();
                if (!frameDone && !progressed && dst.hasRemaining())
                {
                    return BatchDecompressor.CORRUPT;
                }
            }
        }
        catch (final ZstdException ex)
        {
            return BatchDecompressor.CORRUPT;
        }
        return outLength > maxSize ? BatchDecompressor.TOO_LARGE : outLength;
    }

    /**
     * Writes {@code in[0, inLength)} as one zstd frame into {@code out} from index 0.
     *
     * @return the compressed length.
     */
    int compress(final ExpandableDirectByteBuffer in, final int inLength, final ExpandableDirectByteBuffer out)
    {
        if (compressCtx == null)
        {
            compressCtx = new ZstdCompressCtx().setLevel(DEFAULT_LEVEL);
        }
        final int bound = (int)Zstd.compressBound(inLength);
        ensureCapacity(out, bound);
        // zstd-jni checks offsets against each ByteBuffer's limit, so both views span the whole range.
        return compressCtx.compressDirectByteBuffer(view(out, 0, bound), 0, bound, view(in, 0, inLength), 0, inLength);
    }

    public void close()
    {
        if (decompressCtx != null)
        {
            decompressCtx.close();
            decompressCtx = null;
        }
        if (compressCtx != null)
        {
            compressCtx.close();
            compressCtx = null;
        }
    }
}
