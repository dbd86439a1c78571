package io.loggia.engine.group;

import io.loggia.codec.record.Record;
import io.loggia.codec.record.RecordBatch;
import io.loggia.codec.record.RecordCursor;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@code __consumer_offsets} record layouts against bytes built by hand from Kafka's JSON schemas
 * (group-coordinator/src/main/resources/common/message/{OffsetCommit,GroupMetadata}{Key,Value}.json). The
 * net module's tests check the same bytes against Kafka's own generated classes.
 */
class GroupRecordsTest
{
    private final GroupRecords records = new GroupRecords();
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);

    /** One record of a batch, decoded: its key and its value (a CommittedOffset, GroupMetadataValue or null). */
    record Decoded(short type, String group, String topic, int partition, Object value)
    {
    }

    /** Decodes every record of one uncompressed batch, as the loader does. */
    static List<Decoded> decodeBatch(final byte[] batch)
    {
        final GroupRecords records = new GroupRecords();
        final RecordBatch flyweight = new RecordBatch().wrap(new UnsafeBuffer(batch), 0);
        final RecordCursor cursor = new RecordCursor().wrapUncompressed(flyweight);
        final RecordKey key = new RecordKey();
        final List<Decoded> decoded = new ArrayList<>();
        while (cursor.next() == Record.VALID)
        {
            final Record record = cursor.record();
            records.decodeKey(record.buffer(), record.keyOffset(), record.keyLength(), key);
            Object value = null;
            if (record.hasValue())
            {
                value = key.isOffsetCommit() ?
                    records.decodeOffsetCommitValue(record.buffer(), record.valueOffset(), record.valueLength()) :
                    records.decodeGroupMetadataValue(record.buffer(), record.valueOffset(), record.valueLength());
            }
            decoded.add(new Decoded(key.type, key.group, key.topic, key.partition, value));
        }
        return decoded;
    }

    /** Big-endian bytes built field by field. */
    private static final class Bytes
    {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Bytes int8(final int value)
        {
            out.write(value);
            return this;
        }

        Bytes int16(final int value)
        {
            return raw(ByteBuffer.allocate(2).putShort((short)value).array());
        }

        Bytes int32(final int value)
        {
            return raw(ByteBuffer.allocate(4).putInt(value).array());
        }

        Bytes int64(final long value)
        {
            return raw(ByteBuffer.allocate(8).putLong(value).array());
        }

        Bytes string(final String value)
        {
            if (null == value)
            {
                return int16(-1);
            }
            final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            return int16(bytes.length).raw(bytes);
        }

        Bytes compactString(final String value)
        {
            if (null == value)
            {
                return int8(0);
            }
            final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            return int8(bytes.length + 1).raw(bytes);
        }

        Bytes bytes(final byte[] value)
        {
            return int32(value.length).raw(value);
        }

        Bytes compactBytes(final byte[] value)
        {
            return int8(value.length + 1).raw(value);
        }

        Bytes raw(final byte[] bytes)
        {
            out.write(bytes, 0, bytes.length);
            return this;
        }

        byte[] build()
        {
            return out.toByteArray();
        }
    }

    private static byte[] utf8(final String value)
    {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] written(final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    @Test
    void offsetCommitKeyFollowsTheSchema()
    {
        final int length = records.encodeOffsetCommitKey(buffer, 0, utf8("g"), utf8("t"), 3);
        assertThat(length).isEqualTo(GroupRecords.sizeOfOffsetCommitKey(utf8("g"), utf8("t")));
        // Kafka 4.4's OffsetCommitKey.write gives 00 01 67 00 01 74 00 00 00 03; the key type 1 comes first
        assertThat(written(length)).isEqualTo(new Bytes().int16(1).string("g").string("t").int32(3).build());

        final RecordKey key = new RecordKey();
        assertThat(records.decodeKey(buffer, 0, length, key)).isEqualTo(RecordKey.OFFSET_COMMIT);
        assertThat(key.group).isEqualTo("g");
        assertThat(key.topic).isEqualTo("t");
        assertThat(key.partition).isEqualTo(3);
        assertThat(key.isOffsetCommit()).isTrue();
    }

    @Test
    void legacyOffsetKeyTypeZeroDecodes()
    {
        final byte[] legacy = new Bytes().int16(0).string("grp").string("topic").int32(7).build();
        final RecordKey key = new RecordKey();
        assertThat(records.decodeKey(new UnsafeBuffer(legacy), 0, legacy.length, key))
            .isEqualTo(RecordKey.LEGACY_OFFSET_COMMIT);
        assertThat(key.isOffsetCommit()).isTrue();
        assertThat(key.partition).isEqualTo(7);
    }

    @Test
    void groupMetadataKeyFollowsTheSchema()
    {
        final int length = records.encodeGroupMetadataKey(buffer, 0, utf8("g"));
        assertThat(written(length)).isEqualTo(new Bytes().int16(2).string("g").build());
        final RecordKey key = new RecordKey();
        assertThat(records.decodeKey(buffer, 0, length, key)).isEqualTo(RecordKey.GROUP_METADATA);
        assertThat(key.group).isEqualTo("g");
    }

    @Test
    void keysOfNewerGroupTypesAreSkippedNotRefused()
    {
        final byte[] consumerGroupKey = new Bytes().int16(3).string("g").build();
        final RecordKey key = new RecordKey();
        assertThat(records.decodeKey(new UnsafeBuffer(consumerGroupKey), 0, consumerGroupKey.length, key))
            .isEqualTo((short)3);
        assertThat(key.group).isNull();
    }

    @Test
    void offsetCommitValueV4FollowsTheSchema()
    {
        final CommittedOffset value = new CommittedOffset(5, 7, "m", 9, -1);
        final int length = records.encodeOffsetCommitValue(buffer, 0, value, utf8("m"));
        assertThat(length).isEqualTo(GroupRecords.sizeOfOffsetCommitValue(value, utf8("m")));
        // Kafka 4.4 writes version 4: offset, leader epoch, compact metadata, commit timestamp, tagged fields
        assertThat(written(length)).isEqualTo(new Bytes().int16(4).int64(5).int32(7).compactString("m").int64(9)
            .int8(0).build());
        assertThat(records.decodeOffsetCommitValue(buffer, 0, length)).isEqualTo(value);
    }

    @Test
    void offsetCommitValueWithItsOwnExpiryIsVersionOne()
    {
        final CommittedOffset value = new CommittedOffset(5, -1, "meta", 9, 99);
        final int length = records.encodeOffsetCommitValue(buffer, 0, value, utf8("meta"));
        assertThat(written(length)).isEqualTo(new Bytes().int16(1).int64(5).string("meta").int64(9).int64(99).build());
        assertThat(length).isEqualTo(GroupRecords.sizeOfOffsetCommitValue(value, utf8("meta")));
        assertThat(records.decodeOffsetCommitValue(buffer, 0, length)).isEqualTo(value);
    }

    @Test
    void everyOffsetCommitValueVersionDecodes()
    {
        final byte[] v0 = new Bytes().int16(0).int64(1).string("a").int64(2).build();
        final byte[] v2 = new Bytes().int16(2).int64(1).string("a").int64(2).build();
        final byte[] v3 = new Bytes().int16(3).int64(1).int32(4).string("a").int64(2).build();
        // v4 with the topic id tagged field (tag 0, 16 bytes) Kafka may write
        final byte[] v4 = new Bytes().int16(4).int64(1).int32(4).compactString("a").int64(2)
            .int8(1).int8(0).int8(16).int64(11).int64(12).build();
        assertThat(decodeValue(v0)).isEqualTo(new CommittedOffset(1, -1, "a", 2, -1));
        assertThat(decodeValue(v2)).isEqualTo(new CommittedOffset(1, -1, "a", 2, -1));
        assertThat(decodeValue(v3)).isEqualTo(new CommittedOffset(1, 4, "a", 2, -1));
        assertThat(decodeValue(v4)).isEqualTo(new CommittedOffset(1, 4, "a", 2, -1));

        final byte[] v5 = new Bytes().int16(5).int64(1).build();
        assertThatThrownBy(() -> decodeValue(v5)).isInstanceOf(GroupRecords.MalformedRecordException.class);
        final byte[] cut = Arrays.copyOf(v3, v3.length - 1);
        assertThatThrownBy(() -> decodeValue(cut)).isInstanceOf(GroupRecords.MalformedRecordException.class);
    }

    private CommittedOffset decodeValue(final byte[] bytes)
    {
        return records.decodeOffsetCommitValue(new UnsafeBuffer(bytes), 0, bytes.length);
    }

    private static GroupMetadataValue sampleGroup()
    {
        final GroupMetadataValue value = new GroupMetadataValue();
        value.protocolType = "consumer";
        value.generation = 3;
        value.protocol = "range";
        value.leader = "m1";
        value.currentStateTimestamp = 1234;
        value.members.add(new GroupMetadataValue.Member("m1", "i1", "c1", "/10.0.0.1", 30000, 10000,
            new byte[]{1, 2}, new byte[]{3}));
        value.members.add(new GroupMetadataValue.Member("m2", null, "c2", "/10.0.0.2", 20000, 6000,
            new byte[0], new byte[]{4, 5, 6}));
        return value;
    }

    @Test
    void groupMetadataValueV3FollowsTheSchema()
    {
        final GroupMetadataValue value = sampleGroup();
        final int length = records.encodeGroupMetadataValue(buffer, 0, value);
        assertThat(length).isEqualTo(GroupRecords.sizeOfGroupMetadataValue(value));
        final byte[] expected = new Bytes().int16(3)
            .string("consumer").int32(3).string("range").string("m1").int64(1234).int32(2)
            .string("m1").string("i1").string("c1").string("/10.0.0.1").int32(30000).int32(10000)
            .bytes(new byte[]{1, 2}).bytes(new byte[]{3})
            .string("m2").string(null).string("c2").string("/10.0.0.2").int32(20000).int32(6000)
            .bytes(new byte[0]).bytes(new byte[]{4, 5, 6})
            .build();
        assertThat(written(length)).isEqualTo(expected);

        final GroupMetadataValue decoded = records.decodeGroupMetadataValue(buffer, 0, length);
        assertThat(decoded.protocolType).isEqualTo("consumer");
        assertThat(decoded.generation).isEqualTo(3);
        assertThat(decoded.protocol).isEqualTo("range");
        assertThat(decoded.leader).isEqualTo("m1");
        assertThat(decoded.currentStateTimestamp).isEqualTo(1234);
        assertThat(decoded.members).usingRecursiveFieldByFieldElementComparator().isEqualTo(value.members);
    }

    @Test
    void emptyGroupHasNullProtocolAndLeader()
    {
        final GroupMetadataValue value = new GroupMetadataValue();
        value.protocolType = "consumer";
        value.generation = 4;
        value.currentStateTimestamp = 5;
        final int length = records.encodeGroupMetadataValue(buffer, 0, value);
        assertThat(written(length)).isEqualTo(new Bytes().int16(3).string("consumer").int32(4).string(null)
            .string(null).int64(5).int32(0).build());
        final GroupMetadataValue decoded = records.decodeGroupMetadataValue(buffer, 0, length);
        assertThat(decoded.protocol).isNull();
        assertThat(decoded.leader).isNull();
        assertThat(decoded.members).isEmpty();
    }

    @Test
    void olderAndFlexibleGroupMetadataValuesDecode()
    {
        final byte[] v0 = new Bytes().int16(0).string("consumer").int32(1).string("range").string("m1").int32(1)
            .string("m1").string("c1").string("h1").int32(10000).bytes(new byte[]{1}).bytes(new byte[]{2}).build();
        final GroupMetadataValue zero = records.decodeGroupMetadataValue(new UnsafeBuffer(v0), 0, v0.length);
        assertThat(zero.currentStateTimestamp).isEqualTo(-1);
        assertThat(zero.members.get(0).rebalanceTimeoutMs()).isEqualTo(10000);
        assertThat(zero.members.get(0).groupInstanceId()).isNull();

        final byte[] v1 = new Bytes().int16(1).string("consumer").int32(1).string("range").string("m1").int32(1)
            .string("m1").string("c1").string("h1").int32(20000).int32(10000).bytes(new byte[]{1}).bytes(new byte[0])
            .build();
        assertThat(records.decodeGroupMetadataValue(new UnsafeBuffer(v1), 0, v1.length).members.get(0)
            .rebalanceTimeoutMs()).isEqualTo(20000);

        final byte[] v4 = new Bytes().int16(4).compactString("consumer").int32(2).compactString("range")
            .compactString("m1").int64(77).int8(2)
            .compactString("m1").compactString("i1").compactString("c1").compactString("h1").int32(20000).int32(10000)
            .compactBytes(new byte[]{9}).compactBytes(new byte[]{8}).int8(0)
            .int8(0).build();
        final GroupMetadataValue four = records.decodeGroupMetadataValue(new UnsafeBuffer(v4), 0, v4.length);
        assertThat(four.generation).isEqualTo(2);
        assertThat(four.currentStateTimestamp).isEqualTo(77);
        assertThat(four.members).hasSize(1);
        assertThat(four.members.get(0).groupInstanceId()).isEqualTo("i1");
        assertThat(four.members.get(0).subscription()).containsExactly(9);
        assertThat(four.members.get(0).assignment()).containsExactly(8);
    }

    @Test
    void writerBuildsOneBatchPerRequestThatTheLoaderReadsBack()
    {
        final OffsetsLogFixtureless log = new OffsetsLogFixtureless();
        final OffsetsWriter writer = new OffsetsWriter(log);
        writer.begin(0, 1000);
        writer.offsetCommit("g", "t", 1, new CommittedOffset(10, 2, "x", 1000, -1));
        writer.offsetTombstone("g", "t", 2);
        writer.groupMetadata("g", sampleGroup());
        writer.groupTombstone("h");
        writer.submit(new OffsetsWriter.Append()
        {
            void onComplete(final short errorCode, final long nowMs)
            {
            }
        });
        final List<Decoded> decoded = decodeBatch(log.batch);
        assertThat(decoded).hasSize(4);
        assertThat(decoded.get(0))
            .isEqualTo(new Decoded((short)1, "g", "t", 1, new CommittedOffset(10, 2, "x", 1000, -1)));
        assertThat(decoded.get(1)).isEqualTo(new Decoded((short)1, "g", "t", 2, null));
        assertThat(decoded.get(2).type()).isEqualTo((short)2);
        assertThat(((GroupMetadataValue)decoded.get(2).value()).members).hasSize(2);
        assertThat(decoded.get(3)).isEqualTo(new Decoded((short)2, "h", null, -1, null));
        final RecordBatch batch = new RecordBatch().wrap(new UnsafeBuffer(log.batch), 0);
        assertThat(batch.maxTimestamp()).isEqualTo(1000);
        assertThat(batch.producerId()).isEqualTo(-1);
        writer.close();
    }

    /** Keeps the one batch offered. */
    private static final class OffsetsLogFixtureless implements OffsetsLog
    {
        byte[] batch;

        public int offer(final int partition, final long correlation, final org.agrona.DirectBuffer buffer,
            final int offset, final int length)
        {
            batch = new byte[length];
            buffer.getBytes(offset, batch);
            return OFFERED;
        }

        public void flush()
        {
        }

        public int poll(final CompletionHandler handler, final int limit)
        {
            return 0;
        }
    }
}
