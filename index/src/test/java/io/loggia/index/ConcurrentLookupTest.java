package io.loggia.index;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One writer appends while readers look up: a reader must never see an entry that was not fully written.
 * Each entry's second field is a function of its first, so a half-written or unwritten (zero) slot shows.
 * The writer fills a fresh index per round, so readers meet the start of a file as often as its middle.
 */
class ConcurrentLookupTest
{
    private static final int READERS = 2;
    private static final int ROUNDS = 16;
    private static final int MAX_INDEX_SIZE = 1 << 20;
    private static final long RUN_NS = TimeUnit.MILLISECONDS.toNanos(1_500);
    private static final long BASE = 10_000L;
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void offsetIndexReadersShouldSeeOnlyWholeEntries() throws Exception
    {
        final AtomicReference<OffsetIndex> current = new AtomicReference<>();
        final List<OffsetIndex> all = new ArrayList<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread[] readers = new Thread[READERS];
        final AtomicBoolean done = new AtomicBoolean();

        for (int i = 0; i < READERS; i++)
        {
            readers[i] = new Thread(() -> readOffsets(current, done, failure), "offset-reader-" + i);
            readers[i].start();
        }

        final long deadline = System.nanoTime() + RUN_NS;
        for (int round = 0; round < ROUNDS && System.nanoTime() < deadline && null == failure.get(); round++)
        {
            final OffsetIndex index = OffsetIndex.open(dir.resolve(round + ".index"), BASE, MAX_INDEX_SIZE, true);
            all.add(index);
            current.set(index);
            for (int rel = 1; index.append(BASE + rel, positionFor(rel)) == OffsetIndex.APPENDED; rel += 2)
            {
                if (null != failure.get())
                {
                    break;
                }
            }
        }

        stop(readers, done);
        for (final OffsetIndex index : all)
        {
            index.close();
        }
        assertThat(failure.get()).isNull();
    }

    @Test
    void timeIndexReadersShouldSeeOnlyWholeEntries() throws Exception
    {
        final AtomicReference<TimeIndex> current = new AtomicReference<>();
        final List<TimeIndex> all = new ArrayList<>();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread[] readers = new Thread[READERS];
        final AtomicBoolean done = new AtomicBoolean();

        for (int i = 0; i < READERS; i++)
        {
            readers[i] = new Thread(() -> readTimestamps(current, done, failure), "time-reader-" + i);
            readers[i].start();
        }

        final long deadline = System.nanoTime() + RUN_NS;
        for (int round = 0; round < ROUNDS && System.nanoTime() < deadline && null == failure.get(); round++)
        {
            final TimeIndex index = TimeIndex.open(dir.resolve(round + ".timeindex"), BASE, MAX_INDEX_SIZE, true);
            all.add(index);
            current.set(index);
            for (int rel = 1; index.maybeAppend(timestampFor(rel), BASE + rel) == TimeIndex.APPENDED; rel += 2)
            {
                if (null != failure.get())
                {
                    break;
                }
            }
        }

        stop(readers, done);
        for (final TimeIndex index : all)
        {
            index.close();
        }
        assertThat(failure.get()).isNull();
    }

    private static int positionFor(final int relativeOffset)
    {
        return relativeOffset * 7 + 13;
    }

    private static long timestampFor(final int relativeOffset)
    {
        return T0 + relativeOffset * 1_000L + 3;
    }

    private static void readOffsets(
        final AtomicReference<OffsetIndex> current,
        final AtomicBoolean done,
        final AtomicReference<Throwable> failure)
    {
        try
        {
            final ThreadLocalRandom random = ThreadLocalRandom.current();
            OffsetIndex seen = null;
            int lastCount = 0;
            while (!done.get())
            {
                final OffsetIndex index = current.get();
                if (null == index)
                {
                    continue;
                }
                if (index != seen)
                {
                    seen = index;
                    lastCount = 0;
                }

                final int count = index.entries();
                assertThat(count).isGreaterThanOrEqualTo(lastCount);
                lastCount = count;
                if (0 == count)
                {
                    continue;
                }

                assertWholeOffsetEntry(index, count - 1);
                final long target = BASE + random.nextLong(2L * count + 2);
                final int slot = index.lookupSlot(target);
                if (target <= BASE)
                {
                    assertThat(slot).isEqualTo(OffsetIndex.NOT_FOUND);
                }
                else
                {
                    assertThat(slot).isGreaterThanOrEqualTo(0);
                    assertWholeOffsetEntry(index, slot);
                    assertThat(index.offsetAt(slot)).isLessThanOrEqualTo(target);
                    // only entries published before the lookup bound its answer: one appended since may match too
                    if (slot + 1 < count)
                    {
                        assertThat(index.offsetAt(slot + 1)).isGreaterThan(target);
                    }
                }
            }
        }
        catch (final Throwable ex)
        {
            failure.compareAndSet(null, ex);
        }
    }

    private static void assertWholeOffsetEntry(final OffsetIndex index, final int slot)
    {
        final int relative = (int)(index.offsetAt(slot) - BASE);
        assertThat(relative).isEqualTo(2 * slot + 1);
        assertThat(index.positionAt(slot)).isEqualTo(positionFor(relative));
    }

    private static void readTimestamps(
        final AtomicReference<TimeIndex> current,
        final AtomicBoolean done,
        final AtomicReference<Throwable> failure)
    {
        try
        {
            final ThreadLocalRandom random = ThreadLocalRandom.current();
            TimeIndex seen = null;
            int lastCount = 0;
            while (!done.get())
            {
                final TimeIndex index = current.get();
                if (null == index)
                {
                    continue;
                }
                if (index != seen)
                {
                    seen = index;
                    lastCount = 0;
                }

                final int count = index.entries();
                assertThat(count).isGreaterThanOrEqualTo(lastCount);
                lastCount = count;
                if (0 == count)
                {
                    continue;
                }

                assertWholeTimeEntry(index, count - 1);
                final long target = T0 + random.nextLong(2_000L * count + 5_000);
                final int slot = index.lookupSlot(target);
                if (target < timestampFor(1))
                {
                    assertThat(slot).isEqualTo(TimeIndex.NOT_FOUND);
                }
                else
                {
                    assertThat(slot).isGreaterThanOrEqualTo(0);
                    assertWholeTimeEntry(index, slot);
                    assertThat(index.timestampAt(slot)).isLessThanOrEqualTo(target);
                    // only entries published before the lookup bound its answer: one appended since may match too
                    if (slot + 1 < count)
                    {
                        assertThat(index.timestampAt(slot + 1)).isGreaterThan(target);
                    }
                }
            }
        }
        catch (final Throwable ex)
        {
            failure.compareAndSet(null, ex);
        }
    }

    private static void assertWholeTimeEntry(final TimeIndex index, final int slot)
    {
        final int relative = (int)(index.offsetAt(slot) - BASE);
        assertThat(relative).isEqualTo(2 * slot + 1);
        assertThat(index.timestampAt(slot)).isEqualTo(timestampFor(relative));
    }

    private static void stop(final Thread[] readers, final AtomicBoolean done) throws InterruptedException
    {
        done.set(true);
        for (final Thread reader : readers)
        {
            reader.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(reader.isAlive()).as(reader.getName() + " stopped").isFalse();
        }
    }
}
