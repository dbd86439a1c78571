package io.loggia.net.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

/**
 * Damages a record batch (magic 2) the ways a broken or hostile producer could: flipped bytes (a CRC mismatch),
 * header fields set to edge values, a batch length that lies, another magic, corrupt record varints, impossible
 * attributes (unknown codec, control, transactional), a record count that disagrees with the offsets, bytes cut
 * off or appended. Most damage is followed by a correct CRC, so the input gets past the CRC check into what is
 * validated after it.
 * <pre>
 *   0 base offset (8) | 8 length (4) | 12 leader epoch (4) | 16 magic (1) | 17 crc (4) | 21 attributes (2) |
 *   23 last offset delta (4) | 27 first timestamp (8) | 35 max timestamp (8) | 43 producer id (8) |
 *   51 producer epoch (2) | 53 base sequence (4) | 57 record count (4) | 61 records ...
 *   record: length varint | attributes int8 | timestamp delta varlong | offset delta varint |
 *           key length varint | key | value length varint | value | header count varint | headers
 * </pre>
 */
final class BatchMutator
{
    static final int LENGTH_OFFSET = 8;
    static final int MAGIC_OFFSET = 16;
    static final int CRC_OFFSET = 17;
    static final int ATTRIBUTES_OFFSET = 21;
    static final int RECORDS_COUNT_OFFSET = 57;
    static final int RECORDS_OFFSET = 61;
    private static final int[][] FIELDS = {
        {0, 8}, {12, 4}, {21, 2}, {23, 4}, {27, 8}, {35, 8}, {43, 8}, {51, 2}, {53, 4}, {57, 4},
    };
    private static final long[] EDGES = {
        0, 1, -1, 2, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, Integer.MAX_VALUE, Integer.MIN_VALUE,
        0xFFFFFFFFL, Long.MAX_VALUE, Long.MIN_VALUE,
    };

    private final SplittableRandom random;

    BatchMutator(final SplittableRandom random)
    {
        this.random = random;
    }

    /**
     * A damaged copy of the batch (or records) in {@code batch}; the description of what was done goes to
     * {@code what}.
     */
    byte[] mutate(final byte[] batch, final StringBuilder what)
    {
        if (batch.length < RECORDS_OFFSET)
        {
            what.append("records-flip ");
            return Mutator.flipBits(batch, random, 1 + random.nextInt(4));
        }
        byte[] result = batch.clone();
        boolean fixCrc = random.nextInt(10) < 7;
        switch (random.nextInt(9))
        {
            case 0:
                what.append("batch-flip ");
                result = Mutator.flipBits(result, random, 1 + random.nextInt(4));
                fixCrc = random.nextInt(3) == 0;
                break;
            case 1:
            {
                final int[] field = FIELDS[random.nextInt(FIELDS.length)];
                what.append("batch-field@").append(field[0]).append(' ');
                putValue(result, field[0], field[1], EDGES[random.nextInt(EDGES.length)]);
                break;
            }
            case 2:
            {
                final int length = pickLength(result.length - RECORDS_COUNT_OFFSET + 45);
                what.append("batch-length=").append(length).append(' ');
                putValue(result, LENGTH_OFFSET, 4, length);
                break;
            }
            case 3:
                what.append("batch-magic ");
                result[MAGIC_OFFSET] = (byte)new int[]{0, 1, 3, 0xFF}[random.nextInt(4)];
                break;
            case 4:
                result = recordVarint(result, what);
                break;
            case 5:
            {
                final int bits = new int[]{5, 6, 7, 0x10, 0x20, 0x08, 0x30, 0xFFFF}[random.nextInt(8)];
                what.append("batch-attributes=").append(bits).append(' ');
                putValue(result, ATTRIBUTES_OFFSET, 2, bits);
                break;
            }
            case 6:
            {
                final int count = (int)getValue(result, RECORDS_COUNT_OFFSET, 4);
                final int delta = new int[]{1, -1, 1000, -count - 1, Integer.MAX_VALUE - count}[random.nextInt(5)];
                what.append("batch-count").append(delta > 0 ? "+" : "").append(delta).append(' ');
                putValue(result, RECORDS_COUNT_OFFSET, 4, count + delta);
                break;
            }
            case 7:
            {
                final int cut = RECORDS_OFFSET - 4 + random.nextInt(result.length - RECORDS_OFFSET + 4);
                what.append("batch-cut@").append(cut).append(' ');
                result = Arrays.copyOf(result, cut);
                if (random.nextBoolean())
                {
                    putValue(result, LENGTH_OFFSET, 4, cut - 12);
                }
                break;
            }
            default:
            {
                final byte[] extra = random.nextBoolean() ? batch : new byte[1 + random.nextInt(40)];
                if (extra != batch)
                {
                    random.nextBytes(extra);
                }
                what.append("batch-append").append(extra.length).append(' ');
                result = Arrays.copyOf(result, result.length + extra.length);
                System.arraycopy(extra, 0, result, batch.length, extra.length);
                if (random.nextBoolean())
                {
                    putValue(result, LENGTH_OFFSET, 4, result.length - 12);
                }
                break;
            }
        }
        if (fixCrc && result.length >= RECORDS_OFFSET)
        {
            final int end = (int)Math.min(result.length, Math.max(ATTRIBUTES_OFFSET, 12 + getValue(result, 8, 4)));
            final CRC32C crc = new CRC32C();
            crc.update(result, ATTRIBUTES_OFFSET, Math.max(0, end - ATTRIBUTES_OFFSET));
            putValue(result, CRC_OFFSET, 4, crc.getValue());
            what.append("crc-fixed ");
        }
        return result;
    }

