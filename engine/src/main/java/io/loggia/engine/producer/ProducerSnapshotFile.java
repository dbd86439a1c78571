package io.loggia.engine.producer;

import io.loggia.engine.log.LogFiles;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.LongArrayList;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

import static org.agrona.BitUtil.SIZE_OF_BYTE;
import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;
import static org.agrona.BitUtil.SIZE_OF_SHORT;

/**
 * A producer state snapshot, {@code <20-digit offset>.snapshot} in the partition directory: the state of every
 * producer after all batches below the offset in the file name. Loggia's own format, not Kafka's (Kafka's
 * loader rejects it by its version field and falls back to a replay). Big-endian, like the log.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                     Magic "LGPS" (int32)                      |  0
 *  +-------------------------------+-------------------------------+
 *  |        Version (int16)        |       Reserved (int16) 0      |  4
 *  +-------------------------------+-------------------------------+
 *  |              CRC-32C of bytes 12 to the end (uint32)          |  8
 *  +---------------------------------------------------------------+
 *  |                    Snapshot Offset (int64)                    |  12  equals the file name's
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                    Producer Count (int32)                     |  20
 *  +---------------------------------------------------------------+
 *  |                    Producers ...                              |  24  ascending producer id
 *
 *  Producer (20 bytes + 32 per batch):
 *  +---------------------------------------------------------------+
 *  |                      Producer Id (int64)                      |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                    Last Timestamp (int64)                     |  8   expiry is measured from it
 *  |                                                               |
 *  +-------------------------------+---------------+---------------+
 *  |        Epoch (int16)          | Reserved (0)  | Batch Count   |  16, 18, 19  count 0 to 5
 *  +-------------------------------+---------------+---------------+
 *  |                    Batches ...                                |  20  oldest first
 *
 *  Batch (32 bytes):
 *  +-------------------------------+-------------------------------+
 *  |     Base Sequence (int32)     |     Last Sequence (int32)     |  0, 4
 *  +-------------------------------+-------------------------------+
 *  |                     First Offset (int64)                      |  8
 *  +---------------------------------------------------------------+
 *  |                     Last Offset (int64)                       |  16
 *  +---------------------------------------------------------------+
 *  |                 Timestamp (int64): batch max timestamp        |  24
 *  +---------------------------------------------------------------+
 * </pre>
 * A reader trusts a file only if the magic, version, CRC and offset match, every count and offset is in range,
 * producer ids ascend strictly and the last producer ends exactly at the end of the file; anything else makes
 * the file unusable as a whole (see {@link #validate}).
 */
final class ProducerSnapshotFile
{
    static final String SUFFIX = ".snapshot";
    /** "LGPS": Loggia producer state. */
    static final int MAGIC = 0x4C47_5053;
    static final short VERSION = 1;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = MAGIC_OFFSET + SIZE_OF_INT;
    static final int HEADER_RESERVED_OFFSET = VERSION_OFFSET + SIZE_OF_SHORT;
    static final int CRC_OFFSET = HEADER_RESERVED_OFFSET + SIZE_OF_SHORT;
    static final int SNAPSHOT_OFFSET_OFFSET = CRC_OFFSET + SIZE_OF_INT;
    static final int PRODUCER_COUNT_OFFSET = SNAPSHOT_OFFSET_OFFSET + SIZE_OF_LONG;
    static final int HEADER_LENGTH = PRODUCER_COUNT_OFFSET + SIZE_OF_INT;
    /** The CRC covers everything after itself, so a reader checks it before trusting any later field. */
    static final int CRC_START = SNAPSHOT_OFFSET_OFFSET;

    static final int PRODUCER_ID_OFFSET = 0;
    static final int LAST_TIMESTAMP_OFFSET = PRODUCER_ID_OFFSET + SIZE_OF_LONG;
    static final int EPOCH_OFFSET = LAST_TIMESTAMP_OFFSET + SIZE_OF_LONG;
    static final int PRODUCER_RESERVED_OFFSET = EPOCH_OFFSET + SIZE_OF_SHORT;
    static final int BATCH_COUNT_OFFSET = PRODUCER_RESERVED_OFFSET + SIZE_OF_BYTE;
    static final int PRODUCER_HEADER_LENGTH = BATCH_COUNT_OFFSET + SIZE_OF_BYTE;

