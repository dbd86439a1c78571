package io.loggia.engine.producer;

import io.loggia.codec.record.RecordBatch;
import io.loggia.engine.log.LogCodes;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import static io.loggia.engine.producer.ProducerStateManager.DUPLICATE;
import static io.loggia.engine.producer.ProducerStateManager.INVALID_PRODUCER_EPOCH;
import static io.loggia.engine.producer.ProducerStateManager.OK;
import static io.loggia.engine.producer.ProducerStateManager.OUT_OF_ORDER_SEQUENCE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random produce traffic from a few producers (in order, retries, gaps, fenced and bumped epochs, sequences near
 * the wrap) mixed with snapshots, rolls, restarts, damaged snapshots and truncations, on a real log with tiny
 * segments. The oracle is a model written from the rules alone: the list of appended batches and, derived from
 * it, each producer's epoch and last five batches. Every check answer and, after every restart or truncation,
 * the whole loaded state must match it.
 */
class ProducerStateModelProperties
{
    private static final long T0 = 1_700_000_000_000L;
    private static final int PRODUCERS = 4;

    enum Kind
    {
        PRODUCE, PLAIN, SNAPSHOT, ROLL, REOPEN, DAMAGE_AND_REOPEN, TRUNCATE
    }

    /** One operation; {@code a}, {@code b}, {@code c} are its random parameters in [0, 1000]. */
    record Op(Kind kind, int a, int b, int c)
    {
    }

    /** A batch in the log as the model sees it. */
    record Batch(long producerId, short epoch, int baseSequence, int lastSequence, long firstOffset, long lastOffset,
        long timestamp)
    {
    }

    /** The model's state of one producer. */
    static final class Producer
    {
        short epoch;
        long lastTimestamp;
        final ArrayDeque<Batch> batches = new ArrayDeque<>();
    }

    @Provide
    Arbitrary<List<Op>> operations()
    {
        final Arbitrary<Kind> kind = Arbitraries.frequency(
            Tuple.of(30, Kind.PRODUCE),
            Tuple.of(2, Kind.PLAIN),
            Tuple.of(3, Kind.SNAPSHOT),
            Tuple.of(1, Kind.ROLL),
            Tuple.of(2, Kind.REOPEN),
            Tuple.of(1, Kind.DAMAGE_AND_REOPEN),
            Tuple.of(2, Kind.TRUNCATE));
        final Arbitrary<Integer> parameter = Arbitraries.integers().between(0, 1000);
        return Combinators.combine(kind, parameter, parameter, parameter).as(Op::new)
            .list().ofMinSize(40).ofMaxSize(160);
    }

    @Property(tries = 60)
    void behavesLikeTheModel(@ForAll("operations") final List<Op> operations, @ForAll final long seed)
        throws IOException
    {
        final Path root = Files.createTempDirectory("producer-model");
        final Harness harness = new Harness(root, new Random(seed));
        try
        {
            for (final Op op : operations)
            {
                harness.apply(op);
            }
            harness.reopen();
            harness.assertStateMatches();
        }
        finally
        {
            harness.partition.close();
            deleteRecursively(root);
        }
        assertThat(harness.partition.errors.seen).isEmpty();
    }

    static final class Harness
    {
        final TestPartition partition;
        final Random random;
        final List<Batch> appended = new ArrayList<>();
        final Map<Long, Producer> model = new TreeMap<>();
        long clock = T0;

        Harness(final Path root, final Random random) throws IOException
        {
            this.partition = TestPartition.open(root, 4096);
            this.partition.nowMs = T0;
            this.random = random;
        }

