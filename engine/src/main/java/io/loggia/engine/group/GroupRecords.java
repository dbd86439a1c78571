package io.loggia.engine.group;

import io.loggia.codec.wire.Varints;
import io.loggia.codec.wire.WireReader;
import io.loggia.codec.wire.WireWriter;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

import static org.agrona.BitUtil.SIZE_OF_INT;
import static org.agrona.BitUtil.SIZE_OF_LONG;
import static org.agrona.BitUtil.SIZE_OF_SHORT;

/**
 * Keys and values of the records in {@code __consumer_offsets}, in Kafka's own layout (the group coordinator's
 * OffsetCommitKey/Value and GroupMetadataKey/Value schemas), so Kafka's tools read our log and we read theirs.
 * Every key and value starts with an int16 version; a key's version names its record type. Big-endian;
 * strings are int16-length UTF-8 (compact: uvarint length + 1) and bytes int32-length.
 * <pre>
 *   OffsetCommitKey (type 1; type 0 is the same layout)    GroupMetadataKey (type 2)
 *   +--------------+---------------+---------------+-----------------+    +--------------+---------------+
 *   | type (int16) | group (string)| topic (string)| partition int32 |    | type (int16) | group (string)|
 *   +--------------+---------------+---------------+-----------------+    +--------------+---------------+
 *
 *   OffsetCommitValue v4 (written; flexible)               OffsetCommitValue v1 (written when the commit asked
 *   +---------------+--------------+--------------------+                 for its own retention, v2-v4 requests)
 *   | version int16 | offset int64 | leaderEpoch int32  |    +---------+--------+----------+-----------+------------+
 *   +---------------+--------------+--------------------+    | version | offset | metadata | commit ts | expire ts  |
 *   | metadata (compact string)    | commitTs int64     |    | int16   | int64  | string   | int64     | int64      |
 *   +------------------------------+--------------------+    +---------+--------+----------+-----------+------------+
 *   | tagged fields (uvarint count; tag 0 = topic id)   |    v0 and v2: as v1 without expire ts;
 *   +---------------------------------------------------+    v3: offset, leaderEpoch, metadata, commit ts
 *
 *   GroupMetadataValue v3 (written)
 *   +---------------+-----------------------+------------------+--------------------------+------------------------+
 *   | version int16 | protocolType (string) | generation int32 | protocol (nullable str.) | leader (nullable str.) |
 *   +---------------+-----------------------+------------------+--------------------------+------------------------+
 *   | currentStateTimestamp int64 | member count (int32) | members ...                                          |
 *   +-----------------------------+---------------------+------------------------------------------------------+
 *   member: memberId (string) | groupInstanceId (nullable string) | clientId (string) | clientHost (string) |
 *           rebalanceTimeout int32 | sessionTimeout int32 | subscription (bytes) | assignment (bytes)
 *   v0: no currentStateTimestamp, no groupInstanceId, no rebalanceTimeout; v1 adds rebalanceTimeout; v2 adds
 *   currentStateTimestamp; v4 is v3 flexible (compact strings, bytes and arrays, tagged fields after each struct).
 * </pre>
 * A tombstone (null value) deletes the key's offset or group. Key types above 2 belong to Kafka's newer group
 * types (consumer, share, streams groups) and are skipped by {@link #decodeKey}.
 * <p>
 * Not thread safe; one instance per thread.
 */
public final class GroupRecords
{
    public static final short OFFSET_COMMIT_VALUE_VERSION = 4;
    public static final short OFFSET_COMMIT_VALUE_EXPIRING_VERSION = 1;
    public static final short GROUP_METADATA_VALUE_VERSION = 3;
    public static final short MAX_OFFSET_COMMIT_VALUE_VERSION = 4;
    public static final short MAX_GROUP_METADATA_VALUE_VERSION = 4;

    private static final byte[] NO_BYTES = new byte[0];

    private final WireReader reader = new WireReader();
    private final WireWriter writer = new WireWriter();
    private final UnsafeBuffer bytesView = new UnsafeBuffer(NO_BYTES);