    static final int BASE_SEQUENCE_OFFSET = 0;
    static final int LAST_SEQUENCE_OFFSET = BASE_SEQUENCE_OFFSET + SIZE_OF_INT;
    static final int FIRST_OFFSET_OFFSET = LAST_SEQUENCE_OFFSET + SIZE_OF_INT;
    static final int LAST_OFFSET_OFFSET = FIRST_OFFSET_OFFSET + SIZE_OF_LONG;
    static final int TIMESTAMP_OFFSET = LAST_OFFSET_OFFSET + SIZE_OF_LONG;
    static final int BATCH_LENGTH = TIMESTAMP_OFFSET + SIZE_OF_LONG;

    /** The file can be loaded. */
    static final int VALID = 0;
    static final int TOO_SHORT = 1;
    static final int BAD_MAGIC = 2;
    static final int UNSUPPORTED_VERSION = 3;
    static final int CRC_MISMATCH = 4;
    static final int OFFSET_MISMATCH = 5;
    static final int BAD_LENGTH = 6;
    static final int BAD_PRODUCER = 7;
    static final int BAD_BATCH = 8;

    static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;

    private ProducerSnapshotFile()
    {
    }

    static Path file(final Path partitionDir, final long offset)
    {
        return partitionDir.resolve(LogFiles.fileName(offset, SUFFIX));
    }

