package io.loggia.engine.group;

/**
 * A decoded {@code __consumer_offsets} key. Reused by the loader; fields are valid until the next decode.
 */
public final class RecordKey
{
    /** Key type 0: the pre-2.x offset key, same layout as {@link #OFFSET_COMMIT}. */
    public static final short LEGACY_OFFSET_COMMIT = 0;
    /** Key type 1: OffsetCommitKey. */
    public static final short OFFSET_COMMIT = 1;
    /** Key type 2: GroupMetadataKey. */
    public static final short GROUP_METADATA = 2;

    /** The key's version field, which names the record type. */
    public short type = -1;
    public String group;
    /** Offset keys only. */
    public String topic;
    /** Offset keys only. */
    public int partition = -1;

    /** Whether the key is an offset commit key (type 0 or 1). */
    public boolean isOffsetCommit()
    {
        return type == OFFSET_COMMIT || type == LEGACY_OFFSET_COMMIT;
    }

    public String toString()
    {
        return isOffsetCommit() ?
            "OffsetCommitKey{group=" + group + ", topic=" + topic + ", partition=" + partition + '}' :
            "GroupMetadataKey{type=" + type + ", group=" + group + '}';
    }
}