    /** A key or value that does not follow its schema. */
    public static final class MalformedRecordException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        MalformedRecordException(final String message)
        {
            super(message);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Encoding: the buffer must have room for size...() bytes from offset.
    // ---------------------------------------------------------------------------------------------------------

    public static int sizeOfOffsetCommitKey(final byte[] group, final byte[] topic)
    {
        return SIZE_OF_SHORT + SIZE_OF_SHORT + group.length + SIZE_OF_SHORT + topic.length + SIZE_OF_INT;
    }

    /** @return bytes written. */
    public int encodeOffsetCommitKey(
        final MutableDirectBuffer buffer, final int offset, final byte[] group, final byte[] topic, final int partition)
    {
        final WireWriter writer = this.writer.wrap(buffer, offset);
        writer.writeInt16(RecordKey.OFFSET_COMMIT);
        writer.writeNullableString(group);
        writer.writeNullableString(topic);
        writer.writeInt32(partition);
        return finish(writer, offset);
    }

    public static int sizeOfGroupMetadataKey(final byte[] group)
    {
        return SIZE_OF_SHORT + SIZE_OF_SHORT + group.length;
    }

    /** @return bytes written. */
    public int encodeGroupMetadataKey(final MutableDirectBuffer buffer, final int offset, final byte[] group)
    {
        final WireWriter writer = this.writer.wrap(buffer, offset);
        writer.writeInt16(RecordKey.GROUP_METADATA);
        writer.writeNullableString(group);
        return finish(writer, offset);
    }

    /** The version a value is written with: v1 if it carries its own expiry, else v4 (as Kafka 4.x). */
    public static short offsetCommitValueVersion(final CommittedOffset value)
    {
        return value.expireTimestamp() == CommittedOffset.NO_EXPIRE_TIMESTAMP ?
            OFFSET_COMMIT_VALUE_VERSION : OFFSET_COMMIT_VALUE_EXPIRING_VERSION;
    }

    public static int sizeOfOffsetCommitValue(final CommittedOffset value, final byte[] metadata)
    {
        if (offsetCommitValueVersion(value) == OFFSET_COMMIT_VALUE_EXPIRING_VERSION)
        {
            return SIZE_OF_SHORT + SIZE_OF_LONG + SIZE_OF_SHORT + metadata.length + SIZE_OF_LONG + SIZE_OF_LONG;
        }
        return SIZE_OF_SHORT + SIZE_OF_LONG + SIZE_OF_INT + Varints.sizeOfUnsignedVarint(metadata.length + 1) +
            metadata.length + SIZE_OF_LONG + 1;
    }

    /** @return bytes written. */
    public int encodeOffsetCommitValue(
        final MutableDirectBuffer buffer, final int offset, final CommittedOffset value, final byte[] metadata)
    {
        final WireWriter writer = this.writer.wrap(buffer, offset);
        final short version = offsetCommitValueVersion(value);
        writer.writeInt16(version);
        writer.writeInt64(value.offset());
        if (version == OFFSET_COMMIT_VALUE_EXPIRING_VERSION)
        {
            writer.writeNullableString(metadata);
            writer.writeInt64(value.commitTimestamp());
            writer.writeInt64(value.expireTimestamp());
        }
        else
        {
            writer.writeInt32(value.leaderEpoch());
            writer.writeCompactNullableString(metadata);
            writer.writeInt64(value.commitTimestamp());
            writer.writeEmptyTaggedFields();
        }
        return finish(writer, offset);
    }

    public static int sizeOfGroupMetadataValue(final GroupMetadataValue value)
    {
        int size = SIZE_OF_SHORT + stringSize(value.protocolType) + SIZE_OF_INT + stringSize(value.protocol) +
            stringSize(value.leader) + SIZE_OF_LONG + SIZE_OF_INT;
        for (final GroupMetadataValue.Member member : value.members)
        {
            size += stringSize(member.memberId()) + stringSize(member.groupInstanceId()) +
                stringSize(member.clientId()) + stringSize(member.clientHost()) + SIZE_OF_INT + SIZE_OF_INT +
                SIZE_OF_INT + member.subscription().length + SIZE_OF_INT + member.assignment().length;
        }
        return size;
    }

