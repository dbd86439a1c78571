package io.loggia.codec.record;

/**
 * The compression codec ids carried in bits 0-2 of a batch's attributes.
 */
public final class CompressionCodec
{
    public static final int NONE = 0;
    public static final int GZIP = 1;
    public static final int SNAPPY = 2;
    public static final int LZ4 = 3;
    public static final int ZSTD = 4;

    private static final String[] NAMES = { "none", "gzip", "snappy", "lz4", "zstd" };

    private CompressionCodec()
    {
    }

    public static boolean isKnown(final int codec)
    {
        return codec >= NONE && codec <= ZSTD;
    }

    /** Lower-case name as Kafka's tools print it, or "unknown(n)". */
    public static String name(final int codec)
    {
        return isKnown(codec) ? NAMES[codec] : "unknown(" + codec + ")";
    }
}
