package io.loggia.engine.group;

import io.loggia.codec.record.BatchBuilder;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayDeque;

/**
 * Builds the coordinator's record batches (one per request and {@code __consumer_offsets} partition, so a
 * commit of many partitions is written atomically) and follows each through the {@link OffsetsLog} until its
 * completion. A batch the log cannot take yet waits, in order, behind every earlier one, so records of one
 * partition reach the log in the order the coordinator decided them.
 * <pre>
 *   begin(p) ─ offsetCommit / offsetTombstone / groupMetadata / groupTombstone ... ─ submit(append)
 *        └─ offered ──► in flight (by correlation) ──► completion ──► append.onComplete(error, nowMs)
 *        └─ back-pressured ──► waiting (FIFO), offered again each duty cycle
 *        └─ refused (too large, no writer) ──► completed with an error on the next poll
 * </pre>
 * Called only from the coordinator thread.
 */
final class OffsetsWriter implements OffsetsLog.CompletionHandler
{
    private static final int COMPLETION_LIMIT = 256;

    /** One batch on its way into the log, and what to do once it is there. */
    abstract static class Append
    {
        int partition;
        byte[] batch;
        long correlation;
        short refusal;

        /**
         * @param errorCode 0 once the batch is in the log and acknowledged; else a Kafka error code.
         */
        abstract void onComplete(short errorCode, long nowMs);
    }

    private final OffsetsLog log;
    private final GroupRecords records = new GroupRecords();
    private final BatchBuilder builder = new BatchBuilder();
    private final ExpandableArrayBuffer batchBuffer = new ExpandableArrayBuffer(4096);
    private final ExpandableArrayBuffer keyBuffer = new ExpandableArrayBuffer(256);
    private final ExpandableArrayBuffer valueBuffer = new ExpandableArrayBuffer(1024);
    private final UnsafeBuffer offerView = new UnsafeBuffer(new byte[0]);
    private final Long2ObjectHashMap<Append> inFlight = new Long2ObjectHashMap<>();
    private final ArrayDeque<Append> waiting = new ArrayDeque<>();
    private final ArrayDeque<Append> refused = new ArrayDeque<>();
    private long nextCorrelation = 1;
    private long batchTimestamp;
    private int partition = -1;
    private long nowMs;

    OffsetsWriter(final OffsetsLog log)
    {
        this.log = log;
    }

    /** Starts a batch for {@code partition}; its records carry {@code nowMs} as timestamp. */
    void begin(final int partition, final long nowMs)
    {
        this.partition = partition;
        this.batchTimestamp = nowMs;
        builder.wrap(batchBuffer, 0);
    }

    int recordCount()
    {
        return builder.recordCount();
    }

    void offsetCommit(final String group, final String topic, final int topicPartition, final CommittedOffset value)
    {
        final byte[] groupBytes = GroupRecords.utf8(group);
        final byte[] topicBytes = GroupRecords.utf8(topic);
        final byte[] metadata = GroupRecords.utf8(value.metadata());
        keyBuffer.checkLimit(GroupRecords.sizeOfOffsetCommitKey(groupBytes, topicBytes));
        final int keyLength = records.encodeOffsetCommitKey(keyBuffer, 0, groupBytes, topicBytes, topicPartition);
        valueBuffer.checkLimit(GroupRecords.sizeOfOffsetCommitValue(value, metadata));
        final int valueLength = records.encodeOffsetCommitValue(valueBuffer, 0, value, metadata);
        builder.append(batchTimestamp, keyBuffer, 0, keyLength, valueBuffer, 0, valueLength);
    }

    void offsetTombstone(final String group, final String topic, final int topicPartition)
    {
        final byte[] groupBytes = GroupRecords.utf8(group);
        final byte[] topicBytes = GroupRecords.utf8(topic);
        keyBuffer.checkLimit(GroupRecords.sizeOfOffsetCommitKey(groupBytes, topicBytes));
        final int keyLength = records.encodeOffsetCommitKey(keyBuffer, 0, groupBytes, topicBytes, topicPartition);
        builder.append(batchTimestamp, keyBuffer, 0, keyLength, null, 0, -1);
    }