    /** Writes version 3. @return bytes written. */
    public int encodeGroupMetadataValue(
        final MutableDirectBuffer buffer, final int offset, final GroupMetadataValue value)
    {
        final WireWriter writer = this.writer.wrap(buffer, offset);
        writer.writeInt16(GROUP_METADATA_VALUE_VERSION);
        writer.writeNullableString(utf8(value.protocolType));
        writer.writeInt32(value.generation);
        writer.writeNullableString(utf8(value.protocol));
        writer.writeNullableString(utf8(value.leader));
        writer.writeInt64(value.currentStateTimestamp);
        writer.writeArrayLength(value.members.size());
        for (final GroupMetadataValue.Member member : value.members)
        {
            writer.writeNullableString(utf8(member.memberId()));
            writer.writeNullableString(utf8(member.groupInstanceId()));
            writer.writeNullableString(utf8(member.clientId()));
            writer.writeNullableString(utf8(member.clientHost()));
            writer.writeInt32(member.rebalanceTimeoutMs());
            writer.writeInt32(member.sessionTimeoutMs());
            writeBytes(writer, member.subscription());
            writeBytes(writer, member.assignment());
        }
        return finish(writer, offset);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Decoding
    // ---------------------------------------------------------------------------------------------------------

    /**
     * Decodes a key into {@code out}.
     *
     * @return the key's type; for a type this coordinator does not hold (above 2) only {@code out.type} is set.
     * @throws MalformedRecordException if the key does not follow its schema.
     */
    public short decodeKey(final DirectBuffer buffer, final int offset, final int length, final RecordKey out)
    {
        final WireReader reader = this.reader.wrap(buffer, offset, offset + length);
        out.type = reader.readInt16();
        out.group = null;
        out.topic = null;
        out.partition = -1;
        if (reader.hasError())
        {
            throw new MalformedRecordException("key shorter than its type");
        }
        switch (out.type)
        {
            case RecordKey.LEGACY_OFFSET_COMMIT:
            case RecordKey.OFFSET_COMMIT:
                out.group = readString(reader);
                out.topic = readString(reader);
                out.partition = reader.readInt32();
                break;
            case RecordKey.GROUP_METADATA:
                out.group = readString(reader);
                break;
            default:
                return out.type;
        }
        if (reader.hasError() || reader.remaining() != 0)
        {
            throw new MalformedRecordException("key of type " + out.type + " does not follow its schema");
        }
        return out.type;
    }

    /**
     * @throws MalformedRecordException if the value does not follow its schema or has an unknown version.
     */
    public CommittedOffset decodeOffsetCommitValue(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader reader = this.reader.wrap(buffer, offset, offset + length);
        final short version = reader.readInt16();
        if (version < 0 || version > MAX_OFFSET_COMMIT_VALUE_VERSION)
        {
            throw new MalformedRecordException("OffsetCommitValue version " + version + " unknown");
        }
        final boolean flexible = version >= 4;
        final long committed = reader.readInt64();
        final int leaderEpoch = version >= 3 ? reader.readInt32() : -1;
        final String metadata = flexible ? readCompactString(reader) : readString(reader);
        final long commitTimestamp = reader.readInt64();
        final long expireTimestamp = version == 1 ? reader.readInt64() : CommittedOffset.NO_EXPIRE_TIMESTAMP;
        if (flexible)
        {
            reader.skipTaggedFields();
        }
        if (reader.hasError())
        {
            throw new MalformedRecordException("OffsetCommitValue v" + version + " does not follow its schema");
        }
        return new CommittedOffset(
            committed, leaderEpoch, null == metadata ? "" : metadata, commitTimestamp, expireTimestamp);
    }

    /**
     * @throws MalformedRecordException if the value does not follow its schema or has an unknown version.
     */
    public GroupMetadataValue decodeGroupMetadataValue(final DirectBuffer buffer, final int offset, final int length)
    {
        final WireReader reader = this.reader.wrap(buffer, offset, offset + length);
        final short version = reader.readInt16();
        if (version < 0 || version > MAX_GROUP_METADATA_VALUE_VERSION)
        {
            throw new MalformedRecordException("GroupMetadataValue version " + version + " unknown");
        }
        final boolean flexible = version >= 4;
        final GroupMetadataValue value = new GroupMetadataValue();
        final String protocolType = flexible ? readCompactString(reader) : readString(reader);
        value.protocolType = null == protocolType ? "" : protocolType;
        value.generation = reader.readInt32();
        value.protocol = flexible ? readCompactString(reader) : readString(reader);
        value.leader = flexible ? readCompactString(reader) : readString(reader);
        if (version >= 2)
        {
            value.currentStateTimestamp = reader.readInt64();
        }
        final int minMemberSize = 5 * SIZE_OF_SHORT + 3 * SIZE_OF_INT;
        final int count = flexible ? reader.readCompactArrayLength(1) : reader.readArrayLength(minMemberSize);
        for (int i = 0; i < count && !reader.hasError(); i++)
        {
            final String memberId = flexible ? readCompactString(reader) : readString(reader);
            String instanceId = null;
            if (version >= 3)
            {
                instanceId = flexible ? readCompactString(reader) : readString(reader);
            }
            final String clientId = flexible ? readCompactString(reader) : readString(reader);
            final String clientHost = flexible ? readCompactString(reader) : readString(reader);
            final int rebalanceTimeout = version >= 1 ? reader.readInt32() : -1;
            final int sessionTimeout = reader.readInt32();
            final byte[] subscription = readBytes(reader, flexible);
            final byte[] assignment = readBytes(reader, flexible);
            if (flexible)
            {
                reader.skipTaggedFields();
            }
            value.members.add(new GroupMetadataValue.Member(
                memberId, instanceId, clientId, clientHost,
                rebalanceTimeout < 0 ? sessionTimeout : rebalanceTimeout, sessionTimeout, subscription, assignment));
        }
        if (flexible)
        {
            reader.skipTaggedFields();
        }
        if (reader.hasError() || count < 0)
        {
            throw new MalformedRecordException("GroupMetadataValue v" + version + " does not follow its schema");
        }
        return value;
    }

    /** UTF-8 bytes of a string, null for null. */
    public static byte[] utf8(final String value)
    {
        return null == value ? null : value.getBytes(StandardCharsets.UTF_8);
    }

    private static int stringSize(final String value)
    {
        return SIZE_OF_SHORT + (null == value ? 0 : value.getBytes(StandardCharsets.UTF_8).length);
    }

    private void writeBytes(final WireWriter writer, final byte[] bytes)
    {
        final byte[] value = null == bytes ? NO_BYTES : bytes;
        bytesView.wrap(value);
        writer.writeBytes(bytesView, 0, value.length);
        bytesView.wrap(NO_BYTES);
    }

    private static int finish(final WireWriter writer, final int offset)
    {
        if (writer.hasError())
        {
            throw new IllegalArgumentException("record does not fit its buffer or a string is too long");
        }
        return writer.position() - offset;
    }

    private static String readString(final WireReader reader)
    {
        final int length = reader.readNullableString();
        return toString(reader, length);
    }

    private static String readCompactString(final WireReader reader)
    {
        final int length = reader.readCompactNullableString();
        return toString(reader, length);
    }

    private static String toString(final WireReader reader, final int length)
    {
        if (length < 0 || reader.hasError())
        {
            return null;
        }
        return reader.buffer().getStringWithoutLengthUtf8(reader.valueOffset(), length);
    }

    private static byte[] readBytes(final WireReader reader, final boolean flexible)
    {
        final int length = flexible ? reader.readCompactNullableBytes() : reader.readNullableBytes();
        if (length <= 0 || reader.hasError())
        {
            return NO_BYTES;
        }
        final byte[] bytes = new byte[length];
        reader.buffer().getBytes(reader.valueOffset(), bytes);
        return bytes;
    }
}
