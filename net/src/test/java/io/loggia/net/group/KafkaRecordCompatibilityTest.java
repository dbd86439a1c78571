package io.loggia.net.group;

import io.loggia.engine.group.CommittedOffset;
import io.loggia.engine.group.GroupMetadataValue;
import io.loggia.engine.group.GroupRecords;
import io.loggia.engine.group.RecordKey;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.coordinator.group.generated.GroupMetadataKey;
import org.apache.kafka.coordinator.group.generated.OffsetCommitKey;
import org.apache.kafka.coordinator.group.generated.OffsetCommitValue;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our {@code __consumer_offsets} records against Kafka's own: the generated classes of Kafka 4.4's group
 * coordinator (test-scope {@code kafka-group-coordinator}) serialise the same records, with Kafka's framing
 * (an int16 record type before the key, an int16 version before the value), and must give the same bytes;
 * records Kafka writes at every version must decode with ours.
 */
class KafkaRecordCompatibilityTest
{
    private final GroupRecords records = new GroupRecords();
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1024);

    private static byte[] kafka(final short prefix, final ApiMessage message, final short version)
    {
        final ObjectSerializationCache cache = new ObjectSerializationCache();
        final int size = message.size(cache, version);
        final ByteBuffer bytes = ByteBuffer.allocate(2 + size).putShort(prefix);
        message.write(new ByteBufferAccessor(bytes), cache, version);
        return bytes.array();
    }

    private static <T> T readKafka(final byte[] bytes, final BiFunction<ByteBufferAccessor, Short, T> reader)
    {
        final ByteBuffer buffer = ByteBuffer.wrap(bytes);
        final short version = buffer.getShort();
        return reader.apply(new ByteBufferAccessor(buffer), version);
    }

    private byte[] ours(final int length)
    {
        return Arrays.copyOf(buffer.byteArray(), length);
    }

    private static byte[] utf8(final String value)
    {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void offsetCommitKeyIsKafkas()
    {
        final OffsetCommitKey kafka = new OffsetCommitKey().setGroup("my-group").setTopic("orders").setPartition(17);
        final int length = records.encodeOffsetCommitKey(buffer, 0, utf8("my-group"), utf8("orders"), 17);
        assertThat(ours(length)).isEqualTo(kafka(kafka.apiKey(), kafka, (short)0));
    }

    @Test
    void groupMetadataKeyIsKafkas()
    {
        final GroupMetadataKey kafka = new GroupMetadataKey().setGroup("my-group");
        final int length = records.encodeGroupMetadataKey(buffer, 0, utf8("my-group"));
        assertThat(ours(length)).isEqualTo(kafka(kafka.apiKey(), kafka, (short)0));
    }

    @Test
    void offsetCommitValueIsKafkasAtTheVersionsBothWrite()
    {
        final CommittedOffset value =
            new CommittedOffset(123_456_789_012L, 7, "client metadata", 1_700_000_000_000L, -1);
        final int length = records.encodeOffsetCommitValue(buffer, 0, value, utf8(value.metadata()));
        final OffsetCommitValue kafka = new OffsetCommitValue().setOffset(value.offset()).setLeaderEpoch(7)
            .setMetadata(value.metadata()).setCommitTimestamp(value.commitTimestamp());
        final byte[] written = ours(length);
        assertThat(written).isEqualTo(kafka((short)4, kafka, (short)4));

        final CommittedOffset expiring = new CommittedOffset(5, -1, "", 1000, 61_000);
        final int expiringLength = records.encodeOffsetCommitValue(buffer, 0, expiring, new byte[0]);
        final OffsetCommitValue kafkaExpiring = new OffsetCommitValue().setOffset(5).setMetadata("")
            .setCommitTimestamp(1000).setExpireTimestamp(61_000);
        assertThat(ours(expiringLength)).isEqualTo(kafka((short)1, kafkaExpiring, (short)1));

        // and Kafka reads ours
        final OffsetCommitValue read = readKafka(written, OffsetCommitValue::new);
        assertThat(read.offset()).isEqualTo(value.offset());
        assertThat(read.leaderEpoch()).isEqualTo(7);
        assertThat(read.metadata()).isEqualTo("client metadata");
        assertThat(read.commitTimestamp()).isEqualTo(value.commitTimestamp());
    }

    @Test
    void everyOffsetCommitValueKafkaWritesDecodes()
    {
        for (short version = 0; version <= 4; version++)
        {
            final OffsetCommitValue kafka = new OffsetCommitValue().setOffset(42).setMetadata("m")
                .setCommitTimestamp(99);
            if (version >= 3)
            {
                kafka.setLeaderEpoch(3);
            }
            if (version == 1)
            {
                kafka.setExpireTimestamp(500);
            }
            if (version >= 4)
            {
                kafka.setTopicId(Uuid.randomUuid());
            }
            final byte[] bytes = kafka(version, kafka, version);
            final CommittedOffset decoded = records.decodeOffsetCommitValue(new UnsafeBuffer(bytes), 0, bytes.length);
            assertThat(decoded).as("v%d", version).isEqualTo(
                new CommittedOffset(42, version >= 3 ? 3 : -1, "m", 99, version == 1 ? 500 : -1));
        }
    }

    private static GroupMetadataValue sample()
    {
        final GroupMetadataValue value = new GroupMetadataValue();
        value.protocolType = "consumer";
        value.generation = 12;
        value.protocol = "cooperative-sticky";
        value.leader = "consumer-1-abc";
        value.currentStateTimestamp = 1_700_000_000_123L;
        value.members.add(new GroupMetadataValue.Member("consumer-1-abc", null, "consumer-1", "/10.1.2.3", 300_000,
            45_000, new byte[]{0, 3, 0, 0, 0, 1}, new byte[]{0, 3, 9}));
        value.members.add(new GroupMetadataValue.Member("static-1-def", "static-1", "consumer-2", "/10.1.2.4",
            300_000, 45_000, new byte[0], new byte[]{7}));
        return value;
    }

    private static org.apache.kafka.coordinator.group.generated.GroupMetadataValue kafkaGroup(
        final GroupMetadataValue value)
    {
        final List<org.apache.kafka.coordinator.group.generated.GroupMetadataValue.MemberMetadata> members =
            value.members.stream().map(m -> new org.apache.kafka.coordinator.group.generated.GroupMetadataValue
                .MemberMetadata()
                .setMemberId(m.memberId())
                .setGroupInstanceId(m.groupInstanceId())
                .setClientId(m.clientId())
                .setClientHost(m.clientHost())
                .setRebalanceTimeout(m.rebalanceTimeoutMs())
                .setSessionTimeout(m.sessionTimeoutMs())
                .setSubscription(m.subscription())
                .setAssignment(m.assignment())).toList();
        return new org.apache.kafka.coordinator.group.generated.GroupMetadataValue()
            .setProtocolType(value.protocolType)
            .setGeneration(value.generation)
            .setProtocol(value.protocol)
            .setLeader(value.leader)
            .setCurrentStateTimestamp(value.currentStateTimestamp)
            .setMembers(members);
    }

    @Test
    void groupMetadataValueIsKafkasAtVersionThree()
    {
        final GroupMetadataValue value = sample();
        final int length = records.encodeGroupMetadataValue(buffer, 0, value);
        assertThat(ours(length)).isEqualTo(kafka((short)3, kafkaGroup(value), (short)3));

        final GroupMetadataValue empty = new GroupMetadataValue();
        empty.protocolType = "consumer";
        empty.generation = 13;
        empty.currentStateTimestamp = 5;
        final int emptyLength = records.encodeGroupMetadataValue(buffer, 0, empty);
        assertThat(ours(emptyLength)).isEqualTo(kafka((short)3, kafkaGroup(empty), (short)3));
    }

    @Test
    void everyGroupMetadataValueKafkaWritesDecodes()
    {
        final GroupMetadataValue value = sample();
        for (short version = 0; version <= 4; version++)
        {
            final byte[] bytes = kafka(version, kafkaGroup(value), version);
            final GroupMetadataValue decoded =
                records.decodeGroupMetadataValue(new UnsafeBuffer(bytes), 0, bytes.length);
            assertThat(decoded.protocolType).isEqualTo("consumer");
            assertThat(decoded.generation).isEqualTo(12);
            assertThat(decoded.protocol).isEqualTo("cooperative-sticky");
            assertThat(decoded.leader).isEqualTo("consumer-1-abc");
            assertThat(decoded.currentStateTimestamp).isEqualTo(version >= 2 ? value.currentStateTimestamp : -1);
            assertThat(decoded.members).hasSize(2);
            final GroupMetadataValue.Member member = decoded.members.get(1);
            assertThat(member.groupInstanceId()).isEqualTo(version >= 3 ? "static-1" : null);
            assertThat(member.rebalanceTimeoutMs()).isEqualTo(version >= 1 ? 300_000 : 45_000);
            assertThat(member.sessionTimeoutMs()).isEqualTo(45_000);
            assertThat(member.assignment()).containsExactly(7);
            assertThat(decoded.members.get(0).subscription()).containsExactly(0, 3, 0, 0, 0, 1);
        }
    }

    @Test
    void keysKafkaWritesDecode()
    {
        final OffsetCommitKey offsetKey = new OffsetCommitKey().setGroup("g").setTopic("t").setPartition(3);
        final byte[] bytes = kafka(offsetKey.apiKey(), offsetKey, (short)0);
        final RecordKey key = new RecordKey();
        assertThat(records.decodeKey(new UnsafeBuffer(bytes), 0, bytes.length, key)).isEqualTo(RecordKey.OFFSET_COMMIT);
        assertThat(key.group).isEqualTo("g");
        assertThat(key.topic).isEqualTo("t");
        assertThat(key.partition).isEqualTo(3);

        final GroupMetadataKey groupKey = new GroupMetadataKey().setGroup("g");
        final byte[] groupBytes = kafka(groupKey.apiKey(), groupKey, (short)0);
        assertThat(records.decodeKey(new UnsafeBuffer(groupBytes), 0, groupBytes.length, key))
            .isEqualTo(RecordKey.GROUP_METADATA);
        assertThat(key.group).isEqualTo("g");
    }
}
