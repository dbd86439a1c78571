package io.loggia.codec.record;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;

/**
 * Decompresses the records section of a batch into a buffer it owns and reuses, so that a
 * {@link RecordCursor} can walk compressed batches with the same {@link Record} flyweight.
 * <p>
 * For tools and deep validation only: the broker stores and serves batches as the producer compressed them.
 * Buffers grow to the largest batch seen and are kept; the codecs' native contexts are made on first use and
 * freed by {@link #close()}. Codecs and stream formats:
 * <ul>
 *     <li>gzip: RFC 1952 members over java.util.zip's Inflater</li>
 *     <li>snappy: snappy-java's stream format (16-byte header, length-prefixed 32 KiB chunks)</li>
 *     <li>lz4: the LZ4 frame format, blocks through lz4-java's safe decompressor</li>
 *     <li>zstd: zstd frames through zstd-jni's streaming decompression</li>
 * </ul>
 * Not thread safe; one instance per thread.
 */
public final class BatchDecompressor implements AutoCloseable
{
    /** The compressed bytes do not decode. */
    public static final int CORRUPT = -1;
    /** The records would decompress to more than the maximum. */
    public static final int TOO_LARGE = -2;
    /** The attributes name no codec this build knows. */
    public static final int UNKNOWN_CODEC = -3;

    /** Bound on decompressed records when none is given: far above any sane batch, far below a zip bomb. */
    public static final int DEFAULT_MAX_DECOMPRESSED_SIZE = 256 * 1024 * 1024;

    private static final int INITIAL_CAPACITY = 64 * 1024;

    private final int maxDecompressedSize;
    private final ExpandableDirectByteBuffer input = new ExpandableDirectByteBuffer(INITIAL_CAPACITY);
    private final ExpandableDirectByteBuffer output = new ExpandableDirectByteBuffer(INITIAL_CAPACITY);
    private GzipStream gzip;
    private SnappyStream snappy;
    private Lz4Frame lz4;
    private ZstdStream zstd;
    private int length;

    public BatchDecompressor()
    {
        this(DEFAULT_MAX_DECOMPRESSED_SIZE);
    }

    public BatchDecompressor(final int maxDecompressedSize)
    {
        if (maxDecompressedSize < 0 || maxDecompressedSize >= ExpandableDirectByteBuffer.MAX_BUFFER_LENGTH)
        {
            throw new IllegalArgumentException("maxDecompressedSize out of range: " + maxDecompressedSize);
        }
        this.maxDecompressedSize = maxDecompressedSize;
    }

    /**
     * Positions {@code cursor} over the records of the batch at {@code batchOffset}: directly over the batch's
     * bytes when it is uncompressed, over {@link #buffer()} after decompressing when it is not. The batch
     * header must already have passed {@link BatchValidator#validateHeader}.
     *
     * @return 0, or {@link #CORRUPT}, {@link #TOO_LARGE} or {@link #UNKNOWN_CODEC}.
     */
    public int wrapRecords(final DirectBuffer buffer, final int batchOffset, final RecordCursor cursor)
    {
        final int codec = buffer.getShort(batchOffset + RecordBatch.ATTRIBUTES_OFFSET, RecordBatch.ORDER) &
            RecordBatch.COMPRESSION_CODEC_MASK;
        final int recordsOffset = batchOffset + RecordBatch.RECORDS_OFFSET;
        final int recordsLength = RecordBatch.LOG_OVERHEAD +
            buffer.getInt(batchOffset + RecordBatch.LENGTH_OFFSET, RecordBatch.ORDER) - RecordBatch.HEADER_LENGTH;
        final int recordCount = buffer.getInt(batchOffset + RecordBatch.RECORD_COUNT_OFFSET, RecordBatch.ORDER);
        if (codec == CompressionCodec.NONE)
        {
            cursor.wrap(buffer, recordsOffset, recordsLength, recordCount);
            return 0;
        }
        final int result = decompress(codec, buffer, recordsOffset, recordsLength);
        if (result < 0)
        {
            return result;
        }
        cursor.wrap(output, 0, result, recordCount);
        return 0;
    }

    /**
     * Decompresses {@code buffer[offset, offset + length)}, written with {@code codec}, into {@link #buffer()}
     * from index 0. {@link CompressionCodec#NONE} copies.
     *
     * @return the decompressed length, or {@link #CORRUPT}, {@link #TOO_LARGE} or {@link #UNKNOWN_CODEC}.
     */
    public int decompress(final int codec, final DirectBuffer buffer, final int offset, final int length)
    {
        this.length = 0;
        if (!CompressionCodec.isKnown(codec))
        {
            return UNKNOWN_CODEC;
        }
        if (codec == CompressionCodec.NONE)
        {
            if (length > maxDecompressedSize)
            {
                return TOO_LARGE;
            }
            BufferViews.ensureCapacity(output, length);
            output.putBytes(0, buffer, offset, length);
            this.length = length;
            return length;
        }

        // The libraries want direct ByteBuffers and the source may be a heap array or a raw mapping: one copy
        // into our own direct buffer serves every case.
        BufferViews.ensureCapacity(input, length);
        input.putBytes(0, buffer, offset, length);

        int result;
        try
        {
            switch (codec)
            {
                case CompressionCodec.GZIP:
                    result = gzip().decompress(input, length, output, maxDecompressedSize);
                    break;
                case CompressionCodec.SNAPPY:
                    result = snappy().decompress(input, length, output, maxDecompressedSize);
                    break;
                case CompressionCodec.LZ4:
                    result = lz4().decompress(input, length, output, maxDecompressedSize);
                    break;
                default:
                    result = zstd().decompress(input, length, output, maxDecompressedSize);
                    break;
            }
        }
        catch (final RuntimeException ex)
        {
            // the broker inflates untrusted bytes: a library that throws on input it does not expect, instead of
            // failing with its own error type, must still read as corrupt, never reach the caller's thread
            result = CORRUPT;
        }
        this.length = Math.max(result, 0);
        return result;
    }

    /** Holds the output of the last {@link #decompress} from index 0. */
    public DirectBuffer buffer()
    {
        return output;
    }

    /** Length of the last successful output; 0 after a failure. */
    public int length()
    {
        return length;
    }

    public int maxDecompressedSize()
    {
        return maxDecompressedSize;
    }

    public void close()
    {
        if (gzip != null)
        {
            gzip.close();
        }
        if (zstd != null)
        {
            zstd.close();
        }
    }

    /** Human-readable name of a code, for logs and the dump tool. */
    public static String describe(final int code)
    {
        switch (code)
        {
            case CORRUPT: return "compressed records do not decode";
            case TOO_LARGE: return "decompressed records exceed the maximum";
            case UNKNOWN_CODEC: return "unknown compression codec";
            default: return code >= 0 ? "decompressed " + code + " bytes" : "unknown code " + code;
        }
    }

    private GzipStream gzip()
    {
        if (gzip == null)
        {
            gzip = new GzipStream();
        }
        return gzip;
    }

    private SnappyStream snappy()
    {
        if (snappy == null)
        {
            snappy = new SnappyStream();
        }
        return snappy;
    }

    private Lz4Frame lz4()
    {
        if (lz4 == null)
        {
            lz4 = new Lz4Frame();
        }
        return lz4;
    }

    private ZstdStream zstd()
    {
        if (zstd == null)
        {
            zstd = new ZstdStream();
        }
        return zstd;
    }
}