        void apply(final Op op) throws IOException
        {
            clock += 1 + op.c() % 50;
            partition.nowMs = clock;
            switch (op.kind())
            {
                case PRODUCE -> produce(op);
                case PLAIN -> partition.appendPlain(1 + op.a() % 3, clock);
                case SNAPSHOT -> partition.producers.takeSnapshot(partition.log.logEndOffset());
                case ROLL ->
                {
                    // what the writer does at a roll
                    assertThat(partition.log.roll(clock)).isEqualTo(LogCodes.OK);
                    partition.producers.takeSnapshot(partition.log.logEndOffset());
                }
                case REOPEN ->
                {
                    reopen();
                    assertStateMatches();
                }
                case DAMAGE_AND_REOPEN ->
                {
                    final long newest = partition.producers.latestSnapshotOffset();
                    if (newest >= 0)
                    {
                        ProducerSnapshotTest.damage(ProducerSnapshotFile.file(partition.dir(), newest),
                            op.a() % 2 == 0 ? "flip" : "truncate", random);
                    }
                    reopen();
                    assertThat(partition.report.snapshotsCorrupt).isEqualTo(newest >= 0 ? 1 : 0);
                    Statistics.label("load after damage")
                        .collect(partition.report.snapshotOffset >= 0 ? "older snapshot" : "full replay");
                    assertStateMatches();
                }
                case TRUNCATE -> truncate(op);
                default -> throw new IllegalStateException();
            }
        }

        void reopen() throws IOException
        {
            partition.reopen();
        }

        private void produce(final Op op)
        {
            final long producerId = op.a() % PRODUCERS;
            final int records = 1 + op.c() % 4;
            final Producer state = model.get(producerId);
            short epoch;
            int baseSequence;
            if (null == state)
            {
                epoch = (short)(op.b() % 3);
                baseSequence = op.b() % 4 == 0 ? Integer.MAX_VALUE - random.nextInt(6) : random.nextInt(3) * 50;
            }
            else
            {
                epoch = state.epoch;
                final int variant = op.b() % 10;
                final int last = state.batches.isEmpty() ? -1 : state.batches.peekLast().lastSequence();
                baseSequence = last == Integer.MAX_VALUE ? 0 : last + 1;
                if (variant == 6 && !state.batches.isEmpty())
                {
                    // a retry of a remembered batch, or of one just older than the five remembered
                    final List<Batch> history = historyOf(producerId, state.epoch);
                    final Batch retried = history.get(history.size() - 1 - random.nextInt(Math.min(7, history.size())));
                    baseSequence = retried.baseSequence();
                    partition.build(producerId, epoch, baseSequence, recordsOf(retried), retried.timestamp(), false);
                    checkAndMaybeAppend(producerId, epoch, baseSequence);
                    return;
                }
                else if (variant == 7)
                {
                    baseSequence += 1 + random.nextInt(3);
                }
                else if (variant == 8 && epoch > 0)
                {
                    epoch--;
                }
                else if (variant == 9)
                {
                    epoch++;
                    baseSequence = op.c() % 2 == 0 ? 0 : 1 + random.nextInt(5);
                }
            }
            partition.build(producerId, epoch, baseSequence, records, clock, false);
            checkAndMaybeAppend(producerId, epoch, baseSequence);
        }

        private void checkAndMaybeAppend(final long producerId, final short epoch, final int baseSequence)
        {
            final int lastSequence = new RecordBatch().wrap(partition.buffer, 0).lastSequence();
            final Batch expectedDuplicate = duplicateOf(producerId, epoch, baseSequence, lastSequence);
            final int expected = expectedCode(producerId, epoch, baseSequence, lastSequence, expectedDuplicate);
            final int code = partition.producers.check(
                producerId, epoch, baseSequence, lastSequence, false, partition.duplicate);
            assertThat(code).as("check pid %d epoch %d seq %d..%d against %s", producerId, epoch, baseSequence,
                lastSequence, model.get(producerId)).isEqualTo(expected);
            Statistics.label("check").collect(ProducerStateManager.describe(code));
            if (DUPLICATE == code)
            {
                assertThat(partition.duplicate.firstOffset).isEqualTo(expectedDuplicate.firstOffset());
                assertThat(partition.duplicate.lastOffset).isEqualTo(expectedDuplicate.lastOffset());
                assertThat(partition.duplicate.timestamp).isEqualTo(expectedDuplicate.timestamp());
            }
            if (OK == code)
            {
                partition.appendBuilt();
                final Batch batch = new Batch(producerId, epoch, baseSequence, lastSequence,
                    partition.info.firstOffset, partition.info.lastOffset, partition.info.maxTimestamp);
                appended.add(batch);
                applyToModel(batch);
            }
        }

