package io.loggia.codec.record;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class BatchRoundTripProperties
{
    private static final int MAX = 16 * 1024 * 1024;
    private static final BatchBuilder BUILDER = new BatchBuilder();
    private static final RecordsValidator VALIDATOR = new RecordsValidator();

    private static final BatchDecompressor DECOMPRESSOR = new BatchDecompressor();

    private final BatchValidator batchValidator = new BatchValidator();
    private final RecordCursor cursor = new RecordCursor();

    @AfterContainer
    static void close()
    {
        BUILDER.close();
        VALIDATOR.close();
        DECOMPRESSOR.close();
    }

    @Property(tries = 300)
    void builtBatchesParseWithOursAndWithKafka(
        @ForAll("records") final List<TestRecord> records,
        @ForAll @IntRange(min = 0, max = 4) final int codec,
        @ForAll final boolean transactional,
        @ForAll final boolean logAppendTime,
        @ForAll final boolean directTarget,
        @ForAll @IntRange(min = 0, max = 9) final int offset)
    {
        final MutableDirectBuffer target =
            directTarget ? new ExpandableDirectByteBuffer(32) : new ExpandableArrayBuffer(32);
        final int size = build(target, offset, records, codec, transactional, logAppendTime);

        assertThat(VALIDATOR.validate(target, offset, size, MAX)).isEqualTo(RecordsValidator.VALID);
        final RecordBatch batch = new RecordBatch().wrap(target, offset);
        assertThat(batch.recordCount()).isEqualTo(records.size());
        assertThat(batch.isLogAppendTime()).isEqualTo(logAppendTime);
        assertThat(DECOMPRESSOR.wrapRecords(target, offset, cursor)).isZero();
        int index = 0;
        while (cursor.next() == Record.VALID)
        {
            records.get(index).assertMatches(cursor.record(), batch.baseTimestamp(), index);
            index++;
        }
        assertThat(index).isEqualTo(records.size());

        final byte[] bytes = new byte[size];
        target.getBytes(offset, bytes);
        final MutableRecordBatch kafkaBatch =
            MemoryRecords.readableRecords(ByteBuffer.wrap(bytes)).batches().iterator().next();
        kafkaBatch.ensureValid();
        assertThat(kafkaBatch.timestampType())
            .isEqualTo(logAppendTime ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME);
        index = 0;
        for (final org.apache.kafka.common.record.internal.Record record : kafkaBatch)
        {
            final TestRecord expected = records.get(index);
            if (logAppendTime)
            {
                assertThat(record.timestamp()).isEqualTo(batch.maxTimestamp());
            }
            else
            {
                expected.assertMatches(record, 1000L + index);
            }
            index++;
        }
        assertThat(index).isEqualTo(records.size());
    }

    @Property(tries = 200)
    void anyChangedByteFromTheMagicOnIsCaught(
        @ForAll("records") final List<TestRecord> records,
        @ForAll @IntRange(min = 0, max = 4) final int codec,
        @ForAll final long seed)
    {
        final ExpandableArrayBuffer target = new ExpandableArrayBuffer(32);
        final int size = build(target, 0, records, codec, false, false);
        final Random random = new Random(seed);
        final int index = RecordBatch.MAGIC_OFFSET + random.nextInt(size - RecordBatch.MAGIC_OFFSET);
        target.putByte(index, (byte)(target.getByte(index) ^ (1 + random.nextInt(255))));
        assertThat(batchValidator.validate(target, 0, size, MAX)).isNotEqualTo(BatchValidator.VALID);
    }

    @Property(tries = 100)
    void everyShortenedBatchIsTruncated(
        @ForAll("records") final List<TestRecord> records,
        @ForAll @IntRange(min = 0, max = 4) final int codec)
    {
        final ExpandableArrayBuffer target = new ExpandableArrayBuffer(32);
        final int size = build(target, 0, records, codec, false, false);
        for (int available = 0; available < size; available += 1 + available / 8)
        {
            assertThat(batchValidator.validate(target, 0, available, MAX)).isEqualTo(BatchValidator.TRUNCATED);
        }
    }

    @Property(tries = 300)
    void damagedRecordsWithARecomputedCrcNeverThrow(
        @ForAll("records") final List<TestRecord> records,
        @ForAll @IntRange(min = 0, max = 4) final int codec,
        @ForAll final long seed)
    {
        final ExpandableArrayBuffer target = new ExpandableArrayBuffer(32);
        final int size = build(target, 0, records, codec, false, false);
        final Random random = new Random(seed);
        for (int flips = 1 + random.nextInt(3); flips > 0; flips--)
        {
            final int index = RecordBatch.RECORDS_OFFSET + random.nextInt(size - RecordBatch.RECORDS_OFFSET);
            target.putByte(index, (byte)random.nextInt(256));
        }
        BUILDER.writeCrc(target, 0);
        final int code = VALIDATOR.validate(new UnsafeBuffer(target.byteArray(), 0, size), 0, size, MAX);
        assertThat(RecordsValidator.describe(code)).doesNotStartWith("unknown code");
    }

    @Property(tries = 500)
    void arbitraryBytesNeverThrowFromTheRecordFlyweight(
        @ForAll final byte[] bytes,
        @ForAll @IntRange(max = 8) final int offset)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final Record record = new Record();
        final int code = record.wrap(buffer, Math.min(offset, bytes.length), bytes.length);
        assertThat(code).isBetween(Record.VALID, Record.BAD_HEADER);
        if (code == Record.VALID)
        {
            final RecordHeader header = record.headers(new RecordHeader());
            int count = 0;
            while (header.next())
            {
                count++;
            }
            assertThat(count).isEqualTo(record.headerCount());
        }
    }

    private static int build(
        final MutableDirectBuffer target,
        final int offset,
        final List<TestRecord> records,
        final int codec,
        final boolean transactional,
        final boolean logAppendTime)
    {
        BUILDER.wrap(target, offset).baseOffset(1000L).compression(codec).transactional(transactional)
            .producer(transactional ? 42L : -1L, (short)(transactional ? 1 : -1), transactional ? 0 : -1);
        if (logAppendTime)
        {
            BUILDER.logAppendTime(1_800_000_000_000L);
        }
        for (final TestRecord record : records)
        {
            record.appendTo(BUILDER);
        }
        return BUILDER.build();
    }

    @Provide
    Arbitrary<List<TestRecord>> records()
    {
        final Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(300).injectNull(0.2);
        final Arbitrary<byte[]> headerValues = Arbitraries.bytes().array(byte[].class).ofMaxSize(20).injectNull(0.2);
        final Arbitrary<String> headerKeys =
            Arbitraries.strings().withCharRange('a', 'z').withChars('é', '€').ofMaxLength(12);
        final Arbitrary<List<Tuple.Tuple2<String, byte[]>>> headers =
            Combinators.combine(headerKeys, headerValues).as(Tuple::of).list().ofMaxSize(3);
        final Arbitrary<Long> timestamps = Arbitraries.longs().between(-1L, 10_000_000_000_000L);
        return Combinators.combine(timestamps, bytes, bytes, headers)
            .as((timestamp, key, value, headerList) ->
            {
                final TestRecord record = new TestRecord(timestamp, key, value);
                headerList.forEach(header -> record.header(header.get1(), header.get2()));
                return record;
            })
            .list().ofMinSize(1).ofMaxSize(30);
    }
}
