package io.loggia.index;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class TimeIndexTest
{
    private static final long BASE = 500L;
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void shouldCreatePreallocatedFileRoundedDownToEntries() throws IOException
    {
        final Path file = dir.resolve("00000000000000000500.timeindex");
        try (TimeIndex index = TimeIndex.open(file, BASE, 1_000, true))
        {
            assertThat(Files.size(file)).isEqualTo(996);
            assertThat(index.maxEntries()).isEqualTo(83);
            assertThat(index.entries()).isZero();
            assertThat(index.lastTimestamp()).isEqualTo(TimeIndex.NO_TIMESTAMP);
            assertThat(index.lastOffset()).isEqualTo(TimeIndex.NO_OFFSET);
            assertThat(index.lookupSlot(Long.MAX_VALUE)).isEqualTo(TimeIndex.NOT_FOUND);
        }
    }

    @Test
    void shouldWriteKafkaByteLayout() throws IOException
    {
        final Path file = dir.resolve("a.timeindex");
        try (TimeIndex index = TimeIndex.open(file, BASE, 1_200, true))
        {
            assertThat(index.maybeAppend(0x0102030405060708L, BASE + 0x0A0B0C0D)).isEqualTo(TimeIndex.APPENDED);
            index.trimToValidSize();
        }

        assertThat(Files.readAllBytes(file)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 0x0A, 0x0B, 0x0C, 0x0D);
    }

    @Test
    void shouldAppendOnlyWhenTimestampGrows() throws IOException
    {
        try (TimeIndex index = TimeIndex.open(dir.resolve("a.timeindex"), BASE, 2 * TimeIndex.ENTRY_SIZE, true))
        {
            assertThat(index.maybeAppend(TimeIndex.NO_TIMESTAMP, BASE)).isEqualTo(TimeIndex.NOT_INCREASING);
            assertThat(index.maybeAppend(T0, BASE - 1)).isEqualTo(TimeIndex.OFFSET_OVERFLOW);
            assertThat(index.maybeAppend(T0, BASE + Integer.MAX_VALUE + 1L)).isEqualTo(TimeIndex.OFFSET_OVERFLOW);
            assertThat(index.maybeAppend(T0, BASE + 10)).isEqualTo(TimeIndex.APPENDED);
            assertThat(index.maybeAppend(T0, BASE + 20)).isEqualTo(TimeIndex.NOT_INCREASING);
            assertThat(index.maybeAppend(T0 - 1, BASE + 20)).isEqualTo(TimeIndex.NOT_INCREASING);
            assertThat(index.maybeAppend(T0 + 1, BASE + 10)).isEqualTo(TimeIndex.OFFSET_NOT_INCREASING);
            // the second and last slot is kept for the entry on seal
            assertThat(index.isFull()).isTrue();
            assertThat(index.maybeAppend(T0 + 1, BASE + 11)).isEqualTo(TimeIndex.FULL);
            assertThat(index.maybeAppendOnSeal(T0 + 1, BASE + 10)).isEqualTo(TimeIndex.OFFSET_NOT_INCREASING);
            assertThat(index.maybeAppendOnSeal(T0 + 1, BASE + 11)).isEqualTo(TimeIndex.APPENDED);
            assertThat(index.maybeAppendOnSeal(T0 + 2, BASE + 12)).isEqualTo(TimeIndex.FULL);
            assertThat(index.lastTimestamp()).isEqualTo(T0 + 1);
            assertThat(index.lastOffset()).isEqualTo(BASE + 11);
        }
    }

    @Test
    void shouldKeepTheLastSlotForTheEntryOnSealAndTrimIt() throws IOException
    {
        final Path file = dir.resolve("seal.timeindex");
        try (TimeIndex index = TimeIndex.open(file, BASE, 3 * TimeIndex.ENTRY_SIZE, true))
        {
            assertThat(index.maybeAppend(T0, BASE + 1)).isEqualTo(TimeIndex.APPENDED);
            assertThat(index.isFull()).isFalse();
            assertThat(index.maybeAppend(T0 + 1, BASE + 2)).isEqualTo(TimeIndex.APPENDED);
            assertThat(index.isFull()).isTrue();
            assertThat(index.maybeAppend(T0 + 2, BASE + 3)).isEqualTo(TimeIndex.FULL);
            // not larger than the last entry: nothing to add, as Kafka
            assertThat(index.maybeAppendOnSeal(T0 + 1, BASE + 3)).isEqualTo(TimeIndex.NOT_INCREASING);
            assertThat(index.maybeAppendOnSeal(T0 + 9, BASE + 7)).isEqualTo(TimeIndex.APPENDED);
            index.trimToValidSize();
            assertThat(index.maybeAppendOnSeal(T0 + 10, BASE + 8)).isEqualTo(TimeIndex.FULL);
            assertThat(index.sanityCheck(BASE + 8)).isEqualTo(IndexCheck.OK);
        }
        assertThat(Files.size(file)).isEqualTo(3 * TimeIndex.ENTRY_SIZE);

        try (TimeIndex index = TimeIndex.open(file, BASE, 1 << 20, true))
        {
            // reopened for appends (a truncation): the seal entry is an ordinary entry, the new last slot kept
            assertThat(index.entries()).isEqualTo(3);
            assertThat(index.lastTimestamp()).isEqualTo(T0 + 9);
            assertThat(index.lastOffset()).isEqualTo(BASE + 7);
            index.truncateTo(BASE + 5);
            assertThat(index.lastOffset()).isEqualTo(BASE + 2);
            assertThat(index.maybeAppend(T0 + 3, BASE + 5)).isEqualTo(TimeIndex.APPENDED);
        }
    }

    @Test
    void shouldLookUpLargestTimestampAtMostTarget() throws IOException
    {
        try (TimeIndex index = TimeIndex.open(dir.resolve("a.timeindex"), BASE, 4096, true))
        {
            for (int i = 0; i < 100; i++)
            {
                index.maybeAppend(T0 + i * 100L, BASE + i * 3L);
            }

            assertThat(index.lookupSlot(T0 - 1)).isEqualTo(TimeIndex.NOT_FOUND);
            assertThat(index.lookupSlot(Long.MIN_VALUE)).isEqualTo(TimeIndex.NOT_FOUND);
            assertThat(index.lookupSlot(T0)).isZero();
            assertThat(index.lookupSlot(T0 + 99)).isZero();
            assertThat(index.lookupSlot(T0 + 100)).isEqualTo(1);
            assertThat(index.lookupSlot(Long.MAX_VALUE)).isEqualTo(99);
            final int slot = index.lookupSlot(T0 + 5_050);
            assertThat(index.timestampAt(slot)).isEqualTo(T0 + 5_000);
            assertThat(index.offsetAt(slot)).isEqualTo(BASE + 150);
        }
    }

    @Test
    void shouldTruncateToOffset() throws IOException
    {
        try (TimeIndex index = TimeIndex.open(dir.resolve("a.timeindex"), BASE, 4096, true))
        {
            for (int i = 1; i <= 10; i++)
            {
                index.maybeAppend(T0 + i, BASE + i * 10L);
            }

            index.truncateTo(BASE + 55);
            assertThat(index.entries()).isEqualTo(5);
            index.truncateTo(BASE + 50);
            assertThat(index.entries()).isEqualTo(4);
            assertThat(index.lastTimestamp()).isEqualTo(T0 + 4);
            assertThat(index.maybeAppend(T0 + 4, BASE + 45)).isEqualTo(TimeIndex.NOT_INCREASING);
            assertThat(index.maybeAppend(T0 + 5, BASE + 45)).isEqualTo(TimeIndex.APPENDED);
            index.truncateTo(Long.MAX_VALUE);
            assertThat(index.entries()).isEqualTo(5);
            index.truncateTo(BASE);
            assertThat(index.entries()).isZero();
            assertThat(index.maybeAppend(0, BASE)).isEqualTo(TimeIndex.APPENDED);
            index.reset();
            assertThat(index.lastTimestamp()).isEqualTo(TimeIndex.NO_TIMESTAMP);
        }
    }

    @Test
    void shouldReopenTrimmedFileWithSameEntries() throws IOException
    {
        final Path file = dir.resolve("a.timeindex");
        try (TimeIndex index = TimeIndex.open(file, BASE, 1 << 20, true))
        {
            for (int i = 0; i < 1_000; i++)
            {
                index.maybeAppend(T0 + i * 5L, BASE + i * 7L);
            }
            index.trimToValidSize();
            assertThat(index.maybeAppend(T0 + 1_000_000, BASE + 1_000_000)).isEqualTo(TimeIndex.FULL);
            index.flush();
        }
        assertThat(Files.size(file)).isEqualTo(12_000);

        try (TimeIndex index = TimeIndex.open(file, BASE, 0, false))
        {
            assertThat(index.entries()).isEqualTo(1_000);
            assertThat(index.sanityCheck(BASE + 999 * 7L + 1)).isEqualTo(IndexCheck.OK);
            assertThat(index.sanityCheck(BASE + 999 * 7L)).isEqualTo(IndexCheck.OFFSET_BEYOND_LOG);
            assertThat(index.lastTimestamp()).isEqualTo(T0 + 999 * 5L);
            assertThat(index.maybeAppend(T0 + 1_000_000, BASE + 1_000_000)).isEqualTo(TimeIndex.FULL);
        }

        try (TimeIndex index = TimeIndex.open(file, BASE, 1 << 20, true))
        {
            assertThat(index.entries()).isEqualTo(1_000);
            assertThat(index.maybeAppend(T0 + 999 * 5L, BASE + 1_000_000)).isEqualTo(TimeIndex.NOT_INCREASING);
            assertThat(index.maybeAppend(T0 + 1_000_000, BASE + 1_000_000)).isEqualTo(TimeIndex.APPENDED);
        }
    }

    @Test
    void shouldFailSanityCheckOnBrokenInvariants() throws IOException
    {
        assertCheck(IndexCheck.OK, T0, 0, T0 + 1, 1);
        assertCheck(IndexCheck.OFFSET_BELOW_BASE, T0, -5);
        assertCheck(IndexCheck.OFFSETS_NOT_INCREASING, T0, 5, T0 + 1, 5);
        assertCheck(IndexCheck.TIMESTAMPS_NOT_INCREASING, T0, 5, T0, 6);
        assertCheck(IndexCheck.TIMESTAMPS_NOT_INCREASING, T0, 5, T0 - 1, 6);
    }

    @Test
    void shouldFailSanityCheckOnLengthNotMultipleOfEntry() throws IOException
    {
        final Path file = writeEntries(dir.resolve("a.timeindex"), T0, 1);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(raf.length() + 5);
        }

        try (TimeIndex index = TimeIndex.open(file, BASE, 0, false))
        {
            assertThat(index.entries()).isEqualTo(1);
            assertThat(index.sanityCheck(Long.MAX_VALUE)).isEqualTo(IndexCheck.LENGTH_NOT_MULTIPLE_OF_ENTRY);
        }
    }

    @Test
    void shouldFailSanityCheckOnZeroFilledTailAfterCrash() throws IOException
    {
        final Path file = dir.resolve("a.timeindex");
        try (TimeIndex index = TimeIndex.open(file, BASE, 1_200, true))
        {
            index.maybeAppend(T0, BASE + 1);
        }

        try (TimeIndex index = TimeIndex.open(file, BASE, 1_200, true))
        {
            assertThat(index.entries()).isEqualTo(100);
            assertThat(index.sanityCheck(Long.MAX_VALUE)).isNotEqualTo(IndexCheck.OK);
            index.reset();
            assertThat(index.maybeAppend(T0, BASE + 1)).isEqualTo(TimeIndex.APPENDED);
            assertThat(index.sanityCheck(Long.MAX_VALUE)).isEqualTo(IndexCheck.OK);
        }
    }

    @Test
    void droppedEntriesAndAResetLeaveZerosBehindInAnUntrimmedFile() throws IOException
    {
        final Path file = dir.resolve("stale.timeindex");
        try (TimeIndex index = TimeIndex.open(file, BASE, 12 * 1_000, true))
        {
            for (int i = 1; i <= 100; i++)
            {
                index.maybeAppend(T0 + i, BASE + i * 10L);
            }
            index.truncateTo(BASE + 505);
            assertThat(index.entries()).isEqualTo(50);
            assertThat(zeroFrom(java.nio.file.Files.readAllBytes(file), 50 * TimeIndex.ENTRY_SIZE)).isTrue();
        }

        final byte[] garbage = new byte[12 * 1_000];
        java.util.Arrays.fill(garbage, (byte)0x33);
        java.nio.file.Files.write(file, garbage);
        try (TimeIndex index = TimeIndex.open(file, BASE, 12 * 1_000, true))
        {
            index.reset();
            assertThat(index.maybeAppend(T0, BASE + 1)).isEqualTo(TimeIndex.APPENDED);
        }
        assertThat(zeroFrom(java.nio.file.Files.readAllBytes(file), TimeIndex.ENTRY_SIZE)).isTrue();
    }

    private static boolean zeroFrom(final byte[] bytes, final int from)
    {
        for (int i = from; i < bytes.length; i++)
        {
            if (0 != bytes[i])
            {
                return false;
            }
        }
        return true;
    }

    @Test
    void shouldFailSanityCheckOnGarbage() throws IOException
    {
        final Path file = dir.resolve("a.timeindex");
        final byte[] garbage = new byte[12 * 64];
        new java.util.Random(7).nextBytes(garbage);
        Files.write(file, garbage);

        try (TimeIndex index = TimeIndex.open(file, BASE, 0, false))
        {
            assertThat(index.sanityCheck(Long.MAX_VALUE)).isNotEqualTo(IndexCheck.OK);
        }
    }

    private void assertCheck(final int expected, final long... timestampAndRelative) throws IOException
    {
        final Path file = writeEntries(Files.createTempFile(dir, "check", ".timeindex"), timestampAndRelative);
        try (TimeIndex index = TimeIndex.open(file, BASE, 0, false))
        {
            assertThat(index.sanityCheck(Long.MAX_VALUE)).as(IndexCheck.describe(expected)).isEqualTo(expected);
        }
    }

    private static Path writeEntries(final Path file, final long... timestampAndRelative) throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.allocate(timestampAndRelative.length / 2 * TimeIndex.ENTRY_SIZE);
        for (int i = 0; i < timestampAndRelative.length; i += 2)
        {
            bytes.putLong(timestampAndRelative[i]).putInt((int)timestampAndRelative[i + 1]);
        }
        Files.write(file, bytes.array());
        return file;
    }

    @Test
    void shouldOfferAnEmptyReadOnlyIndexWithoutCreatingItsFile() throws IOException
    {
        final Path missing = dir.resolve("missing.timeindex");
        try (TimeIndex index = TimeIndex.emptyReadOnly(missing, BASE))
        {
            assertThat(index.entries()).isZero();
            assertThat(index.isFull()).isTrue();
            assertThat(index.lookupSlot(T0)).isEqualTo(TimeIndex.NOT_FOUND);
            assertThat(index.lastTimestamp()).isEqualTo(TimeIndex.NO_TIMESTAMP);
            assertThat(index.sanityCheck(BASE + 1)).isEqualTo(IndexCheck.OK);
            assertThat(index.maybeAppendOnSeal(T0, BASE + 1)).isEqualTo(TimeIndex.FULL);
        }
        assertThat(Files.exists(missing)).isFalse();
    }
}
