package io.loggia.index;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The interpolating search against plain binary search, over indexes large enough to use the warm tail and the
 * page keys, with offset gaps from even to wildly skewed.
 */
class OffsetSearchProperties
{
    @Provide
    Arbitrary<List<Integer>> gaps()
    {
        final Arbitrary<Integer> even = Arbitraries.integers().between(1, 64);
        final Arbitrary<Integer> skewed = Arbitraries.frequencyOf(
            Tuple.of(90, Arbitraries.integers().between(1, 3)),
            Tuple.of(9, Arbitraries.integers().between(1_000, 5_000)),
            Tuple.of(1, Arbitraries.integers().between(100_000, 1_000_000)));
        final Arbitrary<Integer> constant = Arbitraries.just(7);
        final Arbitrary<List<Integer>> phased = Combinators.combine(
            Arbitraries.integers().between(1, 4_000),
            Arbitraries.oneOf(Arbitraries.just(1), Arbitraries.integers().between(1_000, 3_000)))
            .as((length, gap) -> Collections.nCopies(length, gap))
            .list().ofMinSize(1).ofMaxSize(12)
            .map(phases -> phases.stream().flatMap(List::stream).collect(Collectors.toList()));

        return Arbitraries.oneOf(
            even.list().ofMinSize(1).ofMaxSize(20_000),
            skewed.list().ofMinSize(1).ofMaxSize(20_000),
            constant.list().ofMinSize(1).ofMaxSize(3_000),
            phased,
            Arbitraries.oneOf(even, skewed).list().ofMinSize(1).ofMaxSize(20_000));
    }

    @Property(tries = 100)
    void shouldFindLargestEntryAtMostTarget(
        @ForAll("gaps") final List<Integer> gaps,
        @ForAll @IntRange(min = 0, max = 1_000) final int firstRelative,
        @ForAll final long seed)
    {
        // relative offsets are int32 and increasing (a segment rolls before they would overflow): enough skewed
        // gaps would pass Integer.MAX_VALUE and wrap, which no index holds, so the entries stop before that
        final int[] keys = new int[gaps.size()];
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[gaps.size() * OffsetIndex.ENTRY_SIZE]);
        long relative = firstRelative;
        int count = 0;
        while (count < gaps.size() && relative <= Integer.MAX_VALUE)
        {
            keys[count] = (int)relative;
            buffer.putInt(count * OffsetIndex.ENTRY_SIZE, (int)relative, OffsetIndex.ORDER);
            buffer.putInt(count * OffsetIndex.ENTRY_SIZE + OffsetIndex.POSITION_OFFSET, count, OffsetIndex.ORDER);
            relative += gaps.get(count);
            count++;
        }

        final int[] exact = OffsetSearch.pageKeys(buffer, count, 0);
        final int[] roomy = OffsetSearch.pageKeys(buffer, count, count * 3);
        final Random random = new Random(seed);
        final int last = keys[count - 1];
        for (int i = 0; i < 2_000; i++)
        {
            final int target;
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
                    target = (int)Math.min(Integer.MAX_VALUE,
                        firstRelative - 2L + (long)(random.nextDouble() * (last - firstRelative + 4L)));
                    break;
            }
            assertSearch(buffer, keys, exact, target, count);
            assertSearch(buffer, keys, roomy, target, count);
        }
        assertSearch(buffer, keys, exact, Integer.MAX_VALUE, count);
        assertSearch(buffer, keys, exact, Integer.MIN_VALUE, count);
    }

    @Example
    void relativeOffsetsUpToTheInt32LimitAndGapsThatWouldPassIt()
    {
        // the sample that failed: skewed gaps summing to 2.3e9, cut where they would pass Integer.MAX_VALUE
        final List<Integer> gaps = new java.util.ArrayList<>();
        final Random random = new Random(15950);
        for (int i = 0; i < 14_327; i++)
        {
            gaps.add(0 == i % 100 ? 1_000_000 : 100_000 + random.nextInt(100_000));
        }
        shouldFindLargestEntryAtMostTarget(gaps, 146, 15950);
    }

    private static void assertSearch(
        final UnsafeBuffer buffer, final int[] keys, final int[] pageKeys, final int target, final int count)
    {
        final int expected = floorSlot(keys, target, count);
        assertThat(OffsetSearch.largestAtMost(buffer, pageKeys, target, count)).as("target %d", target)
            .isEqualTo(expected);

        final int withoutKeys = OffsetSearch.largestAtMost(buffer, null, target, count);
        if (OffsetSearch.NEEDS_PAGE_KEYS != withoutKeys)
        {
            assertThat(withoutKeys).as("target %d without page keys", target).isEqualTo(expected);
        }
    }

    private static int floorSlot(final int[] keys, final int target, final int count)
    {
        final int found = Arrays.binarySearch(keys, 0, count, target);
        return found >= 0 ? found : -found - 2;
    }
}