    /**
     * The offsets of the snapshot files in {@code partitionDir}, ascending. Temporary files of an interrupted
     * {@link #write} are deleted on the way.
     *
     * @return the number of temporary files deleted, with the offsets in {@code offsets}.
     */
    static int list(final Path partitionDir, final LongArrayList offsets) throws IOException
    {
        offsets.clear();
        int deleted = 0;
        final String tmpSuffix = SUFFIX + LogFiles.TMP_SUFFIX;
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(partitionDir))
        {
            for (final Path path : stream)
            {
                final String name = path.getFileName().toString();
                final long offset = LogFiles.parseBaseOffset(name, SUFFIX);
                if (offset >= 0)
                {
                    offsets.addLong(offset);
                }
                else if (name.endsWith(tmpSuffix))
                {
                    Files.deleteIfExists(path);
                    deleted++;
                }
            }
        }
        final long[] sorted = offsets.toLongArray();
        Arrays.sort(sorted);
        offsets.clear();
        for (final long offset : sorted)
        {
            offsets.addLong(offset);
        }
        return deleted;
    }

    /**
     * Encode the producers, which must be sorted by ascending producer id, into {@code buffer} from 0.
     *
     * @return the length of the file.
     */
    static int encode(
        final ExpandableArrayBuffer buffer, final long snapshotOffset, final ProducerEntry[] producers, final int count)
    {
        buffer.putInt(MAGIC_OFFSET, MAGIC, ORDER);
        buffer.putShort(VERSION_OFFSET, VERSION, ORDER);
        buffer.putShort(HEADER_RESERVED_OFFSET, (short)0, ORDER);
        buffer.putLong(SNAPSHOT_OFFSET_OFFSET, snapshotOffset, ORDER);
        buffer.putInt(PRODUCER_COUNT_OFFSET, count, ORDER);
        int position = HEADER_LENGTH;
        for (int i = 0; i < count; i++)
        {
            final ProducerEntry entry = producers[i];
            final int batches = entry.batchCount();
            buffer.checkLimit(position + PRODUCER_HEADER_LENGTH + batches * BATCH_LENGTH);
            buffer.putLong(position + PRODUCER_ID_OFFSET, entry.producerId(), ORDER);
            buffer.putLong(position + LAST_TIMESTAMP_OFFSET, entry.lastTimestamp(), ORDER);
            buffer.putShort(position + EPOCH_OFFSET, entry.epoch(), ORDER);
            buffer.putByte(position + PRODUCER_RESERVED_OFFSET, (byte)0);
            buffer.putByte(position + BATCH_COUNT_OFFSET, (byte)batches);
            position += PRODUCER_HEADER_LENGTH;
            for (int b = 0; b < batches; b++)
            {
                buffer.putInt(position + BASE_SEQUENCE_OFFSET, entry.baseSequence(b), ORDER);
                buffer.putInt(position + LAST_SEQUENCE_OFFSET, entry.lastSequence(b), ORDER);
                buffer.putLong(position + FIRST_OFFSET_OFFSET, entry.firstOffset(b), ORDER);
                buffer.putLong(position + LAST_OFFSET_OFFSET, entry.lastOffset(b), ORDER);
                buffer.putLong(position + TIMESTAMP_OFFSET, entry.timestamp(b), ORDER);
                position += BATCH_LENGTH;
            }
        }
        buffer.putInt(CRC_OFFSET, crc(buffer.byteArray(), position), ORDER);
        return position;
    }

    /**
     * Write {@code buffer[0, length)} as the snapshot at {@code offset}: to a temporary file renamed into place,
     * not forced. A snapshot is derived data that validates itself, so a file torn by a power loss is refused
     * at load like any damaged one and costs only a longer replay; forcing would stall the writer thread for
     * two disk flushes at every roll.
     */
    static void write(final Path partitionDir, final long offset, final ExpandableArrayBuffer buffer, final int length)
        throws IOException
    {
        DurableFiles.writeAtomically(file(partitionDir, offset), buffer.byteArray(), length, false);
    }

    /**
     * Check a whole file before anything is taken from it.
     *
     * @param expectedOffset the offset in the file's name.
     * @return {@link #VALID} or the first problem found.
     */
    static int validate(final UnsafeBuffer buffer, final int length, final long expectedOffset)
    {
        if (length < HEADER_LENGTH)
        {
            return TOO_SHORT;
        }
        if (MAGIC != buffer.getInt(MAGIC_OFFSET, ORDER))
        {
            return BAD_MAGIC;
        }
        if (VERSION != buffer.getShort(VERSION_OFFSET, ORDER) || 0 != buffer.getShort(HEADER_RESERVED_OFFSET, ORDER))
        {
            return UNSUPPORTED_VERSION;
        }
        if (buffer.getInt(CRC_OFFSET, ORDER) != crc(buffer.byteArray(), length))
        {
            return CRC_MISMATCH;
        }
        final long snapshotOffset = buffer.getLong(SNAPSHOT_OFFSET_OFFSET, ORDER);
        if (snapshotOffset != expectedOffset)
        {
            return OFFSET_MISMATCH;
        }
        final int count = buffer.getInt(PRODUCER_COUNT_OFFSET, ORDER);
        if (count < 0 || count > (length - HEADER_LENGTH) / PRODUCER_HEADER_LENGTH)
        {
            return BAD_LENGTH;
        }
        int position = HEADER_LENGTH;
        long previousId = -1;
        for (int i = 0; i < count; i++)
        {
            if (position > length - PRODUCER_HEADER_LENGTH)
            {
                return BAD_LENGTH;
            }
            final long producerId = buffer.getLong(position + PRODUCER_ID_OFFSET, ORDER);
            final int batches = buffer.getByte(position + BATCH_COUNT_OFFSET);
            if (producerId <= previousId || 0 != buffer.getByte(position + PRODUCER_RESERVED_OFFSET) ||
                batches < 0 || batches > ProducerEntry.MAX_BATCHES)
            {
                return BAD_PRODUCER;
            }
            previousId = producerId;
            position += PRODUCER_HEADER_LENGTH;
            if (position > length - batches * BATCH_LENGTH)
            {
                return BAD_LENGTH;
            }
            long previousLast = -1;
            for (int b = 0; b < batches; b++)
            {
                final long first = buffer.getLong(position + FIRST_OFFSET_OFFSET, ORDER);
                final long last = buffer.getLong(position + LAST_OFFSET_OFFSET, ORDER);
                if (first <= previousLast || last < first || last >= snapshotOffset)
                {
                    return BAD_BATCH;
                }
                previousLast = last;
                position += BATCH_LENGTH;
            }
        }
        return position == length ? VALID : BAD_LENGTH;
    }

    /**
     * Load a file that passed {@link #validate} into an empty {@code target}.
     *
     * @return producers restored.
     */
    static int restore(final UnsafeBuffer buffer, final ProducerStateManager target)
    {
        final int count = buffer.getInt(PRODUCER_COUNT_OFFSET, ORDER);
        int position = HEADER_LENGTH;
        for (int i = 0; i < count; i++)
        {
            final ProducerEntry entry = target.restoreProducer(
                buffer.getLong(position + PRODUCER_ID_OFFSET, ORDER),
                buffer.getShort(position + EPOCH_OFFSET, ORDER),
                buffer.getLong(position + LAST_TIMESTAMP_OFFSET, ORDER));
            final int batches = buffer.getByte(position + BATCH_COUNT_OFFSET);
            position += PRODUCER_HEADER_LENGTH;
            for (int b = 0; b < batches; b++)
            {
                entry.addBatch(
                    buffer.getInt(position + BASE_SEQUENCE_OFFSET, ORDER),
                    buffer.getInt(position + LAST_SEQUENCE_OFFSET, ORDER),
                    buffer.getLong(position + FIRST_OFFSET_OFFSET, ORDER),
                    buffer.getLong(position + LAST_OFFSET_OFFSET, ORDER),
                    buffer.getLong(position + TIMESTAMP_OFFSET, ORDER));
                position += BATCH_LENGTH;
            }
        }
        return count;
    }

    /**
     * A readable listing of a file that passed {@link #validate}: a header line, then one line per producer, as
     * {@code loggia dump} prints it.
     */
    static String dump(final UnsafeBuffer buffer)
    {
        final int count = buffer.getInt(PRODUCER_COUNT_OFFSET, ORDER);
        final StringBuilder out = new StringBuilder(64 + count * 96)
            .append("snapshotOffset: ").append(buffer.getLong(SNAPSHOT_OFFSET_OFFSET, ORDER))
            .append(" version: ").append(buffer.getShort(VERSION_OFFSET, ORDER))
            .append(" producers: ").append(count).append('\n');
        int position = HEADER_LENGTH;
        for (int i = 0; i < count; i++)
        {
            final int batches = buffer.getByte(position + BATCH_COUNT_OFFSET);
            out.append("producerId: ").append(buffer.getLong(position + PRODUCER_ID_OFFSET, ORDER))
                .append(" producerEpoch: ").append(buffer.getShort(position + EPOCH_OFFSET, ORDER))
                .append(" lastTimestamp: ").append(buffer.getLong(position + LAST_TIMESTAMP_OFFSET, ORDER))
                .append(" batches:");
            position += PRODUCER_HEADER_LENGTH;
            for (int b = 0; b < batches; b++)
            {
                out.append(" [seq ").append(buffer.getInt(position + BASE_SEQUENCE_OFFSET, ORDER))
                    .append('-').append(buffer.getInt(position + LAST_SEQUENCE_OFFSET, ORDER))
                    .append(" offset ").append(buffer.getLong(position + FIRST_OFFSET_OFFSET, ORDER))
                    .append('-').append(buffer.getLong(position + LAST_OFFSET_OFFSET, ORDER))
                    .append(" ts ").append(buffer.getLong(position + TIMESTAMP_OFFSET, ORDER)).append(']');
                position += BATCH_LENGTH;
            }
            out.append('\n');
        }
        return out.toString();
    }

    static String describe(final int code)
    {
        switch (code)
        {
            case VALID: return "valid";
            case TOO_SHORT: return "shorter than the header";
            case BAD_MAGIC: return "not a Loggia producer snapshot (magic)";
            case UNSUPPORTED_VERSION: return "unsupported version";
            case CRC_MISMATCH: return "CRC-32C mismatch";
            case OFFSET_MISMATCH: return "offset differs from the file name";
            case BAD_LENGTH: return "counts do not match the file length";
            case BAD_PRODUCER: return "producer ids not ascending, or a bad batch count";
            case BAD_BATCH: return "batch offsets out of order or not below the snapshot offset";
            default: return "unknown code " + code;
        }
    }

    private static int crc(final byte[] bytes, final int length)
    {
        final CRC32C crc = new CRC32C();
        crc.update(bytes, CRC_START, length - CRC_START);
        return (int)crc.getValue();
    }
}
