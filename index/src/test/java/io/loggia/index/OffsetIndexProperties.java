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
 * Random appends, truncations, resets, trims and reopens of a real index file, checked against a
 * {@link TreeMap} of offset to position after every step.
 */
class OffsetIndexProperties
{
    private static final long BASE = 4_000_000_000L;
    private static final int OVERFLOW_DELTA = 60;

    enum Kind
    {
        APPEND, TRUNCATE_TO, TRUNCATE_TO_ENTRIES, RESET, TRIM, REOPEN_WRITABLE, REOPEN_READ_ONLY
    }

    record Op(Kind kind, int a, int b)
    {
    }

    @Provide
    Arbitrary<List<Op>> ops()
    {
        final Arbitrary<Integer> any = Arbitraries.integers().between(0, 1_000_000);
        final Arbitrary<Op> append = Combinators.combine(
            Arbitraries.integers().between(0, OVERFLOW_DELTA), Arbitraries.integers().between(-3, 5_000))
            .as((delta, positionDelta) -> new Op(Kind.APPEND, delta, positionDelta));

        return Arbitraries.frequencyOf(
            Tuple.of(40, append),
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
        final Path dir = TempDirs.create("offset-index");
        final Path file = dir.resolve("00000000004000000000.index");
        final int maxIndexSize = capacity * OffsetIndex.ENTRY_SIZE + 5;
        final Model model = new Model(capacity);
        OffsetIndex index = OffsetIndex.open(file, BASE, maxIndexSize, true);
        try
        {
            for (final Op op : ops)
            {
                switch (op.kind())
                {
                    case APPEND:
                    {
                        final long offset = op.a() == OVERFLOW_DELTA ?
                            BASE + Integer.MAX_VALUE + 1L : model.lastOffset() + op.a();
                        final int position = model.lastPosition() + op.b();
                        assertThat(index.append(offset, position)).as("append %d %d", offset, position)
                            .isEqualTo(model.append(offset, position));
                        break;
                    }
                    case TRUNCATE_TO:
                    {
                        final long span = model.lastOffset() - BASE + 10;
                        final long offset = BASE - 5 + op.a() % span;
                        index.truncateTo(offset);
                        model.entries.tailMap(offset, true).clear();
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
                        index = OffsetIndex.open(file, BASE, maxIndexSize, true);
                        model.onReopenWritable();
                        break;
                    case REOPEN_READ_ONLY:
                        index.trimToValidSize();
                        index.close();
                        index = OffsetIndex.open(file, BASE, maxIndexSize, false);
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

    private static void assertAgrees(final OffsetIndex index, final Model model)
    {
        assertThat(index.entries()).isEqualTo(model.entries.size());
        assertThat(index.maxEntries()).isEqualTo(model.maxEntries);
        assertThat(index.isFull()).isEqualTo(model.entries.size() >= model.maxEntries);
        assertThat(index.lastOffset())
            .isEqualTo(model.entries.isEmpty() ? OffsetIndex.NO_OFFSET : model.entries.lastKey());
        assertThat(index.sanityCheck(model.lastPosition() + 1L)).isEqualTo(IndexCheck.OK);

        int slot = 0;
        for (final Map.Entry<Long, Integer> entry : model.entries.entrySet())
        {
            assertThat(index.offsetAt(slot)).isEqualTo(entry.getKey());
            assertThat(index.positionAt(slot)).isEqualTo(entry.getValue());
            slot++;
        }

        assertLookup(index, model, Long.MIN_VALUE);
        assertLookup(index, model, BASE - 1);
        assertLookup(index, model, BASE);
        assertLookup(index, model, Long.MAX_VALUE);
        for (final long offset : model.entries.keySet())
        {
            assertLookup(index, model, offset - 1);
            assertLookup(index, model, offset);
            assertLookup(index, model, offset + 1);
        }
    }

    private static void assertLookup(final OffsetIndex index, final Model model, final long target)
    {
        final Long floor = model.entries.floorKey(target);
        final int slot = index.lookupSlot(target);
        if (null == floor)
        {
            assertThat(slot).as("lookup %d", target).isEqualTo(OffsetIndex.NOT_FOUND);
        }
        else
        {
            assertThat(slot).as("lookup %d", target).isEqualTo(model.entries.headMap(floor, false).size());
        }
    }

    private static final class Model
    {
        final int capacity;
        TreeMap<Long, Integer> entries = new TreeMap<>();
        TreeMap<Long, Integer> fileEntries = new TreeMap<>();
        int maxEntries;
        boolean sealed;
        boolean readOnly;

        Model(final int capacity)
        {
            this.capacity = capacity;
            this.maxEntries = capacity;
        }

        long lastOffset()
        {
            return entries.isEmpty() ? BASE : entries.lastKey();
        }

        int lastPosition()
        {
            return entries.isEmpty() ? 0 : entries.lastEntry().getValue();
        }

        int append(final long offset, final int position)
        {
            if (offset < BASE || offset - BASE > Integer.MAX_VALUE)
            {
                return OffsetIndex.OFFSET_OVERFLOW;
            }
            if ((!entries.isEmpty() && offset <= entries.lastKey()) || position < lastPosition())
            {
                return OffsetIndex.NOT_INCREASING;
            }
            if (entries.size() >= maxEntries)
            {
                return OffsetIndex.FULL;
            }
            entries.put(offset, position);
            return OffsetIndex.APPENDED;
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
