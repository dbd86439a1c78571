package io.loggia.codec.record;

import org.agrona.ExpandableDirectByteBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import static io.loggia.codec.record.BufferViews.ensureCapacity;
import static io.loggia.codec.record.BufferViews.view;

/**
 * The gzip file format (RFC 1952) that Kafka's GZIPOutputStream writes: one or more members, each a header,
 * raw deflate data and a trailer.
 * <pre>
 *  +----+----+----+-----+--------------+-----+----+  optional, by FLG bits:
 *  |1F  |8B  |CM=8| FLG | MTIME (4, LE)| XFL | OS |  FEXTRA (LE len + bytes), FNAME and FCOMMENT (zero-terminated),
 *  +----+----+----+-----+--------------+-----+----+  FHCRC (low 16 bits of the header's CRC-32)
 *  | deflate data ...                              |
 *  +-----------------------+-----------------------+
 *  | CRC-32 of data (LE)   | data size mod 2^32 (LE)|
 *  +-----------------------+-----------------------+
 * </pre>
 * Not thread safe.
 */
final class GzipStream implements AutoCloseable
{
    private static final int ID1 = 0x1F;
    private static final int ID2 = 0x8B;
    private static final int CM_DEFLATE = 8;
    private static final int FHCRC = 0x02;
    private static final int FEXTRA = 0x04;
    private static final int FNAME = 0x08;
    private static final int FCOMMENT = 0x10;
    private static final int FLG_RESERVED = 0xE0;
    private static final int OS_UNKNOWN = 0xFF;
    private static final int HEADER_LENGTH = 10;
    private static final int TRAILER_LENGTH = 8;
    private static final int MIN_OUTPUT_ROOM = 4096;

    private final CRC32 crc = new CRC32();
    private Inflater inflater;
    private Deflater deflater;

    /**
     * Inflates every member in {@code in[0, inLength)} into {@code out} from index 0.
     *
     * @return the decompressed length, {@link BatchDecompressor#CORRUPT} or {@link BatchDecompressor#TOO_LARGE}.
     */
    int decompress(
        final ExpandableDirectByteBuffer in,
        final int inLength,
        final ExpandableDirectByteBuffer out,
        final int maxSize)
    {
        if (inflater == null)
        {
            inflater = new Inflater(true);
        }
        int position = 0;
        int outLength = 0;
        do
        {
            final int dataStart = skipHeader(in, position, inLength);
            if (dataStart < 0)
            {
                return BatchDecompressor.CORRUPT;
            }
            final int memberStart = outLength;
            inflater.reset();
            inflater.setInput(view(in, dataStart, inLength));
            try
            {
                while (!inflater.finished())
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
                    final int produced = inflater.inflate(dst);
                    outLength = dst.position();
                    if (produced == 0 && !inflater.finished() &&
                        (inflater.needsInput() || inflater.needsDictionary() || dst.hasRemaining()))
                    {
                        return BatchDecompressor.CORRUPT;
                    }
                }
            }
            catch (final DataFormatException ex)
            {
                return BatchDecompressor.CORRUPT;
            }
            if (outLength > maxSize)
            {
                return BatchDecompressor.TOO_LARGE;
            }
            position = inLength - inflater.getRemaining();
            if (inLength - position < TRAILER_LENGTH)
            {
                return BatchDecompressor.CORRUPT;
            }
            crc.reset();
            crc.update(view(out, memberStart, outLength));
            if (in.getInt(position, ByteOrder.LITTLE_ENDIAN) != (int)crc.getValue() ||
                in.getInt(position + 4, ByteOrder.LITTLE_ENDIAN) != outLength - memberStart)
            {
                return BatchDecompressor.CORRUPT;
            }
            position += TRAILER_LENGTH;
        }
        while (position < inLength);
        return outLength;
    }

    /**
     * Writes one gzip member holding {@code in[0, inLength)} into {@code out} from index 0.
     *
     * @return the compressed length.
     */
    int compress(final ExpandableDirectByteBuffer in, final int inLength, final ExpandableDirectByteBuffer out)
    {
        if (deflater == null)
        {
            deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        }
        ensureCapacity(out, HEADER_LENGTH + MIN_OUTPUT_ROOM);
        out.putByte(0, (byte)ID1);
        out.putByte(1, (byte)ID2);
        out.putByte(2, (byte)CM_DEFLATE);
        out.putByte(3, (byte)0);
        out.putInt(4, 0);
        out.putByte(8, (byte)0);
        out.putByte(9, (byte)OS_UNKNOWN);
        int outLength = HEADER_LENGTH;

        deflater.reset();
        deflater.setInput(view(in, 0, inLength));
        deflater.finish();
        while (!deflater.finished())
        {
            if (out.capacity() - outLength < MIN_OUTPUT_ROOM)
            {
                ensureCapacity(out, out.capacity() + Math.max(out.capacity() / 2, MIN_OUTPUT_ROOM));
            }
            final ByteBuffer dst = view(out, outLength, out.capacity());
            deflater.deflate(dst);
            outLength = dst.position();
        }

        crc.reset();
        crc.update(view(in, 0, inLength));
        ensureCapacity(out, outLength + TRAILER_LENGTH);
        out.putInt(outLength, (int)crc.getValue(), ByteOrder.LITTLE_ENDIAN);
        out.putInt(outLength + 4, inLength, ByteOrder.LITTLE_ENDIAN);
        return outLength + TRAILER_LENGTH;
    }

    public void close()
    {
        if (inflater != null)
        {
            inflater.end();
            inflater = null;
        }
        if (deflater != null)
        {
            deflater.end();
            deflater = null;
        }
    }

    /** Index of the first deflate byte of the member at {@code position}, or -1 if its header is bad. */
    private int skipHeader(final ExpandableDirectByteBuffer in, final int start, final int limit)
    {
        if (limit - start < HEADER_LENGTH ||
            (in.getByte(start) & 0xFF) != ID1 ||
            (in.getByte(start + 1) & 0xFF) != ID2 ||
            in.getByte(start + 2) != CM_DEFLATE)
        {
            return -1;
        }
        final int flags = in.getByte(start + 3) & 0xFF;
        if ((flags & FLG_RESERVED) != 0)
        {
            return -1;
        }
        int position = start + HEADER_LENGTH;
        if ((flags & FEXTRA) != 0)
        {
            if (limit - position < 2)
            {
                return -1;
            }
            position += 2 + (in.getShort(position, ByteOrder.LITTLE_ENDIAN) & 0xFFFF);
        }
        if ((flags & FNAME) != 0)
        {
            position = skipZeroTerminated(in, position, limit);
        }
        if ((flags & FCOMMENT) != 0)
        {
            position = skipZeroTerminated(in, position, limit);
        }
        if ((flags & FHCRC) != 0)
        {
            if (position < 0 || limit - position < 2)
            {
                return -1;
            }
            crc.reset();
            crc.update(view(in, start, position));
            if ((in.getShort(position, ByteOrder.LITTLE_ENDIAN) & 0xFFFF) != (crc.getValue() & 0xFFFF))
            {
                return -1;
            }
            position += 2;
        }
        return position < 0 || position > limit ? -1 : position;
    }

    private static int skipZeroTerminated(final ExpandableDirectByteBuffer in, final int start, final int limit)
    {
        if (start < 0)
        {
            return -1;
        }
        for (int i = start; i < limit; i++)
        {
            if (in.getByte(i) == 0)
            {
                return i + 1;
            }
        }
        return -1;
    }
}
