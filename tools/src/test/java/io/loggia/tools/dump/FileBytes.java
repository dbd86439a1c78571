package io.loggia.tools.dump;

import io.loggia.codec.record.BatchValidator;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Damage done to segment files on disk, for the corruption tests. */
final class FileBytes
{
    private static final ByteOrder ORDER = ByteOrder.BIG_ENDIAN;

    private FileBytes()
    {
    }

    static void flipByte(final Path file, final long position) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(position);
            final int b = raf.read();
            raf.seek(position);
            raf.write(b ^ 0x5A);
        }
    }

    static void putByte(final Path file, final long position, final int value) throws IOException
    {
        final UnsafeBuffer buffer = load(file);
        buffer.putByte((int)position, (byte)value);
        Files.write(file, buffer.byteArray());
    }

    static void putInt(final Path file, final long position, final int value) throws IOException
    {
        final UnsafeBuffer buffer = load(file);
        buffer.putInt((int)position, value, ORDER);
        Files.write(file, buffer.byteArray());
    }

    static void putLong(final Path file, final long position, final long value) throws IOException
    {
        final UnsafeBuffer buffer = load(file);
        buffer.putLong((int)position, value, ORDER);
        Files.write(file, buffer.byteArray());
    }

    static int getInt(final Path file, final long position) throws IOException
    {
        return load(file).getInt((int)position, ORDER);
    }

    static long getLong(final Path file, final long position) throws IOException
    {
        return load(file).getLong((int)position, ORDER);
    }

    /** Sets a byte inside a batch and recomputes the batch's CRC, so that only a deep check can see it. */
    static void putByteUnderValidCrc(final Path file, final int batchPosition, final long position, final int value)
        throws IOException
    {
        final UnsafeBuffer buffer = load(file);
        buffer.putByte((int)position, (byte)value);
        new BatchValidator().writeCrc(buffer, batchPosition);
        Files.write(file, buffer.byteArray());
    }

    static void truncate(final Path file, final long length) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(length);
        }
    }

    static void append(final Path file, final byte[] bytes) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.seek(raf.length());
            raf.write(bytes);
        }
    }

    private static UnsafeBuffer load(final Path file) throws IOException
    {
        return new UnsafeBuffer(Files.readAllBytes(file));
    }
}
