package io.loggia.codec.record;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdOutputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xerial.snappy.Snappy;
import org.xerial.snappy.SnappyOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Streams written by the reference libraries, in every variant they allow, decode with ours. */
class BatchDecompressorTest
{
    private static final Random RANDOM = new Random(11);
    private static final byte[] TEXT = TestRecord.compressible(RANDOM, 200_000);
    private static final byte[] NOISE = TestRecord.randomBytes(RANDOM, 70_000);

    private final BatchDecompressor decompressor = new BatchDecompressor();

    @AfterEach
    void close()
    {
        decompressor.close();
    }

    @Test
    void gzipFromTheJdkIncludingConcatenatedMembers() throws IOException
    {
        assertDecodes(CompressionCodec.GZIP, gzip(TEXT), TEXT);
        assertDecodes(CompressionCodec.GZIP, gzip(NOISE), NOISE);
        assertDecodes(CompressionCodec.GZIP, concat(gzip(TEXT), gzip(NOISE)), concat(TEXT, NOISE));
    }

    @Test
    void gzipWithEveryOptionalHeaderField()
    {
        final byte[] data = Arrays.copyOf(TEXT, 5000);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final byte[] header = { 0x1F, (byte)0x8B, 8, 0x02 | 0x04 | 0x08 | 0x10, 1, 2, 3, 4, 0, 3 };
        out.write(header, 0, header.length);
        out.write(new byte[]{ 3, 0, 'a', 'b', 'c' }, 0, 5);
        out.write(new byte[]{ 'n', 'a', 'm', 'e', 0 }, 0, 5);
        out.write(new byte[]{ 'c', 0 }, 0, 2);
        final CRC32 headerCrc = new CRC32();
        headerCrc.update(out.toByteArray());
        out.write((int)headerCrc.getValue() & 0xFF);
        out.write((int)(headerCrc.getValue() >>> 8) & 0xFF);
        final Deflater deflater = new Deflater(6, true);
        deflater.setInput(data);
        deflater.finish();
        final byte[] deflated = new byte[10_000];
        final int deflatedLength = deflater.deflate(deflated);
        deflater.end();
        out.write(deflated, 0, deflatedLength);
        final CRC32 dataCrc = new CRC32();
        dataCrc.update(data);
        final ByteBuffer trailer = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        trailer.putInt((int)dataCrc.getValue()).putInt(data.length);
        out.write(trailer.array(), 0, 8);
        final byte[] stream = out.toByteArray();
        assertDecodes(CompressionCodec.GZIP, stream, data);

        final byte[] badHeaderCrc = stream.clone();
        badHeaderCrc[22] ^= 1;
        assertThat(decompress(CompressionCodec.GZIP, badHeaderCrc)).isEqualTo(BatchDecompressor.CORRUPT);
        final byte[] badTrailer = stream.clone();
        badTrailer[stream.length - 6] ^= 1;
        assertThat(decompress(CompressionCodec.GZIP, badTrailer)).isEqualTo(BatchDecompressor.CORRUPT);
        final byte[] badSize = stream.clone();
        badSize[stream.length - 2] ^= 1;
        assertThat(decompress(CompressionCodec.GZIP, badSize)).isEqualTo(BatchDecompressor.CORRUPT);
    }

    @Test
    void snappyStreamsConcatenatedStreamsAndRawBlocks() throws IOException
    {
        assertDecodes(CompressionCodec.SNAPPY, snappy(TEXT), TEXT);
        assertDecodes(CompressionCodec.SNAPPY, snappy(NOISE), NOISE);
        assertDecodes(CompressionCodec.SNAPPY, concat(snappy(TEXT), snappy(NOISE)), concat(TEXT, NOISE));
        assertDecodes(CompressionCodec.SNAPPY, Snappy.compress(NOISE), NOISE);
    }

    @Test
    void lz4FramesWithEveryOptionalField() throws IOException
    {
        assertDecodes(CompressionCodec.LZ4, lz4(TEXT, LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB, -1L,
            LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE), TEXT);
        assertDecodes(CompressionCodec.LZ4, lz4(NOISE, LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB, -1L,
            LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE), NOISE);
        assertDecodes(CompressionCodec.LZ4, lz4(TEXT, LZ4FrameOutputStream.BLOCKSIZE.SIZE_256KB, TEXT.length,
            LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE,
            LZ4FrameOutputStream.FLG.Bits.BLOCK_CHECKSUM,
            LZ4FrameOutputStream.FLG.Bits.CONTENT_CHECKSUM,
            LZ4FrameOutputStream.FLG.Bits.CONTENT_SIZE), TEXT);
    }

    @Test
    void lz4ChecksumsAreVerified() throws IOException
    {
        final byte[] frame = lz4(NOISE, LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB, -1L,
            LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE,
            LZ4FrameOutputStream.FLG.Bits.BLOCK_CHECKSUM,
            LZ4FrameOutputStream.FLG.Bits.CONTENT_CHECKSUM);
        final byte[] badBlock = frame.clone();
        badBlock[100] ^= 1;
        assertThat(decompress(CompressionCodec.LZ4, badBlock)).isEqualTo(BatchDecompressor.CORRUPT);
        final byte[] badContent = frame.clone();
        badContent[frame.length - 1] ^= 1;
        assertThat(decompress(CompressionCodec.LZ4, badContent)).isEqualTo(BatchDecompressor.CORRUPT);
        final byte[] badHeader = frame.clone();
        badHeader[6] ^= 1;
        assertThat(decompress(CompressionCodec.LZ4, badHeader)).isEqualTo(BatchDecompressor.CORRUPT);
    }

