package io.loggia.net.fuzz;

import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.protocol.types.ArrayOf;
import org.apache.kafka.common.protocol.types.BoundField;
import org.apache.kafka.common.protocol.types.CompactArrayOf;
import org.apache.kafka.common.protocol.types.Field;
import org.apache.kafka.common.protocol.types.RawTaggedField;
import org.apache.kafka.common.protocol.types.Schema;
import org.apache.kafka.common.protocol.types.TaggedFields;
import org.apache.kafka.common.protocol.types.Type;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Valid requests of any API at any version, generated from kafka-clients' schema of the API: every field gets a
 * value of its type chosen by its name (topic names from the {@link Dictionary}, partitions 0..3, small
 * timeouts, record batches, consumer-protocol subscriptions...), arrays 0..3 elements, tagged-field sections
 * sometimes carry known tags and unknown ones. The body is then read by kafka-clients' {@code *RequestData} class
 * of the API and written again by it, and the header is kafka-clients' {@link RequestHeaderData}: a seed is what
 * kafka-clients itself would put on the wire.
 * <p>
 * Values stay within what a fuzz run can afford: no timeout longer than a few seconds, a handful of partitions,
 * only scratch topics in requests that delete or reconfigure topics.
 */
final class RequestGenerator
{
    private static final int[] SMALL_INTS = {0, 1, -1, 2, 3, 100, Integer.MAX_VALUE, Integer.MIN_VALUE};
    private static final String[] CLIENT_IDS = {"fuzz", "fuzz", "fuzz", null, "", "client-ü", "c".repeat(300)};

    private final Dictionary dictionary;
    private final SplittableRandom random;
    private final ByteSink sink = new ByteSink(4096);
    private final ArrayDeque<String> path = new ArrayDeque<>();
    private int apiKey;
    private boolean writable;
    private int resourceType;
    private int keyType;

    RequestGenerator(final Dictionary dictionary, final SplittableRandom random)
    {
        this.dictionary = dictionary;
        this.random = random;
    }

    /** A seed for this API and version, its header carrying {@code correlationId}. */
    Seed generate(final int apiKey, final short version, final int correlationId)
    {
        this.apiKey = apiKey;
        this.writable = apiKey == ApiKeys.DELETE_TOPICS.id || apiKey == ApiKeys.CREATE_TOPICS.id ||
            apiKey == ApiKeys.CREATE_PARTITIONS.id || apiKey == ApiKeys.ALTER_CONFIGS.id ||
            apiKey == ApiKeys.INCREMENTAL_ALTER_CONFIGS.id;
        final Schema schema = ApiMessageType.fromApiKey((short)apiKey).requestSchemas()[version];
        sink.reset();
        path.clear();
        resourceType = 2;
        keyType = 0;
        write(schema, "body");

        final ApiMessage body = ApiMessageType.fromApiKey((short)apiKey).newRequest();
        body.read(new ByteBufferAccessor(ByteBuffer.wrap(sink.toArray())), version);
        final RequestHeaderData header = new RequestHeaderData()
            .setRequestApiKey((short)apiKey)
            .setRequestApiVersion(version)
            .setCorrelationId(correlationId)
            .setClientId(CLIENT_IDS[random.nextInt(CLIENT_IDS.length)]);
        final short headerVersion = ApiKeys.forId(apiKey).requestHeaderVersion(version);
        if (headerVersion >= 2 && random.nextInt(8) == 0)
        {
            final byte[] data = new byte[random.nextInt(6)];
            random.nextBytes(data);
            header.unknownTaggedFields().add(new RawTaggedField(random.nextInt(40), data));
        }
        final ObjectSerializationCache cache = new ObjectSerializationCache();
        final int headerSize = header.size(cache, headerVersion);
        final int bodySize = body.size(cache, version);
        final ByteBuffer frame = ByteBuffer.allocate(headerSize + bodySize);
        final ByteBufferAccessor accessor = new ByteBufferAccessor(frame);
        header.write(accessor, cache, headerVersion);
        body.write(accessor, cache, version);
        final byte[] bytes = frame.array();
        return new Seed(apiKey, version, headerVersion, bytes, FieldMap.walk(bytes, apiKey, version, headerVersion));
    }

