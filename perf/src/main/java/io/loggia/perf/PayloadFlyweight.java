package io.loggia.perf;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;

/**
 * Flyweight over the header at the start of every record value the harness sends.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                         Run Id (int32)                        |  0
 *  +---------------------------------------------------------------+
 *  |                     Producer Index (int32)                    |  4
 *  +---------------------------------------------------------------+
 *  |                        Sequence (int64)                       |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Intended Send Time ns (int64)                 |  16
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                      Send Time ns (int64)                     |  24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                  Filler up to the message size ...            |  32
 *  +---------------------------------------------------------------+
 * </pre>
 * Both times are {@code System.nanoTime()} minus the run's origin; producers and consumers run in one JVM, so
 * they share that clock. The run id tells this run's records from older ones in a reused topic. The sequence
 * counts per producer from 0, which lets each consumer group find lost and duplicated records. Byte order is
 * the platform's: the same process writes and reads.
 * <p>
 * Not thread safe; one instance per thread, re-wrapped per record.
 */
public final class PayloadFlyweight
{
    public static final int RUN_ID_OFFSET = 0;
    public static final int PRODUCER_INDEX_OFFSET = RUN_ID_OFFSET + SIZE_OF_INT;
    public static final int SEQUENCE_OFFSET = PRODUCER_INDEX_OFFSET + SIZE_OF_INT;
    public static final int INTENDED_SEND_TIME_OFFSET = SEQUENCE_OFFSET + SIZE_OF_LONG;
    public static final int SEND_TIME_OFFSET = INTENDED_SEND_TIME_OFFSET + SIZE_OF_LONG;

    /** Bytes of header, 32: the smallest message the harness can send. */
    public static final int HEADER_LENGTH = SEND_TIME_OFFSET + SIZE_OF_LONG;

    private final UnsafeBuffer buffer = new UnsafeBuffer(0, 0);

    /** Wrap {@code length} bytes of {@code source} at {@code offset}, without copying. */
    public PayloadFlyweight wrap(final DirectBuffer source, final int offset, final int length)
    {
        buffer.wrap(source, offset, length);
        return this;
    }

    /**
     * @param value a record value.
     * @return this flyweight over it.
     */
    public PayloadFlyweight wrap(final byte[] value)
    {
        buffer.wrap(value);
        return this;
    }

    /** @return true when the wrapped value is long enough to hold a header. */
    public boolean hasHeader()
    {
        return buffer.capacity() >= HEADER_LENGTH;
    }

    public int runId()
    {
        return buffer.getInt(RUN_ID_OFFSET);
    }

    public PayloadFlyweight runId(final int runId)
    {
        buffer.putInt(RUN_ID_OFFSET, runId);
        return this;
    }

    public int producerIndex()
    {
        return buffer.getInt(PRODUCER_INDEX_OFFSET);
    }

    public PayloadFlyweight producerIndex(final int producerIndex)
    {
        buffer.putInt(PRODUCER_INDEX_OFFSET, producerIndex);
        return this;
    }

    public long sequence()
    {
        return buffer.getLong(SEQUENCE_OFFSET);
    }

    public PayloadFlyweight sequence(final long sequence)
    {
        buffer.putLong(SEQUENCE_OFFSET, sequence);
        return this;
    }

    /** @return the scheduled send time, ns after the run's origin. */
    public long intendedSendTimeNs()
    {
        return buffer.getLong(INTENDED_SEND_TIME_OFFSET);
    }

    public PayloadFlyweight intendedSendTimeNs(final long timeNs)
    {
        buffer.putLong(INTENDED_SEND_TIME_OFFSET, timeNs);
        return this;
    }

    /** @return when {@code send()} was called, ns after the run's origin. */
    public long sendTimeNs()
    {
        return buffer.getLong(SEND_TIME_OFFSET);
    }

    public PayloadFlyweight sendTimeNs(final long timeNs)
    {
        buffer.putLong(SEND_TIME_OFFSET, timeNs);
        return this;
    }
}
