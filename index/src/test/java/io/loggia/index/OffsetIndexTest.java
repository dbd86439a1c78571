package io.loggia.index;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OffsetIndexTest
{
    private static final long BASE = 1_000L;

    @TempDir
    Path dir;

    @Test
    void shouldCreatePreallocatedSparseFileRoundedDownToEntries() throws IOException
    {
        final Path file = dir.resolve("00000000000000001000.index");
        try (OffsetIndex index = OffsetIndex.open(file, BASE, 1_003, true))
        {
            assertThat(Files.size(file)).isEqualTo(1_000);
            assertThat(index.entries()).isZero();
            assertThat(index.maxEntries()).isEqualTo(125);
            assertThat(index.isFull()).isFalse();
            assertThat(index.lookupSlot(BASE)).isEqualTo(OffsetIndex.NOT_FOUND);
            assertThat(index.lastOffset()).isEqualTo(OffsetIndex.NO_OFFSET);
        }
    }

    @Test
    void shouldWriteKafkaByteLayout() throws IOException
    {
        final Path file = dir.resolve("a.index");
        try (OffsetIndex index = OffsetIndex.open(file, BASE, 64, true))
        {
            assertThat(index.append(BASE + 3, 0)).isEqualTo(OffsetIndex.APPENDED);
            assertThat(index.append(BASE + 0x01020304L, 0x0A0B0C0D)).isEqualTo(OffsetIndex.APPENDED);
            index.trimToValidSize();
        }

        final byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes).containsExactly(
            0, 0, 0, 3, 0, 0, 0, 0,
            1, 2, 3, 4, 0x0A, 0x0B, 0x0C, 0x0D);
    }

    @Test
    void shouldReturnCodesForRejectedAppends() throws IOException
    {
        try (OffsetIndex index = OffsetIndex.open(dir.resolve("a.index"), BASE, 2 * OffsetIndex.ENTRY_SIZE, true))
        {
            assertThat(index.append(BASE - 1, 0)).isEqualTo(OffsetIndex.OFFSET_OVERFLOW);
            assertThat(index.append(BASE + Integer.MAX_VALUE + 1L, 0)).isEqualTo(OffsetIndex.OFFSET_OVERFLOW);
            assertThat(index.append(BASE + 10, 100)).isEqualTo(OffsetIndex.APPENDED);
            assertThat(index.append(BASE + 10, 200)).isEqualTo(OffsetIndex.NOT_INCREASING);
            assertThat(index.append(BASE + 9, 200)).isEqualTo(OffsetIndex.NOT_INCREASING);
            assertThat(index.append(BASE + 11, 99)).isEqualTo(OffsetIndex.NOT_INCREASING);
            assertThat(index.append(BASE + Integer.MAX_VALUE, 200)).isEqualTo(OffsetIndex.APPENDED);
            assertThat(index.isFull()).isTrue();
            assertThat(index.append(BASE + Integer.MAX_VALUE + 1L, 300)).isEqualTo(OffsetIndex.OFFSET_OVERFLOW);
            assertThat(index.entries()).isEqualTo(2);
            assertThat(index.lookupSlot(Long.MAX_VALUE)).isEqualTo(1);
            assertThat(index.lookupSlot(Long.MIN_VALUE)).isEqualTo(OffsetIndex.NOT_FOUND);
        }
    }

    @Test
    void shouldFullWhenCapacityReached() throws IOException
    {
        try (OffsetIndex index = OffsetIndex.open(dir.resolve("a.index"), BASE, 2 * OffsetIndex.ENTRY_SIZE, true))
        {
            assertThat(index.append(BASE, 0)).isEqualTo(OffsetIndex.APPENDED);
            assertThat(index.append(BASE + 1, 10)).isEqualTo(OffsetIndex.APPENDED);
            assertThat(index.append(BASE + 2, 20)).isEqualTo(OffsetIndex.FULL);
            assertThat(index.entries()).isEqualTo(2);
        }
    }

    @Test
    void shouldLookUpLargestEntryAtMostTarget() throws IOException
    {
        try (OffsetIndex index = OffsetIndex.open(dir.resolve("a.index"), BASE, 4096, true))
        {
            for (int i = 0; i < 100; i++)
            {
                assertThat(index.append(BASE + 10 + i * 10L, i * 1_000)).isEqualTo(OffsetIndex.APPENDED);
            }

            assertThat(index.lookupSlot(BASE + 9)).isEqualTo(OffsetIndex.NOT_FOUND);
            assertThat(index.lookupSlot(BASE + 10)).isZero();
            assertThat(index.lookupSlot(BASE + 19)).isZero();
            assertThat(index.lookupSlot(BASE + 20)).isEqualTo(1);
            assertThat(index.lookupSlot(BASE + 1_000)).isEqualTo(99);
            assertThat(index.lookupSlot(BASE + 5_000_000_000L)).isEqualTo(99);
            final int slot = index.lookupSlot(BASE + 555);
            assertThat(index.offsetAt(slot)).isEqualTo(BASE + 550);
            assertThat(index.positionAt(slot)).isEqualTo(54_000);
            assertThat(index.lastOffset()).isEqualTo(BASE + 1_000);
        }
    }

    @Test
    void shouldLookUpAcrossPagesWhenWritableReopenedAndReadOnly() throws IOException
    {
        final Path file = dir.resolve("a.index");
        final int count = 5_000;
        try (OffsetIndex index = OffsetIndex.open(file, BASE, 1 << 20, true))
        {
            for (int i = 0; i < count; i++)
            {
                index.append(offsetFor(i), i * 100);
            }
            assertLookups(index, count);
            index.truncateTo(offsetFor(3_000));
            assertLookups(index, 3_000);
            for (int i = 3_000; i < count; i++)
            {
                index.append(offsetFor(i), i * 100);
            }
            assertLookups(index, count);
            index.trimToValidSize();
        }

        try (OffsetIndex index = OffsetIndex.open(file, BASE, 1 << 20, true))
        {
            assertLookups(index, count);
            index.append(offsetFor(count), count * 100);
            assertLookups(index, count + 1);
            index.trimToValidSize();
        }

        try (OffsetIndex index = OffsetIndex.open(file, BASE, 0, false))
        {
            assertLookups(index, count + 1);
            index.truncateToEntries(600);
            assertLookups(index, 600);
        }
    }

    @Test
    void aWritableIndexGrowsItsPageKeysAsPagesFillAndFindsEveryEntryAtEachStep() throws IOException
    {
        final int perPage = OffsetSearch.ENTRIES_PER_PAGE;
        final int count = perPage * (OffsetSearch.INITIAL_PAGES * 4 + 1) + 3;
        try (OffsetIndex index = OffsetIndex.open(dir.resolve("grow.index"), BASE, count * OffsetIndex.ENTRY_SIZE, true))
        {
            for (int i = 0; i < count; i++)
            {
                index.append(offsetFor(i), i * 100);
                if (i % perPage <= 1)
                {
                    for (final int slot : new int[]{0, i / 2, Math.max(0, i - perPage), i})
                    {
                        assertThat(index.lookupSlot(offsetFor(slot))).isEqualTo(slot);
                    }
                    assertThat(index.lookupSlot(offsetFor(i) + 1)).isEqualTo(i);
                }
            }
            assertLookups(index, count);
            assertThat(index.append(offsetFor(count), count * 100)).isEqualTo(OffsetIndex.FULL);
        }
    }

    private static long offsetFor(final int slot)
    {
        return BASE + slot * 100L + (slot % 7) * (slot % 11);
    }

    private static void assertLookups(final OffsetIndex index, final int count)
    {
        assertThat(index.entries()).isEqualTo(count);
        for (int i = 0; i < count; i++)
        {
            assertThat(index.lookupSlot(offsetFor(i))).isEqualTo(i);
            if (offsetFor(i) + 1 < offsetFor(i + 1))
            {
                assertThat(index.lookupSlot(offsetFor(i) + 1)).isEqualTo(i);
            }
            assertThat(index.lookupSlot(offsetFor(i) - 1)).isEqualTo(i - 1);
        }
    }

    @Test
    void shouldTruncateToOffset() throws IOException
    {
        try (OffsetIndex index = OffsetIndex.open(dir.resolve("a.index"), BASE, 4096, true))
        {
            for (int i = 1; i <= 10; i++)
            {
                index.append(BASE + i * 10L, i * 100);
            }

            index.truncateTo(BASE + 55);
            assertThat(index.entries()).isEqualTo(5);
            index.truncateTo(BASE + 50);
            assertThat(index.entries()).isEqualTo(4);
            assertThat(index.lastOffset()).isEqualTo(BASE + 40);
            assertThat(index.append(BASE + 41, 401)).isEqualTo(OffsetIndex.APPENDED);
            index.truncateTo(BASE);
            assertThat(index.entries()).isZero();
            assertThat(index.append(BASE, 0)).isEqualTo(OffsetIndex.APPENDED);
            index.reset();
            assertThat(index.entries()).isZero();
        }
    }

    @Test
    void droppedEntriesAndAResetLeaveZerosBehindInAnUntrimmedFile() throws IOException
    {
        final Path file = dir.resolve("stale.index");
        try (OffsetIndex index = OffsetIndex.open(file, BASE, 64 * 1024, true))
        {
            for (int i = 1; i <= 100; i++)
            {
                index.append(BASE + i * 10L, i * 100);
            }
            index.truncateTo(BASE + 505);
            assertThat(index.entries()).isEqualTo(50);
            assertThat(allZero(Files.readAllBytes(file), 50 * OffsetIndex.ENTRY_SIZE)).isTrue();
        }

        // a crash leaves the file untrimmed with entries (and torn bytes) the recovered log may no longer have
        final byte[] garbage = new byte[64 * 1024];
        java.util.Arrays.fill(garbage, (byte)0x5A);
        Files.write(file, garbage);
        try (OffsetIndex index = OffsetIndex.open(file, BASE, 64 * 1024, true))
        {
            index.reset();
            assertThat(index.entries()).isZero();
            assertThat(index.append(BASE + 3, 0)).isEqualTo(OffsetIndex.APPENDED);
            assertThat(index.lookupSlot(BASE + 3)).isZero();
        }
        final byte[] after = Files.readAllBytes(file);
        assertThat(after.length).isEqualTo(64 * 1024);
        assertThat(allZero(after, OffsetIndex.ENTRY_SIZE)).isTrue();
    }

    private static boolean allZero(final byte[] bytes, final int from)
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
    void shouldReopenTrimmedFileWithSameEntries() throws IOException
    {
        final Path file = dir.resolve("a.index");
        try (OffsetIndex index = OffsetIndex.open(file, BASE, 1 << 20, true))
        {
            for (int i = 0; i < 1_000; i++)
            {
                index.append(BASE + i * 7L, i * 4_096);
            }
            index.trimToValidSize();
            assertThat(index.isFull()).isTrue();
            assertThat(index.append(BASE + 100_000, 100_000_000)).isEqualTo(OffsetIndex.FULL);
            assertThat(index.lookupSlot(BASE + 700)).isEqualTo(100);
            index.flush();
        }
        assertThat(Files.size(file)).isEqualTo(8_000);

        try (OffsetIndex index = OffsetIndex.open(file, BASE, 0, false))
        {
            assertThat(index.entries()).isEqualTo(1_000);
            assertThat(index.isFull()).isTrue();
            assertThat(index.sanityCheck(1_000 * 4_096L)).isEqualTo(IndexCheck.OK);
            assertThat(index.offsetAt(999)).isEqualTo(BASE + 999 * 7L);
            assertThat(index.positionAt(999)).isEqualTo(999 * 4_096);
            assertThat(index.append(BASE + 100_000, 100_000_000)).isEqualTo(OffsetIndex.FULL);
        }

        try (OffsetIndex index = OffsetIndex.open(file, BASE, 1 << 20, true))
        {
            assertThat(index.entries()).isEqualTo(1_000);
            assertThat(index.maxEntries()).isEqualTo((1 << 20) / OffsetIndex.ENTRY_SIZE);
            assertThat(Files.size(file)).isEqualTo(1 << 20);
            assertThat(index.append(BASE + 999 * 7L, 0)).isEqualTo(OffsetIndex.NOT_INCREASING);
            assertThat(index.append(BASE + 100_000, 100_000_000)).isEqualTo(OffsetIndex.APPENDED);
        }
    }

    @Test
    void shouldKeepAppendsWithinFileAfterTrimAndTruncate() throws IOException
    {
        final Path file = dir.resolve("a.index");
        try (OffsetIndex index = OffsetIndex.open(file, BASE, 4096, true))
        {
            index.append(BASE + 1, 1);
            index.append(BASE + 2, 2);
            index.trimToValidSize();
            index.truncateToEntries(1);
            assertThat(index.append(BASE + 3, 3)).isEqualTo(OffsetIndex.FULL);
            assertThat(index.entries()).isEqualTo(1);
        }
    }

    @Test
    void shouldOpenEmptyReadOnlyFile() throws IOException
    {
        final Path file = Files.createFile(dir.resolve("a.index"));
        try (OffsetIndex index = OffsetIndex.open(file, BASE, 4096, false))
        {
            assertThat(index.entries()).isZero();
            assertThat(index.lookupSlot(BASE)).isEqualTo(OffsetIndex.NOT_FOUND);
            assertThat(index.append(BASE, 0)).isEqualTo(OffsetIndex.FULL);
            assertThat(index.sanityCheck(0)).isEqualTo(IndexCheck.OK);
        }
        assertThat(Files.size(file)).isZero();
    }

    @Test
    void shouldRejectSizeThatHoldsNoEntry()
    {
        assertThatThrownBy(() -> OffsetIndex.open(dir.resolve("a.index"), BASE, 7, true))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldRenameFileKeepingMapping() throws IOException
    {
        final Path file = dir.resolve("a.index");
        final Path renamed = dir.resolve("a.index.deleted");
        try (OffsetIndex index = OffsetIndex.open(file, BASE, 4096, true))
        {
            index.append(BASE + 5, 50);
            index.renameTo(renamed);
            assertThat(index.file()).isEqualTo(renamed);
            assertThat(Files.exists(file)).isFalse();
            assertThat(index.offsetAt(index.lookupSlot(BASE + 9))).isEqualTo(BASE + 5);
            index.trimToValidSize();
        }
        assertThat(Files.size(renamed)).isEqualTo(OffsetIndex.ENTRY_SIZE);
    }

    @Test
    void shouldFailSanityCheckOnLengthNotMultipleOfEntry() throws IOException
    {
        final Path file = writeEntries(dir.resolve("a.index"), 0, 10, 1, 20);
        appendBytes(file, 3);

        try (OffsetIndex index = OffsetIndex.open(file, BASE, 0, false))
        {
            assertThat(index.entries()).isEqualTo(2);
            assertThat(index.sanityCheck(1_000)).isEqualTo(IndexCheck.LENGTH_NOT_MULTIPLE_OF_ENTRY);
        }
        try (OffsetIndex index = OffsetIndex.open(file, BASE, 4096, true))
        {
            assertThat(index.entries()).isEqualTo(2);
            assertThat(index.sanityCheck(1_000)).isEqualTo(IndexCheck.LENGTH_NOT_MULTIPLE_OF_ENTRY);
        }
    }

    @Test
    void shouldFailSanityCheckOnBrokenInvariants() throws IOException
    {
        assertCheck(IndexCheck.OK, 1_000, 0, 0, 1, 10, 2, 10);
        assertCheck(IndexCheck.OFFSET_BELOW_BASE, 1_000, -1, 0);
        assertCheck(IndexCheck.OFFSETS_NOT_INCREASING, 1_000, 5, 0, 5, 10);
        assertCheck(IndexCheck.OFFSETS_NOT_INCREASING, 1_000, 5, 0, 4, 10);
        assertCheck(IndexCheck.POSITIONS_DECREASING, 1_000, 5, 10, 6, 9);
        assertCheck(IndexCheck.POSITIONS_DECREASING, 1_000, 5, -1);
        assertCheck(IndexCheck.POSITION_BEYOND_LOG, 1_000, 5, 10, 6, 1_000);
    }

    @Test
    void shouldFailSanityCheckOnZeroFilledTailAfterCrash() throws IOException
    {
        final Path file = dir.resolve("a.index");
        try (OffsetIndex index = OffsetIndex.open(file, BASE, 4096, true))
        {
            index.append(BASE + 1, 0);
            index.append(BASE + 2, 10);
        }

        try (OffsetIndex index = OffsetIndex.open(file, BASE, 4096, true))
        {
            assertThat(index.entries()).isEqualTo(512);
            assertThat(index.isFull()).isTrue();
            assertThat(index.sanityCheck(1_000)).isEqualTo(IndexCheck.OFFSETS_NOT_INCREASING);
            index.reset();
            assertThat(index.append(BASE + 1, 0)).isEqualTo(OffsetIndex.APPENDED);
            assertThat(index.sanityCheck(1_000)).isEqualTo(IndexCheck.OK);
        }
    }

    @Test
    void shouldFailSanityCheckOnGarbage() throws IOException
    {
        final Path file = dir.resolve("a.index");
        final byte[] garbage = new byte[8 * 64];
        new java.util.Random(42).nextBytes(garbage);
        Files.write(file, garbage);

        try (OffsetIndex index = OffsetIndex.open(file, BASE, 0, false))
        {
            assertThat(index.sanityCheck(1L << 30)).isNotEqualTo(IndexCheck.OK);
        }
    }

    private void assertCheck(final int expected, final long logSize, final int... relativeAndPosition)
        throws IOException
    {
        final Path file = writeEntries(Files.createTempFile(dir, "check", ".index"), relativeAndPosition);
        try (OffsetIndex index = OffsetIndex.open(file, BASE, 0, false))
        {
            assertThat(index.sanityCheck(logSize)).as(IndexCheck.describe(expected)).isEqualTo(expected);
        }
    }

    private static Path writeEntries(final Path file, final int... relativeAndPosition) throws IOException
    {
        final ByteBuffer bytes = ByteBuffer.allocate(relativeAndPosition.length * 4);
        for (final int value : relativeAndPosition)
        {
            bytes.putInt(value);
        }
        Files.write(file, bytes.array());
        return file;
    }

    private static void appendBytes(final Path file, final int count) throws IOException
    {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            raf.setLength(raf.length() + count);
        }
    }

    @Test
    void shouldOfferAnEmptyReadOnlyIndexWithoutCreatingItsFile() throws IOException
    {
        final Path missing = dir.resolve("missing.index");
        try (OffsetIndex index = OffsetIndex.emptyReadOnly(missing, BASE))
        {
            assertThat(index.entries()).isZero();
            assertThat(index.isWritable()).isFalse();
            assertThat(index.isFull()).isTrue();
            assertThat(index.lookupSlot(BASE + 10)).isEqualTo(OffsetIndex.NOT_FOUND);
            assertThat(index.sanityCheck(1_000)).isEqualTo(IndexCheck.OK);
            assertThat(index.append(BASE + 1, 0)).isEqualTo(OffsetIndex.FULL);
            assertThat(index.file()).isEqualTo(missing);
        }
        assertThat(Files.exists(missing)).isFalse();
    }
}