        private void truncate(final Op op)
        {
            final long start = partition.log.logStartOffset();
            final long end = partition.log.logEndOffset();
            final long offset = start + (end - start) * op.a() / 1000;
            assertThat(partition.log.truncateTo(offset, clock)).isEqualTo(LogCodes.OK);
            partition.producers.truncateTo(offset);
            final long newEnd = partition.log.logEndOffset();
            appended.removeIf(batch -> batch.lastOffset() >= newEnd);
            model.clear();
            for (final Batch batch : appended)
            {
                applyToModel(batch);
            }
            assertStateMatches();
            for (final long snapshot : partition.producers.snapshotOffsets())
            {
                assertThat(snapshot).isLessThanOrEqualTo(newEnd);
            }
        }

        // --------------------------------------------------------------------------------------------------
        // The model
        // --------------------------------------------------------------------------------------------------

        private void applyToModel(final Batch batch)
        {
            final Producer state = model.computeIfAbsent(batch.producerId(), id -> new Producer());
            if (state.batches.isEmpty() || state.epoch != batch.epoch())
            {
                state.batches.clear();
                state.epoch = batch.epoch();
            }
            state.batches.addLast(batch);
            if (state.batches.size() > ProducerEntry.MAX_BATCHES)
            {
                state.batches.removeFirst();
            }
            state.lastTimestamp = batch.timestamp();
        }

        private int expectedCode(
            final long producerId, final short epoch, final int baseSequence, final int lastSequence,
            final Batch duplicate)
        {
            final Producer state = model.get(producerId);
            if (null == state)
            {
                return OK;
            }
            if (epoch < state.epoch)
            {
                return INVALID_PRODUCER_EPOCH;
            }
            if (epoch > state.epoch)
            {
                return baseSequence == 0 ? OK : OUT_OF_ORDER_SEQUENCE;
            }
            if (null != duplicate)
            {
                return DUPLICATE;
            }
            final int last = state.batches.peekLast().lastSequence();
            final int next = last == Integer.MAX_VALUE ? 0 : last + 1;
            return baseSequence == next ? OK : OUT_OF_ORDER_SEQUENCE;
        }

        private Batch duplicateOf(
            final long producerId, final short epoch, final int baseSequence, final int lastSequence)
        {
            final Producer state = model.get(producerId);
            if (null == state || state.epoch != epoch)
            {
                return null;
            }
            for (final Batch batch : state.batches)
            {
                if (batch.baseSequence() == baseSequence && batch.lastSequence() == lastSequence)
                {
                    return batch;
                }
            }
            return null;
        }

        private List<Batch> historyOf(final long producerId, final short epoch)
        {
            final List<Batch> history = new ArrayList<>();
            for (final Batch batch : appended)
            {
                if (batch.producerId() == producerId && batch.epoch() == epoch)
                {
                    history.add(batch);
                }
            }
            return history;
        }

        private static int recordsOf(final Batch batch)
        {
            return (int)(batch.lastOffset() - batch.firstOffset() + 1);
        }

        void assertStateMatches()
        {
            final ProducerStateManager producers = partition.producers;
            assertThat(producers.producerCount()).as("producers").isEqualTo(model.size());
            for (final Map.Entry<Long, Producer> expected : model.entrySet())
            {
                final long producerId = expected.getKey();
                final Producer state = expected.getValue();
                final ProducerEntry entry = producers.entry(producerId);
                assertThat(entry).as("producer %d", producerId).isNotNull();
                assertThat(entry.epoch()).as("epoch of %d", producerId).isEqualTo(state.epoch);
                assertThat(entry.lastTimestamp()).as("last timestamp of %d", producerId).isEqualTo(state.lastTimestamp);
                assertThat(entry.batchCount()).as("batches of %d: %s", producerId, entry)
                    .isEqualTo(state.batches.size());
                final Iterator<Batch> batches = state.batches.iterator();
                for (int i = 0; i < entry.batchCount(); i++)
                {
                    final Batch batch = batches.next();
                    assertThat(new long[]{ entry.baseSequence(i), entry.lastSequence(i), entry.firstOffset(i),
                        entry.lastOffset(i), entry.timestamp(i) })
                        .as("batch %d of %d", i, producerId)
                        .containsExactly(batch.baseSequence(), batch.lastSequence(), batch.firstOffset(),
                            batch.lastOffset(), batch.timestamp());
                }
            }
        }
    }

    static void deleteRecursively(final Path dir) throws IOException
    {
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
    }
}