    private void write(final Type type, final String name)
    {
        if (type instanceof Schema)
        {
            path.push(name.endsWith("[]") ? name.substring(0, name.length() - 2) : name);
            for (final BoundField field : ((Schema)type).fields())
            {
                write(field.def.type, field.def.name);
            }
            path.pop();
        }
        else if (type instanceof TaggedFields)
        {
            taggedFields((TaggedFields)type);
        }
        else if (type instanceof ArrayOf || type instanceof CompactArrayOf)
        {
            array(type, name);
        }
        else if (type == Type.BOOLEAN)
        {
            sink.putByte(bool(name) ? 1 : 0);
        }
        else if (type == Type.INT8)
        {
            sink.putByte(int8(name));
        }
        else if (type == Type.INT16 || type == Type.UINT16)
        {
            sink.putShort(int16(name));
        }
        else if (type == Type.INT32 || type == Type.UNSIGNED_INT32)
        {
            sink.putInt(int32(name));
        }
        else if (type == Type.INT64)
        {
            sink.putLong(int64(name));
        }
        else if (type == Type.FLOAT64)
        {
            sink.putLong(Double.doubleToLongBits(random.nextDouble()));
        }
        else if (type == Type.UUID)
        {
            final Uuid id = "topic_id".equals(name) ?
                dictionary.topicId(random, writable) : new Uuid(random.nextLong(), random.nextLong());
            sink.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
        }
        else if (type == Type.VARINT)
        {
            sink.putVarint(SMALL_INTS[random.nextInt(SMALL_INTS.length)]);
        }
        else if (type == Type.VARLONG)
        {
            sink.putVarlong(random.nextLong());
        }
        else if (type == Type.STRING || type == Type.NULLABLE_STRING)
        {
            final String value = string(name, type.isNullable());
            final byte[] bytes = null == value ? null : value.getBytes(StandardCharsets.UTF_8);
            sink.putShort(null == bytes ? -1 : Math.min(bytes.length, Short.MAX_VALUE));
            if (null != bytes)
            {
                sink.putBytes(bytes, 0, Math.min(bytes.length, Short.MAX_VALUE));
            }
        }
        else if (type == Type.COMPACT_STRING || type == Type.COMPACT_NULLABLE_STRING)
        {
            final String value = string(name, type.isNullable());
            final byte[] bytes = null == value ? null : value.getBytes(StandardCharsets.UTF_8);
            compactBytes(bytes);
        }
        else if (type == Type.BYTES || type == Type.NULLABLE_BYTES || type == Type.RECORDS ||
            type == Type.NULLABLE_RECORDS)
        {
            final byte[] bytes = bytes(name, type.isNullable());
            sink.putInt(null == bytes ? -1 : bytes.length);
            if (null != bytes)
            {
                sink.putBytes(bytes);
            }
        }
        else if (type == Type.COMPACT_BYTES || type == Type.COMPACT_NULLABLE_BYTES ||
            type == Type.COMPACT_RECORDS || type == Type.COMPACT_NULLABLE_RECORDS)
        {
            compactBytes(bytes(name, type.isNullable()));
        }
        else
        {
            throw new IllegalStateException("no generator for type " + type + " of " + name);
        }
    }

    private void compactBytes(final byte[] bytes)
    {
        sink.putUnsignedVarint(null == bytes ? 0 : bytes.length + 1);
        if (null != bytes)
        {
            sink.putBytes(bytes);
        }
    }

    private void array(final Type type, final String name)
    {
        final boolean compact = type instanceof CompactArrayOf;
        final int count;
        if (type.isNullable() && random.nextInt(6) == 0)
        {
            count = -1;
        }
        else
        {
            count = random.nextInt(5) == 0 ? 0 : 1 + random.nextInt(random.nextInt(4) == 0 ? 3 : 1);
        }
        if (compact)
        {
            sink.putUnsignedVarint(count + 1);
        }
        else
        {
            sink.putInt(count);
        }
        final Type element = type.arrayElementType().orElseThrow();
        for (int i = 0; i < count; i++)
        {
            write(element, name + "[]");
        }
    }

