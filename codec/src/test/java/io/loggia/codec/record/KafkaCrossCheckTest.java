package io.loggia.codec.record;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our codec against kafka-clients, both directions, for every compression codec: Kafka's batches validate and
 * iterate with our flyweights, and our batches pass Kafka's ensureValid and iterate record for record.
 */
class KafkaCrossCheckTest
{
    private static final long BASE_TIMESTAMP = 1_700_000_000_000L;
    private static final int MAX_BATCH = 8 * 1024 * 1024;

    private final BatchBuilder builder = new BatchBuilder();
    private final RecordsValidator validator = new RecordsValidator();
    private final BatchDecompressor decompressor = new BatchDecompressor();
    private final RecordCursor cursor = new RecordCursor();
    private final RecordBatch batch = new RecordBatch();

    @AfterEach
    void close()
    {
        builder.close();
        validator.close();
        decompressor.close();
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 2, 3, 4 })
    void kafkaBatchesValidateAndIterateWithOurs(final int codec)
    {
        for (final boolean large : new boolean[]{ false, true })
        {
            final Random random = new Random(codec * 31L + (large ? 1 : 0));
            final List<TestRecord> records = TestRecord.mixedRecords(random, BASE_TIMESTAMP, large);
            final MemoryRecordsBuilder kafka = MemoryRecords.builder(
                ByteBuffer.allocate(1024), RecordBatch.MAGIC_V2, kafkaCompression(codec), TimestampType.CREATE_TIME,
                4242L, RecordBatch.NO_TIMESTAMP, 77L, (short)3, 1000, true, false, 9);
            for (final TestRecord record : records)
            {
                kafka.append(record.timestamp, record.key, record.value, record.kafkaHeaders());
            }
            final byte[] bytes = toArray(kafka.build().buffer());

            for (final DirectBuffer buffer : new DirectBuffer[]{ heap(bytes), direct(bytes) })
            {
                assertThat(validator.validate(buffer, 0, bytes.length, MAX_BATCH))
                    .as("codec %s large %s: %s", codec, large, RecordsValidator.describe(validator.recordCode()))
                    .isEqualTo(RecordsValidator.VALID);
                batch.wrap(buffer, 0);
                assertThat(batch.sizeInBytes()).isEqualTo(bytes.length);
                assertThat(batch.compressionCodec()).isEqualTo(codec);
                assertThat(batch.baseOffset()).isEqualTo(4242L);
                assertThat(batch.partitionLeaderEpoch()).isEqualTo(9);
                assertThat(batch.producerId()).isEqualTo(77L);
                assertThat(batch.producerEpoch()).isEqualTo((short)3);
                assertThat(batch.baseSequence()).isEqualTo(1000);
                assertThat(batch.isTransactional()).isTrue();
                assertThat(batch.isControlBatch()).isFalse();
                assertThat(batch.isLogAppendTime()).isFalse();
                assertThat(batch.recordCount()).isEqualTo(records.size());
                assertThat(batch.maxTimestamp()).isEqualTo(maxTimestamp(records));
                assertOurCursorSees(buffer, records);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 2, 3, 4 })
    void ourBatchesPassKafkaEnsureValidAndIterate(final int codec)
    {
        for (final boolean large : new boolean[]{ false, true })
        {
            final Random random = new Random(codec * 17L + (large ? 1 : 0));
            final List<TestRecord> records = TestRecord.mixedRecords(random, BASE_TIMESTAMP, large);
            final MutableDirectBuffer[] targets = { new ExpandableArrayBuffer(64), new ExpandableDirectByteBuffer(64) };
            for (final MutableDirectBuffer target : targets)
            {
                builder.wrap(target, 0)
                    .baseOffset(123_456_789_000L)
                    .partitionLeaderEpoch(12)
                    .compression(codec)
                    .producer(5_000_000_000L, (short)7, Integer.MAX_VALUE - 3)
                    .transactional(codec % 2 == 0);
                records.forEach(record -> record.appendTo(builder));
                final int size = builder.build();

                final byte[] bytes = new byte[size];
                target.getBytes(0, bytes);
                final MemoryRecords kafka = MemoryRecords.readableRecords(ByteBuffer.wrap(bytes));
                final Iterator<MutableRecordBatch> batches = kafka.batches().iterator();
                final MutableRecordBatch kafkaBatch = batches.next();
                assertThat(batches.hasNext()).isFalse();
                kafkaBatch.ensureValid();
                assertThat(kafkaBatch.sizeInBytes()).isEqualTo(size);
                assertThat((int)kafkaBatch.compressionType().id).isEqualTo(codec);
                assertThat(kafkaBatch.baseOffset()).isEqualTo(123_456_789_000L);
                assertThat(kafkaBatch.lastOffset()).isEqualTo(123_456_789_000L + records.size() - 1);
                assertThat(kafkaBatch.partitionLeaderEpoch()).isEqualTo(12);
                assertThat(kafkaBatch.producerId()).isEqualTo(5_000_000_000L);
                assertThat(kafkaBatch.producerEpoch()).isEqualTo((short)7);
                assertThat(kafkaBatch.baseSequence()).isEqualTo(Integer.MAX_VALUE - 3);
                assertThat(kafkaBatch.lastSequence()).isEqualTo(records.size() - 4 - 1);
                assertThat(kafkaBatch.isTransactional()).isEqualTo(codec % 2 == 0);
                assertThat(kafkaBatch.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
                assertThat(kafkaBatch.maxTimestamp()).isEqualTo(maxTimestamp(records));
                assertThat(kafkaBatch.countOrNull()).isEqualTo(records.size());

                int index = 0;
                for (final org.apache.kafka.common.record.internal.Record record : kafkaBatch)
                {
                    record.ensureValid();
                    records.get(index).assertMatches(record, 123_456_789_000L + index);
                    index++;
                }
                assertThat(index).isEqualTo(records.size());

                batch.wrap(target, 0);
                assertThat(batch.lastSequence()).isEqualTo(kafkaBatch.lastSequence());
                assertThat(batch.crc()).isEqualTo(kafkaBatch.checksum());
                assertThat(validator.validate(target, 0, size, MAX_BATCH)).isEqualTo(RecordsValidator.VALID);
            }
        }
    }

    @Test
    void logAppendTimeBatchesAgree()
    {
        final long appendTime = BASE_TIMESTAMP + 99;
        final ExpandableArrayBuffer target = new ExpandableArrayBuffer(64);
        final int size = builder.wrap(target, 0).logAppendTime(appendTime)
            .append(BASE_TIMESTAMP, null, TestRecord.utf8("a"))
            .append(BASE_TIMESTAMP + 1, null, TestRecord.utf8("b"))
            .build();
        final MutableRecordBatch kafkaBatch = onlyBatch(target, size);
        kafkaBatch.ensureValid();
        assertThat(kafkaBatch.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(kafkaBatch.maxTimestamp()).isEqualTo(appendTime);
        for (final org.apache.kafka.common.record.internal.Record record : kafkaBatch)
        {
            assertThat(record.timestamp()).isEqualTo(appendTime);
        }

        final MemoryRecordsBuilder kafka = MemoryRecords.builder(
            ByteBuffer.allocate(256), (byte)2, Compression.NONE, TimestampType.LOG_APPEND_TIME, 0L, appendTime,
            -1L, (short)-1, -1, false, false, 0);
        kafka.append(BASE_TIMESTAMP, null, TestRecord.utf8("a"));
        final byte[] bytes = toArray(kafka.build().buffer());
        batch.wrap(heap(bytes), 0);
        assertThat(batch.isLogAppendTime()).isTrue();
        assertThat(batch.maxTimestamp()).isEqualTo(appendTime);
        assertThat(batch.toString()).contains("LogAppendTime: " + appendTime).contains("compresscodec: none");
        assertThat(validator.validate(batch.buffer(), 0, bytes.length, MAX_BATCH)).isEqualTo(RecordsValidator.VALID);
    }

    @Test
    void stampingLogAppendTimeOnACreateTimeBatchSatisfiesKafka()
    {
        final ExpandableArrayBuffer target = new ExpandableArrayBuffer(64);
        final int size = builder.wrap(target, 0).compression(CompressionCodec.LZ4)
            .append(BASE_TIMESTAMP, null, TestRecord.utf8("a"))
            .append(BASE_TIMESTAMP + 1, null, TestRecord.utf8("b"))
            .build();
        RecordBatch.stampLogAppendTime(target, 0, BASE_TIMESTAMP + 500);
        assertThat(validator.validate(target, 0, size, MAX_BATCH)).isEqualTo(BatchValidator.BAD_CRC);
        validator.batchValidator().writeCrc(target, 0);
        assertThat(validator.validate(target, 0, size, MAX_BATCH)).isEqualTo(RecordsValidator.VALID);

        final MutableRecordBatch kafkaBatch = onlyBatch(target, size);
        kafkaBatch.ensureValid();
        assertThat(kafkaBatch.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        for (final org.apache.kafka.common.record.internal.Record record : kafkaBatch)
        {
            assertThat(record.timestamp()).isEqualTo(BASE_TIMESTAMP + 500);
        }
    }

    @Test
    void endTransactionMarkersAgree()
    {
        final ExpandableArrayBuffer target = new ExpandableArrayBuffer(64);
        final int size = builder.wrap(target, 0).baseOffset(50).producer(9L, (short)2, -1)
            .transactional(true).control(true)
            .appendEndTxnMarker(BASE_TIMESTAMP, true, 17)
            .build();
        final MutableRecordBatch kafkaBatch = onlyBatch(target, size);
        kafkaBatch.ensureValid();
        assertThat(kafkaBatch.isControlBatch()).isTrue();
        assertThat(kafkaBatch.isTransactional()).isTrue();
        final org.apache.kafka.common.record.internal.Record record = kafkaBatch.iterator().next();
        assertThat(ControlRecordType.parse(record.key())).isEqualTo(ControlRecordType.COMMIT);
        assertThat(EndTransactionMarker.deserialize(record).coordinatorEpoch()).isEqualTo(17);

        final MemoryRecords kafkaMarker = MemoryRecords.withEndTransactionMarker(
            50L, BASE_TIMESTAMP, 4, 9L, (short)2, new EndTransactionMarker(ControlRecordType.ABORT, 23));
        final byte[] bytes = toArray(kafkaMarker.buffer());
        final UnsafeBuffer buffer = heap(bytes);
        assertThat(validator.validate(buffer, 0, bytes.length, MAX_BATCH)).isEqualTo(RecordsValidator.VALID);
        batch.wrap(buffer, 0);
        assertThat(batch.isControlBatch()).isTrue();
        cursor.wrapUncompressed(batch);
        assertThat(cursor.next()).isEqualTo(Record.VALID);
        final Record ours = cursor.record();
        assertThat(buffer.getShort(ours.keyOffset() + 2, RecordBatch.ORDER)).isEqualTo(BatchBuilder.CONTROL_TYPE_ABORT);
        assertThat(buffer.getInt(ours.valueOffset() + 2, RecordBatch.ORDER)).isEqualTo(23);

        final int oursSize = builder.wrap(target, 0).baseOffset(50).partitionLeaderEpoch(4).producer(9L, (short)2, -1)
            .transactional(true).control(true).appendEndTxnMarker(BASE_TIMESTAMP, false, 23).build();
        final byte[] oursBytes = new byte[oursSize];
        target.getBytes(0, oursBytes);
        assertThat(oursBytes).isEqualTo(bytes);
    }

    @Test
    void uncompressedBatchIsByteIdenticalToKafkas()
    {
        final List<TestRecord> records = TestRecord.mixedRecords(new Random(5), BASE_TIMESTAMP, false);
        final MemoryRecordsBuilder kafka = MemoryRecords.builder(
            ByteBuffer.allocate(1024), (byte)2, Compression.NONE, TimestampType.CREATE_TIME, 10L, -1L,
            3L, (short)1, 0, false, false, 2);
        final ExpandableArrayBuffer target = new ExpandableArrayBuffer(64);
        builder.wrap(target, 0).baseOffset(10L).partitionLeaderEpoch(2).producer(3L, (short)1, 0);
        for (final TestRecord record : records)
        {
            kafka.append(record.timestamp, record.key, record.value, record.kafkaHeaders());
            record.appendTo(builder);
        }
        final byte[] kafkaBytes = toArray(kafka.build().buffer());
        final int size = builder.build();
        final byte[] ours = new byte[size];
        target.getBytes(0, ours);
        assertThat(ours).isEqualTo(kafkaBytes);
    }

    private void assertOurCursorSees(final DirectBuffer buffer, final List<TestRecord> records)
    {
        assertThat(decompressor.wrapRecords(buffer, 0, cursor)).isZero();
        final long baseTimestamp = batch.baseTimestamp();
        final List<Integer> deltas = new ArrayList<>();
        int code;
        while ((code = cursor.next()) == Record.VALID)
        {
            final int index = cursor.recordIndex();
            records.get(index).assertMatches(cursor.record(), baseTimestamp, index);
            deltas.add(cursor.record().offsetDelta());
        }
        assertThat(code).isEqualTo(RecordCursor.END);
        assertThat(cursor.remaining()).isZero();
        assertThat(deltas).hasSize(records.size());
    }

    private static long maxTimestamp(final List<TestRecord> records)
    {
        return records.stream().mapToLong(record -> record.timestamp).max().orElseThrow();
    }

    private static MutableRecordBatch onlyBatch(final MutableDirectBuffer target, final int size)
    {
        final byte[] bytes = new byte[size];
        target.getBytes(0, bytes);
        return MemoryRecords.readableRecords(ByteBuffer.wrap(bytes)).batches().iterator().next();
    }

    static Compression kafkaCompression(final int codec)
    {
        switch (codec)
        {
            case CompressionCodec.NONE: return Compression.NONE;
            case CompressionCodec.GZIP: return Compression.gzip().build();
            case CompressionCodec.SNAPPY: return Compression.snappy().build();
            case CompressionCodec.LZ4: return Compression.lz4().build();
            case CompressionCodec.ZSTD: return Compression.zstd().build();
            default: throw new IllegalArgumentException("codec " + codec);
        }
    }

    static byte[] toArray(final ByteBuffer buffer)
    {
        final ByteBuffer copy = buffer.duplicate();
        final byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }

    static UnsafeBuffer heap(final byte[] bytes)
    {
        return new UnsafeBuffer(bytes.clone());
    }

    static UnsafeBuffer direct(final byte[] bytes)
    {
        final ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length);
        direct.put(bytes).flip();
        return new UnsafeBuffer(direct);
    }
}
