package io.loggia.engine.topic;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Topic, cluster and directory ids as Kafka spells them: 16 random bytes written as 22 characters of URL-safe
 * base64 without padding ({@code org.apache.kafka.common.Uuid#toString}), e.g. {@code MkU3OEVBNTcwNTJENDM2Qg}.
 * <p>
 * Kafka reserves two ids (all zeros: "no id"; 0/1: the metadata topic) and never generates one whose text
 * starts with '-', which command-line tools would read as a flag. Generated ids here follow the same rules.
 */
public final class TopicIds
{
    /** Characters of an id's text. */
    public static final int TEXT_LENGTH = 22;

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private TopicIds()
    {
    }

    /** A new random id, never reserved, never spelled with a leading '-'. */
    public static UUID random()
    {
        final ThreadLocalRandom random = ThreadLocalRandom.current();
        while (true)
        {
            final UUID id = new UUID(random.nextLong(), random.nextLong());
            if (!isReserved(id) && toString(id).charAt(0) != '-')
            {
                return id;
            }
        }
    }

    /** Whether Kafka gives this id a meaning of its own: the zero id or the metadata topic's id (0, 1). */
    public static boolean isReserved(final UUID id)
    {
        final long lsb = id.getLeastSignificantBits();
        return 0 == id.getMostSignificantBits() && (0 == lsb || 1 == lsb);
    }

    /** The 22-character text of an id. */
    public static String toString(final UUID id)
    {
        final ByteBuffer bytes = ByteBuffer.allocate(16);
        bytes.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
        return ENCODER.encodeToString(bytes.array());
    }

    /** @return the id spelled by {@code text}, or null if it is not 22 characters of URL-safe base64 for 16 bytes. */
    public static UUID parse(final String text)
    {
        if (null == text || TEXT_LENGTH != text.length())
        {
            return null;
        }
        final byte[] bytes;
        try
        {
            bytes = DECODER.decode(text);
        }
        catch (final IllegalArgumentException ex)
        {
            return null;
        }
        if (16 != bytes.length)
        {
            return null;
        }
        final ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new UUID(buffer.getLong(), buffer.getLong());
    }
}