    private void taggedFields(final TaggedFields type)
    {
        final ByteSink outer = new ByteSink(64);
        int count = 0;
        for (final Map.Entry<Integer, Field> entry : type.fields().entrySet())
        {
            if (random.nextInt(4) == 0)
            {
                final int start = sink.position();
                write(entry.getValue().type, entry.getValue().name);
                final byte[] all = sink.toArray();
                sink.reset().putBytes(all, 0, start);
                outer.putUnsignedVarint(entry.getKey()).putUnsignedVarint(all.length - start)
                    .putBytes(all, start, all.length - start);
                count++;
            }
        }
        if (random.nextInt(10) == 0)
        {
            // an unknown tag, above every known one so the section stays in ascending order
            final int tag = type.fields().size() + 10 + random.nextInt(20);
            final byte[] payload = new byte[random.nextInt(8)];
            random.nextBytes(payload);
            outer.putUnsignedVarint(tag).putUnsignedVarint(payload.length).putBytes(payload);
            count++;
        }
        sink.putUnsignedVarint(count).putBytes(outer.toArray());
    }

    private String parent()
    {
        return path.isEmpty() ? "" : path.peek();
    }

    private boolean bool(final String name)
    {
        switch (name)
        {
            case "validate_only": return random.nextInt(3) != 0;
            case "allow_auto_topic_creation": return random.nextInt(4) == 0;
            case "enable2_pc":
            case "keep_prepared_txn": return random.nextInt(8) == 0;
            default: return random.nextBoolean();
        }
    }

    private int int8(final String name)
    {
        switch (name)
        {
            case "isolation_level": return random.nextInt(3);
            case "key_type": keyType = random.nextInt(5) == 0 ? 1 + random.nextInt(2) : 0; return keyType;
            case "resource_type":
                resourceType = pick(2, 2, 2, 4, 4, 8, 0, 1, 3);
                return resourceType;
            case "config_operation": return random.nextInt(5);
            case "endpoint_type": return pick(1, 1, 2, 0, 3);
            default: return random.nextInt(256) - 128;
        }
    }

    private int int16(final String name)
    {
        switch (name)
        {
            case "acks": return pick(1, 1, -1, -1, 0, 2, -2);
            case "replication_factor": return pick(-1, 1, 1, 2, 0);
            case "producer_epoch": return pick(-1, 0, 1);
            default: return pick(0, 1, -1, 7, Short.MAX_VALUE);
        }
    }

    private int int32(final String name)
    {
        switch (name)
        {
            case "timeout_ms": return pick(0, 100, 1000, 5000, 30000, -1);
            case "transaction_timeout_ms": return 60000;
            case "index":
            case "partition":
            case "partition_index":
            case "partitions[]":
            case "partition_indexes[]": return pick(0, 0, 0, 1, 1, 2, 3, -1, 7);
            case "num_partitions": return pick(-1, 1, 1, 2, 3, 0, -2);
            case "count": return pick(1, 2, 3, 4, 5, 0, -1);
            case "broker_ids[]": return pick(dictionary.nodeId, dictionary.nodeId, dictionary.nodeId, 0, 2, -1);
            case "max_wait_ms": return pick(0, 0, 10, 100, 500, -1);
            case "min_bytes": return pick(0, 1, 1, 1, 100_000);
            case "max_bytes":
            case "partition_max_bytes": return pick(1_048_576, 65536, 1024, 1, 0, Integer.MAX_VALUE, -1);
            case "session_id": return pick(0, 0, 0, 1, 7);
            case "session_epoch": return pick(-1, -1, 0, 0, 1);
            case "replica_id": return pick(-1, -1, -1, 0, 1, dictionary.nodeId);
            case "current_leader_epoch":
            case "last_fetched_epoch":
            case "leader_epoch":
            case "committed_leader_epoch": return pick(-1, 0, 0, 1, 5);
            case "generation_id":
            case "generation_id_or_member_epoch":
            case "member_epoch": return pick(-1, 0, 1, 2);
            case "session_timeout_ms": return pick(6000, 6000, 10000, 3000, 0);
            case "rebalance_timeout_ms": return pick(100, 1000, 3000, 0);
            case "node_id": return dictionary.nodeId;
            default: return SMALL_INTS[random.nextInt(SMALL_INTS.length)];
        }
    }

