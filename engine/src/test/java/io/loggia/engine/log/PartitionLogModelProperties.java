package io.loggia.engine.log;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random operations on a real log with tiny segments, checked against a model: the list of appended batches
 * with their offsets and bytes, the log start offset and the high watermark. Every read is compared byte
 * for byte with what the model says a fetch must return.
 */
class PartitionLogModelProperties
{
    private static final long T0 = 1_700_000_000_000L;
    private static final LogConfig CONFIG = TestLogs.config(
        LogConfig.SEGMENT_BYTES, "4096",
        LogConfig.INDEX_INTERVAL_BYTES, "256",
        LogConfig.SEGMENT_INDEX_BYTES, "2048",
        LogConfig.FILE_DELETE_DELAY_MS, "0");

    enum Kind
    {
        APPEND, READ, ROLL, TRUNCATE, ADVANCE_HW, DELETE_RECORDS, RETENTION, REOPEN_CLEAN, REOPEN_UNCLEAN, TIME_LOOKUP
    }

    /** One operation; {@code a}, {@code b}, {@code c} are its random parameters in [0, 1000]. */
    record Op(Kind kind, int a, int b, int c)
    {
    }

    @Provide
    Arbitrary<List<Op>> operations()
    {
        final Arbitrary<Kind> kind = Arbitraries.frequency(
            Tuple.of(12, Kind.APPEND),
            Tuple.of(8, Kind.READ),
            Tuple.of(1, Kind.ROLL),
            Tuple.of(2, Kind.TRUNCATE),
            Tuple.of(3, Kind.ADVANCE_HW),
            Tuple.of(1, Kind.DELETE_RECORDS),
            Tuple.of(1, Kind.RETENTION),
            Tuple.of(1, Kind.REOPEN_CLEAN),
            Tuple.of(1, Kind.REOPEN_UNCLEAN),
            Tuple.of(2, Kind.TIME_LOOKUP));
        final Arbitrary<Integer> parameter = Arbitraries.integers().between(0, 1000);
        return Combinators.combine(kind, parameter, parameter, parameter).as(Op::new).list().ofMinSize(1).ofMaxSize(80);
    }

    @Property(tries = 60)
    void behavesLikeTheModel(@ForAll("operations") final List<Op> operations, @ForAll final long seed) throws IOException
    {
        final Path root = Files.createTempDirectory("model");
        final Harness harness = new Harness(root, new Random(seed));
        try
        {
            for (final Op op : operations)
            {
                harness.apply(op);
            }
            harness.fixture.assertLogHolds(harness.log, harness.logStart);
        }
        finally
        {
            harness.log.close();
            TestLogs.deleteRecursively(root);
        }
        assertThat(harness.errors.seen).isEmpty();
    }

    private static final class Harness
    {
        final Path root;
        final Random random;
        final TestLogs.Errors errors = new TestLogs.Errors();
        final LogFixture fixture;
        final ReadResult read = new ReadResult();
        final TimestampLookup lookup = new TimestampLookup();
        PartitionLog log;
        long logStart;
        long highWatermark;
        long nowMs = T0;
        long logEndWhenEmpty;
        int generation;

        Harness(final Path root, final Random random) throws IOException
        {
            this.root = root;
            this.random = random;
            this.fixture = new LogFixture(random);
            this.log = TestLogs.open(root.resolve("dir0"), CONFIG, errors);
        }

        long logEnd()
        {
            return fixture.logEndOffset(logEndWhenEmpty);
        }

