package io.loggia.net.broker.data;

import io.loggia.codec.wire.FetchResponseEncoder;
import org.agrona.MutableDirectBuffer;

/**
 * Writes the Fetch response of an evaluated {@link FetchRequestState}: everything but the record bytes goes
 * into the buffer; each partition with records gets a file region, numbered in partition order, which the
 * caller splices in from the state's channel and file position (region r is the r-th partition with a
 * non-zero length).
 * <pre>
 *   session_id 0 (no incremental fetch sessions), throttle 0, top-level error (session errors only)
 *   per partition: error, high watermark, last stable offset = high watermark (no transactions),
 *                  log start offset, aborted transactions (null; empty for read_committed), records
 * </pre>
 */
public final class FetchResponses
{
    /** Loggia keeps no incremental fetch sessions: every response says "no session". */
    static final int NO_SESSION_ID = 0;

    private FetchResponses()
    {
    }

    /** Buffer bytes the response may take, size field included; the file bytes are not in the buffer. */
    public static int maxBufferLength(final FetchRequestState state)
    {
        final RequestTopics topics = state.topics;
        return FetchResponseEncoder.maxBufferLength(topics.count, state.partitionCount, topics.namesLength, 0);
    }

    /**
     * @param encoder     with at least {@code state.partitionCount} file region slots.
     * @param frameOffset where the frame's size field goes.
     * @return the frame length on the wire (buffer and file bytes, size field included), or a negative
     * {@code WireError} code.
     */
    public static int encode(
        final FetchRequestState state,
        final FetchResponseEncoder encoder,
        final MutableDirectBuffer buffer,
        final int frameOffset,
        final int limit)
    {
        final RequestTopics topics = state.topics;
        final boolean sessionError = DataErrors.NONE != state.topLevelError;
        final int topicCount = sessionError ? 0 : topics.count;
        encoder.wrap(buffer, frameOffset, limit, state.version, state.correlationId, 0, state.topLevelError,
            NO_SESSION_ID, topicCount);
        int p = 0;
        for (int t = 0; t < topicCount; t++)
        {
            final int partitions = topics.partitionCount[t];
            if (topics.isById(t))
            {
                encoder.beginTopic(topics.idMsb[t], topics.idLsb[t], partitions);
            }
            else
            {
                encoder.beginTopic(topics.names, topics.nameOffset[t], topics.nameLength[t], partitions);
            }
            for (int end = p + partitions; p < end; p++)
            {
                final boolean ok = DataErrors.NONE == state.errorCode[p];
                final long highWatermark = state.highWatermark[p];
                // no transactions: everything below the high watermark is stable
                final long lastStableOffset = ok ? highWatermark : -1;
                final int length = ok ? state.length[p] : 0;
                if (state.readCommitted)
                {
                    encoder.beginPartition(state.partitionIndex[p], state.errorCode[p], highWatermark,
                        lastStableOffset, state.logStartOffset[p], 0);
                    encoder.addFileRegion(length);
                }
                else
                {
                    encoder.addPartition(state.partitionIndex[p], state.errorCode[p], highWatermark,
                        lastStableOffset, state.logStartOffset[p], length);
                }
            }
        }
        return encoder.finish();
    }
}