    /** One of the varints of an uncompressed record set to a value its bytes cannot hold, or overlong. */
    private byte[] recordVarint(final byte[] batch, final StringBuilder what)
    {
        final int attributes = (int)getValue(batch, ATTRIBUTES_OFFSET, 2);
        final List<int[]> varints = (attributes & 7) == 0 ? recordVarints(batch) : List.of();
        if (varints.isEmpty())
        {
            what.append("records-flip ");
            return Mutator.flipBits(batch, random, 1 + random.nextInt(4));
        }
        final int[] varint = varints.get(random.nextInt(varints.size()));
        final ByteSink replacement = new ByteSink(16);
        switch (random.nextInt(5))
        {
            case 0:
                replacement.putBytes(new byte[]{(byte)0xFF, (byte)0xFF, (byte)0xFF, (byte)0xFF, (byte)0xFF, 0x01});
                break;
            case 1:
                replacement.putVarint(-2);
                break;
            case 2:
                replacement.putVarint(Integer.MAX_VALUE);
                break;
            case 3:
                replacement.putVarint(random.nextInt(1000) - 10);
                break;
            default:
                replacement.putBytes(new byte[]{(byte)0x80, (byte)0x80, (byte)0x80, (byte)0x80, (byte)0x80, 0x00});
                break;
        }
        what.append("record-varint@").append(varint[0]).append(' ');
        return Mutator.replace(batch, varint[0], varint[1], replacement.toArray());
    }

    /** {offset, length} of every varint of the records of an uncompressed batch, as far as they parse. */
    static List<int[]> recordVarints(final byte[] batch)
    {
        final List<int[]> varints = new ArrayList<>();
        final int[] cursor = {RECORDS_OFFSET};
        final int count = (int)getValue(batch, RECORDS_COUNT_OFFSET, 4);
        for (int r = 0; r < count && cursor[0] < batch.length; r++)
        {
            if (!varint(batch, cursor, varints) || cursor[0] >= batch.length)
            {
                break;
            }
            cursor[0]++;
            if (!varint(batch, cursor, varints) || !varint(batch, cursor, varints))
            {
                break;
            }
            final long keyLength = varintValue(batch, cursor);
            if (!varint(batch, cursor, varints))
            {
                break;
            }
            cursor[0] += (int)Math.max(0, keyLength);
            final long valueLength = varintValue(batch, cursor);
            if (!varint(batch, cursor, varints))
            {
                break;
            }
            cursor[0] += (int)Math.max(0, valueLength);
            final long headers = varintValue(batch, cursor);
            if (!varint(batch, cursor, varints))
            {
                break;
            }
            for (int h = 0; h < headers && cursor[0] < batch.length; h++)
            {
                final long hk = varintValue(batch, cursor);
                if (!varint(batch, cursor, varints))
                {
                    return varints;
                }
                cursor[0] += (int)Math.max(0, hk);
                final long hv = varintValue(batch, cursor);
                if (!varint(batch, cursor, varints))
                {
                    return varints;
                }
                cursor[0] += (int)Math.max(0, hv);
            }
        }
        return varints;
    }

    private static boolean varint(final byte[] bytes, final int[] cursor, final List<int[]> varints)
    {
        final int start = cursor[0];
        int i = start;
        while (i < bytes.length && i - start < 10 && (bytes[i] & 0x80) != 0)
        {
            i++;
        }
        if (i >= bytes.length || i - start >= 10)
        {
            return false;
        }
        varints.add(new int[]{start, i - start + 1});
        cursor[0] = i + 1;
        return true;
    }

    private static long varintValue(final byte[] bytes, final int[] cursor)
    {
        long raw = 0;
        int shift = 0;
        for (int i = cursor[0]; i < bytes.length && shift < 64; i++)
        {
            raw |= (long)(bytes[i] & 0x7F) << shift;
            shift += 7;
            if ((bytes[i] & 0x80) == 0)
            {
                break;
            }
        }
        return (raw >>> 1) ^ -(raw & 1);
    }

    private int pickLength(final int real)
    {
        final int[] lengths = {0, 13, 14, 48, real - 1, real + 1, real * 2, Integer.MAX_VALUE, -1, Integer.MIN_VALUE};
        return lengths[random.nextInt(lengths.length)];
    }

    static long getValue(final byte[] bytes, final int offset, final int width)
    {
        long value = 0;
        for (int i = 0; i < width && offset + i < bytes.length; i++)
        {
            value = (value << 8) | (bytes[offset + i] & 0xFF);
        }
        return width == 4 ? (int)value : width == 2 ? (short)value : value;
    }

    static void putValue(final byte[] bytes, final int offset, final int width, final long value)
    {
        for (int i = 0; i < width && offset + i < bytes.length; i++)
        {
            bytes[offset + i] = (byte)(value >>> (8 * (width - 1 - i)));
        }
    }
}