    @Test
    void lz4DependentBlocksAreRejected() throws IOException
    {
        final byte[] frame = lz4(TEXT, LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB, -1L,
            LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE);
        frame[4] &= ~0x20;
        frame[6] = (byte)((net.jpountz.xxhash.XXHashFactory.safeInstance().hash32().hash(frame, 4, 2, 0) >>> 8) & 0xFF);
        assertThat(decompress(CompressionCodec.LZ4, frame)).isEqualTo(BatchDecompressor.CORRUPT);
    }

    @Test
    void zstdStreamsOneShotFramesAndConcatenatedFrames() throws IOException
    {
        assertDecodes(CompressionCodec.ZSTD, zstdStream(TEXT), TEXT);
        assertDecodes(CompressionCodec.ZSTD, zstdStream(NOISE), NOISE);
        assertDecodes(CompressionCodec.ZSTD, Zstd.compress(TEXT), TEXT);
        assertDecodes(CompressionCodec.ZSTD, concat(zstdStream(TEXT), Zstd.compress(NOISE)), concat(TEXT, NOISE));
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 2, 3, 4 })
    void maximumIsInclusive(final int codec) throws IOException
    {
        final byte[] stream = reference(codec, TEXT);
        try (BatchDecompressor exact = new BatchDecompressor(TEXT.length);
            BatchDecompressor oneShort = new BatchDecompressor(TEXT.length - 1))
        {
            final UnsafeBuffer source = new UnsafeBuffer(stream);
            assertThat(exact.decompress(codec, source, 0, stream.length)).isEqualTo(TEXT.length);
            assertThat(oneShort.decompress(codec, source, 0, stream.length)).isEqualTo(BatchDecompressor.TOO_LARGE);
            assertThat(oneShort.length()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 2, 3, 4 })
    void garbageNeverThrows(final int codec) throws IOException
    {
        final Random random = new Random(codec);
        final byte[] valid = reference(codec, Arrays.copyOf(TEXT, 3000));
        for (int i = 0; i < 300; i++)
        {
            final byte[] input;
            if (i % 2 == 0)
            {
                input = TestRecord.randomBytes(random, random.nextInt(200));
            }
            else
            {
                input = Arrays.copyOf(valid, 1 + random.nextInt(valid.length));
                for (int flips = random.nextInt(4); flips >= 0; flips--)
                {
                    input[random.nextInt(input.length)] ^= (byte)(1 + random.nextInt(255));
                }
            }
            final int result = decompress(codec, input);
            assertThat(result).isGreaterThanOrEqualTo(BatchDecompressor.TOO_LARGE);
        }
        assertThat(decompress(codec, new byte[0])).isEqualTo(BatchDecompressor.CORRUPT);
    }

    @Test
    void noneCopiesAndUnknownCodecsAreReported()
    {
        assertDecodes(CompressionCodec.NONE, Arrays.copyOf(NOISE, 100), Arrays.copyOf(NOISE, 100));
        assertThat(decompress(5, NOISE)).isEqualTo(BatchDecompressor.UNKNOWN_CODEC);
        assertThat(BatchDecompressor.describe(BatchDecompressor.UNKNOWN_CODEC)).contains("unknown compression");
    }

    @Test
    void buffersAreReusedAcrossLargeAndSmallInputs() throws IOException
    {
        assertDecodes(CompressionCodec.ZSTD, zstdStream(TEXT), TEXT);
        final byte[] small = Arrays.copyOf(NOISE, 10);
        assertDecodes(CompressionCodec.GZIP, gzip(small), small);
        assertDecodes(CompressionCodec.LZ4, lz4(small, LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB, -1L,
            LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE), small);
    }

    private void assertDecodes(final int codec, final byte[] stream, final byte[] expected)
    {
        final int length = decompress(codec, stream);
        assertThat(length).as(BatchDecompressor.describe(length)).isEqualTo(expected.length);
        assertThat(decompressor.length()).isEqualTo(expected.length);
        final byte[] actual = new byte[length];
        decompressor.buffer().getBytes(0, actual);
        assertThat(actual).isEqualTo(expected);
    }

    private int decompress(final int codec, final byte[] stream)
    {
        final byte[] padded = new byte[stream.length + 7];
        System.arraycopy(stream, 0, padded, 3, stream.length);
        return decompressor.decompress(codec, new UnsafeBuffer(padded), 3, stream.length);
    }

    static byte[] reference(final int codec, final byte[] data) throws IOException
    {
        switch (codec)
        {
            case CompressionCodec.GZIP: return gzip(data);
            case CompressionCodec.SNAPPY: return snappy(data);
            case CompressionCodec.LZ4: return lz4(data, LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB, -1L,
                LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE);
            default: return zstdStream(data);
        }
    }

    private static byte[] gzip(final byte[] data) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gzip = new GZIPOutputStream(out))
        {
            gzip.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] snappy(final byte[] data) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream snappy = new SnappyOutputStream(out))
        {
            snappy.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] lz4(
        final byte[] data,
        final LZ4FrameOutputStream.BLOCKSIZE blockSize,
        final long knownSize,
        final LZ4FrameOutputStream.FLG.Bits... bits) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream lz4 = new LZ4FrameOutputStream(out, blockSize, knownSize, bits))
        {
            lz4.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] zstdStream(final byte[] data) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream zstd = new ZstdOutputStream(out, 3))
        {
            for (int offset = 0; offset < data.length; offset += 1000)
            {
                zstd.write(data, offset, Math.min(1000, data.length - offset));
            }
        }
        return out.toByteArray();
    }

    private static byte[] concat(final byte[] first, final byte[] second)
    {
        final byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
