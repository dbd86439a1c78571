package io.loggia.index;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random appends, truncations, resets, trims and reopens of a real time index file, checked against a
 * {@link TreeMap} of timestamp to offset after every step.
 */
class TimeIndexProperties
{
    private static final long BASE = 77L;
    private static final long T0 = 1_700_000_000_000L;
    private static final int OVERFLOW_DELTA = 30;
    private static final int NO_TIMESTAMP_DELTA = -100;

    enum Kind
    {
        APPEND, APPEND_ON_SEAL, TRUNCATE_TO, TRUNCATE_TO_ENTRIES, RESET, TRIM, REOPEN_WRITABLE, REOPEN_READ_ONLY
    }

    record Op(Kind kind, int a, int b)
    {
    }

    @Provide
    Arbitrary<List<Op>> ops()
    {
        final Arbitrary<Integer> any = Arbitraries.integers().between(0, 1_000_000);
        final Arbitrary<Integer> timestampDelta = Arbitraries.frequencyOf(
            Tuple.of(30, Arbitraries.integers().between(-3, 1_000)),
            Tuple.of(1, Arbitraries.just(NO_TIMESTAMP_DELTA)));
        final Arbitrary<Op> append = Combinators.combine(timestampDelta, Arbitraries.integers().between(0, OVERFLOW_DELTA))
            .as((timestamp, offset) -> new Op(Kind.APPEND, timestamp, offset));
        final Arbitrary<Op> appendOnSeal = Combinators.combine(timestampDelta, Arbitraries.integers().between(0, OVERFLOW_DELTA))
            .as((timestamp, offset) -> new Op(Kind.APPEND_ON_SEAL, timestamp, offset));

        return Arbitraries.frequencyOf(
            Tuple.of(40, append),
            Tuple.of(3, appendOnSeal),
            Tuple.of(3, any.map(a -> new Op(Kind.TRUNCATE_TO, a, 0))),
            Tuple.of(2, any.map(a -> new Op(Kind.TRUNCATE_TO_ENTRIES, a, 0))),
            Tuple.of(1, Arbitraries.just(new Op(Kind.RESET, 0, 0))),
            Tuple.of(1, Arbitraries.just(new Op(Kind.TRIM, 0, 0))),
            Tuple.of(2, Arbitraries.just(new Op(Kind.REOPEN_WRITABLE, 0, 0))),
            Tuple.of(1, Arbitraries.just(new Op(Kind.REOPEN_READ_ONLY, 0, 0))))
            .list().ofMaxSize(300);
    }

    @Property(tries = 300)
    void shouldAgreeWithTreeMapModel(
        @ForAll("ops") final List<Op> ops,
        @ForAll @IntRange(min = 1, max = 64) final int capacity) throws IOException
    {
        final Path dir = TempDirs.create("time-index");
        final Path file = dir.resolve("00000000000000000077.timeindex");
        final int maxIndexSize = capacity * TimeIndex.ENTRY_SIZE + 11;
        final Model model = new Model(capacity);
        TimeIndex index = TimeIndex.open(file, BASE, maxIndexSize, true);
        try
        {
            for (final Op op : ops)
            {
                switch (op.kind())
                {
                    case APPEND:
                    case APPEND_ON_SEAL:
                    {
                        final long timestamp = op.a() == NO_TIMESTAMP_DELTA ?
                            TimeIndex.NO_TIMESTAMP : model.lastTimestamp() + op.a();
                        final long offset = op.b() == OVERFLOW_DELTA ?
                            BASE + Integer.MAX_VALUE + 1L : model.lastOffset() + op.b();
                        final boolean onSeal = op.kind() == Kind.APPEND_ON_SEAL;
                        final int code = onSeal ? index.maybeAppendOnSeal(timestamp, offset) :
                            index.maybeAppend(timestamp, offset);
                        assertThat(code).as("append %d %d on seal %s", timestamp, offset, onSeal)
                            .isEqualTo(model.append(timestamp, offset, onSeal));
                        break;
                    }
                    case TRUNCATE_TO:
                    {
                        final long span = model.lastOffset() - BASE + 10;
                        final long offset = BASE - 5 + op.a() % span;
                        index.truncateTo(offset);
                        model.entries.values().removeIf(entryOffset -> entryOffset >= offset);
                        model.onTruncate();
                        break;
                    }
                    case TRUNCATE_TO_ENTRIES:
                    {
                        final int keep = op.a() % (model.entries.size() + 2);
                        index.truncateToEntries(keep);
                        while (model.entries.size() > keep)
                        {
                            model.entries.pollLastEntry();
                        }
                        model.onTruncate();
                        break;
                    }
                    case RESET:
                        index.reset();
                        model.entries.clear();
                        model.onTruncate();
                        break;
                    case TRIM:
                        index.trimToValidSize();
                        model.onTrim();
                        break;
                    case REOPEN_WRITABLE:
                        index.trimToValidSize();
                        index.close();
                        index = TimeIndex.open(file, BASE, maxIndexSize, true);
                        model.onReopenWritable();
                        break;
                    case REOPEN_READ_ONLY:
                        index.trimToValidSize();
                        index.close();
                        index = TimeIndex.open(file, BASE, maxIndexSize, false);
                        model.onReopenReadOnly();
                        break;
                }
                assertAgrees(index, model);
            }
        }
        finally
        {
            index.close();
            TempDirs.delete(dir);
        }
    }

