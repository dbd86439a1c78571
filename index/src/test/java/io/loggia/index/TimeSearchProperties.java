package io.loggia.index;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The interpolating time search against plain binary search, with timestamp gaps from even to wildly skewed.
 */
class TimeSearchProperties
{
    @Provide
    Arbitrary<List<Long>> gaps()
    {
        final Arbitrary<Long> even = Arbitraries.longs().between(1, 50);
        final Arbitrary<Long> skewed = Arbitraries.frequencyOf(
            Tuple.of(90, Arbitraries.longs().between(1, 3)),
            Tuple.of(9, Arbitraries.longs().between(1_000, 5_000)),
            Tuple.of(1, Arbitraries.longs().between(1_000_000_000L, 1_000_000_000_000L)));
        final Arbitrary<List<Long>> phased = Combinators.combine(
            Arbitraries.integers().between(1, 3_000),
            Arbitraries.oneOf(Arbitraries.just(1L), Arbitraries.longs().between(100_000, 300_000)))
            .as((length, gap) -> Collections.nCopies(length, gap))
            .list().ofMinSize(1).ofMaxSize(8)
            .map(phases -> phases.stream().flatMap(List::stream).collect(Collectors.toList()));

        return Arbitraries.oneOf(
            even.list().ofMinSize(1).ofMaxSize(10_000),
            skewed.list().ofMinSize(1).ofMaxSize(10_000),
            phased);
    }

    @Property(tries = 100)
    void shouldFindLargestEntryAtMostTarget(@ForAll("gaps") final List<Long> gaps, @ForAll final long seed)
    {
        final int count = gaps.size();
        final long[] keys = new long[count];
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[count * TimeIndex.ENTRY_SIZE]);
        long timestamp = 1_700_000_000_000L;
        for (int slot = 0; slot < count; slot++)
        {
            keys[slot] = timestamp;
            buffer.putLong(slot * TimeIndex.ENTRY_SIZE, timestamp, TimeIndex.ORDER);
            buffer.putInt(slot * TimeIndex.ENTRY_SIZE + TimeIndex.RELATIVE_OFFSET_OFFSET, slot, TimeIndex.ORDER);
            timestamp += gaps.get(slot);
        }

        final Random random = new Random(seed);
        final long first = keys[0];
        final long span = keys[count - 1] - first + 4;
        for (int i = 0; i < 2_000; i++)
        {
            final long target;
            switch (i % 4)
            {
                case 0:
                    target = keys[random.nextInt(count)];
                    break;
                case 1:
                    target = keys[random.nextInt(count)] - 1;
                    break;
                case 2:
                    target = keys[random.nextInt(count)] + 1;
                    break;
                default:
                    target = first - 2 + (long)(random.nextDouble() * span);
                    break;
            }
            assertSearch(buffer, keys, target, count);
        }
        assertSearch(buffer, keys, Long.MAX_VALUE, count);
        assertSearch(buffer, keys, Long.MIN_VALUE, count);
    }

    private static void assertSearch(final UnsafeBuffer buffer, final long[] keys, final long target, final int count)
    {
        final int found = Arrays.binarySearch(keys, target);
        final int expected = found >= 0 ? found : -found - 2;
        assertThat(TimeSearch.largestAtMost(buffer, target, count)).as("target %d", target).isEqualTo(expected);
    }
}