    private long int64(final String name)
    {
        switch (name)
        {
            case "fetch_offset": return pick(0L, 0L, 1L, 5L, 100L, -1L, Long.MAX_VALUE);
            case "log_start_offset": return pick(-1L, 0L);
            case "timestamp": return pick(-1L, -2L, -3L, -4L, -5L, 0L, 1_700_000_000_000L, Long.MIN_VALUE);
            case "committed_offset": return pick(0L, 1L, 100L, -1L);
            case "retention_time_ms": return pick(-1L, 1000L);
            case "producer_id": return pick(-1L, -1L, 1000L, 0L);
            case "replica_epoch": return -1L;
            default: return pick(0L, -1L, 1L, Long.MAX_VALUE, Long.MIN_VALUE, random.nextLong());
        }
    }

    private String string(final String name, final boolean nullable)
    {
        if (nullable && random.nextInt(12) == 0)
        {
            return null;
        }
        final String parent = parent();
        switch (name)
        {
            case "transactional_id": return random.nextInt(10) == 0 ? "tx-1" : null;
            case "name":
                if ("configs".equals(parent))
                {
                    return dictionary.configName(random);
                }
                if ("protocols".equals(parent))
                {
                    return pickString("range", "roundrobin", "cooperative-sticky", "");
                }
                return topicName(name);
            case "value": return dictionary.configValue(random);
            case "topic":
            case "topic_names[]": return topicName(name);
            case "resource_name":
                if (2 == resourceType)
                {
                    return topicName(name);
                }
                return pickString(Integer.toString(dictionary.nodeId), "", "2", "x");
            case "configuration_keys[]": return dictionary.configName(random);
            case "group_id":
            case "groups[]":
            case "groups_names[]":
            case "coordinator_keys[]": return dictionary.group(random);
            case "key": return 0 == keyType ? dictionary.group(random) : "tx-1";
            case "member_id": return pickString("", "", "", "m-unknown");
            case "group_instance_id": return random.nextInt(5) == 0 ? pickString("inst-1", "") : null;
            case "protocol_type": return pickString("consumer", "consumer", "", "connect");
            case "protocol_name": return pickString("range", "roundrobin");
            case "reason": return pickString("fuzz", null);
            case "rack_id": return pickString("", "rack-a");
            case "cluster_id": return pickString("xyz", "");
            case "client_software_name": return pickString("loggia-fuzz", "", "a b", "-");
            case "client_software_version": return pickString("1.0", "", "x y");
            case "committed_metadata": return pickString(null, "", "meta", "m".repeat(5000));
            case "states_filter[]": return pickString("Stable", "Empty", "PreparingRebalance", "bogus");
            case "types_filter[]": return pickString("classic", "consumer", "x");
            default: return "s" + random.nextInt(10);
        }
    }

    private String topicName(final String name)
    {
        return dictionary.topic(random, writable);
    }

    private byte[] bytes(final String name, final boolean nullable)
    {
        switch (name)
        {
            case "records":
                if (nullable && random.nextInt(30) == 0)
                {
                    return null;
                }
                return RecordBatches.batch(random);
            case "metadata":
                return random.nextInt(4) == 0 ? randomBytes(16) : toArray(ConsumerProtocol.serializeSubscription(
                    new ConsumerPartitionAssignor.Subscription(List.of(dictionary.topic(random, false)))));
            case "assignment":
                return random.nextInt(4) == 0 ? randomBytes(16) : toArray(ConsumerProtocol.serializeAssignment(
                    new ConsumerPartitionAssignor.Assignment(
                        List.of(new TopicPartition(dictionary.topic(random, false), random.nextInt(3))))));
            default:
                return nullable && random.nextInt(8) == 0 ? null : randomBytes(16);
        }
    }

    private byte[] randomBytes(final int max)
    {
        final byte[] bytes = new byte[random.nextInt(max + 1)];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] toArray(final ByteBuffer buffer)
    {
        final byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private String pickString(final String... values)
    {
        return values[random.nextInt(values.length)];
    }

    private int pick(final int... values)
    {
        return values[random.nextInt(values.length)];
    }

    private long pick(final long... values)
    {
        return values[random.nextInt(values.length)];
    }
}