        void apply(final Op op) throws IOException
        {
            nowMs += 10;
            switch (op.kind())
            {
                case APPEND:
                {
                    final byte[] batch = TestLogs.batchBytes(1 + op.a() % 6, op.b() % 500, T0 + op.c() * 10L, random);
                    fixture.append(log, batch, op.c() % 4);
                    break;
                }
                case READ:
                    checkRead(op);
                    break;
                case ROLL:
                    assertThat(log.roll(nowMs)).isEqualTo(LogCodes.OK);
                    break;
                case TRUNCATE:
                {
                    final long endBefore = logEnd();
                    final long offset = between(logStart, endBefore, op.a());
                    assertThat(log.truncateTo(offset, nowMs)).isEqualTo(LogCodes.OK);
                    final long firstDropped = firstBaseAtOrAfter(offset);
                    fixture.truncateTo(offset);
                    if (firstDropped < logStart && offset < endBefore)
                    {
                        // nothing readable would remain: the log restarts empty at the offset
                        fixture.stored.clear();
                        logEndWhenEmpty = offset;
                        logStart = offset;
                        highWatermark = offset;
                    }
                    else if (fixture.stored.isEmpty())
                    {
                        logEndWhenEmpty = firstDropped;
                    }
                    highWatermark = Math.min(highWatermark, logEnd());
                    log.processDelayedDeletes(nowMs);
                    break;
                }
                case ADVANCE_HW:
                    highWatermark = between(highWatermark, logEnd(), op.a());
                    log.advanceHighWatermark(highWatermark);
                    break;
                case DELETE_RECORDS:
                {
                    final long offset = between(logStart, highWatermark, op.a());
                    assertThat(log.deleteRecordsBefore(offset, nowMs)).isEqualTo(LogCodes.OK);
                    logStart = Math.max(logStart, offset);
                    log.processDelayedDeletes(nowMs);
                    break;
                }
                case RETENTION:
                {
                    final LogConfig retention = LogConfigParser.parseTopic(java.util.Map.of(
                        LogConfig.RETENTION_BYTES, Integer.toString(op.a() * 20),
                        LogConfig.RETENTION_MS, op.b() < 500 ? "-1" : Integer.toString(op.c() * 10)), CONFIG).config();
                    log.updateConfig(retention);
                    log.applyRetention(T0 + 10_000 + op.b() * 10L);
                    log.updateConfig(CONFIG);
                    final long start = log.logStartOffset();
                    assertThat(start).isGreaterThanOrEqualTo(logStart).isLessThanOrEqualTo(highWatermark);
                    logStart = start;
                    log.processDelayedDeletes(nowMs);
                    break;
                }
                case REOPEN_CLEAN:
                {
                    log.close();
                    assertThat(log.flushedOffset()).isEqualTo(logEnd());
                    final RecoveryReport report = new RecoveryReport();
                    log = LogLoader.load(dirOf(generation), TestLogs.TP, CONFIG, true, logEnd(), logStart, highWatermark,
                        nowMs, errors, report);
                    assertThat(report.segmentsRecovered).isZero();
                    break;
                }
                case REOPEN_UNCLEAN:
                {
                    final int next = generation + 1;
                    TestLogs.copyFiles(log.dir(), LogFiles.partitionDir(dirOf(next), TestLogs.TP));
                    log.close();
                    TestLogs.deleteRecursively(dirOf(generation));
                    generation = next;
                    final RecoveryReport report = new RecoveryReport();
                    log = LogLoader.load(dirOf(generation), TestLogs.TP, CONFIG, false, op.a() % 2 == 0 ? 0 : logStart,
                        logStart, highWatermark, nowMs, errors, report);
                    assertThat(report.lostData()).as(report.toString()).isFalse();
                    break;
                }
                case TIME_LOOKUP:
                    checkTimeLookup(op);
                    break;
                default:
                    throw new IllegalStateException();
            }
            assertThat(log.logStartOffset()).isEqualTo(logStart);
            assertThat(log.logEndOffset()).isEqualTo(logEnd());
            assertThat(log.highWatermark()).isEqualTo(highWatermark);
        }

        Path dirOf(final int generation)
        {
            return root.resolve("dir" + generation);
        }

        long firstBaseAtOrAfter(final long offset)
        {
            for (final LogFixture.Stored s : fixture.stored)
            {
                if (s.lastOffset() >= offset)
                {
                    return s.baseOffset();
                }
            }
            return logEnd();
        }