    private static void assertAgrees(final TimeIndex index, final Model model)
    {
        assertThat(index.entries()).isEqualTo(model.entries.size());
        assertThat(index.maxEntries()).isEqualTo(model.maxEntries);
        assertThat(index.isFull()).isEqualTo(model.entries.size() >= model.maxEntries - 1);
        assertThat(index.lastTimestamp())
            .isEqualTo(model.entries.isEmpty() ? TimeIndex.NO_TIMESTAMP : model.entries.lastKey());
        assertThat(index.lastOffset())
            .isEqualTo(model.entries.isEmpty() ? TimeIndex.NO_OFFSET : model.entries.lastEntry().getValue());
        assertThat(index.sanityCheck(model.lastOffset() + 1)).isEqualTo(IndexCheck.OK);

        int slot = 0;
        for (final Map.Entry<Long, Long> entry : model.entries.entrySet())
        {
            assertThat(index.timestampAt(slot)).isEqualTo(entry.getKey());
            assertThat(index.offsetAt(slot)).isEqualTo(entry.getValue());
            slot++;
        }

        assertLookup(index, model, Long.MIN_VALUE);
        assertLookup(index, model, TimeIndex.NO_TIMESTAMP);
        assertLookup(index, model, T0);
        assertLookup(index, model, Long.MAX_VALUE);
        for (final long timestamp : model.entries.keySet())
        {
            assertLookup(index, model, timestamp - 1);
            assertLookup(index, model, timestamp);
            assertLookup(index, model, timestamp + 1);
        }
    }

    private static void assertLookup(final TimeIndex index, final Model model, final long target)
    {
        final Long floor = model.entries.floorKey(target);
        final int slot = index.lookupSlot(target);
        if (null == floor)
        {
            assertThat(slot).as("lookup %d", target).isEqualTo(TimeIndex.NOT_FOUND);
        }
        else
        {
            assertThat(slot).as("lookup %d", target).isEqualTo(model.entries.headMap(floor, false).size());
        }
    }

    private static final class Model
    {
        final int capacity;
        TreeMap<Long, Long> entries = new TreeMap<>();
        TreeMap<Long, Long> fileEntries = new TreeMap<>();
        int maxEntries;
        boolean sealed;
        boolean readOnly;

        Model(final int capacity)
        {
            this.capacity = capacity;
            this.maxEntries = capacity;
        }

        long lastTimestamp()
        {
            return entries.isEmpty() ? T0 : entries.lastKey();
        }

        long lastOffset()
        {
            return entries.isEmpty() ? BASE : entries.lastEntry().getValue();
        }

        int append(final long timestamp, final long offset, final boolean onSeal)
        {
            if (timestamp <= (entries.isEmpty() ? TimeIndex.NO_TIMESTAMP : entries.lastKey()))
            {
                return TimeIndex.NOT_INCREASING;
            }
            if (offset < BASE || offset - BASE > Integer.MAX_VALUE)
            {
                return TimeIndex.OFFSET_OVERFLOW;
            }
            if (!entries.isEmpty() && offset <= entries.lastEntry().getValue())
            {
                return TimeIndex.OFFSET_NOT_INCREASING;
            }
            // the last slot is only for the entry on seal
            if (entries.size() >= (onSeal ? maxEntries : maxEntries - 1))
            {
                return TimeIndex.FULL;
            }
            entries.put(timestamp, offset);
            return TimeIndex.APPENDED;
        }

        void onTruncate()
        {
            if (sealed)
            {
                maxEntries = Math.min(maxEntries, entries.size());
            }
        }

        void onTrim()
        {
            sealed = true;
            maxEntries = entries.size();
        }

        void onReopenWritable()
        {
            if (readOnly)
            {
                // a read-only index never changes its file: the file still holds what it held at open
                entries = new TreeMap<>(fileEntries);
            }
            readOnly = false;
            sealed = false;
            maxEntries = capacity;
        }

        void onReopenReadOnly()
        {
            if (readOnly)
            {
                entries = new TreeMap<>(fileEntries);
            }
            fileEntries = new TreeMap<>(entries);
            readOnly = true;
            sealed = true;
            maxEntries = entries.size();
        }
    }
}
