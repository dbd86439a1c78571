package io.loggia.engine.producer;

import org.agrona.ErrorHandler;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;
import static org.agrona.BitUtil.SIZE_OF_SHORT;

/**
 * Hands out producer ids for InitProducerId. Ids are taken from blocks: before the first id of a block is
 * handed out, the start of the block after it is written to {@code <log.dir>/loggia-producer-id-block}
 * atomically and durably, so an id is never handed out twice, across crashes included. A crash wastes the
 * rest of the current block, at most {@code blockSize - 1} ids out of 2<sup>63</sup>.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                     Magic "LGPI" (int32)                      |  0
 *  +-------------------------------+-------------------------------+
 *  |        Version (int16)        |       Reserved (int16) 0      |  4
 *  +-------------------------------+-------------------------------+
 *  |                 CRC-32C of bytes 12-19 (uint32)               |  8
 *  +---------------------------------------------------------------+
 *  |                   Next Block Start (int64)                    |  12  no id at or above it was handed out
 *  |                                                               |
 *  +---------------------------------------------------------------+
 * </pre>
 * Big-endian, 20 bytes. A missing file means no id was ever handed out; a file that fails any check stops
 * {@link #open}, because guessing could hand out an id some partition still remembers.
 * <p>
 * <b>Assumptions and Guarantees</b>
 * <ul>
 *     <li>One thread, the controller's, opens the manager and calls {@link #nextProducerId}; nothing is
 *     shared.</li>
 *     <li>The file is written only by this class, only while the broker holds its log dir lock.</li>
 * </ul>
 */
public final class ProducerIdManager
{
    public static final String FILE_NAME = "loggia-producer-id-block";
    /** Ids reserved per file write. */
    public static final int DEFAULT_BLOCK_SIZE = 1000;
    /** Returned when no id can be handed out: the block could not be persisted, or ids are exhausted. */
    public static final long NO_PRODUCER_ID = -1L;

    /** "LGPI": Loggia producer ids. */
    static final int MAGIC = 0x4C47_5049;
    static final short VERSION = 1;
    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = MAGIC_OFFSET + SIZE_OF_INT;
    static final int RESERVED_OFFSET = VERSION_OFFSET + SIZE_OF_SHORT;
    static final int CRC_OFFSET = RESERVED_OFFSET + SIZE_OF_SHORT;
    static final int NEXT_BLOCK_START_OFFSET = CRC_OFFSET + SIZE_OF_INT;
    static final int LENGTH = NEXT_BLOCK_START_OFFSET + SIZE_OF_LONG;
    private static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;

    private final Path file;
    private final int blockSize;
    private final ErrorHandler errorHandler;
    private final byte[] content = new byte[LENGTH];
    private final UnsafeBuffer buffer = new UnsafeBuffer(content);
    private long nextId;
    private long blockEnd;

    private ProducerIdManager(final Path file, final int blockSize, final ErrorHandler errorHandler, final long start)
    {
        this.file = file;
        this.blockSize = blockSize;
        this.errorHandler = errorHandler;
        this.nextId = start;
        this.blockEnd = start;
    }

    /** {@link #open(Path, int, ErrorHandler)} with {@link #DEFAULT_BLOCK_SIZE}. */
    public static ProducerIdManager open(final Path logDir, final ErrorHandler errorHandler) throws IOException
    {
        return open(logDir, DEFAULT_BLOCK_SIZE, errorHandler);
    }

    /**
     * Read the block file of {@code logDir}; the first id handed out is the block start it holds, or 0 if
     * there is no file. A temporary file left by an interrupted write is deleted: its block was never used.
     *
     * @param errorHandler receives the I/O failures of later block writes.
     * @throws IOException if the file exists but cannot be read or fails validation.
     */
    public static ProducerIdManager open(final Path logDir, final int blockSize, final ErrorHandler errorHandler)
        throws IOException
    {
        if (blockSize < 1)
        {
            throw new IllegalArgumentException("block size " + blockSize);
        }
        final Path file = logDir.resolve(FILE_NAME);
        Files.deleteIfExists(DurableFiles.temporaryFile(file));
        long start = 0;
        if (Files.exists(file))
        {
            final byte[] bytes = Files.readAllBytes(file);
            start = validate(new UnsafeBuffer(bytes), bytes.length);
            if (start < 0)
            {
                throw new IOException(file + " is corrupt: refusing to guess which producer ids were handed out");
            }
        }
        return new ProducerIdManager(file, blockSize, errorHandler, start);
    }

    /**
     * Controller thread: a producer id never handed out before by this log dir. Writes the block file (two
     * forces and a rename) once per block.
     *
     * @return the id, or {@link #NO_PRODUCER_ID} if a new block was needed and could not be persisted (the
     * failure went to the error handler; a later call tries again).
     */
    public long nextProducerId()
    {
        if (nextId == blockEnd)
        {
            if (blockEnd > Long.MAX_VALUE - blockSize)
            {
                return NO_PRODUCER_ID;
            }
            final long newEnd = blockEnd + blockSize;
            try
            {
                persist(newEnd);
            }
            catch (final IOException ex)
            {
                errorHandler.onError(ex);
                return NO_PRODUCER_ID;
            }
            blockEnd = newEnd;
        }
        return nextId++;
    }

    /** Controller thread: the first id not covered by the persisted blocks. */
    public long reservedUpTo()
    {
        return blockEnd;
    }

    /** Controller thread: the id {@link #nextProducerId} returns next if its block is reserved. */
    public long peekNextProducerId()
    {
        return nextId;
    }

    public String toString()
    {
        return "ProducerIdManager{file=" + file + ", nextId=" + nextId + ", blockEnd=" + blockEnd +
            ", blockSize=" + blockSize + '}';
    }

    /** @return the next block start, or -1 if the content is not a valid block file. */
    static long validate(final UnsafeBuffer buffer, final int length)
    {
        if (LENGTH != length || MAGIC != buffer.getInt(MAGIC_OFFSET, ORDER) ||
            VERSION != buffer.getShort(VERSION_OFFSET, ORDER) || 0 != buffer.getShort(RESERVED_OFFSET, ORDER) ||
            buffer.getInt(CRC_OFFSET, ORDER) != crc(buffer.byteArray()))
        {
            return -1;
        }
        return buffer.getLong(NEXT_BLOCK_START_OFFSET, ORDER);
    }

    private void persist(final long nextBlockStart) throws IOException
    {
        final UnsafeBuffer buffer = this.buffer;
        buffer.putInt(MAGIC_OFFSET, MAGIC, ORDER);
        buffer.putShort(VERSION_OFFSET, VERSION, ORDER);
        buffer.putShort(RESERVED_OFFSET, (short)0, ORDER);
        buffer.putLong(NEXT_BLOCK_START_OFFSET, nextBlockStart, ORDER);
        buffer.putInt(CRC_OFFSET, crc(content), ORDER);
        DurableFiles.writeAtomically(file, content, LENGTH, true);
    }

    private static int crc(final byte[] bytes)
    {
        final CRC32C crc = new CRC32C();
        crc.update(bytes, NEXT_BLOCK_START_OFFSET, LENGTH - NEXT_BLOCK_START_OFFSET);
        return (int)crc.getValue();
    }
}
