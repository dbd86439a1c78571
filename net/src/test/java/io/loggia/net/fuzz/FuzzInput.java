package io.loggia.net.fuzz;

/**
 * One input of a fuzz run: a request frame (without its size prefix), what it was made from and how.
 * {@link #sizeLie} is added to the true length when the size prefix is written: 0 for every input but the
 * framing ones, whose prefix promises more or fewer bytes than follow.
 */
final class FuzzInput
{
    /** Made from a seed by structure-aware and byte-level mutations. */
    static final int MUTATED = 0;
    /** A seed, unchanged: a valid request. */
    static final int VALID = 1;
    /** Random bytes, or a valid header with a random body. */
    static final int RANDOM = 2;

    final byte[] frame;
    final int origin;
    final int seedApiKey;
    final short seedVersion;
    final int sizeLie;
    final String description;

    FuzzInput(
        final byte[] frame,
        final int origin,
        final int seedApiKey,
        final short seedVersion,
        final int sizeLie,
        final String description)
    {
        this.frame = frame;
        this.origin = origin;
        this.seedApiKey = seedApiKey;
        this.seedVersion = seedVersion;
        this.sizeLie = sizeLie;
        this.description = description;
    }

    /** The API key the frame's header names now (the broker reads it there), or -1 if the frame is too short. */
    int apiKey()
    {
        return frame.length >= 2 ? (short)(((frame[0] & 0xFF) << 8) | (frame[1] & 0xFF)) : -1;
    }

    /** The API version the frame's header names now, or -1. */
    short apiVersion()
    {
        return frame.length >= 4 ? (short)(((frame[2] & 0xFF) << 8) | (frame[3] & 0xFF)) : -1;
    }

    /** The correlation id the frame's header carries now, or 0. */
    int correlationId()
    {
        return frame.length >= 8 ?
            ((frame[4] & 0xFF) << 24) | ((frame[5] & 0xFF) << 16) | ((frame[6] & 0xFF) << 8) | (frame[7] & 0xFF) : 0;
    }

    /** The whole input as it goes on the wire, size prefix included. */
    byte[] wire()
    {
        final byte[] wire = new byte[4 + frame.length];
        final int size = frame.length + sizeLie;
        wire[0] = (byte)(size >>> 24);
        wire[1] = (byte)(size >>> 16);
        wire[2] = (byte)(size >>> 8);
        wire[3] = (byte)size;
        System.arraycopy(frame, 0, wire, 4, frame.length);
        return wire;
    }

    /** Hex of the frame, for a finding's report and a regression test. */
    String hex()
    {
        final StringBuilder builder = new StringBuilder(frame.length * 2);
        for (final byte b : frame)
        {
            builder.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return builder.toString();
    }

    public String toString()
    {
        return org.apache.kafka.common.protocol.ApiKeys.hasId(seedApiKey) ?
            org.apache.kafka.common.protocol.ApiKeys.forId(seedApiKey) + " v" + seedVersion + " " + description :
            "api " + seedApiKey + " " + description;
    }
}