    void groupMetadata(final String group, final GroupMetadataValue value)
    {
        final byte[] groupBytes = GroupRecords.utf8(group);
        keyBuffer.checkLimit(GroupRecords.sizeOfGroupMetadataKey(groupBytes));
        final int keyLength = records.encodeGroupMetadataKey(keyBuffer, 0, groupBytes);
        valueBuffer.checkLimit(GroupRecords.sizeOfGroupMetadataValue(value));
        final int valueLength = records.encodeGroupMetadataValue(valueBuffer, 0, value);
        builder.append(batchTimestamp, keyBuffer, 0, keyLength, valueBuffer, 0, valueLength);
    }

    void groupTombstone(final String group)
    {
        final byte[] groupBytes = GroupRecords.utf8(group);
        keyBuffer.checkLimit(GroupRecords.sizeOfGroupMetadataKey(groupBytes));
        final int keyLength = records.encodeGroupMetadataKey(keyBuffer, 0, groupBytes);
        builder.append(batchTimestamp, keyBuffer, 0, keyLength, null, 0, -1);
    }

    /** Seals the batch begun last and sends it on its way; {@code append} hears how it ended. */
    void submit(final Append append)
    {
        final int length = builder.build();
        final byte[] batch = new byte[length];
        batchBuffer.getBytes(0, batch);
        append.partition = partition;
        append.batch = batch;
        append.correlation = nextCorrelation++;
        if (!waiting.isEmpty() || !offer(append))
        {
            if (append.refusal == GroupErrors.NONE)
            {
                waiting.addLast(append);
            }
        }
    }

    /**
     * Offers waiting batches again, oldest first, until one is still refused for back pressure.
     *
     * @return how many were taken.
     */
    int retryWaiting()
    {
        int taken = 0;
        Append append;
        while (null != (append = waiting.peekFirst()))
        {
            if (!offer(append) && append.refusal == GroupErrors.NONE)
            {
                break;
            }
            waiting.pollFirst();
            taken++;
        }
        return taken;
    }

    /** Lets the writers start on what was offered this duty cycle. */
    void flush()
    {
        log.flush();
    }

    /**
     * Completes refused batches and hands the log's completions to their appends.
     *
     * @return how many completed.
     */
    int pollCompletions(final long nowMs)
    {
        this.nowMs = nowMs;
        int count = 0;
        Append append;
        while (null != (append = refused.pollFirst()))
        {
            append.onComplete(append.refusal, nowMs);
            count++;
        }
        return count + log.poll(this, COMPLETION_LIMIT);
    }

    public void onAppended(final long correlation, final short errorCode, final long baseOffset)
    {
        final Append append = inFlight.remove(correlation);
        if (null != append)
        {
            append.onComplete(errorCode, nowMs);
        }
    }

    /** Batches offered or waiting and not yet completed. */
    int outstanding()
    {
        return inFlight.size() + waiting.size() + refused.size();
    }

    void close()
    {
        builder.close();
    }

    private boolean offer(final Append append)
    {
        offerView.wrap(append.batch);
        final int result = log.offer(append.partition, append.correlation, offerView, 0, append.batch.length);
        switch (result)
        {
            case OffsetsLog.OFFERED:
                inFlight.put(append.correlation, append);
                return true;
            case OffsetsLog.BACK_PRESSURED:
                return false;
            case OffsetsLog.TOO_LARGE:
                refuse(append, GroupErrors.RECORD_LIST_TOO_LARGE);
                return false;
            default:
                refuse(append, GroupErrors.UNKNOWN_TOPIC_OR_PARTITION);
                return false;
        }
    }

    private void refuse(final Append append, final short error)
    {
        append.refusal = error;
        refused.addLast(append);
    }
}