        void checkRead(final Op op) throws IOException
        {
            final long fetch = between(logStart - 1, logEnd() + 1, op.a());
            final int maxBytes = 1 + op.b() * 3;
            final boolean minOneBatch = op.c() % 2 == 0;
            final long bound = op.c() % 3 == 0 ? Long.MAX_VALUE : highWatermark;
            final int code = log.read(fetch, maxBytes, bound, minOneBatch, read);
            assertThat(read.logStartOffset).isEqualTo(logStart);
            assertThat(read.logEndOffset).isEqualTo(logEnd());

            if (fetch < logStart || fetch > logEnd())
            {
                assertThat(code).isEqualTo(LogCodes.OFFSET_OUT_OF_RANGE);
                return;
            }
            final long limit = Math.min(bound, logEnd());
            int first = 0;
            while (first < fixture.stored.size() && fixture.stored.get(first).lastOffset() < fetch)
            {
                first++;
            }
            if (fetch >= limit || fixture.stored.get(first).lastOffset() >= limit)
            {
                assertThat(code).isEqualTo(LogCodes.NO_DATA);
                return;
            }
            final LogFixture.Stored head = fixture.stored.get(first);
            if (head.bytes().length > maxBytes && !minOneBatch)
            {
                assertThat(code).isEqualTo(LogCodes.MAX_BYTES_TOO_SMALL);
                return;
            }
            assertThat(code).isEqualTo(LogCodes.OK);
            int length = head.bytes().length;
            int last = first;
            while (last + 1 < fixture.stored.size())
            {
                final LogFixture.Stored next = fixture.stored.get(last + 1);
                if (next.segmentBaseOffset() != head.segmentBaseOffset() || next.lastOffset() >= limit ||
                    length + next.bytes().length > maxBytes)
                {
                    break;
                }
                length += next.bytes().length;
                last++;
            }
            final byte[] expected = new byte[length];
            int position = 0;
            for (int i = first; i <= last; i++)
            {
                final byte[] bytes = fixture.stored.get(i).bytes();
                System.arraycopy(bytes, 0, expected, position, bytes.length);
                position += bytes.length;
            }
            assertThat(read.firstOffset).isEqualTo(head.baseOffset());
            assertThat(read.lastOffset).isEqualTo(fixture.stored.get(last).lastOffset());
            assertThat(Arrays.equals(TestLogs.bytesOf(read), expected)).as("bytes of read at %d", fetch).isTrue();
        }

        void checkTimeLookup(final Op op)
        {
            final long timestamp = T0 + op.a() * 10L;
            long expected = -1;
            for (final LogFixture.Stored s : fixture.stored)
            {
                if (s.lastOffset() >= logStart && s.maxTimestamp() >= timestamp)
                {
                    expected = Math.max(s.baseOffset(), logStart);
                    break;
                }
            }
            assertThat(log.offsetForTimestamp(timestamp, Long.MAX_VALUE, lookup)).isEqualTo(expected);

            long maxTimestamp = -1;
            long maxOffset = -1;
            for (final LogFixture.Stored s : fixture.stored)
            {
                if (s.lastOffset() >= logStart && s.maxTimestamp() > maxTimestamp)
                {
                    maxTimestamp = s.maxTimestamp();
                    maxOffset = Math.max(s.baseOffset(), logStart);
                }
            }
            assertThat(log.offsetOfMaxTimestamp(Long.MAX_VALUE, lookup)).isEqualTo(maxOffset);
            if (maxOffset >= 0)
            {
                assertThat(lookup.timestamp).isEqualTo(maxTimestamp);
            }
        }

        static long between(final long low, final long high, final int fraction)
        {
            if (high <= low)
            {
                return low;
            }
            return low + (long)((high - low) * (fraction / 1000.0));
        }
    }
}
