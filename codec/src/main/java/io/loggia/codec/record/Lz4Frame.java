package io.loggia.codec.record;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;
import org.agrona.ExpandableDirectByteBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static io.loggia.codec.record.BufferViews.ensureCapacity;
import static io.loggia.codec.record.BufferViews.view;

/**
 * The LZ4 frame format (lz4 frame spec 1.6) as Kafka writes it for magic 2: version 01, independent blocks
 * of at most 64 KiB, no block checksums, no content size, no content checksum, and a correct header checksum
 * (magic 0 batches had a broken one; they cannot occur in a v2 batch).
 * <pre>
 *  +---------------------+-----+----+---------------------+----+
 *  | magic 0x184D2204 LE | FLG | BD | content size (8 LE) | HC |   content size only if FLG bit 3
 *  +---------------------+-----+----+---------------------+----+
 *  | block size (int32 LE, bit 31 = stored uncompressed) | block data | block xxh32 (if FLG bit 4) |
 *  +-----------------------------------------------------+------------+----------------------------+
 *  | ... more blocks                                                                               |
 *  +-----------------------+-----------------------------------------------------------------------+
 *  | end mark 0 (int32)    | content xxh32 (int32 LE, if FLG bit 2)                                |
 *  +-----------------------+-----------------------------------------------------------------------+
 *
 *  FLG: bits 7-6 version = 01, bit 5 block independence, bit 4 block checksum, bit 3 content size,
 *       bit 2 content checksum, bit 1 reserved, bit 0 dictionary id
 *  BD:  bits 6-4 block maximum size: 4 = 64 KiB, 5 = 256 KiB, 6 = 1 MiB, 7 = 4 MiB
 *  HC:  second byte of xxh32(FLG .. end of descriptor, seed 0)
 * </pre>
 * The reader accepts every optional field; it rejects dependent blocks and dictionaries, which Kafka never
 * writes and cannot read either. Not thread safe.
 */
final class Lz4Frame
{
    private static final int MAGIC = 0x184D2204;
    private static final int FLG_VERSION_MASK = 0xC0;
    private static final int FLG_VERSION_01 = 0x40;
    private static final int FLG_BLOCK_INDEPENDENCE = 0x20;
    private static final int FLG_BLOCK_CHECKSUM = 0x10;
    private static final int FLG_CONTENT_SIZE = 0x08;
    private static final int FLG_CONTENT_CHECKSUM = 0x04;
    private static final int FLG_RESERVED = 0x02;
    private static final int FLG_DICTIONARY_ID = 0x01;
    private static final int BD_RESERVED = 0x8F;
    private static final int BD_SIZE_SHIFT = 4;
    private static final int BLOCK_SIZE_CODE_64KB = 4;
    private static final int BLOCK_UNCOMPRESSED_FLAG = 0x8000_0000;
    private static final int DESCRIPTOR_OFFSET = 4;
    private static final int MIN_FRAME_LENGTH = 11;

    static final int BLOCK_SIZE = 64 * 1024;

    private static final LZ4SafeDecompressor DECOMPRESSOR = LZ4Factory.fastestInstance().safeDecompressor();
    private static final LZ4Compressor COMPRESSOR = LZ4Factory.fastestInstance().fastCompressor();
    private static final XXHash32 XXHASH = XXHashFactory.fastestInstance().hash32();

