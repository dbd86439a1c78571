package io.loggia.net.broker.data;

import io.loggia.codec.wire.ProduceResponseEncoder;
import org.agrona.MutableDirectBuffer;

/**
 * Writes the Produce response of a finished {@link ProduceRequestState}: the request's topics in request order,
 * named as the request named them (name bytes, or topic id from v13), each partition with its outcome.
 */
public final class ProduceResponses
{
    private ProduceResponses()
    {
    }

    /** Buffer bytes the response may take, size field included. */
    public static int maxFrameLength(final ProduceRequestState state)
    {
        final RequestTopics topics = state.topics;
        return ProduceResponseEncoder.maxFrameLength(topics.count, state.partitionCount, topics.namesLength);
    }

    /**
     * @param frameOffset where the frame's size field goes.
     * @return the frame length, size field included, or a negative {@code WireError} code.
     */
    public static int encode(
        final ProduceRequestState state,
        final ProduceResponseEncoder encoder,
        final MutableDirectBuffer buffer,
        final int frameOffset,
        final int limit)
    {
        final RequestTopics topics = state.topics;
        encoder.wrap(buffer, frameOffset, limit, state.version, state.correlationId, topics.count);
        int p = 0;
        for (int t = 0; t < topics.count; t++)
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
                encoder.addPartition(state.partitionIndex[p], state.errorCode[p], state.baseOffset[p],
                    state.logAppendTime[p], state.logStartOffset[p]);
            }
        }
        return encoder.finish(0);
    }
}
