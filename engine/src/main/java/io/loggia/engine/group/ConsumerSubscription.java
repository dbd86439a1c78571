package io.loggia.engine.group;

import io.loggia.codec.wire.WireReader;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.HashSet;
import java.util.Set;

/**
 * Reads the topics out of a "consumer" protocol member's metadata (Kafka's ConsumerProtocolSubscription), the
 * only place the coordinator looks inside the otherwise opaque protocol bytes: to know which topics a group
 * consumes, for OffsetDelete (GROUP_SUBSCRIBED_TO_TOPIC) and offset expiry.
 * <pre>
 *   +---------------+---------------------+--------------------------------+--------------------------------+
 *   | version int16 | topic count (int32) | topic (int16 length, UTF-8) ...| user data, owned partitions ...|
 *   +---------------+---------------------+--------------------------------+--------------------------------+
 * </pre>
 * Every version keeps the topics first, and Kafka reads a newer version with the current layout, so any
 * non-negative version is read the same way.
 */
final class ConsumerSubscription
{
    /** The protocol type of Kafka's consumer groups. */
    static final String PROTOCOL_TYPE = "consumer";

    private ConsumerSubscription()
    {
    }

    /** Adds the subscribed topics to {@code into}; false if the bytes are not a subscription. */
    static boolean addTopics(final byte[] metadata, final Set<String> into)
    {
        if (null == metadata)
        {
            return false;
        }
        final WireReader reader = new WireReader().wrap(new UnsafeBuffer(metadata), 0, metadata.length);
        final short version = reader.readInt16();
        final int count = reader.readArrayLength(2);
        if (reader.hasError() || version < 0)
        {
            return false;
        }
        final Set<String> topics = new HashSet<>();
        for (int i = 0; i < count; i++)
        {
            final int length = reader.readString();
            if (reader.hasError())
            {
                return false;
            }
            topics.add(reader.buffer().getStringWithoutLengthUtf8(reader.valueOffset(), length));
        }
        into.addAll(topics);
        return true;
    }
}
