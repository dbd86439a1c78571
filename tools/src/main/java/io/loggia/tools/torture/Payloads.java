package io.loggia.tools.torture;

import org.agrona.BitUtil;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The records the harness produces: key and value are functions of (run seed, partition, sequence), so any
 * record read back can be checked byte for byte against what was sent without keeping what was sent.
 * <pre>
 *   key (12 bytes)                       value (length chosen by the seed, 24 to max bytes)
 *   0       4                            0       4         8                 16      20      24
 *   +-------+----------------------+     +-------+---------+-----------------+-------+-------+--------------
 *   | part. | sequence (int64)     |     | magic | part.   | sequence        | length| seed  | filler ...
 *   +-------+----------------------+     +-------+---------+-----------------+-------+-------+--------------
 * </pre>
 * Big-endian. {@code magic} is {@value #MAGIC} ("TORT"), {@code seed} the low 32 bits of the run seed, the filler
 * a SplitMix64 stream seeded by (seed, partition, sequence). The sequence numbers the records sent to one
 * partition from 0, in send order: the order the idempotent producer must preserve in the log.
 */
final class Payloads
{
    static final int MAGIC = 0x544F_5254;
    static final int KEY_LENGTH = 12;
    static final int MIN_VALUE_LENGTH = 24;
    static final long NOT_A_PAYLOAD = -1;

    private static final int MAGIC_OFFSET = 0;
    private static final int PARTITION_OFFSET = MAGIC_OFFSET + BitUtil.SIZE_OF_INT;
    private static final int SEQUENCE_OFFSET = PARTITION_OFFSET + BitUtil.SIZE_OF_INT;
    private static final int LENGTH_OFFSET = SEQUENCE_OFFSET + BitUtil.SIZE_OF_LONG;
    private static final int SEED_OFFSET = LENGTH_OFFSET + BitUtil.SIZE_OF_INT;
    private static final int FILLER_OFFSET = SEED_OFFSET + BitUtil.SIZE_OF_INT;

    private final long seed;
    private final int maxValueLength;

    Payloads(final long seed, final int maxValueLength)
    {
        this.seed = seed;
        this.maxValueLength = Math.max(MIN_VALUE_LENGTH, maxValueLength);
    }

    byte[] key(final int partition, final long sequence)
    {
        return ByteBuffer.allocate(KEY_LENGTH).order(ByteOrder.BIG_ENDIAN).putInt(partition).putLong(sequence).array();
    }

    byte[] value(final int partition, final long sequence)
    {
        final byte[] value = new byte[valueLength(partition, sequence)];
        final ByteBuffer buffer = ByteBuffer.wrap(value).order(ByteOrder.BIG_ENDIAN);
        buffer.putInt(MAGIC_OFFSET, MAGIC)
            .putInt(PARTITION_OFFSET, partition)
            .putLong(SEQUENCE_OFFSET, sequence)
            .putInt(LENGTH_OFFSET, value.length)
            .putInt(SEED_OFFSET, (int)seed);
        long state = fillerSeed(partition, sequence);
        for (int i = FILLER_OFFSET; i < value.length; i++)
        {
            if (0 == ((i - FILLER_OFFSET) & 7))
            {
                state = mix(state + 0x9E37_79B9_7F4A_7C15L);
            }
            value[i] = (byte)(state >>> (((i - FILLER_OFFSET) & 7) << 3));
        }
        return value;
    }

    /**
     * The sequence a value claims, if the value and key are exactly what this run sent for that partition and
     * sequence.
     *
     * @return the sequence, or {@link #NOT_A_PAYLOAD} if any byte differs from what was sent.
     */
    long sequenceOf(final int partition, final byte[] key, final byte[] value)
    {
        if (null == value || value.length < MIN_VALUE_LENGTH || null == key || key.length != KEY_LENGTH)
        {
            return NOT_A_PAYLOAD;
        }
        final ByteBuffer buffer = ByteBuffer.wrap(value).order(ByteOrder.BIG_ENDIAN);
        final long sequence = buffer.getLong(SEQUENCE_OFFSET);
        if (MAGIC != buffer.getInt(MAGIC_OFFSET) || partition != buffer.getInt(PARTITION_OFFSET) || sequence < 0 ||
            value.length != valueLength(partition, sequence) || buffer.getInt(LENGTH_OFFSET) != value.length ||
            (int)seed != buffer.getInt(SEED_OFFSET))
        {
            return NOT_A_PAYLOAD;
        }
        final ByteBuffer keyBuffer = ByteBuffer.wrap(key).order(ByteOrder.BIG_ENDIAN);
        if (partition != keyBuffer.getInt(0) || sequence != keyBuffer.getLong(BitUtil.SIZE_OF_INT))
        {
            return NOT_A_PAYLOAD;
        }
        long state = fillerSeed(partition, sequence);
        for (int i = FILLER_OFFSET; i < value.length; i++)
        {
            if (0 == ((i - FILLER_OFFSET) & 7))
            {
                state = mix(state + 0x9E37_79B9_7F4A_7C15L);
            }
            if (value[i] != (byte)(state >>> (((i - FILLER_OFFSET) & 7) << 3)))
            {
                return NOT_A_PAYLOAD;
            }
        }
        return sequence;
    }

    int valueLength(final int partition, final long sequence)
    {
        final long span = maxValueLength - MIN_VALUE_LENGTH + 1L;
        return MIN_VALUE_LENGTH + (int)Long.remainderUnsigned(mix(fillerSeed(partition, sequence) ^ 0x5DEE_CE66DL), span);
    }

    private long fillerSeed(final int partition, final long sequence)
    {
        return mix(seed ^ mix(((long)partition << 48) ^ sequence));
    }

    /** SplitMix64's finaliser: a bijection with good avalanche, enough for test data. */
    static long mix(final long value)
    {
        long z = value;
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }
}
