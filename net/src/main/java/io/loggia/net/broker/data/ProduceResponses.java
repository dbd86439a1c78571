package io.loggia.net.broker.data;

import io.loggia.codec.wire.ProduceResponseEncoder;
import org.agrona.MutableDirectBuffer;

/**
 * Writes the Produce response of a finished {@link ProduceRequestState}: the request's topics in request order,
 * named as the request named them (name bytes, or topic id from v13), each partition with its outcome.
 */
final class ProduceResponses
{
    private ProduceResponses()
    {
    }

    /** Buffer bytes the response may take, size field included. */
    static int maxFrameLength(final ProduceRequestState state)
    {
        return ProduceResponseEncoder.maxFrameLength(state.topicCount, state.partitionCount, state.namesLength);
    }

    /**
     * @param frameOffset where the frame's size field goes.
     * @return the frame length, size field included, or a negative {@code WireError} code.
     */
    static int encode(
        final ProduceRequestState state,
        final ProduceResponseEncoder encoder,
        final MutableDirectBuffer buffer,
        final int frameOffset,
        final int limit)
    {
        encoder.wrap(buffer, frameOffset, limit, state.version, state.correlationId, state.topicCount);
        int p = 0;
        for (int t = 0; t < state.topicCount; t++)
        {
            final int partitions = state.topicPartitionCount[t];
            if (state.topicNameLength[t] < 0)
            {
                encoder.beginTopic(state.topicIdMsb[t], state.topicIdLsb[t], partitions);
            }
            else
            {
                encoder.beginTopic(state.names, state.topicNameOffset[t], state.topicNameLength[t], partitions);
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