    /**
     * Decompresses the frame in {@code in[0, inLength)} into {@code out} from index 0.
     *
     * @return the decompressed length, {@link BatchDecompressor#CORRUPT} or {@link BatchDecompressor#TOO_LARGE}.
     */
    int decompress(
        final ExpandableDirectByteBuffer in,
        final int inLength,
        final ExpandableDirectByteBuffer out,
        final int maxSize)
    {
        if (inLength < MIN_FRAME_LENGTH || in.getInt(0, ByteOrder.LITTLE_ENDIAN) != MAGIC)
        {
            return BatchDecompressor.CORRUPT;
        }
        final int flg = in.getByte(DESCRIPTOR_OFFSET) & 0xFF;
        final int bd = in.getByte(DESCRIPTOR_OFFSET + 1) & 0xFF;
        if ((flg & FLG_VERSION_MASK) != FLG_VERSION_01 ||
            (flg & (FLG_RESERVED | FLG_DICTIONARY_ID)) != 0 ||
            (flg & FLG_BLOCK_INDEPENDENCE) == 0 ||
            (bd & BD_RESERVED) != 0)
        {
            return BatchDecompressor.CORRUPT;
        }
        final int blockSizeCode = bd >>> BD_SIZE_SHIFT;
        if (blockSizeCode < BLOCK_SIZE_CODE_64KB)
        {
            return BatchDecompressor.CORRUPT;
        }
        final int maxBlockSize = 1 << (2 * blockSizeCode + 8);
        final boolean blockChecksum = (flg & FLG_BLOCK_CHECKSUM) != 0;
        final boolean contentSize = (flg & FLG_CONTENT_SIZE) != 0;
        final int descriptorEnd = DESCRIPTOR_OFFSET + 2 + (contentSize ? Long.BYTES : 0);
        if (inLength <= descriptorEnd ||
            (in.getByte(descriptorEnd) & 0xFF) != headerChecksum(in, DESCRIPTOR_OFFSET, descriptorEnd))
        {
            return BatchDecompressor.CORRUPT;
        }

        final int checksumSize = blockChecksum ? Integer.BYTES : 0;
        int position = descriptorEnd + 1;
        int outLength = 0;
        while (true)
        {
            if (inLength - position < Integer.BYTES)
            {
                return BatchDecompressor.CORRUPT;
            }
            final int blockWord = in.getInt(position, ByteOrder.LITTLE_ENDIAN);
            position += Integer.BYTES;
            if (blockWord == 0)
            {
                break;
            }
            final int blockLength = blockWord & ~BLOCK_UNCOMPRESSED_FLAG;
            if (blockLength > maxBlockSize || blockLength > inLength - position - checksumSize)
            {
                return BatchDecompressor.CORRUPT;
            }
            if (blockChecksum &&
                in.getInt(position + blockLength, ByteOrder.LITTLE_ENDIAN) != xxhash(in, position, blockLength))
            {
                return BatchDecompressor.CORRUPT;
            }
            if ((blockWord & BLOCK_UNCOMPRESSED_FLAG) != 0)
            {
                if (blockLength > maxSize - outLength)
                {
                    return BatchDecompressor.TOO_LARGE;
                }
                ensureCapacity(out, outLength + blockLength);
                out.putBytes(outLength, in, position, blockLength);
                outLength += blockLength;
            }
            else
            {
                final int room = Math.min(maxBlockSize, maxSize - outLength);
                ensureCapacity(out, outLength + room);
                try
                {
                    outLength += DECOMPRESSOR.decompress(
                        view(in, 0, inLength), position, blockLength, view(out, 0, out.capacity()), outLength, room);
                }
                catch (final LZ4Exception ex)
                {
                    // With less room than a block may fill, a failure can also mean the output hit the maximum.
                    return room < maxBlockSize ? BatchDecompressor.TOO_LARGE : BatchDecompressor.CORRUPT;
                }
            }
            position += blockLength + checksumSize;
        }

        if ((flg & FLG_CONTENT_CHECKSUM) != 0)
        {
            if (inLength - position < Integer.BYTES ||
                in.getInt(position, ByteOrder.LITTLE_ENDIAN) != xxhash(out, 0, outLength))
            {
                return BatchDecompressor.CORRUPT;
            }
            position += Integer.BYTES;
        }
        if (contentSize && in.getLong(DESCRIPTOR_OFFSET + 2, ByteOrder.LITTLE_ENDIAN) != outLength)
        {
            return BatchDecompressor.CORRUPT;
        }
        return position == inLength ? outLength : BatchDecompressor.CORRUPT;
    }

    /**
     * Writes {@code in[0, inLength)} as one frame with Kafka's settings into {@code out} from index 0.
     *
     * @return the compressed length.
     */
    int compress(final ExpandableDirectByteBuffer in, final int inLength, final ExpandableDirectByteBuffer out)
    {
        ensureCapacity(out, DESCRIPTOR_OFFSET + 3);
        out.putInt(0, MAGIC, ByteOrder.LITTLE_ENDIAN);
        out.putByte(DESCRIPTOR_OFFSET, (byte)(FLG_VERSION_01 | FLG_BLOCK_INDEPENDENCE));
        out.putByte(DESCRIPTOR_OFFSET + 1, (byte)(BLOCK_SIZE_CODE_64KB << BD_SIZE_SHIFT));
        out.putByte(DESCRIPTOR_OFFSET + 2, (byte)headerChecksum(out, DESCRIPTOR_OFFSET, DESCRIPTOR_OFFSET + 2));
        int outLength = DESCRIPTOR_OFFSET + 3;

        for (int offset = 0; offset < inLength; offset += BLOCK_SIZE)
        {
            final int blockLength = Math.min(BLOCK_SIZE, inLength - offset);
            final int bound = COMPRESSOR.maxCompressedLength(blockLength);
            ensureCapacity(out, outLength + Integer.BYTES + bound);
            final ByteBuffer src = view(in, 0, inLength);
            final ByteBuffer dst = view(out, 0, out.capacity());
            final int compressed = COMPRESSOR.compress(src, offset, blockLength, dst, outLength + Integer.BYTES, bound);
            if (compressed < blockLength)
            {
                out.putInt(outLength, compressed, ByteOrder.LITTLE_ENDIAN);
                outLength += Integer.BYTES + compressed;
            }
            else
            {
                // Incompressible: the frame format stores such a block as is rather than let it grow.
                out.putInt(outLength, blockLength | BLOCK_UNCOMPRESSED_FLAG, ByteOrder.LITTLE_ENDIAN);
                out.putBytes(outLength + Integer.BYTES, in, offset, blockLength);
                outLength += Integer.BYTES + blockLength;
            }
        }
        ensureCapacity(out, outLength + Integer.BYTES);
        out.putInt(outLength, 0);
        return outLength + Integer.BYTES;
    }

    private static int headerChecksum(final ExpandableDirectByteBuffer buffer, final int from, final int to)
    {
        return (xxhash(buffer, from, to - from) >>> 8) & 0xFF;
    }

    private static int xxhash(final ExpandableDirectByteBuffer buffer, final int offset, final int length)
    {
        final ByteBuffer byteBuffer = view(buffer, 0, buffer.capacity());
        return XXHASH.hash(byteBuffer, offset, length, 0);
    }
}
